package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/titanscrape/titan/internal/demosite"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "titan-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "titan")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic("go build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// titan runs the built binary in dir and returns its exit code, stdout and stderr.
func titan(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}

const productSchema = `{"type":"object","required":["name","price"],"properties":{
  "name":{"type":"string","x-selector":"h1.product-title"},
  "price":{"type":"number","x-selector":".price-box span.price","minimum":0},
  "sku":{"type":"string","x-selector":"span.sku"}}}`

// shop starts the demo shop and returns its URL and a directory holding task files.
func shop(t *testing.T) (*demosite.Shop, string, string) {
	t.Helper()
	s := demosite.New(demosite.Config{Products: 30, PageBytes: 8 << 10})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv.URL, t.TempDir()
}

func writeTask(t *testing.T, dir, name string, task map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(task, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunWritesJSONL(t *testing.T) {
	s, base, dir := shop(t)
	task := writeTask(t, dir, "task.json", map[string]any{
		"name":          "two products",
		"urls":          []string{base + s.Product(1).URL, base + s.Product(2).URL},
		"output_schema": json.RawMessage(productSchema),
	})
	code, _, stderr := titan(t, dir, "run", task, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 {
		t.Fatalf("results.jsonl:\n%s", b)
	}
	skus := map[string]bool{}
	for _, l := range lines {
		var rec struct {
			Data map[string]any
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		skus[rec.Data["sku"].(string)] = true
	}
	if !skus[s.Product(1).SKU] || !skus[s.Product(2).SKU] {
		t.Fatalf("skus = %v", skus)
	}
	if !strings.Contains(stderr, "completed (2 pages, 2 records)") {
		t.Fatalf("summary missing:\n%s", stderr)
	}
}

func TestRunCrawlToCSVFromYAML(t *testing.T) {
	_, base, dir := shop(t)
	yaml := `name: crawl shop
action_type: crawl
urls: [` + base + `/products]
params:
  include_paths: ['^/products(\?page=\d+)?$', '^/product/']
  extract_paths: ['^/product/']
limits: {max_depth: 5, max_pages: 100}
output_schema: ` + productSchema + "\n"
	if err := os.WriteFile(filepath.Join(dir, "crawl.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := titan(t, dir, "run", "crawl.yaml", "-o", "out.csv", "-c", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "seq,step,url,valid,name,price,sku,extra,errors" || len(lines) != 31 {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
}

func TestPreviewIsCapped(t *testing.T) {
	_, base, dir := shop(t)
	task := writeTask(t, dir, "task.json", map[string]any{
		"name": "preview", "action_type": "crawl", "urls": []string{base + "/products"},
		"params": map[string]any{"mode": "map"}, "limits": map[string]any{"max_depth": 5, "max_pages": 1000},
	})
	code, stdout, stderr := titan(t, dir, "preview", task, "-o", "-", "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 5 {
		t.Fatalf("preview listed %d URLs, want 5:\n%s", n, stdout)
	}
	if !strings.Contains(stderr, "max_pages") {
		t.Fatalf("skipped pages not reported:\n%s", stderr)
	}
}

func TestExitCodes(t *testing.T) {
	s, base, dir := shop(t)
	partial := writeTask(t, dir, "partial.json", map[string]any{
		"name": "partial", "urls": []string{base + s.Product(1).URL, base + "/missing"}, "output_schema": json.RawMessage(productSchema),
	})
	failing := writeTask(t, dir, "failing.json", map[string]any{
		"name": "failing", "urls": []string{base + "/missing", base + "/gone"}, "output_schema": json.RawMessage(productSchema),
	})
	valid := writeTask(t, dir, "valid.json", map[string]any{"name": "ok", "urls": []string{base + "/"}})
	invalid, err := filepath.Abs("testdata/invalid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		output string
	}{
		{[]string{"run", partial, "-q", "-o", "p.jsonl"}, 5, "completed_with_errors"},
		{[]string{"run", failing, "-q", "-o", "f.jsonl"}, 4, "every input failed"},
		{[]string{"validate", valid}, 0, "valid"},
		{[]string{"validate", invalid}, 3, "schedule: invalid cron spec"},
		{[]string{"run", invalid}, 3, "urls[0]"},
		{[]string{"run", "nope.json"}, 3, "no such file"},
		{[]string{"run", "task.txt"}, 3, "want a .json, .yaml or .yml file"},
		{[]string{}, 2, "usage"},
		{[]string{"launch"}, 2, `unknown command "launch"`},
		{[]string{"run"}, 2, "want exactly one task file"},
		{[]string{"run", valid, "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"run", valid, "-o", "out.xml"}, 2, "unknown export format"},
		{[]string{"schema", valid}, 3, "no output_schema"},
		{[]string{"run", valid, "-c", "-1"}, 2, "must not be negative"},
		{[]string{"run", valid, "-o", "/no/such/dir/out.jsonl"}, 1, "no such file or directory"},
	}
	for _, tt := range tests {
		code, stdout, stderr := titan(t, dir, tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.output) {
			t.Errorf("titan %v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", tt.args, code, tt.code, tt.output, stdout, stderr)
		}
	}
}

func TestValidatePrintsEveryProblem(t *testing.T) {
	code, stdout, _ := titan(t, ".", "validate", "testdata/invalid.yaml")
	want := `testdata/invalid.yaml: 5 problems
  schedule: invalid cron spec "99 * * * *": end of range (99) above maximum (59): 99
  urls[0]: invalid URL "shop.example/no-scheme": scheme must be http or https
  output_schema.properties.price.x-selector: `
	if code != 3 || !strings.HasPrefix(stdout, want) {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	for _, s := range []string{`params.scope: unknown scope "galaxy"`, "params.include_paths[0]: error parsing regexp"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("missing %q in:\n%s", s, stdout)
		}
	}
}

func TestSchemaPrintsOutputSchema(t *testing.T) {
	_, _, dir := shop(t)
	task := writeTask(t, dir, "task.json", map[string]any{"name": "s", "urls": []string{"https://x.test/"}, "output_schema": json.RawMessage(productSchema)})
	code, stdout, _ := titan(t, dir, "schema", task)
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["required"].([]any)[1] != "price" {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
}
