package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const becameOptional = "response-property-became-optional"

func TestDeclares(t *testing.T) {
	t.Parallel()
	c := change{ID: becameOptional, OperationID: "ShowEndpoint",
		Text: "the response property `endpoint/resolver_rule_count` became optional for the status `200`"}
	tests := []struct {
		item string
		want bool
	}{
		{"- (`response-property-became-optional`, `resolver_rule_count`, `*`)", true},
		{"- (`response-property-became-optional`, `endpoint/resolver_rule_count`, `ShowEndpoint`)", true},
		{"- (`response-property-became-optional`, `resolver_rule_count`, `ListEndpoints`)", false}, // another operation
		{"- (`response-property-became-optional`, `ipaddress_count`, `*`)", false},                 // another property
		{"- (`response-property-became-optional`, `200`, `*`)", false},                             // a status is no subject
		{"- (`response-property-removed`, `resolver_rule_count`, `*`)", false},                     // another change
		{"- response-property-became-optional resolver_rule_count *", false},                       // not code spans
	}
	for _, tt := range tests {
		log := "# Changelog\n\n## [Unreleased]\n\n### Breaking\n\n" + tt.item + "\n"
		if got := len(undeclared([]change{c}, log)) == 0; got != tt.want {
			t.Errorf("%s: declared = %v, want %v", tt.item, got, tt.want)
		}
	}
}

func TestDeclarationsOnlyUnderUnreleasedBreaking(t *testing.T) {
	t.Parallel()
	const decl = "- x (`id-a`,\n  `*`)\n"
	log := "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- (`id-b`, `*`)\n\n### Breaking\n\n" + decl +
		"\n### Fixed\n\n- (`id-c`, `*`)\n\n## [0.1.0] - 2026-01-01\n\n### Breaking\n\n- (`id-d`, `*`)\n"
	got := declarations(log)
	if len(got) != 1 || strings.Join(got[0], " ") != "id-a *" {
		t.Errorf("declarations = %q, want only [[id-a *]]", got)
	}
}

// The tests below run the gate end to end on a throwaway git repository
// that holds the real document, with oasdiff run by `go run`.

func repo(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs git and oasdiff")
	}
	dir := t.TempDir()
	gitT(t, dir, "init", "-q")
	return dir
}

func gitT(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func commit(t *testing.T, dir, msg string) {
	t.Helper()
	gitT(t, dir, "add", "-A")
	gitT(t, dir, "commit", "-q", "--allow-empty", "-m", msg)
}

func document(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../../openapi/dns-endpoint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func edit(t *testing.T, doc, old, new string) string {
	t.Helper()
	if strings.Count(doc, old) != 1 {
		t.Fatalf("the document does not hold %q exactly once", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func runGate(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run(append([]string{"-repo", dir}, append(args, "gate")...), &out, &out)
	return code, out.String()
}

const (
	docPath  = "openapi/dns-endpoint.yaml"
	emptyLog = "# Changelog\n\n## [Unreleased]\n"
	// ipaddress_count leaves EndpointResp's required list: breaking.
	requiredCount = "        - ipaddress_count\n"
)

func TestGate(t *testing.T) {
	t.Parallel()
	dir := repo(t)
	doc := document(t)
	write(t, dir, docPath, doc)
	write(t, dir, "CHANGELOG.md", emptyLog)
	commit(t, dir, "base")
	commit(t, dir, "head") // HEAD~1 holds the same document

	breaking := edit(t, doc, requiredCount, "")
	write(t, dir, docPath, breaking)
	code, out := runGate(t, dir)
	if code != 1 || !strings.Contains(out, "ShowEndpoint") || !strings.Contains(out, "endpoint/ipaddress_count") || !strings.Contains(out, becameOptional) {
		t.Errorf("undeclared breaking edit: exit %d, want 1 naming the change:\n%s", code, out)
	}

	write(t, dir, "CHANGELOG.md", emptyLog+"\n### Breaking\n\n- `ipaddress_count` may be absent (`"+becameOptional+"`, `ipaddress_count`, `*`).\n")
	if code, out := runGate(t, dir); code != 0 {
		t.Errorf("declared breaking edit: exit %d, want 0:\n%s", code, out)
	}

	write(t, dir, "CHANGELOG.md", emptyLog+"\n### Breaking\n\n- (`"+becameOptional+"`, `ipaddress_count`, `ShowEndpoint`)\n")
	if code, out := runGate(t, dir); code != 1 || strings.Contains(out, "GET /v2.1/endpoints/{endpoint_id} (ShowEndpoint)") || !strings.Contains(out, "ListEndpoints") {
		t.Errorf("breaking edit declared for one operation: exit %d, want 1 naming the others only:\n%s", code, out)
	}

	write(t, dir, "CHANGELOG.md", emptyLog)
	nonBreaking := edit(t, doc, "      description: Which endpoints to list.\n", "      description: Which endpoints to list, inbound or outbound.\n")
	write(t, dir, docPath, nonBreaking)
	if code, out := runGate(t, dir); code != 0 {
		t.Errorf("non-breaking edit: exit %d, want 0:\n%s", code, out)
	}

	// An explicit base that is no commit is an error, not a pass.
	if code, out := runGate(t, dir, "-base", "no-such-ref"); code != 2 {
		t.Errorf("-base no-such-ref: exit %d, want 2:\n%s", code, out)
	}
}

func TestGateWithoutBaseDocument(t *testing.T) {
	t.Parallel()
	dir := repo(t)
	write(t, dir, "README.md", "first\n")
	commit(t, dir, "first")
	write(t, dir, docPath, document(t))
	// HEAD has no parent: nothing to compare.
	if code, out := runGate(t, dir); code != 0 || !strings.Contains(out, "nothing to compare") {
		t.Errorf("root commit: exit %d, want 0:\n%s", code, out)
	}
	commit(t, dir, "the document appears")
	// HEAD~1 has no document: nothing can break.
	if code, out := runGate(t, dir); code != 0 || !strings.Contains(out, "nothing to compare") {
		t.Errorf("no document at HEAD~1: exit %d, want 0:\n%s", code, out)
	}
}
