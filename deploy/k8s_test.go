package deploy

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

const (
	manifestDir = "k8s"
	configFile  = "../config.example.env"
	appName     = "agreementbot"
	nameLabel   = "app.kubernetes.io/name"
)

// kinds maps "apiVersion Kind" to a constructor of the typed object. A
// document of any other kind or version fails the test.
var kinds = map[string]func() any{
	"apps/v1 Deployment":                     func() any { return new(appsv1.Deployment) },
	"v1 Service":                             func() any { return new(corev1.Service) },
	"v1 Secret":                              func() any { return new(corev1.Secret) },
	"v1 ConfigMap":                           func() any { return new(corev1.ConfigMap) },
	"autoscaling/v2 HorizontalPodAutoscaler": func() any { return new(autoscalingv2.HorizontalPodAutoscaler) },
	"policy/v1 PodDisruptionBudget":          func() any { return new(policyv1.PodDisruptionBudget) },
	"batch/v1 Job":                           func() any { return new(batchv1.Job) },
}

// manifest is one decoded YAML document.
type manifest struct {
	where string // file#document, for messages
	file  string // path relative to manifestDir
	obj   any    // *appsv1.Deployment, *corev1.Service, ...
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*(?:#.*)?$`)

// splitDocuments splits multi-document YAML on "---" lines and drops
// documents that hold only comments and blank lines.
func splitDocuments(b []byte) [][]byte {
	var docs [][]byte
	for _, d := range docSeparator.Split(string(b), -1) {
		empty := true
		for _, line := range strings.Split(d, "\n") {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
				empty = false
				break
			}
		}
		if !empty {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

// decode reads the kind of one document, then decodes it strictly into its
// typed object: unknown fields, duplicate fields and wrong types are errors.
func decode(doc []byte) (any, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return nil, err
	}
	key := tm.APIVersion + " " + tm.Kind
	ctor, ok := kinds[key]
	if !ok {
		known := make([]string, 0, len(kinds))
		for k := range kinds {
			known = append(known, k)
		}
		sort.Strings(known)
		return nil, fmt.Errorf("unknown kind %q (apiVersion %q): want one of %s", tm.Kind, tm.APIVersion, strings.Join(known, ", "))
	}
	obj := ctor()
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return obj, nil
}

// loadManifests decodes every *.yaml and *.yml file under dir, recursively.
func loadManifests(t *testing.T, dir string) []manifest {
	t.Helper()
	var out []manifest
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		docs := splitDocuments(b)
		if len(docs) == 0 {
			t.Errorf("%s: no YAML document", rel)
		}
		for i, doc := range docs {
			where := fmt.Sprintf("%s#%d", rel, i+1)
			obj, err := decode(doc)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			out = append(out, manifest{where: where, file: rel, obj: obj})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no manifests decoded under %s", dir)
	}
	return out
}

// only returns the manifests of one type.
func only[T any](ms []manifest) (objs []T, where []string) {
	for _, m := range ms {
		if o, ok := m.obj.(T); ok {
			objs = append(objs, o)
			where = append(where, m.where)
		}
	}
	return objs, where
}

// one returns the single manifest of a type, failing the test otherwise.
func one[T any](t *testing.T, ms []manifest) (T, string) {
	t.Helper()
	objs, where := only[T](ms)
	if len(objs) != 1 {
		var zero T
		t.Fatalf("want exactly one %T, found %d (%v)", zero, len(objs), where)
		return zero, ""
	}
	return objs[0], where[0]
}

// configVar is one variable of config.example.env.
type configVar struct {
	secret bool // its comment says "Secret."
}

var envName = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=`)

// readConfig parses NAME= lines of config.example.env and notes which ones
// the comment above calls a secret.
func readConfig(t *testing.T) map[string]configVar {
	t.Helper()
	b, err := os.ReadFile(configFile)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]configVar{}
	var comment strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			comment.Reset()
		case strings.HasPrefix(line, "#"):
			comment.WriteString(line + "\n")
		default:
			m := envName.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("%s: unexpected line %q", configFile, line)
			}
			vars[m[1]] = configVar{secret: strings.Contains(comment.String(), "Secret.")}
			comment.Reset()
		}
	}
	if len(vars) < 10 {
		t.Fatalf("%s: only %d variables parsed", configFile, len(vars))
	}
	return vars
}

// podSpecs returns every pod template among the manifests.
func podSpecs(ms []manifest) (specs []*corev1.PodTemplateSpec, where []string) {
	for _, m := range ms {
		switch o := m.obj.(type) {
		case *appsv1.Deployment:
			specs, where = append(specs, &o.Spec.Template), append(where, m.where)
		case *batchv1.Job:
			specs, where = append(specs, &o.Spec.Template), append(where, m.where)
		}
	}
	return specs, where
}

// envValue returns a container's plain value for name.
func envValue(c *corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name && e.ValueFrom == nil {
			return e.Value, true
		}
	}
	return "", false
}

// checkEnv reports env variables that config.example.env does not know,
// secrets given as plain values, duplicates, and secret references whose key
// is not the variable's own name.
func checkEnv(c *corev1.Container, vars map[string]configVar) []string {
	var problems []string
	seen := map[string]bool{}
	for _, e := range c.Env {
		if seen[e.Name] {
			problems = append(problems, fmt.Sprintf("env %s is set twice", e.Name))
		}
		seen[e.Name] = true
		v, ok := vars[e.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("env %s is not a variable of %s", e.Name, configFile))
			continue
		}
		switch {
		case e.ValueFrom == nil:
			if v.secret && e.Value != "" {
				problems = append(problems, fmt.Sprintf("env %s is a secret: take it from a Secret, not a plain value", e.Name))
			}
		case e.ValueFrom.SecretKeyRef != nil:
			if k := e.ValueFrom.SecretKeyRef.Key; k != e.Name {
				problems = append(problems, fmt.Sprintf("env %s reads Secret key %q: keep the key equal to the variable name", e.Name, k))
			}
		case e.ValueFrom.ConfigMapKeyRef != nil:
			if v.secret {
				problems = append(problems, fmt.Sprintf("env %s is a secret: take it from a Secret, not a ConfigMap", e.Name))
			}
			if k := e.ValueFrom.ConfigMapKeyRef.Key; k != e.Name {
				problems = append(problems, fmt.Sprintf("env %s reads ConfigMap key %q: keep the key equal to the variable name", e.Name, k))
			}
		default:
			problems = append(problems, fmt.Sprintf("env %s: only value, secretKeyRef and configMapKeyRef are expected", e.Name))
		}
	}
	if len(c.EnvFrom) > 0 {
		problems = append(problems, "envFrom hides which variables are set: list each variable under env")
	}
	return problems
}

// portNumber resolves a probe's or Service's port (a name or a number)
// against the container's ports; 0 when it matches none.
func portNumber(c *corev1.Container, p intstr.IntOrString) int32 {
	for _, cp := range c.Ports {
		if p.Type == intstr.String && cp.Name == p.StrVal || p.Type == intstr.Int && cp.ContainerPort == p.IntVal {
			return cp.ContainerPort
		}
	}
	return 0
}

// checkProbe reports a probe that is not an HTTP GET of path on a port of c.
func checkProbe(kind string, p *corev1.Probe, c *corev1.Container, path string) []string {
	if p == nil || p.HTTPGet == nil {
		return []string{kind + " probe: want an httpGet probe of " + path}
	}
	var problems []string
	if p.HTTPGet.Path != path {
		problems = append(problems, fmt.Sprintf("%s probe: path %q, want %q", kind, p.HTTPGet.Path, path))
	}
	if portNumber(c, p.HTTPGet.Port) == 0 {
		problems = append(problems, fmt.Sprintf("%s probe: port %s is not a port of container %s", kind, p.HTTPGet.Port.String(), c.Name))
	}
	return problems
}

// checkSecurity reports a pod that could run as root or a container that
// could gain privileges or write its root filesystem.
func checkSecurity(pod *corev1.PodSpec) []string {
	var problems []string
	psc := pod.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	if psc.RunAsUser != nil && *psc.RunAsUser == 0 {
		problems = append(problems, "pod runAsUser 0 (root)")
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		problems = append(problems, "automountServiceAccountToken: want false (the bot never calls the Kubernetes API)")
	}
	for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
		sc := c.SecurityContext
		if sc == nil {
			problems = append(problems, "container "+c.Name+": no securityContext")
			continue
		}
		nonRoot := sc.RunAsNonRoot
		if nonRoot == nil {
			nonRoot = psc.RunAsNonRoot
		}
		if nonRoot == nil || !*nonRoot {
			problems = append(problems, "container "+c.Name+": runAsNonRoot is not true")
		}
		if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
			problems = append(problems, "container "+c.Name+": runAsUser 0 (root)")
		}
		if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			problems = append(problems, "container "+c.Name+": readOnlyRootFilesystem is not true")
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			problems = append(problems, "container "+c.Name+": allowPrivilegeEscalation is not false")
		}
		if sc.Privileged != nil && *sc.Privileged {
			problems = append(problems, "container "+c.Name+": privileged")
		}
		if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
			problems = append(problems, "container "+c.Name+": want capabilities drop [ALL] and none added")
		}
	}
	return problems
}

// checkResources reports a container without CPU and memory requests and
// limits, or with a request above its limit.
func checkResources(c *corev1.Container) []string {
	var problems []string
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := c.Resources.Requests[r]
		lim, okLim := c.Resources.Limits[r]
		switch {
		case !okReq || req.IsZero():
			problems = append(problems, fmt.Sprintf("container %s: no %s request", c.Name, r))
		case !okLim || lim.IsZero():
			problems = append(problems, fmt.Sprintf("container %s: no %s limit", c.Name, r))
		case req.Cmp(lim) > 0:
			problems = append(problems, fmt.Sprintf("container %s: %s request %s above its limit %s", c.Name, r, req.String(), lim.String()))
		}
	}
	return problems
}

func report(t *testing.T, where string, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Errorf("%s: %s", where, p)
	}
}

func selects(t *testing.T, sel *metav1.LabelSelector, podLabels map[string]string) bool {
	t.Helper()
	if sel == nil {
		return false
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		t.Fatalf("selector %v: %v", sel, err)
	}
	return !s.Empty() && s.Matches(labels.Set(podLabels))
}

// deployment returns the Deployment and its one container.
func deployment(t *testing.T, ms []manifest) (*appsv1.Deployment, *corev1.Container, string) {
	t.Helper()
	d, where := one[*appsv1.Deployment](t, ms)
	if n := len(d.Spec.Template.Spec.Containers); n != 1 {
		t.Fatalf("%s: want one container, got %d", where, n)
	}
	return d, &d.Spec.Template.Spec.Containers[0], where
}

func TestManifestsDecodeStrictly(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	for _, m := range ms {
		om := metaOf(m.obj)
		if om.Name == "" {
			t.Errorf("%s: no metadata.name", m.where)
		}
		if om.Namespace != "" {
			t.Errorf("%s: namespace %q: leave it to kubectl -n", m.where, om.Namespace)
		}
		if om.Labels[nameLabel] != appName {
			t.Errorf("%s: label %s=%q, want %q", m.where, nameLabel, om.Labels[nameLabel], appName)
		}
	}
	specs, where := podSpecs(ms)
	for i, p := range specs {
		if p.Labels[nameLabel] != appName {
			t.Errorf("%s: pod template label %s=%q, want %q", where[i], nameLabel, p.Labels[nameLabel], appName)
		}
	}
	for _, want := range []string{"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job", "Secret"} {
		found := false
		for _, m := range ms {
			found = found || strings.HasSuffix(fmt.Sprintf("%T", m.obj), "."+want)
		}
		if !found {
			t.Errorf("no %s among the manifests", want)
		}
	}
}

func metaOf(obj any) metav1.ObjectMeta {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return o.ObjectMeta
	case *corev1.Service:
		return o.ObjectMeta
	case *corev1.Secret:
		return o.ObjectMeta
	case *corev1.ConfigMap:
		return o.ObjectMeta
	case *autoscalingv2.HorizontalPodAutoscaler:
		return o.ObjectMeta
	case *policyv1.PodDisruptionBudget:
		return o.ObjectMeta
	case *batchv1.Job:
		return o.ObjectMeta
	}
	panic(fmt.Sprintf("metaOf: %T", obj))
}

// TestDecoderRejects shows that the decoder is strict: each of these
// documents is a plausible slip and must fail.
func TestDecoderRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"misspelt field": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replica: 2\n",
		"misspelt nested field": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: c\n          livenessProbe: {httpGet: {pth: /healthz, port: 8080}}\n",
		"duplicate field": "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  type: ClusterIP\n  type: NodePort\n",
		"wrong type":      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec: {minAvailable: [1]}\n",
		"unknown kind":    "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
		"old apiVersion":  "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\n",
		"no kind":         "metadata: {name: x}\n",
	} {
		if _, err := decode([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without error:\n%s", name, doc)
		}
	}
	if docs := splitDocuments([]byte("# c\n---\na: 1\n---   # x\n\n# only a comment\n---\nb: 2\n")); len(docs) != 2 {
		t.Errorf("splitDocuments: %d documents, want 2", len(docs))
	}
}

func TestEnvNamesExistInConfig(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	vars := readConfig(t)
	specs, where := podSpecs(ms)
	if len(specs) == 0 {
		t.Fatal("no pod templates")
	}
	for i, p := range specs {
		for _, c := range append(slices.Clone(p.Spec.InitContainers), p.Spec.Containers...) {
			report(t, where[i]+": container "+c.Name, checkEnv(&c, vars))
		}
	}
	secrets, swhere := only[*corev1.Secret](ms)
	for i, s := range secrets {
		for k := range mergedKeys(s) {
			if _, ok := vars[k]; !ok {
				t.Errorf("%s: key %s is not a variable of %s", swhere[i], k, configFile)
			}
		}
	}

	// The check itself must catch a misspelt name and a secret in plain text.
	bad := &corev1.Container{Name: "c", Env: []corev1.EnvVar{
		{Name: "HTTP_ADRR", Value: ":8080"},
		{Name: "SLACK_SIGNING_SECRET", Value: "x"},
		{Name: "LOG_FORMAT", Value: "json"},
		{Name: "LOG_FORMAT", Value: "text"},
	}}
	if got := checkEnv(bad, vars); len(got) != 3 {
		t.Errorf("checkEnv on a bad container: %d problems, want 3: %q", len(got), got)
	}
}

func mergedKeys(s *corev1.Secret) map[string]bool {
	keys := map[string]bool{}
	for k := range s.Data {
		keys[k] = true
	}
	for k := range s.StringData {
		keys[k] = true
	}
	return keys
}

func TestDeployment(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	d, c, where := deployment(t, ms)
	pod := &d.Spec.Template.Spec

	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("%s: want at least 2 replicas", where)
	}
	if !selects(t, d.Spec.Selector, d.Spec.Template.Labels) {
		t.Errorf("%s: the selector does not match the pod template's labels", where)
	}
	if !slices.Equal(c.Args, []string{"serve"}) || len(c.Command) > 0 {
		t.Errorf("%s: command %q args %q, want the image's entrypoint with args [serve]", where, c.Command, c.Args)
	}

	// The container listens where HTTP_ADDR says.
	addr, ok := envValue(c, "HTTP_ADDR")
	if !ok {
		t.Errorf("%s: HTTP_ADDR is not set", where)
	}
	port := portNumber(c, intstr.FromString("http"))
	if port == 0 {
		t.Fatalf("%s: no container port named http", where)
	}
	if want := fmt.Sprintf(":%d", port); !strings.HasSuffix(addr, want) {
		t.Errorf("%s: HTTP_ADDR=%q but the container port is %d", where, addr, port)
	}

	// METRICS_ADDR, when set, is the container port named metrics.
	if maddr, ok := envValue(c, "METRICS_ADDR"); ok && maddr != "" {
		mport := portNumber(c, intstr.FromString("metrics"))
		if mport == 0 || !strings.HasSuffix(maddr, fmt.Sprintf(":%d", mport)) {
			t.Errorf("%s: METRICS_ADDR=%q but the container port named metrics is %d", where, maddr, mport)
		}
	}

	report(t, where, checkProbe("liveness", c.LivenessProbe, c, "/healthz"))
	report(t, where, checkProbe("readiness", c.ReadinessProbe, c, "/readyz"))
	report(t, where, checkSecurity(pod))
	report(t, where, checkResources(c))
	if psc := pod.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		t.Errorf("%s: pod securityContext runAsNonRoot is not true", where)
	}

	for name, want := range map[string]string{
		"DISCORD_REGISTER_COMMANDS": "false",
		"DISCORD_MODE":              "http",
		"LOG_FORMAT":                "json",
	} {
		if got, ok := envValue(c, name); !ok || got != want {
			t.Errorf("%s: %s=%q, want %q", where, name, got, want)
		}
	}
	for _, name := range []string{"REPLY_VISIBILITY", "RATE_LIMIT_PER_USER", "RATE_LIMIT_GLOBAL", "SHUTDOWN_TIMEOUT"} {
		if _, ok := envValue(c, name); !ok {
			t.Errorf("%s: %s is not set", where, name)
		}
	}
	for _, e := range c.Env {
		if e.Name == "DISCORD_BOT_TOKEN" || e.Name == "SLACK_APP_TOKEN" {
			t.Errorf("%s: %s is not needed in HTTP mode; keep it out of the replicas", where, e.Name)
		}
	}

	// The process drains within SHUTDOWN_TIMEOUT after the preStop pause;
	// the kubelet must wait longer than both before it kills.
	st, _ := envValue(c, "SHUTDOWN_TIMEOUT")
	timeout, err := time.ParseDuration(st)
	if err != nil {
		t.Errorf("%s: SHUTDOWN_TIMEOUT=%q: %v", where, st, err)
	}
	sd, _ := envValue(c, "SHUTDOWN_DELAY")
	delay, err := time.ParseDuration(sd)
	if err != nil {
		t.Errorf("%s: SHUTDOWN_DELAY=%q: %v (set it: its default, 5s, counts towards the grace period)", where, sd, err)
	}
	var pause time.Duration
	if l := c.Lifecycle; l != nil && l.PreStop != nil && l.PreStop.Sleep != nil {
		pause = time.Duration(l.PreStop.Sleep.Seconds) * time.Second
	}
	if g := pod.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= pause+delay+timeout {
		t.Errorf("%s: terminationGracePeriodSeconds must exceed the preStop pause (%s) + SHUTDOWN_DELAY (%s) + SHUTDOWN_TIMEOUT (%s)", where, pause, delay, timeout)
	}

	// The Secret is required, its keys optional: a secret volume that is
	// not optional keeps a pod without the Secret from starting (and
	// passing readiness with no platform configured).
	required := false
	for _, v := range pod.Volumes {
		if s := v.Secret; s != nil && s.SecretName == appName && (s.Optional == nil || !*s.Optional) {
			required = true
		}
	}
	if !required {
		t.Errorf("%s: no required volume of the Secret %q: a missing Secret would give pods that start and pass readiness", where, appName)
	}

	// The optional data override: KNOWLEDGE_DIR, when set, is the mount of
	// an optional ConfigMap volume.
	for _, v := range pod.Volumes {
		if v.ConfigMap != nil && (v.ConfigMap.Optional == nil || !*v.ConfigMap.Optional) {
			t.Errorf("%s: volume %s: the ConfigMap is optional, mark it so", where, v.Name)
		}
	}
	if dir, ok := envValue(c, "KNOWLEDGE_DIR"); ok && dir != "" {
		mounted := false
		for _, m := range c.VolumeMounts {
			mounted = mounted || m.MountPath == dir
		}
		if !mounted {
			t.Errorf("%s: KNOWLEDGE_DIR=%q is not a volume mount", where, dir)
		}
	}
}

func TestServiceTargetsContainerPort(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	d, c, _ := deployment(t, ms)
	svc, where := one[*corev1.Service](t, ms)
	if svc.Spec.Type != "" && svc.Spec.Type != corev1.ServiceTypeClusterIP {
		t.Errorf("%s: type %s, want ClusterIP", where, svc.Spec.Type)
	}
	sel := &metav1.LabelSelector{MatchLabels: svc.Spec.Selector}
	if !selects(t, sel, d.Spec.Template.Labels) {
		t.Errorf("%s: selector %v does not match the Deployment's pods %v", where, svc.Spec.Selector, d.Spec.Template.Labels)
	}
	jobs, jwhere := only[*batchv1.Job](ms)
	for i, j := range jobs {
		if selects(t, sel, j.Spec.Template.Labels) {
			t.Errorf("%s: selector %v also matches the pods of %s: requests would reach a Job", where, svc.Spec.Selector, jwhere[i])
		}
	}
	if len(svc.Spec.Ports) == 0 {
		t.Fatalf("%s: no ports", where)
	}
	for _, p := range svc.Spec.Ports {
		if p.Port != 80 {
			t.Errorf("%s: port %d, want 80", where, p.Port)
		}
		target := p.TargetPort
		if target.Type == intstr.Int && target.IntVal == 0 {
			target = intstr.FromInt32(p.Port) // unset targetPort means port
		}
		if portNumber(c, target) == 0 {
			t.Errorf("%s: targetPort %s is not a port of container %s", where, target.String(), c.Name)
		}
		if m := portNumber(c, intstr.FromString("metrics")); m != 0 && portNumber(c, target) == m {
			t.Errorf("%s: exposes the metrics port %d: keep /metrics off the public Service", where, m)
		}
	}
}

func TestHPAAndPDBSelectDeployment(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	d, c, dwhere := deployment(t, ms)

	hpa, where := one[*autoscalingv2.HorizontalPodAutoscaler](t, ms)
	ref := hpa.Spec.ScaleTargetRef
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != d.Name {
		t.Errorf("%s: scaleTargetRef %s %s %q, want apps/v1 Deployment %q", where, ref.APIVersion, ref.Kind, ref.Name, d.Name)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas != 2 || hpa.Spec.MaxReplicas != 10 {
		t.Errorf("%s: want minReplicas 2 and maxReplicas 10", where)
	}
	if d.Spec.Replicas != nil && hpa.Spec.MinReplicas != nil && *d.Spec.Replicas < *hpa.Spec.MinReplicas {
		t.Errorf("%s: %d replicas, below the HPA's minimum %d", dwhere, *d.Spec.Replicas, *hpa.Spec.MinReplicas)
	}
	cpu := false
	for _, m := range hpa.Spec.Metrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU &&
			m.Resource.Target.Type == autoscalingv2.UtilizationMetricType && m.Resource.Target.AverageUtilization != nil &&
			*m.Resource.Target.AverageUtilization == 70 {
			cpu = true
		}
	}
	if !cpu {
		t.Errorf("%s: want a CPU utilization target of 70%%", where)
	}
	if _, ok := c.Resources.Requests[corev1.ResourceCPU]; !ok {
		t.Errorf("%s: the HPA scales on CPU utilization, which needs a CPU request", dwhere)
	}

	pdb, where := one[*policyv1.PodDisruptionBudget](t, ms)
	if !selects(t, pdb.Spec.Selector, d.Spec.Template.Labels) {
		t.Errorf("%s: selector does not match the Deployment's pods %v", where, d.Spec.Template.Labels)
	}
	jobs, jwhere := only[*batchv1.Job](ms)
	for i, j := range jobs {
		if selects(t, pdb.Spec.Selector, j.Spec.Template.Labels) {
			t.Errorf("%s: selector also matches the pods of %s", where, jwhere[i])
		}
	}
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.String() != "1" || pdb.Spec.MaxUnavailable != nil {
		t.Errorf("%s: want minAvailable 1 (and no maxUnavailable)", where)
	}
}

func TestRegisterJob(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	_, dc, _ := deployment(t, ms)
	job, where := one[*batchv1.Job](t, ms)
	pod := &job.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%s: want one container", where)
	}
	c := &pod.Containers[0]
	if !slices.Equal(c.Args, []string{"discord-commands", "--register"}) || len(c.Command) > 0 {
		t.Errorf("%s: command %q args %q, want args [discord-commands --register]", where, c.Command, c.Args)
	}
	if c.Image != dc.Image {
		t.Errorf("%s: image %q, want the Deployment's %q", where, c.Image, dc.Image)
	}
	if pod.RestartPolicy != corev1.RestartPolicyNever && pod.RestartPolicy != corev1.RestartPolicyOnFailure {
		t.Errorf("%s: restartPolicy %q", where, pod.RestartPolicy)
	}
	if job.Spec.BackoffLimit == nil || job.Spec.ActiveDeadlineSeconds == nil {
		t.Errorf("%s: want a backoffLimit and an activeDeadlineSeconds so it cannot retry forever", where)
	}
	for _, name := range []string{"DISCORD_BOT_TOKEN", "DISCORD_APP_ID"} {
		found := false
		for _, e := range c.Env {
			if e.Name == name {
				found = e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && e.ValueFrom.SecretKeyRef.Name == appName
			}
		}
		if !found {
			t.Errorf("%s: %s must come from the Secret %q", where, name, appName)
		}
	}
	report(t, where, checkSecurity(pod))
	report(t, where, checkResources(c))
}

func TestExampleSecretIsEmpty(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	secrets, where := only[*corev1.Secret](ms)
	defined := map[string]map[string]bool{}
	for i, s := range secrets {
		if !strings.Contains(where[i], "/") {
			t.Errorf("%s: keep Secrets out of the top directory, so that kubectl apply -f %s/ cannot overwrite the real one", where[i], manifestDir)
		}
		for k, v := range s.Data {
			if len(v) != 0 {
				t.Errorf("%s: data.%s has a value; an example Secret keeps every value empty", where[i], k)
			}
		}
		for k, v := range s.StringData {
			if v != "" {
				t.Errorf("%s: stringData.%s has a value; an example Secret keeps every value empty", where[i], k)
			}
		}
		defined[s.Name] = mergedKeys(s)
	}
	// Every key the pods read is in the example, so operators see them all.
	specs, pwhere := podSpecs(ms)
	for i, p := range specs {
		for _, c := range p.Spec.Containers {
			for _, e := range c.Env {
				if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
					continue
				}
				ref := e.ValueFrom.SecretKeyRef
				if keys, ok := defined[ref.Name]; !ok {
					t.Errorf("%s: env %s reads Secret %q, which no example defines", pwhere[i], e.Name, ref.Name)
				} else if !keys[ref.Key] {
					t.Errorf("%s: env %s reads key %q, missing from the example Secret %q", pwhere[i], e.Name, ref.Key, ref.Name)
				}
			}
		}
	}
}

func TestConfigMapVolumes(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	cms, _ := only[*corev1.ConfigMap](ms)
	names := map[string]bool{}
	for _, cm := range cms {
		names[cm.Name] = true
	}
	specs, where := podSpecs(ms)
	for i, p := range specs {
		for _, v := range p.Spec.Volumes {
			if v.ConfigMap != nil && !names[v.ConfigMap.Name] {
				t.Errorf("%s: volume %s mounts ConfigMap %q, which no example defines", where[i], v.Name, v.ConfigMap.Name)
			}
		}
	}
}
