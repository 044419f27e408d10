package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
)

// configSetting is one line of dnsep config: a value and where it came from.
type configSetting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	From  string `json:"from,omitempty"`
}

func (a *app) configCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Show the region, API URL and credentials dnsep would use, and where each came from",
		Long: `config prints the settings that a command would use, each with the flag,
environment variable or file (and profile) that supplied it: the region, the API
URL, the kind of credential, the access key (masked), the project ID and, for
SSO profiles, when the temporary keys expire. It sends no request and never
prints a secret key, token, password or security token.

It fails, with the message a command would give, when the settings are
incomplete or a credentials file cannot be used.`,
		Example: `  dnsep config
  dnsep --profile dev config -o json`,
		Args: exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			settings := cfg.settings()
			return a.renderList(settings, len(settings), "settings", func(w io.Writer) {
				fmt.Fprintln(w, "SETTING\tVALUE\tFROM")
				for _, s := range settings {
					fmt.Fprintf(w, "%s\t%s\t%s\n", s.Name, s.Value, s.From)
				}
			})
		},
	}
}

// settings lists what cfg holds, with no secret in it.
func (cfg config) settings() []configSetting {
	c := cfg.cred
	out := []configSetting{
		{"region", orNone(cfg.region), cfg.regionFrom},
		{"API URL", redactURL(cfg.baseURL), cfg.urlSource},
		{"credentials", c.kind, c.from},
	}
	if c.accessKey != "" {
		out = append(out, configSetting{"access key", maskKey(c.accessKey), c.from})
	}
	if c.projectID != "" {
		out = append(out, configSetting{"project ID", c.projectID, c.projectFrom})
	}
	if c.userName != "" {
		out = append(out, configSetting{"user", c.userName + " (domain " + c.domain + ")", c.from})
	}
	if !c.expires.IsZero() {
		out = append(out, configSetting{"expires", c.expires.UTC().Format(time.RFC3339), c.from})
	}
	return out
}
