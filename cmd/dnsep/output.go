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

// render writes v as JSON or YAML (the API's own field names), or calls
// table for the table format.
func (a *app) render(v any, table func(w io.Writer)) error {
	switch a.output {
	case "json":
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

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
}

func (a *app) endpointRows(w io.Writer, eps []wrapper.Endpoint) {
	fmt.Fprintln(w, "ID\tNAME\tDIRECTION\tSTATUS\tVPC\tIPS\tRULES\tAGE")
	for _, ep := range eps {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", ep.ID, ep.Name, ep.Direction, ep.Status, orDash(ep.VpcID), ep.IpaddressCount, ep.ResolverRuleCount, a.age(ep.CreateTime))
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
		{"Created", ep.CreateTime.String() + " UTC (" + a.age(ep.CreateTime) + " ago)"},
		{"Updated", ep.UpdateTime.String() + " UTC (" + a.age(ep.UpdateTime) + " ago)"},
	} {
		fmt.Fprintf(w, "%s:\t%s\n", kv[0], kv[1])
	}
}

func (a *app) ipRows(w io.Writer, ips []wrapper.IPAddress) {
	fmt.Fprintln(w, "ID\tIP\tSUBNET_NETWORK_ID\tSTATUS\tAGE")
	for _, ip := range ips {
		status := string(ip.Status)
		if ip.ErrorInfo != nil && *ip.ErrorInfo != "" {
			status += " (" + *ip.ErrorInfo + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", ip.ID, ip.IP, ip.SubnetID, status, a.age(ip.CreateTime))
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
