package main

import (
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
)

// paritySide is one place that must have something for every operation:
// the operationIds it has, and what to add there when one is missing.
type paritySide struct {
	what string // e.g. "wrapper method (*wrapper.Client).%s(ctx, ...)"
	ids  []string
}

// parityGaps returns the checklist of what is missing for ops and the
// sides to match: for each operation, each side that lacks it, then each
// thing of a side that names no operation. It is empty when they match.
func parityGaps(ops []string, sides []paritySide) []string {
	ops = slices.Sorted(slices.Values(ops))
	var gaps []string
	for _, op := range ops {
		for _, s := range sides {
			if !slices.Contains(s.ids, op) {
				gaps = append(gaps, op+": add the "+strings.ReplaceAll(s.what, "%s", op))
			}
		}
	}
	for _, s := range sides {
		for _, id := range s.ids {
			if !slices.Contains(ops, id) {
				gaps = append(gaps, id+": the "+strings.ReplaceAll(s.what, "%s", id)+" has no operation in the document: remove it or rename it")
			}
		}
	}
	return gaps
}

// documentOperations returns the operationIds of the document, sorted.
func documentOperations(t *testing.T) []string {
	t.Helper()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops = append(ops, op.OperationID)
		}
	}
	slices.Sort(ops)
	return ops
}

// wrapperOperations returns the names of the operation methods of
// *wrapper.Client: those that take a context first, but for the list
// walks (All*, ListAll*), the waiters (Wait*) and the plan runners
// (Apply*), which build on them.
func wrapperOperations() []string {
	ctx := reflect.TypeFor[context.Context]()
	var names []string
	for m := range reflect.TypeFor[*wrapper.Client]().Methods() {
		// In(0) is the receiver.
		if m.Type.NumIn() < 2 || m.Type.In(1) != ctx {
			continue
		}
		if strings.HasPrefix(m.Name, "All") || strings.HasPrefix(m.Name, "ListAll") || strings.HasPrefix(m.Name, "Wait") || strings.HasPrefix(m.Name, "Apply") {
			continue
		}
		names = append(names, m.Name)
	}
	return names
}

// fakeHandlers returns the methods of gen.StrictServerInterface, the
// handlers of the generated server, that *fake.Server implements.
func fakeHandlers() []string {
	impl := reflect.TypeFor[*fake.Server]()
	var names []string
	for m := range reflect.TypeFor[gen.StrictServerInterface]().Methods() {
		if fm, ok := impl.MethodByName(m.Name); ok && fm.Type.NumIn() == m.Type.NumIn()+1 {
			names = append(names, m.Name)
		}
	}
	return names
}

// cliOperations returns the operationIds that the commands name in their
// annotations, once for each command.
func cliOperations() []string {
	a := newApp(io.Discard, io.Discard, func(string) string { return "" })
	var ids []string
	for _, c := range allCommands(a.rootCmd()) {
		if id, ok := c.Annotations[annotationOperationID]; ok {
			ids = append(ids, id)
		}
	}
	return ids
}

func paritySides() []paritySide {
	return []paritySide{
		{"wrapper method (*wrapper.Client).%s(ctx, ...)", wrapperOperations()},
		{"fake handler (*fake.Server).%s (gen.StrictServerInterface, after make generate)", fakeHandlers()},
		{`CLI command with Annotations: calls("%s")`, cliOperations()},
	}
}

// TestParity: every operation of the document has a wrapper method of the
// same name, a fake handler and a CLI command, and each of those maps back
// to an operation. Adding an operation to the document fails here with
// the list of what is missing.
func TestParity(t *testing.T) {
	t.Parallel()
	ops := documentOperations(t)
	if len(ops) == 0 {
		t.Fatal("the document has no operation")
	}
	if gaps := parityGaps(ops, paritySides()); len(gaps) > 0 {
		t.Errorf("the document's operations and the code do not match; to do:\n  - %s", strings.Join(gaps, "\n  - "))
	}
	// A command per operation: two commands calling one operation would
	// hide a missing one from a count.
	cli := cliOperations()
	for _, id := range cli {
		if n := strings.Count(" "+strings.Join(cli, " ")+" ", " "+id+" "); n > 1 {
			t.Errorf("%d commands name %s", n, id)
		}
	}
}

// TestParityFindsGaps proves that the parity test can fail: an operation
// added to the document, and a command that lost its annotation, each
// show up in the checklist.
func TestParityFindsGaps(t *testing.T) {
	t.Parallel()
	ops := append(documentOperations(t), "CreateZone")
	sides := paritySides()
	cli := &sides[2]
	cli.ids = slices.DeleteFunc(slices.Clone(cli.ids), func(id string) bool { return id == "ShowEndpoint" })
	cli.ids = append(cli.ids, "ShowEndpointz")
	want := []string{
		"CreateZone: add the wrapper method (*wrapper.Client).CreateZone(ctx, ...)",
		"CreateZone: add the fake handler (*fake.Server).CreateZone (gen.StrictServerInterface, after make generate)",
		`CreateZone: add the CLI command with Annotations: calls("CreateZone")`,
		`ShowEndpoint: add the CLI command with Annotations: calls("ShowEndpoint")`,
		`ShowEndpointz: the CLI command with Annotations: calls("ShowEndpointz") has no operation in the document: remove it or rename it`,
	}
	if diff := cmp.Diff(want, parityGaps(ops, sides)); diff != "" {
		t.Errorf("checklist (-want +got):\n%s", diff)
	}
}
