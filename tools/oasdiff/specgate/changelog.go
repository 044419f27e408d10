package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// change is one finding of `oasdiff breaking --format json`.
type change struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Level       int    `json:"level"`
	Operation   string `json:"operation"`
	OperationID string `json:"operationId"`
	Path        string `json:"path"`
}

func (c change) String() string {
	return fmt.Sprintf("%s %s (%s): %s [%s]", c.Operation, c.Path, c.OperationID, c.Text, c.ID)
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// spans returns the contents of the code spans of s.
func spans(s string) []string {
	var out []string
	for _, m := range codeSpan.FindAllStringSubmatch(s, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// declarations returns the list items of the "Breaking" subsection of the
// "Unreleased" section of a Keep a Changelog file, each with its
// continuation lines, as the code spans each holds.
func declarations(changelog string) [][]string {
	var items [][]string
	var unreleased, breaking bool
	var item []string
	flush := func() {
		if item != nil {
			items = append(items, spans(strings.Join(item, " ")))
			item = nil
		}
	}
	for line := range strings.Lines(changelog) {
		line = strings.TrimRight(line, "\r\n")
		heading := strings.ToLower(line)
		switch {
		case strings.HasPrefix(heading, "## "):
			flush()
			unreleased, breaking = strings.Contains(heading, "unreleased"), false
			continue
		case strings.HasPrefix(heading, "### "):
			flush()
			breaking = unreleased && strings.Contains(heading, "breaking")
			continue
		case strings.HasPrefix(heading, "# "):
			flush()
			unreleased, breaking = false, false
			continue
		}
		if !breaking {
			continue
		}
		switch {
		case strings.HasPrefix(line, "- "), strings.HasPrefix(line, "* "):
			flush()
			item = []string{line}
		case item != nil && strings.TrimSpace(line) != "" && (line[0] == ' ' || line[0] == '\t'):
			item = append(item, line)
		default:
			flush()
		}
	}
	flush()
	return items
}

// declares reports whether the code spans of one changelog item declare c:
// they hold c's id, c's operationId (or `*` for every operation), and, if
// c's text quotes a name other than a status code, that name or its last
// '/'-separated segment.
func declares(item []string, c change) bool {
	if !slices.Contains(item, c.ID) {
		return false
	}
	if !slices.Contains(item, c.OperationID) && !slices.Contains(item, "*") {
		return false
	}
	var subjects []string
	for _, s := range spans(c.Text) {
		if strings.Trim(s, "0123456789") == "" {
			continue // a status code names no subject
		}
		subjects = append(subjects, s, s[strings.LastIndex(s, "/")+1:])
	}
	return len(subjects) == 0 || slices.ContainsFunc(item, func(s string) bool { return slices.Contains(subjects, s) })
}

// undeclared returns the changes that no item of changelog declares.
func undeclared(changes []change, changelog string) []change {
	items := declarations(changelog)
	var out []change
	for _, c := range changes {
		if !slices.ContainsFunc(items, func(item []string) bool { return declares(item, c) }) {
			out = append(out, c)
		}
	}
	return out
}
