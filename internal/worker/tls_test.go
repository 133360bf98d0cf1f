package worker_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// selfSigned returns a server certificate for 127.0.0.1 and its PEM.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kfake"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestTLS runs the worker against a TLS-only broker, trusting its
// certificate through --tls-ca.
func TestTLS(t *testing.T) {
	if kafkatest.Real() {
		t.Skip("needs an embedded broker with a test certificate")
	}
	cert, caPEM := selfSigned(t)
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}),
		kfake.GroupMinSessionTimeout(time.Second), kfake.SeedTopics(1, "in", "out", "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	brokers := c.ListenAddrs()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl := kafkatest.Client(t, brokers, kgo.DialTLSConfig(&tls.Config{RootCAs: pool}))
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "in", Key: []byte("t1"), Value: article("t1", "over TLS")}).FirstErr(); err != nil {
		t.Fatal(err)
	}

	cfg := env{brokers: brokers, in: "in", out: "out", dlq: "dlq", grp: "g-tls", maxBytes: 1 << 20}.config("tls")
	cfg.TLS, cfg.TLSCA = true, caFile
	m := metrics.New(metrics.Topics{Input: "in", Output: "out", DLQ: "dlq"}, metrics.Build{})
	proc := processor.New(processor.Config{Decode: decode.Limits{MaxBytes: cfg.MaxBytes}}, nil, nil, nil)
	w, err := worker.New(cfg, logger(t), m, proc, worker.WithGroupTiming(300*time.Millisecond, 6*time.Second, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	waitFor(t, "record enriched over TLS", 30*time.Second, func() bool {
		return value(m.Articles.WithLabelValues(metrics.OutcomeEnriched)) == 1
	})
	stop()
	if err := <-done; err != nil {
		t.Fatalf("worker: %v", err)
	}
}
