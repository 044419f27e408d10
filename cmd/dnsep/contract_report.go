package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
)

// driftReport gathers what contract check saw: the responses of each
// operation, each distinct drift with the number of responses that showed
// it, and the calls that failed. It is safe for concurrent use.
type driftReport struct {
	mu        sync.Mutex
	ops       []string // operations in the order first answered
	responses map[string]int
	drifts    []*countedDrift
	index     map[openapi.Drift]*countedDrift
	failed    []failedCall
}

type countedDrift struct {
	openapi.Drift
	Count int `json:"count"`
}

type failedCall struct {
	call   string
	err    error
	benign bool // a declared answer that only ends this part of the walk
}

func newDriftReport() *driftReport {
	return &driftReport{responses: map[string]int{}, index: map[openapi.Drift]*countedDrift{}}
}

// observe records one response of operation and its drifts.
func (r *driftReport) observe(operation string, drifts []openapi.Drift) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.responses[operation] == 0 {
		r.ops = append(r.ops, operation)
	}
	r.responses[operation]++
	for _, d := range drifts {
		if cd := r.index[d]; cd != nil {
			cd.Count++
			continue
		}
		cd := &countedDrift{Drift: d, Count: 1}
		r.index[d] = cd
		r.drifts = append(r.drifts, cd)
	}
}

func (r *driftReport) fail(call string, err error, benign bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, failedCall{call, err, benign})
}

// failures counts the distinct drifts that break the document.
func (r *driftReport) failures() int {
	n := 0
	for _, d := range r.drifts {
		if d.Failure() {
			n++
		}
	}
	return n
}

// firstError returns the first failed call that was not benign, or nil.
func (r *driftReport) firstError() error {
	for _, f := range r.failed {
		if !f.benign {
			return f
		}
	}
	return nil
}

// Error describes the failed call without quoting the answer: an error of
// the client may hold the body it could not use, and a body may hold a
// secret. Service codes, statuses and request IDs are kept.
func (f failedCall) Error() string {
	msg := f.call + " failed: "
	if ae, ok := errors.AsType[*wrapper.APIError](f.err); ok {
		msg += "status " + strconv.Itoa(ae.StatusCode)
		if ae.Code != "" {
			msg += " " + ae.Code
		}
		if ae.StatusCode/100 == 2 {
			msg += ": the answer could not be used"
		}
		if ae.RequestID != "" {
			msg += " (request ID " + ae.RequestID + ")"
		}
		return msg
	}
	if _, ok := errors.AsType[*url.Error](f.err); ok || errors.Is(f.err, context.DeadlineExceeded) ||
		errors.Is(f.err, context.Canceled) || errors.Is(f.err, wrapper.ErrBadPaging) {
		// Network, time and paging errors say nothing of a body.
		return msg + f.err.Error()
	}
	return msg + "the answer could not be read"
}

// Unwrap returns the call's error, whose kind sets the exit code.
func (f failedCall) Unwrap() error { return f.err }

// checkResult is the report as -o json and -o yaml write it.
type checkResult struct {
	Drifts       []*countedDrift `json:"drifts"`
	Responses    map[string]int  `json:"responses"`
	Failures     int             `json:"failures"`
	Undocumented int             `json:"undocumented"`
	Errors       []string        `json:"errors"`
}

func (r *driftReport) result() checkResult {
	res := checkResult{Drifts: r.drifts, Responses: r.responses, Failures: r.failures(), Errors: []string{}}
	if res.Drifts == nil {
		res.Drifts = []*countedDrift{}
	}
	res.Undocumented = len(r.drifts) - res.Failures
	for _, f := range r.failed {
		res.Errors = append(res.Errors, f.Error())
	}
	return res
}

// table writes one line per drift, then the summary.
func (r *driftReport) table(w io.Writer) {
	if len(r.drifts) > 0 {
		fmt.Fprintln(w, "OPERATION\tSTATUS\tPATH\tKIND\tEXPECTED\tGOT")
		for _, d := range r.drifts {
			got := d.Got
			if d.Count > 1 {
				got += " (in " + strconv.Itoa(d.Count) + " responses)"
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\n", d.Operation, d.Status, where(d.Drift), d.Kind, d.Expected, got)
		}
		fmt.Fprintln(w)
	}
	total := 0
	var per []string
	for _, op := range r.ops {
		total += r.responses[op]
		per = append(per, op+" "+strconv.Itoa(r.responses[op]))
	}
	fmt.Fprintf(w, "Checked %s", plural(total, "response"))
	if len(per) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(per, ", "))
	}
	fmt.Fprintln(w, ".")
	failures, undocumented := r.failures(), len(r.drifts)-r.failures()
	switch {
	case failures == 0 && undocumented == 0:
		fmt.Fprintln(w, "No drift from the document.")
	case failures == 0:
		fmt.Fprintf(w, "No drift from the document; %s (not a failure).\n", plural(undocumented, "undocumented property"))
	default:
		fmt.Fprintf(w, "%s from the document; %s (not a failure).\n", plural(failures, "drift"), plural(undocumented, "undocumented property"))
	}
	if len(r.failed) > 0 {
		fmt.Fprintf(w, "%s failed (see stderr): the check skipped what they would have led to.\n", plural(len(r.failed), "call"))
	}
}

// where renders a drift's path for people: the body as a whole, a header,
// or the status line.
func where(d openapi.Drift) string {
	switch {
	case d.Kind == openapi.DriftStatus:
		return "-"
	case d.Kind == openapi.DriftHeader, d.Kind == openapi.DriftContentType:
		return "header " + d.Path
	case d.Path == "":
		return "(body)"
	}
	return d.Path
}

// plural is "1 drift" or "3 drifts"; a word ending in y takes "ies".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return strconv.Itoa(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + word + "s"
}
