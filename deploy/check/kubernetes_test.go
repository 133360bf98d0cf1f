package check

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// kubeDecoder decodes YAML or JSON into the registered API types, strictly:
// an unknown or duplicated field is an error, as `kubectl apply
// --validate=strict` would report.
func kubeDecoder() runtime.Decoder {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, policyv1.AddToScheme, monitoringv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	return serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
}

// scaledObject is KEDA's ScaledObject. KEDA's Go types live in the operator's
// own module (controller-runtime and all), so the spec is decoded here with
// the fields this repository uses, strictly; behavior is Kubernetes' own type.
type scaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		ScaleTargetRef struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Name       string `json:"name"`
		} `json:"scaleTargetRef"`
		MinReplicaCount *int32 `json:"minReplicaCount"`
		MaxReplicaCount *int32 `json:"maxReplicaCount"`
		PollingInterval *int32 `json:"pollingInterval"`
		CooldownPeriod  *int32 `json:"cooldownPeriod"`
		Advanced        *struct {
			HorizontalPodAutoscalerConfig *struct {
				Behavior *autoscalingv2.HorizontalPodAutoscalerBehavior `json:"behavior"`
			} `json:"horizontalPodAutoscalerConfig"`
		} `json:"advanced"`
		Triggers []struct {
			Type     string            `json:"type"`
			Metadata map[string]string `json:"metadata"`
		} `json:"triggers"`
	} `json:"spec"`
}

// manifests holds every object in deploy/kubernetes, by kind.
type manifests struct {
	files        []string
	configMaps   []*corev1.ConfigMap
	deployments  []*appsv1.Deployment
	services     []*corev1.Service
	pdbs         []*policyv1.PodDisruptionBudget
	monitors     []*monitoringv1.ServiceMonitor
	scaledObject []*scaledObject
}

func decodeManifests(data []byte, m *manifests) error {
	dec := kubeDecoder()
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			return err
		}
		if tm.APIVersion == "keda.sh/v1alpha1" && tm.Kind == "ScaledObject" {
			so := &scaledObject{}
			if err := yaml.UnmarshalStrict(doc, so); err != nil {
				return fmt.Errorf("ScaledObject: %w", err)
			}
			m.scaledObject = append(m.scaledObject, so)
			continue
		}
		obj, gvk, err := dec.Decode(doc, nil, nil)
		if err != nil {
			return err
		}
		switch o := obj.(type) {
		case *corev1.ConfigMap:
			m.configMaps = append(m.configMaps, o)
		case *appsv1.Deployment:
			m.deployments = append(m.deployments, o)
		case *corev1.Service:
			m.services = append(m.services, o)
		case *policyv1.PodDisruptionBudget:
			m.pdbs = append(m.pdbs, o)
		case *monitoringv1.ServiceMonitor:
			m.monitors = append(m.monitors, o)
		default:
			return fmt.Errorf("%s: no check knows this kind; add one", gvk)
		}
	}
}

