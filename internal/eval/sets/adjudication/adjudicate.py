#!/usr/bin/env python3
"""Compare two independent annotations of one batch, report agreement, list the disagreements
as decision items, and apply an adjudicator's decisions to build the final gold.

  adjudicate.py diff  ARTICLES A.gold B.gold ITEMS.jsonl      -> agreement figures + items to decide
  adjudicate.py apply ARTICLES A.gold B.gold DECISIONS.jsonl OUT.gold.jsonl

Decisions: one JSON object per item: {"item": ID, "pick": "A" | "B" | "none" | [[start,end,TYPE],...]}
for entities (custom spans are code-point offsets into body); for quotes "A" | "B" | "none";
for topics a list of codes. Agreed annotations are kept as they are.
"""
import json, sys


def load(p):
    return {r["id"]: r for r in map(json.loads, open(p, encoding="utf-8")) if r}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ent_clusters(a, b):
    """Overlap clusters of the spans that are not in both exactly."""
    sa = {(e["start"], e["end"], e["type"]) for e in a}
    sb = {(e["start"], e["end"], e["type"]) for e in b}
    da, db = sorted(sa - sb), sorted(sb - sa)
    items = [("A", s) for s in da] + [("B", s) for s in db]
    items.sort(key=lambda x: x[1][0])
    clusters, cur, end = [], [], -1
    for who, s in items:
        if cur and s[0] >= end:
            clusters.append(cur)
            cur, end = [], -1
        cur.append((who, s))
        end = max(end, s[1])
    if cur:
        clusters.append(cur)
    return sa & sb, clusters


def quote_pairs(a, b):
    used, pairs = set(), []
    for i, qa in enumerate(a):
        best = None
        for j, qb in enumerate(b):
            if j in used:
                continue
            ov = min(qa["end"], qb["end"]) - max(qa["start"], qb["start"])
            if ov > 0 and (best is None or ov > best[0]):
                best = (ov, j)
        if best:
            used.add(best[1])
            pairs.append((qa, b[best[1]]))
        else:
            pairs.append((qa, None))
    pairs += [(None, qb) for j, qb in enumerate(b) if j not in used]
    return pairs


def same_quote(x, y):
    return (x["start"], x["end"]) == (y["start"], y["end"]) and \
        (x["speaker"]["start"], x["speaker"]["end"]) == (y["speaker"]["start"], y["speaker"]["end"]) and \
        x["speaker_name"] == y["speaker_name"]


def items_for(arts, A, B):
    out, stats = [], {"ent": [0, 0, 0], "untyped": [0, 0, 0], "q": [0, 0, 0], "spk": [0, 0], "top1": [0, 0], "topics_exact": [0, 0]}
    for aid in arts:
        body = arts[aid]["body"]
        a, b = A[aid], B[aid]
        agreed, clusters = ent_clusters(a["entities"], b["entities"])
        na, nb = len(a["entities"]), len(b["entities"])
        stats["ent"][0] += len(agreed); stats["ent"][1] += na - len(agreed); stats["ent"][2] += nb - len(agreed)
        ua = {(e["start"], e["end"]) for e in a["entities"]}; ub = {(e["start"], e["end"]) for e in b["entities"]}
        stats["untyped"][0] += len(ua & ub); stats["untyped"][1] += len(ua - ub); stats["untyped"][2] += len(ub - ua)
        for k, c in enumerate(clusters):
            lo, hi = min(s[0] for _, s in c), max(s[1] for _, s in c)
            out.append({"item": f"{aid}#e{k}", "kind": "entity", "id": aid,
                        "context": body[max(0, lo - 80):lo] + "[[" + body[lo:hi] + "]]" + body[hi:hi + 80],
                        "A": [[s[0], s[1], s[2], body[s[0]:s[1]]] for w, s in c if w == "A"],
                        "B": [[s[0], s[1], s[2], body[s[0]:s[1]]] for w, s in c if w == "B"]})
        for k, (qa, qb) in enumerate(quote_pairs(a["quotes"], b["quotes"])):
            if qa and qb:
                stats["q"][0] += 1
                sa_ = set(qa["speaker_name"].lower().split()) | set(qa["speaker"]["text"].lower().split())
                sb_ = set(qb["speaker_name"].lower().split()) | set(qb["speaker"]["text"].lower().split())
                stats["spk"][0] += bool(sa_ & sb_); stats["spk"][1] += 1
                if same_quote(qa, qb):
                    continue
            else:
                stats["q"][1 if qa else 2] += 1
            lo = min(q["start"] for q in (qa, qb) if q)
            def show(q):
                return None if q is None else {"start": q["start"], "end": q["end"], "text": q["text"],
                                               "speaker": [q["speaker"]["start"], q["speaker"]["end"], q["speaker"]["text"]],
                                               "speaker_name": q["speaker_name"]}
            out.append({"item": f"{aid}#q{k}", "kind": "quote", "id": aid,
                        "context": body[max(0, lo - 300):lo + 600], "A": show(qa), "B": show(qb)})
        ta, tb = a.get("topics", []), b.get("topics", [])
        stats["top1"][0] += bool(ta and tb and ta[0] == tb[0]); stats["top1"][1] += 1
        stats["topics_exact"][0] += ta == tb; stats["topics_exact"][1] += 1
        if ta != tb:
            out.append({"item": f"{aid}#t", "kind": "topics", "id": aid, "title": arts[aid]["title"],
                        "lead": body[:400], "A": ta, "B": tb})
    return out, stats


