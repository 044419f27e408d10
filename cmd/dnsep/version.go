package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of dnsep and of its API document",
		Long: `version prints the version of the dnsep module (as go install recorded it, or
(devel) for a build from a checkout), the commit when known, the Go version, and
the info.version of the OpenAPI document the client and the fake are built from.`,
		Example: `  dnsep version`,
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := openapi.Load(cmd.Context())
			if err != nil {
				return err
			}
			info, _ := debug.ReadBuildInfo()
			return writeVersion(a.out, info, doc.Info.Version)
		},
	}
}

// writeVersion writes what `dnsep version` prints: the module's version from
// info (nil when the binary carries no build information), and the
// document's info.version. The User-Agent's version is shown too, because it
// is what the service's logs record.
func writeVersion(w io.Writer, info *debug.BuildInfo, docVersion string) error {
	module, rev := "(devel)", ""
	if info != nil {
		if v := info.Main.Version; v != "" {
			module = v
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " " + s.Value[:12]
			}
		}
	}
	_, err := fmt.Fprintf(w, "dnsep %s%s (%s)\nAPI document %s\nUser-Agent dnsep/%s\n",
		module, rev, runtime.Version(), docVersion, wrapper.Version)
	return err
}