func loadManifests(t *testing.T) *manifests {
	t.Helper()
	dir := deployFile(t, "kubernetes")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	m := &manifests{}
	for _, p := range paths {
		name := filepath.Base(p)
		if name == "kustomization.yaml" {
			continue
		}
		m.files = append(m.files, name)
		if err := decodeManifests(readFile(t, p), m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return m
}

func one[T any](t *testing.T, kind string, xs []T) T {
	t.Helper()
	if len(xs) != 1 {
		t.Fatalf("want exactly one %s in deploy/kubernetes, got %d", kind, len(xs))
	}
	return xs[0]
}

// TestStrictDecodingRejectsTypos proves the decoder is strict: a misspelt
// field must fail, or TestKubernetes would pass on manifests Kubernetes
// rejects.
func TestStrictDecodingRejectsTypos(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"unknown field", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 2}\n"},
		{"duplicate field", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {type: ClusterIP, type: NodePort}\n"},
		{"wrong type", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec: {selector: yes}\n"},
		{"unknown ServiceMonitor field", "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\nspec: {endpoint: []}\n"},
		{"unknown ScaledObject field", "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\nspec: {maxReplicas: 3}\n"},
		{"unknown kind", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := decodeManifests([]byte(tt.doc), &manifests{}); err == nil {
				t.Errorf("decoded without error:\n%s", tt.doc)
			}
		})
	}
}

func TestKubernetes(t *testing.T) {
	m := loadManifests(t)
	cm := one(t, "ConfigMap", m.configMaps)
	dep := one(t, "Deployment", m.deployments)
	svc := one(t, "Service", m.services)
	pdb := one(t, "PodDisruptionBudget", m.pdbs)
	mon := one(t, "ServiceMonitor", m.monitors)
	so := one(t, "ScaledObject", m.scaledObject)
	pod := dep.Spec.Template
	podLabels := labels.Set(pod.Labels)

	for _, obj := range []metav1.Object{cm, dep, svc, pdb, mon, so} {
		for _, msg := range validation.IsDNS1123Subdomain(obj.GetName()) {
			t.Errorf("name %q: %s", obj.GetName(), msg)
		}
		for k, v := range obj.GetLabels() {
			for _, msg := range append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...) {
				t.Errorf("%s label %s=%s: %s", obj.GetName(), k, v, msg)
			}
		}
	}

	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	cfg := cm.Data

	t.Run("deployment selector matches its pods", func(t *testing.T) {
		sel, err := metav1.LabelSelectorAsSelector(dep.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(podLabels) {
			t.Errorf("selector %v does not select pod labels %v (%v)", dep.Spec.Selector, pod.Labels, err)
		}
	})

	t.Run("runs the worker", func(t *testing.T) {
		if len(c.Args) == 0 || c.Args[0] != "run" {
			t.Errorf("container args %v: want [run ...]", c.Args)
		}
	})

	httpPort := containerPort(t, c, "http")
	t.Run("probes on /healthz and /readyz", func(t *testing.T) {
		_, addrPort, err := net.SplitHostPort(cfg["NEWSENRICH_HTTP_ADDR"])
		if err != nil || addrPort != strconv.Itoa(int(httpPort)) {
			t.Errorf("NEWSENRICH_HTTP_ADDR %q does not listen on the container port %d", cfg["NEWSENRICH_HTTP_ADDR"], httpPort)
		}
		checkProbe(t, "liveness", c.LivenessProbe, "/healthz")
		checkProbe(t, "readiness", c.ReadinessProbe, "/readyz")
		if c.StartupProbe != nil {
			checkProbe(t, "startup", c.StartupProbe, "/healthz")
		}
	})

	t.Run("resources are bounded", func(t *testing.T) {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, okReq := c.Resources.Requests[r]
			lim, okLim := c.Resources.Limits[r]
			if !okReq || !okLim {
				t.Errorf("%s: want both a request and a limit", r)
				continue
			}
			if req.Cmp(lim) > 0 {
				t.Errorf("%s request %s exceeds limit %s", r, req.String(), lim.String())
			}
		}
		conc, err := strconv.Atoi(cfg["NEWSENRICH_CONCURRENCY"])
		cpu := c.Resources.Limits[corev1.ResourceCPU]
		if err != nil || int64(conc) > cpu.Value() {
			t.Errorf("NEWSENRICH_CONCURRENCY %q: want a number no larger than the CPU limit %s", cfg["NEWSENRICH_CONCURRENCY"], cpu.String())
		}
	})

	t.Run("termination grace exceeds the shutdown deadline", func(t *testing.T) {
		shutdown, err := time.ParseDuration(cfg["NEWSENRICH_SHUTDOWN_TIMEOUT"])
		if err != nil {
			t.Fatalf("NEWSENRICH_SHUTDOWN_TIMEOUT: %v", err)
		}
		grace := pod.Spec.TerminationGracePeriodSeconds
		if grace == nil {
			t.Fatal("terminationGracePeriodSeconds is not set (default 30s)")
		}
		if time.Duration(*grace)*time.Second <= shutdown {
			t.Errorf("terminationGracePeriodSeconds %d must exceed NEWSENRICH_SHUTDOWN_TIMEOUT %v", *grace, shutdown)
		}
	})

	t.Run("runs as non-root, locked down", func(t *testing.T) {
		psc := pod.Spec.SecurityContext
		if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
			t.Error("pod securityContext.runAsNonRoot must be true")
		}
		if psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
			t.Error("pod runAsUser 0")
		}
		sc := c.SecurityContext
		if sc == nil {
			t.Fatal("container has no securityContext")
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Error("allowPrivilegeEscalation must be false")
		}
		if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			t.Error("readOnlyRootFilesystem must be true")
		}
		if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
			t.Error("capabilities must drop ALL")
		}
	})

	t.Run("configuration comes from the ConfigMap and Secret", func(t *testing.T) {
		var fromCM, fromSecret bool
		for _, ef := range c.EnvFrom {
			if ef.ConfigMapRef != nil && ef.ConfigMapRef.Name == cm.Name {
				fromCM = true
			}
			if ef.SecretRef != nil {
				fromSecret = true
				if ef.SecretRef.Optional == nil || !*ef.SecretRef.Optional {
					t.Errorf("secretRef %s is required but not shipped; make it optional or add it", ef.SecretRef.Name)
				}
			}
		}
		if !fromCM || !fromSecret {
			t.Errorf("envFrom %v: want the ConfigMap %s and a Secret", c.EnvFrom, cm.Name)
		}
		for k, v := range cfg {
			if !strings.HasPrefix(k, "NEWSENRICH_") {
				t.Errorf("ConfigMap key %s: every key becomes an environment variable; want NEWSENRICH_*", k)
			}
			if strings.Contains(k, "PASSWORD") || strings.Contains(k, "USERNAME") {
				t.Errorf("ConfigMap holds credential %s=%q: it belongs in the Secret", k, v)
			}
		}
	})

	t.Run("service selects the pods and names the metrics port", func(t *testing.T) {
		if !labels.SelectorFromSet(svc.Spec.Selector).Matches(podLabels) || len(svc.Spec.Selector) == 0 {
			t.Errorf("service selector %v does not select pod labels %v", svc.Spec.Selector, pod.Labels)
		}
		if p := servicePort(svc, "http"); p == nil || (p.TargetPort.String() != "http" && p.TargetPort.IntValue() != int(httpPort)) {
			t.Errorf("service has no port \"http\" targeting the container port %d", httpPort)
		}
	})

	t.Run("disruption budget covers the pods and lets drains proceed", func(t *testing.T) {
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(podLabels) {
			t.Errorf("PDB selector %v does not select the pods (%v)", pdb.Spec.Selector, err)
		}
		if pdb.Spec.MaxUnavailable == nil && pdb.Spec.MinAvailable == nil {
			t.Error("PDB sets neither maxUnavailable nor minAvailable")
		}
		if mu := pdb.Spec.MaxUnavailable; mu != nil && mu.IntValue() < 1 && mu.String() != "" && !strings.HasSuffix(mu.String(), "%") {
			t.Errorf("maxUnavailable %s blocks every drain", mu.String())
		}
		if ma := pdb.Spec.MinAvailable; ma != nil && so.Spec.MinReplicaCount != nil && ma.IntValue() >= int(*so.Spec.MinReplicaCount) {
			t.Errorf("minAvailable %s >= minReplicaCount %d blocks drains at the minimum scale", ma.String(), *so.Spec.MinReplicaCount)
		}
	})

	t.Run("service monitor scrapes the service's metrics port", func(t *testing.T) {
		sel, err := metav1.LabelSelectorAsSelector(&mon.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(labels.Set(svc.Labels)) {
			t.Errorf("ServiceMonitor selector %v does not select the Service labels %v", mon.Spec.Selector, svc.Labels)
		}
		if len(mon.Spec.Endpoints) == 0 {
			t.Fatal("ServiceMonitor has no endpoints")
		}
		for _, ep := range mon.Spec.Endpoints {
			if ep.Port == "" || servicePort(svc, ep.Port) == nil {
				t.Errorf("endpoint port %v is not a port of Service %s", ep.Port, svc.Name)
			}
			if ep.Path != "/metrics" {
				t.Errorf("endpoint path %q, want /metrics", ep.Path)
			}
		}
	})

	t.Run("autoscaler targets the deployment within the partition count", func(t *testing.T) {
		ref := so.Spec.ScaleTargetRef
		if ref.Name != dep.Name || (ref.Kind != "" && ref.Kind != "Deployment") {
			t.Errorf("scaleTargetRef %+v does not name Deployment %s", ref, dep.Name)
		}
		if so.Spec.MinReplicaCount == nil || so.Spec.MaxReplicaCount == nil {
			t.Fatal("set minReplicaCount and maxReplicaCount")
		}
		lo, hi := *so.Spec.MinReplicaCount, *so.Spec.MaxReplicaCount
		if lo < 1 || lo > hi {
			t.Errorf("replicas %d..%d: the lag metric comes from the workers, so keep at least one", lo, hi)
		}
		parts, err := strconv.Atoi(so.Annotations["newsenrich.io/input-partitions"])
		if err != nil {
			t.Fatalf("annotation newsenrich.io/input-partitions: %v", err)
		}
		if int(hi) > parts {
			t.Errorf("maxReplicaCount %d > %d input partitions: the extra replicas would idle", hi, parts)
		}
		if compose := composePartitions(t, composeProject(t))[cfg["NEWSENRICH_INPUT_TOPIC"]]; compose != parts {
			t.Errorf("compose creates %s with %d partitions, the ScaledObject says %d", cfg["NEWSENRICH_INPUT_TOPIC"], compose, parts)
		}
		if len(so.Spec.Triggers) == 0 {
			t.Fatal("no triggers")
		}
		for _, tr := range so.Spec.Triggers {
			switch tr.Type {
			case "prometheus":
				for _, k := range []string{"serverAddress", "query", "threshold"} {
					if tr.Metadata[k] == "" {
						t.Errorf("prometheus trigger without %s", k)
					}
				}
				if _, err := resource.ParseQuantity(tr.Metadata["threshold"]); err != nil {
					t.Errorf("threshold %q: %v", tr.Metadata["threshold"], err)
				}
				sels, err := Selectors(tr.Metadata["query"])
				if err != nil {
					t.Error(err)
				}
				if !slices.ContainsFunc(sels, func(s Selector) bool { return s.Name == "newsenrich_consumer_lag_records" }) {
					t.Errorf("query %q does not read newsenrich_consumer_lag_records", tr.Metadata["query"])
				}
				for _, s := range sels {
					for _, mt := range s.Matchers {
						if mt.Name == "topic" && mt.Value != cfg["NEWSENRICH_INPUT_TOPIC"] {
							t.Errorf("query filters topic %q, the worker reads %q", mt.Value, cfg["NEWSENRICH_INPUT_TOPIC"])
						}
					}
				}
			case "kafka":
				for _, k := range []string{"bootstrapServers", "consumerGroup", "topic", "lagThreshold"} {
					if tr.Metadata[k] == "" {
						t.Errorf("kafka trigger without %s", k)
					}
				}
			default:
				t.Errorf("trigger type %q: want prometheus or kafka (lag)", tr.Type)
			}
		}
	})

	t.Run("kustomize builds the manifests", func(t *testing.T) {
		k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
		res, err := k.Run(filesys.MakeFsOnDisk(), deployFile(t, "kubernetes"))
		if err != nil {
			t.Fatalf("kustomize build deploy/kubernetes: %v", err)
		}
		out, err := res.AsYaml()
		if err != nil {
			t.Fatal(err)
		}
		built := &manifests{}
		if err := decodeManifests(out, built); err != nil {
			t.Fatalf("kustomize output: %v", err)
		}
		if len(built.configMaps) != 1 || len(built.deployments) != 1 || len(built.services) != 1 ||
			len(built.pdbs) != 1 || len(built.monitors) != 1 || len(built.scaledObject) != 1 {
			t.Errorf("kustomize output lacks objects:\n%s", out)
		}
		for _, d := range built.deployments {
			if img := d.Spec.Template.Spec.Containers[0].Image; img != "newsenrich:dev" {
				t.Errorf("rendered image %q", img)
			}
		}
	})

	t.Run("kustomization lists every manifest", func(t *testing.T) {
		k := yamlDocs(t, deployFile(t, "kubernetes", "kustomization.yaml"))[0]
		var listed []string
		for _, r := range asSlice(k["resources"]) {
			listed = append(listed, r.(string))
		}
		slices.Sort(listed)
		files := slices.Clone(m.files)
		slices.Sort(files)
		if !slices.Equal(listed, files) {
			t.Errorf("kustomization resources %v, files %v", listed, files)
		}
		imgs := map[string]bool{}
		for _, im := range asSlice(k["images"]) {
			imgs[im.(map[string]any)["name"].(string)] = true
		}
		repo, _, _ := strings.Cut(c.Image, ":")
		if len(imgs) > 0 && !imgs[repo] {
			t.Errorf("kustomization images %v do not name the container image %s", slices.Collect(maps.Keys(imgs)), repo)
		}
	})
}

func containerPort(t *testing.T, c corev1.Container, name string) int32 {
	t.Helper()
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, name)
	return 0
}

func servicePort(svc *corev1.Service, name string) *corev1.ServicePort {
	for i, p := range svc.Spec.Ports {
		if p.Name == name {
			return &svc.Spec.Ports[i]
		}
	}
	return nil
}

func checkProbe(t *testing.T, kind string, p *corev1.Probe, path string) {
	t.Helper()
	if p == nil || p.HTTPGet == nil {
		t.Errorf("%s probe: want an httpGet on %s", kind, path)
		return
	}
	if p.HTTPGet.Path != path || p.HTTPGet.Port.String() != "http" {
		t.Errorf("%s probe GET %s port %s: want %s on port http", kind, p.HTTPGet.Path, p.HTTPGet.Port.String(), path)
	}
}

func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}