def main():
    mode = sys.argv[1]
    arts = {r["id"]: r for r in map(json.loads, open(sys.argv[2], encoding="utf-8"))}
    A, B = load(sys.argv[3]), load(sys.argv[4])
    items, st = items_for(arts, A, B)
    if mode == "diff":
        with open(sys.argv[5], "w", encoding="utf-8") as f:
            for it in items:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
        p, r, f1 = prf(*st["ent"]); up, ur, uf = prf(*st["untyped"]); qp, qr, qf = prf(*st["q"])
        print(json.dumps({"entity_f1_typed": round(f1, 4), "entity_f1_untyped": round(uf, 4),
                          "quote_f1_overlap": round(qf, 4), "speaker_agreement": round(st["spk"][0] / max(1, st["spk"][1]), 4),
                          "topic_top1_agreement": round(st["top1"][0] / st["top1"][1], 4),
                          "topic_set_exact_agreement": round(st["topics_exact"][0] / st["topics_exact"][1], 4),
                          "items": {k: sum(1 for i in items if i["kind"] == k) for k in ("entity", "quote", "topics")}}))
        return
    dec = {d["item"]: d["pick"] for d in map(json.loads, open(sys.argv[5], encoding="utf-8"))}
    missing = [i["item"] for i in items if i["item"] not in dec]
    if missing:
        sys.exit(f"{len(missing)} items without a decision, e.g. {missing[:5]}")
    byid = {}
    for it in items:
        byid.setdefault(it["id"], []).append(it)
    errors = 0
    with open(sys.argv[6], "w", encoding="utf-8") as f:
        for aid in arts:
            body = arts[aid]["body"]
            a, b = A[aid], B[aid]
            agreed, _ = ent_clusters(a["entities"], b["entities"])
            ents = set(agreed)
            quotes = [qa for qa, qb in quote_pairs(a["quotes"], b["quotes"]) if qa and qb and same_quote(qa, qb)]
            topics = a.get("topics", [])
            for it in byid.get(aid, []):
                pick = dec[it["item"]]
                if it["kind"] == "entity":
                    if pick == "A":
                        ents |= {tuple(x[:3]) for x in it["A"]}
                    elif pick == "B":
                        ents |= {tuple(x[:3]) for x in it["B"]}
                    elif isinstance(pick, list):
                        ents |= {tuple(x[:3]) for x in pick}
                elif it["kind"] == "quote":
                    q = it.get(pick) if pick in ("A", "B") else None
                    if q:
                        s = q["speaker"]
                        quotes.append({"start": q["start"], "end": q["end"], "text": body[q["start"]:q["end"]],
                                       "speaker": {"start": s[0], "end": s[1], "text": body[s[0]:s[1]]},
                                       "speaker_name": q["speaker_name"]})
                else:
                    topics = pick
            ents = sorted(ents)
            for (s1, e1, _), (s2, e2, _) in zip(ents, ents[1:]):
                if s2 < e1:
                    print(f"ERROR {aid}: overlapping entities {body[s1:e1]!r} {body[s2:e2]!r}", file=sys.stderr)
                    errors += 1
            rec = {"id": aid, "entities": [{"start": s, "end": e, "type": t, "text": body[s:e]} for s, e, t in ents],
                   "quotes": sorted(quotes, key=lambda q: q["start"]), "topics": topics, "any_of": False}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
