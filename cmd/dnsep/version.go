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
			v := newVersionInfo(info, doc.Info.Version)
			return a.render(v, func(w io.Writer) { _ = v.write(w) })
		},
	}
}

// versionInfo is what `dnsep version` prints: the module's version, the
// commit when known, the Go version and the document's info.version. The
// User-Agent's version is shown too, because it is what the service's logs
// record.
type versionInfo struct {
	Version     string `json:"version"`
	Revision    string `json:"revision,omitempty"`
	Go          string `json:"go"`
	APIDocument string `json:"api_document"`
	UserAgent   string `json:"user_agent"`
}

// newVersionInfo reads the module's version from info (nil when the binary
// carries no build information).
func newVersionInfo(info *debug.BuildInfo, docVersion string) versionInfo {
	v := versionInfo{Version: "(devel)", Go: runtime.Version(), APIDocument: docVersion, UserAgent: "dnsep/" + wrapper.Version}
	if info != nil {
		if info.Main.Version != "" {
			v.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v.Revision = s.Value
			}
		}
	}
	return v
}

// write writes v for people, the commit shortened to 12 digits.
func (v versionInfo) write(w io.Writer) error {
	rev := ""
	if v.Revision != "" {
		rev = " " + v.Revision[:12]
	}
	_, err := fmt.Fprintf(w, "dnsep %s%s (%s)\nAPI document %s\nUser-Agent %s\n", v.Version, rev, v.Go, v.APIDocument, v.UserAgent)
	return err
}

// writeVersion writes what `dnsep version` prints for people.
func writeVersion(w io.Writer, info *debug.BuildInfo, docVersion string) error {
	return newVersionInfo(info, docVersion).write(w)
}
