package dashboard

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// maxRows caps the requests one answer of /dashboard/api/requests lists:
// the newest that match. The answer gives the count of all matches.
const maxRows = 200

// requestsView is the answer of GET /dashboard/api/requests.
type requestsView struct {
	Total      int          `json:"total"` // every recorded request that matches
	Operations []string     `json:"operations"`
	Requests   []requestRow `json:"requests"` // the newest maxRows of them, newest first
}

type requestRow struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	Operation string    `json:"operation"`
	Status    int       `json:"status"`
	Code      string    `json:"code"`
	LatencyMS float64   `json:"latency_ms"`
	RequestID string    `json:"request_id"`
}

// requestDetail is the answer of GET /dashboard/api/requests/{id}.
type requestDetail struct {
	requestRow
	Header       map[string][]string `json:"header"`
	RequestBody  string              `json:"request_body"`
	ResponseBody string              `json:"response_body"`
}

func row(r *fake.Request) requestRow {
	return requestRow{
		Seq: r.Seq, Time: r.Time, Method: r.Method, Path: r.Path, Query: r.Query, Operation: r.Operation,
		Status: r.Status, Code: r.ServiceCode, LatencyMS: float64(r.Latency.Microseconds()) / 1000, RequestID: r.RequestID,
	}
}

// statusFilter matches a status: exactly ("404"), by class ("4xx"), or
// any ("").
type statusFilter struct {
	exact, class int // -1: unused
}

func parseStatusFilter(s string) (statusFilter, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return statusFilter{-1, -1}, nil
	case len(s) == 3 && strings.HasSuffix(s, "xx") && s[0] >= '1' && s[0] <= '5':
		return statusFilter{-1, int(s[0] - '0')}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 999 {
		return statusFilter{}, fmt.Errorf("status filter %q: want a status such as 404, or a class such as 4xx", s)
	}
	return statusFilter{n, -1}, nil
}

func (f statusFilter) match(status int) bool {
	switch {
	case f.exact >= 0:
		return status == f.exact
	case f.class >= 0:
		return status/100 == f.class
	}
	return true
}

// apiRequests answers GET /dashboard/api/requests?op=OPERATION&status=4xx:
// the newest recorded requests that match, and how many match in all.
// The fake filters them under its lock and copies only those listed, so a
// poll costs little beside 10,000 recorded requests.
func (d *Dashboard) apiRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op := q.Get("op")
	sf, err := parseStatusFilter(q.Get("status"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{err.Error()})
		return
	}
	total := 0
	// keep sees every recorded request, so it counts them all, and turns
	// down those beyond maxRows, so that only those are copied.
	recent := d.src.RecentRequests(math.MaxInt, func(req *fake.Request) bool {
		if (op != "" && req.Operation != op) || !sf.match(req.Status) {
			return false
		}
		total++
		return total <= maxRows
	})
	v := requestsView{Total: total, Operations: d.ops, Requests: make([]requestRow, 0, len(recent))}
	for i := range recent {
		v.Requests = append(v.Requests, row(&recent[i]))
	}
	writeJSON(w, http.StatusOK, v)
}

// credentialHeaders are blanked again in the detail of a request, should a
// fake ever record one of them: the dashboard must not become the way to
// read a credential.
var credentialHeaders = []string{"X-Auth-Token", "Authorization", "X-Security-Token", "X-Subject-Token", "Cookie"}

// apiRequest answers GET /dashboard/api/requests/{id}: one recorded
// request, with its headers and bodies.
func (d *Dashboard) apiRequest(w http.ResponseWriter, r *http.Request) {
	req, ok := d.src.RecordedRequest(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{"no such request in the log (it may have been forgotten)"})
		return
	}
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for _, k := range credentialHeaders {
		if _, ok := h[k]; ok {
			h[k] = []string{"REDACTED"}
		}
	}
	writeJSON(w, http.StatusOK, requestDetail{
		requestRow: row(&req), Header: h,
		RequestBody: string(req.RequestBody), ResponseBody: string(req.ResponseBody),
	})
}
