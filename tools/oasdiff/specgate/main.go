// Command specgate compares the OpenAPI document of dnsep with the document
// at an earlier git commit, using oasdiff, and refuses breaking changes that
// CHANGELOG.md does not declare.
//
// Usage:
//
//	specgate [flags] diff   print oasdiff's changelog and breaking changes
//	specgate [flags] gate   exit 1 if a breaking change is not declared
//
// A breaking change is declared by a list item under the "Breaking" heading
// of the "Unreleased" section of the changelog whose code spans name
// oasdiff's change id, the operationId (or `*` for every operation), and
// the name the change is about when oasdiff quotes one (the property,
// parameter or header, or its last path segment). For example:
//
//   - `resolver_rule_count` may be absent from an endpoint
//     (`response-property-became-optional`, `resolver_rule_count`, `*`).
//
// The gate compares with one commit only (by default HEAD~1, the previous
// commit on main), so emptying the Unreleased section at a release does not
// reopen older changes. Without a document at the base (the first commit, or
// a base before the document existed) there is nothing to break.
//
// specgate runs oasdiff with `go run` from the tools module it lives in, so
// the main module never depends on oasdiff.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	repo, base, doc, changelog string
	oasdiff                    []string
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var oasdiff string
	fs.StringVar(&c.repo, "repo", "", "root of the git work tree (default: the one around the current directory)")
	fs.StringVar(&c.base, "base", "", "git ref to compare with (default HEAD~1, if HEAD has a parent)")
	fs.StringVar(&c.doc, "doc", "openapi/dns-endpoint.yaml", "the document, relative to -repo")
	fs.StringVar(&c.changelog, "changelog", "CHANGELOG.md", "the changelog, relative to -repo")
	fs.StringVar(&oasdiff, "oasdiff", "go run github.com/oasdiff/oasdiff", "command that runs oasdiff")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "diff" && fs.Arg(0) != "gate") {
		fmt.Fprintln(stderr, "usage: specgate [flags] diff|gate")
		return 2
	}
	c.oasdiff = strings.Fields(oasdiff)
	if c.repo == "" {
		out, err := git("", "rev-parse", "--show-toplevel")
		if err != nil {
			fmt.Fprintln(stderr, "specgate: not in a git work tree:", err)
			return 2
		}
		c.repo = strings.TrimSpace(out)
	}
	base, label, err := baseDocument(c)
	if err != nil {
		fmt.Fprintln(stderr, "specgate:", err)
		return 2
	}
	if base == "" {
		fmt.Fprintf(stdout, "specgate: no %s at %s: nothing to compare, nothing can break\n", c.doc, label)
		return 0
	}
	defer os.Remove(base)
	rev := filepath.Join(c.repo, c.doc)
	if fs.Arg(0) == "diff" {
		return diff(c, base, rev, label, stdout, stderr)
	}
	return gate(c, base, rev, label, stdout, stderr)
}

// baseDocument writes the document at the base ref to a temporary file and
// returns its name, or "" if the base has no such document.
func baseDocument(c config) (file, label string, err error) {
	ref := c.base
	if ref == "" {
		ref = "HEAD~1"
		if _, err := git(c.repo, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
			return "", "HEAD~1 (HEAD has no parent)", nil
		}
	}
	if _, err := git(c.repo, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return "", "", fmt.Errorf("base %q is not a commit", ref)
	}
	if _, err := git(c.repo, "cat-file", "-e", ref+":"+c.doc); err != nil {
		return "", ref, nil
	}
	data, err := git(c.repo, "show", ref+":"+c.doc)
	if err != nil {
		return "", "", err
	}
	f, err := os.CreateTemp("", "specgate-base-*"+filepath.Ext(c.doc))
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	if _, err := f.WriteString(data); err != nil {
		os.Remove(f.Name())
		return "", "", err
	}
	return f.Name(), ref, f.Close()
}

func diff(c config, base, rev, label string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "# %s at %s -> working tree\n\n## Changelog\n\n", c.doc, label)
	if err := oasdiff(c, stdout, "changelog", base, rev, "--color", "never"); err != nil {
		fmt.Fprintln(stderr, "specgate:", err)
		return 2
	}
	fmt.Fprint(stdout, "\n## Breaking changes\n\n")
	if err := oasdiff(c, stdout, "breaking", base, rev, "--color", "never"); err != nil {
		fmt.Fprintln(stderr, "specgate:", err)
		return 2
	}
	return 0
}

func gate(c config, base, rev, label string, stdout, stderr io.Writer) int {
	var out bytes.Buffer
	if err := oasdiff(c, &out, "breaking", base, rev, "--format", "json"); err != nil {
		fmt.Fprintln(stderr, "specgate:", err)
		return 2
	}
	var changes []change
	if err := json.Unmarshal(out.Bytes(), &changes); err != nil {
		fmt.Fprintf(stderr, "specgate: reading oasdiff's answer: %v\n", err)
		return 2
	}
	log, err := os.ReadFile(filepath.Join(c.repo, c.changelog))
	if err != nil && !(errors.Is(err, os.ErrNotExist) && len(changes) == 0) {
		fmt.Fprintln(stderr, "specgate:", err)
		return 2
	}
	missing := undeclared(changes, string(log))
	if len(missing) == 0 {
		fmt.Fprintf(stdout, "specgate: %d breaking change(s) in %s since %s, all declared in %s\n", len(changes), c.doc, label, c.changelog)
		return 0
	}
	fmt.Fprintf(stderr, "specgate: %d breaking change(s) in %s since %s that %s does not declare:\n", len(missing), c.doc, label, c.changelog)
	for _, m := range missing {
		fmt.Fprintln(stderr, "  "+m.String())
	}
	fmt.Fprintf(stderr, "Declare each under \"## [Unreleased]\" / \"### Breaking\" in %s: a list item whose code spans name\n"+
		"the change id, the operationId (or `*`) and the name the change is about, e.g.\n"+
		"  - ... (`%s`, `%s`, `*`)\n", c.changelog, missing[0].ID, subject(missing[0]))
	return 1
}

// subject is the last segment of the first name that c's text quotes.
func subject(c change) string {
	for _, s := range spans(c.Text) {
		if strings.Trim(s, "0123456789") != "" {
			return s[strings.LastIndex(s, "/")+1:]
		}
	}
	return c.OperationID
}

func oasdiff(c config, stdout io.Writer, args ...string) error {
	cmd := exec.Command(c.oasdiff[0], append(c.oasdiff[1:], args...)...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("oasdiff %s: %v\n%s", args[0], err, stderr.String())
	}
	return nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
