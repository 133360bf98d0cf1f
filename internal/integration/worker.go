package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// WorkerBinary builds ./cmd/newsenrich once per test process, the way an operator would run it.
// NEWSENRICH_TEST_WORKER_BIN names a prebuilt binary instead.
func WorkerBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("NEWSENRICH_TEST_WORKER_BIN"); p != "" {
		return p
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsenrich-integration-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "newsenrich")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/newsenrich")
		cmd.Dir = repoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build ./cmd/newsenrich: %w\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatalf("%v", binErr)
	}
	return binPath
}

// removeWorkerBinary deletes the binary built by WorkerBinary (called from TestMain).
func removeWorkerBinary() {
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
}

// Worker is one `newsenrich run` subprocess.
type Worker struct {
	Name string
	Addr string // host:port of its /metrics /healthz /readyz server
	Log  string // path of its combined stdout/stderr

	t       testing.TB
	cmd     *exec.Cmd
	done    chan struct{}
	err     error
	exitAt  time.Time
	logFile *os.File
}

// StartWorker runs the worker binary with env (NEWSENRICH_*=...) plus its own HTTP address.
// The worker is killed when t ends if still running.
func StartWorker(t testing.TB, name string, env []string) *Worker {
	t.Helper()
	bin := WorkerBinary(t)
	addr := freeAddr(t)
	// NEWSENRICH_TEST_LOG_DIR keeps the worker logs after the test (CI artifacts, debugging).
	logDir := os.Getenv("NEWSENRICH_TEST_LOG_DIR")
	if logDir == "" {
		logDir = t.TempDir()
	} else if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatalf("log dir: %v", err)
	}
	logPath := filepath.Join(logDir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("worker log: %v", err)
	}
	cmd := exec.Command(bin, "run")
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "NEWSENRICH_HTTP_ADDR="+addr, "NEWSENRICH_CLIENT_ID="+name)
	cmd.Stdout, cmd.Stderr = f, f
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start worker %s: %v", name, err)
	}
	w := &Worker{Name: name, Addr: addr, Log: logPath, t: t, cmd: cmd, done: make(chan struct{}), logFile: f}
	go func() {
		w.err = cmd.Wait()
		w.exitAt = time.Now()
		f.Close()
		close(w.done)
	}()
	t.Cleanup(func() {
		if w.Running() {
			_ = w.cmd.Process.Kill()
			<-w.done
		}
		if t.Failed() {
			t.Logf("worker %s log tail:\n%s", name, tail(logPath, 30))
		}
	})
	return w
}

// Running reports whether the process has not exited.
func (w *Worker) Running() bool {
	select {
	case <-w.done:
		return false
	default:
		return true
	}
}

// Kill sends SIGKILL and waits for the process to go.
func (w *Worker) Kill() {
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	<-w.done
}

// Stop sends SIGTERM and waits up to wait for exit. It returns how long the exit took and the
// process error (nil for exit code 0).
func (w *Worker) Stop(wait time.Duration) (time.Duration, error) {
	start := time.Now()
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-w.done:
		return w.exitAt.Sub(start), w.err
	case <-time.After(wait):
		_ = w.cmd.Process.Kill()
		<-w.done
		return time.Since(start), fmt.Errorf("worker %s still running %s after SIGTERM (killed)", w.Name, wait)
	}
}

// ExitErr returns the exit error once the process is gone.
func (w *Worker) ExitErr() error { return w.err }

// Ready reports whether GET /readyz answers 200.
func (w *Worker) Ready() bool { return w.status("/readyz") == http.StatusOK }

// Healthy reports whether GET /healthz answers 200.
func (w *Worker) Healthy() bool { return w.status("/healthz") == http.StatusOK }

func (w *Worker) status(path string) int {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get("http://" + w.Addr + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// WaitReady waits for /readyz = 200, failing early if the process exits.
func (w *Worker) WaitReady(ctx context.Context) error {
	for {
		if !w.Running() {
			return fmt.Errorf("worker %s exited before ready: %w\n%s", w.Name, w.err, tail(w.Log, 30))
		}
		if w.Ready() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("worker %s not ready: %w\n%s", w.Name, ctx.Err(), tail(w.Log, 30))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Metric returns the sum of all samples of the named metric family on /metrics (labels ignored
// unless match is non-empty and the sample line must contain it).
func (w *Worker) Metric(name, match string) (float64, error) {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + w.Addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	var sum float64
	found := false
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, name) || (len(line) > len(name) && line[len(name)] != ' ' && line[len(name)] != '{') {
			continue
		}
		if match != "" && !strings.Contains(line, match) {
			continue
		}
		var v float64
		if _, err := fmt.Sscanf(line[strings.LastIndexByte(line, ' ')+1:], "%g", &v); err == nil {
			sum += v
			found = true
		}
	}
	if !found {
		return 0, errors.New("metric " + name + " not exported")
	}
	return sum, nil
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
