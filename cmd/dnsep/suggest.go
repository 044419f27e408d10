package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// suggestDistance is how far, in edits, a mistyped command may be from the
// ones cobra suggests ("Did you mean this?").
const suggestDistance = 2

// unknownCommand is the usage error of an unknown subcommand of a command
// group, with cobra's suggestions, as cobra itself words it for the root.
func unknownCommand(group *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, group.CommandPath())
	if s := group.SuggestionsFor(name); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t") + "\n"
	}
	return usageError{fmt.Errorf("%s", msg)}
}

// helpHint points at the help of the command that was misused: of the
// subcommand when cobra got that far, else of dnsep.
func helpHint(cmd *cobra.Command) string {
	path := "dnsep"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return "Run '" + path + " --help' for usage."
}
