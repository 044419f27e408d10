package apitime_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/dnsep/dnsep/openapi/apitime"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2019-03-27T11:45:41.724", time.Date(2019, 3, 27, 11, 45, 41, 724e6, time.UTC)},
		{"2019-03-27T11:45:41", time.Date(2019, 3, 27, 11, 45, 41, 0, time.UTC)},
		{"2019-03-27T11:45:41.7", time.Date(2019, 3, 27, 11, 45, 41, 700e6, time.UTC)},
		{"2019-03-27T11:45:41.123456789", time.Date(2019, 3, 27, 11, 45, 41, 123456789, time.UTC)},
		{"2024-02-29T23:59:59.999", time.Date(2024, 2, 29, 23, 59, 59, 999e6, time.UTC)},
		{"0001-01-01T00:00:00.000", time.Time{}},
	}
	for _, tt := range tests {
		got, err := apitime.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("Parse(%q) = %v, want %v in UTC", tt.in, got, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"",
		"2019-03-27",
		"2019-03-27 11:45:41.724",  // space instead of T
		"2019-03-27T11:45:41.724Z", // zone
		"2019-03-27T11:45:41+08:00",
		"2019-13-27T11:45:41.724", // month 13
		"2019-00-27T11:45:41.724",
		"2019-02-29T11:45:41.724", // not a leap year
		"2019-04-31T11:45:41.724",
		"2019-03-00T11:45:41.724",
		"2019-03-27T24:00:00.000",
		"2019-03-27T11:60:41.724",
		"2019-03-27T11:45:60.724",
		"2019-03-27T11:45:41.",
		"2019-03-27T11:45:41.1234567890",
		"2019-03-27T11:45:41,724",
		"2019-03-27T11:45:4a.724",
		"+019-03-27T11:45:41.724",
	} {
		if got, err := apitime.Parse(in); !errors.Is(err, apitime.ErrSyntax) {
			t.Errorf("Parse(%q) = %v, %v; want ErrSyntax", in, got, err)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	type doc struct {
		At apitime.Time `json:"at"`
	}
	in := `{"at":"2019-03-27T11:45:41.724"}`
	var d doc
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2019, 3, 27, 11, 45, 41, 724e6, time.UTC); !d.At.Equal(want) {
		t.Fatalf("decoded %v, want %v", d.At, want)
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("Marshal = %s, want %s", out, in)
	}
}

func TestMarshalWritesUTCMilliseconds(t *testing.T) {
	t.Parallel()
	shanghai := time.FixedZone("CST", 8*3600)
	v := apitime.Time{Time: time.Date(2019, 3, 27, 19, 45, 41, 724_900_000, shanghai)}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"2019-03-27T11:45:41.724"`; string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}
	if got, want := v.String(), "2019-03-27T11:45:41.724"; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
}

func TestUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{"api format", `"2019-03-27T11:45:41.724"`, time.Date(2019, 3, 27, 11, 45, 41, 724e6, time.UTC), false},
		{"rfc3339 is tolerated", `"2019-03-27T19:45:41.724+08:00"`, time.Date(2019, 3, 27, 11, 45, 41, 724e6, time.UTC), false},
		{"null leaves the value", `null`, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"number", `12`, time.Time{}, true},
		{"garbage", `"yesterday"`, time.Time{}, true},
		{"month 13", `"2019-13-27T11:45:41.724"`, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := apitime.Time{Time: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
			err := v.UnmarshalJSON([]byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("UnmarshalJSON(%s) = %v, want an error", tt.in, v)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalJSON(%s): %v", tt.in, err)
			}
			if !v.Equal(tt.want) || v.Location() != time.UTC {
				t.Errorf("UnmarshalJSON(%s) = %v, want %v in UTC", tt.in, v, tt.want)
			}
		})
	}
}

func TestUnmarshalAllocs(t *testing.T) {
	var v apitime.Time
	b := []byte(`"2019-03-27T11:45:41.724"`)
	if n := testing.AllocsPerRun(100, func() { _ = v.UnmarshalJSON(b) }); n != 0 {
		t.Errorf("UnmarshalJSON allocates %v times per call, want 0", n)
	}
}
