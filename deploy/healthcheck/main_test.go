package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestTarget(t *testing.T) {
	tests := []struct {
		addr, want string
		wantErr    bool
	}{
		{"", "http://127.0.0.1:8080/healthz", false},
		{":9090", "http://127.0.0.1:9090/healthz", false},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/healthz", false},
		{"[::]:8080", "http://127.0.0.1:8080/healthz", false},
		{"127.0.0.2:81", "http://127.0.0.2:81/healthz", false},
		{"[::1]:8080", "http://[::1]:8080/healthz", false},
		{"8080", "", true},
	}
	for _, tt := range tests {
		got, err := target(tt.addr, "/healthz")
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("target(%q) = %q, %v; want %q, err=%v", tt.addr, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	if err := probe(addr, "/healthz", time.Second); err != nil {
		t.Errorf("healthy server: %v", err)
	}
	if err := probe(addr, "/readyz", time.Second); err == nil {
		t.Error("503 answer: want an error")
	}

	// A port nobody listens on: grab one, then close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	if err := probe(closed, "/healthz", time.Second); err == nil {
		t.Error("closed port: want an error")
	}
}
