// Package apitime implements the timestamp format of the Huawei Cloud DNS
// API: a calendar date and a wall-clock time without a time zone, such as
// "2019-03-27T11:45:41.724". The service writes these times in UTC.
//
// The OpenAPI document names the format "local-date-time"; the code generator
// maps it to [Time], and the openapi package registers [Parse] as the format
// check that contract validation applies.
package apitime

import (
	"errors"
	"time"
)

// Layout is the layout, in the notation of the time package, that the API
// uses when it writes a timestamp: milliseconds and no zone.
const Layout = "2006-01-02T15:04:05.000"

// Time is a timestamp as the DNS API writes it. It embeds time.Time, so all of
// time.Time's methods are available; the value read from the API is in UTC.
//
// The zero Time is the zero time.Time. Time is a plain value and is safe to
// copy and to use from several goroutines at once.
type Time struct {
	time.Time
}

// New returns t as a Time in UTC.
func New(t time.Time) Time { return Time{t.UTC()} }

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("apitime: not a zone-less timestamp (want YYYY-MM-DDThh:mm:ss[.fff])")

// Parse reads a zone-less timestamp: "YYYY-MM-DDThh:mm:ss" followed by an
// optional fraction of 1 to 9 digits. It checks that every field is in range
// (month 13 or 30 February are errors) and returns the time in UTC. A zone
// suffix such as "Z" or "+08:00" is an error.
func Parse(s string) (time.Time, error) { return parse(s) }

// parse serves both strings and byte slices, so that decoding JSON does not
// have to copy the bytes into a string first.
func parse[S string | []byte](s S) (time.Time, error) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, ErrSyntax
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, ErrSyntax
	}
	nsec := 0
	if frac := s[19:]; len(frac) != 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, ErrSyntax
		}
		n, ok := digits(frac[1:])
		if !ok {
			return time.Time{}, ErrSyntax
		}
		for i := len(frac) - 1; i < 9; i++ {
			n *= 10
		}
		nsec = n
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, ErrSyntax
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // time.Date normalised an impossible day such as 30 February
		return time.Time{}, ErrSyntax
	}
	return t, nil
}

// digits returns the decimal value of s, which must be non-empty and hold only
// ASCII digits.
func digits[S string | []byte](s S) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) != 0
}

// String returns the time in the API's format.
func (t Time) String() string { return t.UTC().Format(Layout) }

// MarshalText writes the time in the API's format, in UTC.
func (t Time) MarshalText() ([]byte, error) {
	return t.UTC().AppendFormat(make([]byte, 0, len(Layout)), Layout), nil
}

// MarshalJSON writes the time as a JSON string in the API's format, in UTC.
func (t Time) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(Layout)+2)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, Layout)
	return append(b, '"'), nil
}

// UnmarshalText reads a time written by the API. It also accepts RFC 3339,
// so that a service that starts to add a zone does not break decoding.
func (t *Time) UnmarshalText(b []byte) error {
	v, err := parse(b)
	if err != nil {
		var err2 error
		if v, err2 = time.Parse(time.RFC3339Nano, string(b)); err2 != nil {
			return err
		}
		v = v.UTC()
	}
	t.Time = v
	return nil
}

// UnmarshalJSON reads a JSON string written by the API (see UnmarshalText).
// A JSON null leaves t unchanged, as encoding/json expects.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return ErrSyntax
	}
	return t.UnmarshalText(b[1 : len(b)-1])
}
