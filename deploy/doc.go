// Package deploy holds no code: it is the Go module in which the tests of
// the deployment files live (the Kubernetes manifests in k8s/, the
// Dockerfile and its build context), so that k8s.io/api and friends stay out
// of the main module. Run them with
//
//	cd deploy && go vet ./... && go test ./...
package deploy
