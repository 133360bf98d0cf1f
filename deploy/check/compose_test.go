package check

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// composeProject loads deploy/compose.yaml with the Compose specification's
// own loader, which validates it against the compose JSON schema.
func composeProject(t *testing.T) *types.Project {
	t.Helper()
	dir := deployFile(t)
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml")}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SetProjectName("newsenrich", true) })
	if err != nil {
		t.Fatalf("load compose.yaml: %v", err)
	}
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, ok := p.Services[name]
	if !ok {
		t.Fatalf("compose.yaml has no service %q", name)
	}
	return s
}

func env(s types.ServiceConfig, key string) string {
	if v, ok := s.Environment[key]; ok && v != nil {
		return *v
	}
	return ""
}

// composePartitions returns the partition count the topics service gives
// each topic ("articles.raw:6" in its script).
func composePartitions(t *testing.T, p *types.Project) map[string]int {
	t.Helper()
	script := strings.Join(service(t, p, "topics").Command, " ")
	out := map[string]int{}
	for _, m := range regexp.MustCompile(`(articles\.[a-z]+):(\d+)`).FindAllStringSubmatch(script, -1) {
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	return out
}

func TestCompose(t *testing.T) {
	p := composeProject(t)
	deploy := deployFile(t)

	t.Run("kafka runs in KRaft mode", func(t *testing.T) {
		k := service(t, p, "kafka")
		if !strings.HasPrefix(k.Image, "apache/kafka:") {
			t.Errorf("kafka image %q: want apache/kafka", k.Image)
		}
		roles := env(k, "KAFKA_PROCESS_ROLES")
		if !strings.Contains(roles, "broker") || !strings.Contains(roles, "controller") {
			t.Errorf("KAFKA_PROCESS_ROLES=%q: want broker,controller (KRaft, no ZooKeeper)", roles)
		}
		for name := range p.Services {
			if strings.Contains(name, "zookeeper") {
				t.Errorf("service %q: KRaft needs no ZooKeeper", name)
			}
		}
	})

	t.Run("topics give the input enough partitions for the replicas", func(t *testing.T) {
		parts := composePartitions(t, p)
		w := service(t, p, "worker")
		in := env(w, "NEWSENRICH_INPUT_TOPIC")
		for _, topic := range []string{in, env(w, "NEWSENRICH_OUTPUT_TOPIC"), env(w, "NEWSENRICH_DLQ_TOPIC")} {
			if parts[topic] == 0 {
				t.Errorf("topic %q used by the worker is not created by the topics service (creates %v)", topic, parts)
			}
		}
		if w.GetScale() > parts[in] {
			t.Errorf("%d worker replicas but %s has %d partitions: the extra replicas would idle", w.GetScale(), in, parts[in])
		}
	})

	t.Run("two workers in one group, built from deploy/Dockerfile", func(t *testing.T) {
		w := service(t, p, "worker")
		if w.GetScale() != 2 {
			t.Errorf("worker replicas = %d, want 2", w.GetScale())
		}
		if env(w, "NEWSENRICH_GROUP") == "" {
			t.Error("worker sets no NEWSENRICH_GROUP")
		}
		if w.Build == nil {
			t.Fatal("worker has no build section")
		}
		df := filepath.Join(w.Build.Context, w.Build.Dockerfile)
		if _, err := os.Stat(df); err != nil {
			t.Errorf("worker build: %v", err)
		}
		if filepath.Clean(w.Build.Context) != repoRoot(t) {
			t.Errorf("worker build context %s: want the repository root", w.Build.Context)
		}
		for _, port := range w.Ports {
			t.Errorf("worker publishes port %v: with 2 replicas a fixed host port collides; Prometheus scrapes inside the network", port.Target)
		}
	})

	t.Run("worker gets time to shut down cleanly", func(t *testing.T) {
		w := service(t, p, "worker")
		shutdown, err := time.ParseDuration(env(w, "NEWSENRICH_SHUTDOWN_TIMEOUT"))
		if err != nil {
			t.Fatalf("NEWSENRICH_SHUTDOWN_TIMEOUT: %v", err)
		}
		if w.StopGracePeriod == nil || time.Duration(*w.StopGracePeriod) <= shutdown {
			t.Errorf("stop_grace_period %v must exceed NEWSENRICH_SHUTDOWN_TIMEOUT %v", w.StopGracePeriod, shutdown)
		}
	})

	t.Run("prometheus scrapes every worker replica", func(t *testing.T) {
		cfg := yamlDocs(t, filepath.Join(deploy, "prometheus", "prometheus.yml"))[0]
		w := service(t, p, "worker")
		_, port, _ := strings.Cut(env(w, "NEWSENRICH_HTTP_ADDR"), ":")
		found := false
		for _, sc := range cfg["scrape_configs"].([]any) {
			sc := sc.(map[string]any)
			for _, sd := range asSlice(sc["dns_sd_configs"]) {
				sd := sd.(map[string]any)
				for _, n := range asSlice(sd["names"]) {
					if n == "worker" && strconv.Itoa(sd["port"].(int)) == port && sc["job_name"] == "newsenrich" {
						found = true
					}
				}
			}
		}
		if !found {
			t.Errorf("prometheus.yml has no job \"newsenrich\" resolving the compose service \"worker\" on port %s", port)
		}
	})

	t.Run("bind mounts exist", func(t *testing.T) {
		for name, s := range p.Services {
			for _, v := range s.Volumes {
				if v.Type != types.VolumeTypeBind {
					continue
				}
				if _, err := os.Stat(v.Source); err != nil {
					t.Errorf("service %s mounts %s: %v", name, v.Source, err)
				}
			}
		}
	})

	t.Run("grafana gets the dashboard and datasource", func(t *testing.T) {
		g := service(t, p, "grafana")
		want := map[string]string{
			filepath.Join(deploy, "grafana", "newsenrich.json"): "",
			filepath.Join(deploy, "grafana", "provisioning"):    "/etc/grafana/provisioning",
		}
		for _, v := range g.Volumes {
			if target, ok := want[v.Source]; ok && (target == "" || target == v.Target) {
				delete(want, v.Source)
			}
		}
		for src, target := range want {
			t.Errorf("grafana does not mount %s (at %q)", src, target)
		}
	})

	t.Run("feeder publishes the sample articles once", func(t *testing.T) {
		f := service(t, p, "feeder")
		if f.Restart != "no" && f.Restart != "" {
			t.Errorf("feeder restart %q: a one-shot must not restart", f.Restart)
		}
		var articles string
		for _, v := range f.Volumes {
			if v.Target == "/articles" {
				articles = v.Source
			}
		}
		files, _ := filepath.Glob(filepath.Join(articles, "*.jsonl"))
		if len(files) == 0 {
			t.Errorf("feeder mounts %q, which holds no *.jsonl sample articles", articles)
		}
		script := strings.Join(f.Command, " ")
		if !strings.Contains(script, "--topic "+env(service(t, p, "worker"), "NEWSENRICH_INPUT_TOPIC")) {
			t.Errorf("feeder does not publish to the worker's input topic: %s", script)
		}
	})

	t.Run("one-shot scripts are valid bash", func(t *testing.T) {
		bash, err := exec.LookPath("bash")
		if err != nil {
			t.Skip("no bash on this machine")
		}
		n := 0
		for name, s := range p.Services {
			if len(s.Entrypoint) != 2 || s.Entrypoint[1] != "-c" || len(s.Command) != 1 {
				continue
			}
			n++
			if out, err := exec.Command(bash, "-n", "-c", s.Command[0]).CombinedOutput(); err != nil {
				t.Errorf("service %s: bash -n: %v\n%s", name, err, out)
			}
		}
		if n < 2 {
			t.Errorf("checked %d scripts, want the topics and feeder scripts", n)
		}
	})

	t.Run("published ports stay on loopback", func(t *testing.T) {
		for name, s := range p.Services {
			for _, port := range s.Ports {
				if port.Published != "" && port.HostIP != "127.0.0.1" {
					t.Errorf("service %s publishes %s on %q: bind to 127.0.0.1", name, port.Published, port.HostIP)
				}
			}
		}
	})
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
