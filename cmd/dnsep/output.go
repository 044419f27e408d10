package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/dnsep/dnsep/openapi/apitime"
	"github.com/dnsep/dnsep/wrapper"
)

// render writes v as JSON (filtered by --jq when given) or YAML, with the
// API's own field names, or as the IDs it holds (-o name), or calls table
// for the table format.
func (a *app) render(v any, table func(w io.Writer)) error {
	switch a.output {
	case "name":
		return writeNames(a.out, v)
	case "json":
		if a.jq != nil {
			return a.writeJQ(a.out, v)
		}
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "yaml":
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if b, err = yaml.JSONToYAML(b); err != nil {
			return err
		}
		_, err = a.out.Write(b)
		return err
	}
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	table(tw)
	return tw.Flush()
}

// age says how long ago t was, the way kubectl does: 45s, 12m, 3h, 5d.
func (a *app) age(t apitime.Time) string {
	d := a.now().Sub(t.Time)
	switch {
	case t.IsZero():
		return "-"
	case d < 0:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "h"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "d"
}

// when is a time in a table: an age for people at a terminal, else the
// time itself in RFC 3339, which scripts parse and which does not go stale.
func (a *app) when(t apitime.Time) string {
	if a.outTerminal || t.IsZero() {
		return a.age(t)
	}
	return t.UTC().Format(time.RFC3339)
}

// timeHeader is the header of the column that when fills.
func (a *app) timeHeader() string {
	if a.outTerminal {
		return "AGE"
	}
	return "CREATED"
}

// stamp is a time in a detail view: with its age at a terminal, else in RFC
// 3339 alone.
func (a *app) stamp(t apitime.Time) string {
	if a.outTerminal {
		return t.String() + " UTC (" + a.age(t) + " ago)"
	}
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
}

func (a *app) endpointRows(w io.Writer, eps []wrapper.Endpoint) {
	fmt.Fprintln(w, "ID\tNAME\tDIRECTION\tSTATUS\tVPC\tIPS\tRULES\t"+a.timeHeader())
	for _, ep := range eps {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", ep.ID, ep.Name, ep.Direction, ep.Status, orDash(ep.VpcID), ep.IpaddressCount, ep.ResolverRuleCount, a.when(ep.CreateTime))
	}
}

// endpointDetail writes one endpoint as aligned "Key: value" lines.
func (a *app) endpointDetail(w io.Writer, ep *wrapper.Endpoint) {
	for _, kv := range [][2]string{
		{"ID", ep.ID},
		{"Name", ep.Name},
		{"Direction", string(ep.Direction)},
		{"Status", string(ep.Status)},
		{"VPC", orDash(ep.VpcID)},
		{"IP addresses", strconv.Itoa(ep.IpaddressCount)},
		{"Resolver rules", strconv.Itoa(ep.ResolverRuleCount)},
		{"Created", a.stamp(ep.CreateTime)},
		{"Updated", a.stamp(ep.UpdateTime)},
	} {
		fmt.Fprintf(w, "%s:\t%s\n", kv[0], kv[1])
	}
}

func (a *app) ipRows(w io.Writer, ips []wrapper.IPAddress) {
	fmt.Fprintln(w, "ID\tIP\tSUBNET_NETWORK_ID\tSTATUS\t"+a.timeHeader())
	for _, ip := range ips {
		status := string(ip.Status)
		if ip.ErrorInfo != nil && *ip.ErrorInfo != "" {
			status += " (" + *ip.ErrorInfo + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", ip.ID, ip.IP, ip.SubnetID, status, a.when(ip.CreateTime))
	}
}

func vpcRows(w io.Writer, vpcs []wrapper.VPC) {
	fmt.Fprintln(w, "VPC\tINBOUND\tOUTBOUND")
	for _, v := range vpcs {
		fmt.Fprintf(w, "%s\t%d\t%d\n", v.ID, v.InboundEndpointCount, v.OutboundEndpointCount)
	}
}

// showEndpoint prints an endpoint in the chosen format.
func (a *app) showEndpoint(ep *wrapper.Endpoint) error {
	return a.render(ep, func(w io.Writer) { a.endpointDetail(w, ep) })
}

// note writes a line for people to stderr, so that stdout stays the data.
func (a *app) note(format string, args ...any) {
	fmt.Fprintf(a.errOut, format+"\n", args...)
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}
