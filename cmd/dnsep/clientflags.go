package main

import (
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// partialClientFlags lists the top-level commands that are not API clients,
// with the few client flags that still apply to them; every other command
// takes them all. serve reads --region, --token-file (the token to accept)
// and --debug; demo is bounded by --timeout; version and completion take
// none.
var partialClientFlags = map[string][]string{
	"serve":      {"region", "token-file", "debug"},
	"demo":       {"timeout"},
	"version":    nil,
	"completion": nil,
}

// partialUsage rewords a client flag for a command that reads it otherwise.
var partialUsage = map[string]string{
	"serve --token-file": "read the IAM token to accept from this file",
	"serve --debug":      "log every request to stderr (credentials are never logged)",
}

// clientFlags returns the flags that configure the API client and bound its
// calls.
func (a *app) clientFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("client", pflag.ContinueOnError)
	fs.StringVar(&a.region, "region", "", "region, e.g. cn-north-4 (default $HW_REGION_NAME)")
	fs.StringVar(&a.endpoint, "endpoint", "", "API base URL, e.g. of a fake or a proxy (default $DNSEP_ENDPOINT, else the region's)")
	fs.StringVar(&a.tokenFile, "token-file", "", "read the IAM token from this file")
	fs.StringVar(&a.profile, "profile", "", "use this profile of the shared config file (~/.hcloud/config.json or $HW_SHARED_CONFIG_FILE)")
	fs.BoolVar(&a.debug, "debug", false, "log every HTTP attempt to stderr (credentials are never logged)")
	fs.DurationVar(&a.timeout, "timeout", 10*time.Minute, "give up after this long, waiting included")
	return fs
}

// shareClientFlags gives each top-level command the client flags that apply
// to it, as persistent flags that its subcommands inherit, so that the help
// of serve, demo, version and completion does not list flags they ignore,
// and passing one is an unknown flag. The root keeps them all as its own
// (not inherited) flags: its help lists them, and cobra, which finds the
// command before it parses flags, then knows which of them take a value in
// "dnsep --debug serve" or "dnsep --region R endpoint list".
func shareClientFlags(root *cobra.Command, fs *pflag.FlagSet) {
	root.Flags().AddFlagSet(fs)
	for _, cmd := range root.Commands() {
		names, partial := partialClientFlags[cmd.Name()]
		if !partial {
			cmd.PersistentFlags().AddFlagSet(fs)
			continue
		}
		for _, name := range names {
			f := fs.Lookup(name)
			if u, ok := partialUsage[cmd.Name()+" --"+name]; ok {
				// A copy with other words; the value is the same.
				c := *f
				c.Usage, f = u, &c
			}
			cmd.PersistentFlags().AddFlag(f)
		}
	}
}
