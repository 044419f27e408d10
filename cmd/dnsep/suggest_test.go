package main

import (
	"strings"
	"testing"
)

// TestSuggestAndHint checks "Did you mean" below the root and that usage
// errors point at the help of the misused subcommand.
func TestSuggestAndHint(t *testing.T) {
	c := newCLI(t)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"ip-unbnd", []string{"ip", "unbnd"}},
		{"rule-shwo", []string{"rule", "shwo"}},
		{"completion-bsh", []string{"completion", "bsh"}},
		{"root-endpont", []string{"endpont"}},
		{"unbind-unknown-flag", []string{"ip", "unbind", "--wiat"}},
	} {
		r := c.run(nil, tt.args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, r.code, exitUsage)
		}
		golden(t, "suggest/"+tt.name, c.transcript(tt.args, r))
	}
	for _, cmd := range allCommands(newApp(nil, nil, nil).rootCmd()) {
		if cmd.SuggestionsMinimumDistance != suggestDistance {
			t.Errorf("%s: SuggestionsMinimumDistance %d, want %d", cmd.CommandPath(), cmd.SuggestionsMinimumDistance, suggestDistance)
		}
	}
}

// TestClientFlagsWhereTheyApply checks that serve, demo, version and
// completion neither list nor take the client flags they ignore, and that
// the others, and the root before a command, still take them all.
func TestClientFlagsWhereTheyApply(t *testing.T) {
	t.Parallel()
	all := []string{"region", "endpoint", "token-file", "profile", "debug", "timeout"}
	want := map[string][]string{
		"dnsep serve":                 {"region", "token-file", "debug"},
		"dnsep demo":                  {"timeout"},
		"dnsep version":               nil,
		"dnsep completion bash":       nil,
		"dnsep endpoint list":         all,
		"dnsep ip bind":               all,
		"dnsep rule associate":        all,
		"dnsep vpc list":              all,
		"dnsep config":                all,
		"dnsep contract check":        all,
		"dnsep completion":            nil,
		"dnsep rule":                  all,
		"dnsep endpoint delete":       all,
		"dnsep completion powershell": nil,
	}
	root := newApp(nil, nil, nil).rootCmd()
	seen := 0
	for _, cmd := range allCommands(root) {
		names, ok := want[cmd.CommandPath()]
		if !ok {
			continue
		}
		seen++
		for _, f := range all {
			has := cmd.Flags().Lookup(f) != nil || cmd.PersistentFlags().Lookup(f) != nil || cmd.InheritedFlags().Lookup(f) != nil
			if has != containsString(names, f) {
				t.Errorf("%s: has --%s %v, want %v", cmd.CommandPath(), f, has, !has)
			}
		}
		var help strings.Builder
		cmd.SetOut(&help)
		_ = cmd.Help()
		for _, f := range all {
			if listed := strings.Contains(help.String(), "--"+f+" "); listed != containsString(names, f) {
				t.Errorf("%s --help: lists --%s %v, want %v", cmd.CommandPath(), f, listed, !listed)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d commands", seen, len(want))
	}
}

// TestClientFlagsBeforeTheCommand runs flags given before the command: they
// reach a command that takes them and are refused by one that does not.
// serve and demo get --help too, so that a regression prints help rather
// than running them.
func TestClientFlagsBeforeTheCommand(t *testing.T) {
	c := newCLI(t)
	if r := c.run(nil, "--debug", "--region", "cn-north-4", "vpc", "list"); r.code != exitOK || !strings.Contains(r.stderr, "GET") {
		t.Errorf("--debug --region vpc list: exit %d, want 0 and a debug log\n%s", r.code, r.stderr)
	}
	for _, args := range [][]string{{"--profile", "p", "version"}, {"version", "--region", "x"}, {"serve", "--endpoint", "http://x", "--help"}, {"demo", "--profile", "p", "--help"}} {
		if r := c.run(nil, args...); r.code != exitUsage || !strings.Contains(r.stderr, "unknown flag") {
			t.Errorf("%v: exit %d, want %d and an unknown flag\n%s", args, r.code, exitUsage, r.stderr)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
