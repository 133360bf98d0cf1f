package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check reports whether one readiness condition holds; nil means ready.
type Check func() error

// Server serves /metrics, /healthz and /readyz.
type Server struct {
	m      *Metrics
	log    *slog.Logger
	srv    *http.Server
	mu     sync.Mutex
	checks []namedCheck
	ln     net.Listener
}

type namedCheck struct {
	name string
	fn   Check
}

// NewServer builds the HTTP server for addr (e.g. ":8080").
func NewServer(addr string, m *Metrics, log *slog.Logger) *Server {
	s := &Server{m: m, log: log}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", s.readyz)
	s.srv = &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return s
}

// AddCheck adds a readiness condition; /readyz is 200 only when all pass.
func (s *Server) AddCheck(name string, fn Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, namedCheck{name, fn})
}

// Ready evaluates the readiness checks, updating newsenrich_ready.
func (s *Server) Ready() error {
	s.mu.Lock()
	checks := append([]namedCheck(nil), s.checks...)
	s.mu.Unlock()
	var errs []error
	for _, c := range checks {
		if err := c.fn(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	err := errors.Join(errs...)
	if err == nil {
		s.m.Ready.Set(1)
	} else {
		s.m.Ready.Set(0)
	}
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.Ready(); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// Listen binds the address, so callers learn a port chosen with ":0" and
// bind errors surface before Serve.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return fmt.Errorf("metrics server: %w", err)
	}
	s.ln = ln
	return nil
}

// Addr is the bound address (after Listen).
func (s *Server) Addr() string {
	if s.ln == nil {
		return s.srv.Addr
	}
	return s.ln.Addr().String()
}

// Serve serves until ctx is cancelled, keeping newsenrich_ready current.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case err := <-errc:
			return fmt.Errorf("metrics server: %w", err)
		case <-t.C:
			_ = s.Ready()
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = s.srv.Shutdown(sctx)
			return nil
		}
	}
}
