// Package check holds the tests that keep the deployment artefacts under
// deploy/ honest: Kubernetes manifests decode into their API types, the
// Dockerfile and compose file keep their invariants, and every metric that a
// dashboard, alert or autoscaler queries is exported by a running worker.
//
// It is its own module so that Kubernetes, Prometheus and BuildKit stay out of
// the worker's dependency graph.
package check
