package main

import (
	"bytes"
	"io"
	"strconv"
)

// renderList prints a list page as render does, with what a list needs
// more: --no-headers leaves out the table's header line, and an empty list
// is said on stderr ("No endpoints found.") instead of a bare header, for
// the table and -o name. JSON and YAML show the empty list itself.
func (a *app) renderList(v any, n int, noun string, table func(w io.Writer)) error {
	if n == 0 && (a.output == "table" || a.output == "name") {
		a.note("No %s found.", noun)
		return nil
	}
	if a.output == "table" && a.noHeaders {
		return a.render(v, func(w io.Writer) { table(&skipLine{w: w}) })
	}
	return a.render(v, table)
}

// skipLine drops the first line written through it: a table's header.
// The rows then set the column widths alone.
type skipLine struct {
	w       io.Writer
	skipped bool
}

func (s *skipLine) Write(p []byte) (int, error) {
	if s.skipped {
		return s.w.Write(p)
	}
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return len(p), nil
	}
	s.skipped = true
	if _, err := s.w.Write(p[i+1:]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// offsetHint says on stderr, when a page by offset stopped short of the
// total, how to get the rest: --all, or the --offset of the next page.
func (a *app) offsetHint(noun string, offset, shown, total int) {
	if shown == 0 || offset+shown >= total {
		return
	}
	from := ""
	if offset > 0 {
		from = " from offset " + strconv.Itoa(offset)
	}
	a.note("Showing %d of %d %s%s: add --all for all of them, or --offset %d for the next page.",
		shown, total, noun, from, offset+shown)
}

// markerHint is offsetHint for a page by marker: next is the marker of the
// next page, "" on the last one.
func (a *app) markerHint(noun string, shown, total int, next string) {
	if shown == 0 || next == "" {
		return
	}
	a.note("Showing %d of %d %s: add --all for all of them, or --marker %s for the next page.", shown, total, noun, next)
}
