package main

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/openapi"
)

func TestVersion(t *testing.T) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := newCLI(t).run(nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "dnsep ") || !strings.Contains(r.stdout, "\nAPI document "+doc.Info.Version+"\n") {
		t.Errorf("dnsep version: exit %d, want 0 and a line \"API document %s\":\n%s%s", r.code, doc.Info.Version, r.stdout, r.stderr)
	}
}

func TestWriteVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		info  *debug.BuildInfo
		first string
	}{
		{"installed", &debug.BuildInfo{Main: debug.Module{Path: "github.com/dnsep/dnsep", Version: "v0.2.0"}}, "dnsep v0.2.0 ("},
		{"checkout", &debug.BuildInfo{Main: debug.Module{Path: "github.com/dnsep/dnsep", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}}}, "dnsep (devel) 0123456789ab ("},
		{"no build information", nil, "dnsep (devel) ("},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := writeVersion(&b, tt.info, "9.9"); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), tt.first) || !strings.Contains(b.String(), "\nAPI document 9.9\n") {
			t.Errorf("%s: got\n%s\nwant a first line starting %q and \"API document 9.9\"", tt.name, b.String(), tt.first)
		}
	}
}
