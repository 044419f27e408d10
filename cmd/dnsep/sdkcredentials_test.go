package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseINI(t *testing.T) {
	t.Parallel()
	got, err := parseINI([]byte("\uFEFF; comment\n[Basic]\n AK = AK1 \nsk: 'SKSECRETMARKER'\nsecurity_token = a=b==\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := got["basic"]
	if b["ak"] != "AK1" || b["sk"] != "SKSECRETMARKER" || b["security_token"] != "a=b==" {
		t.Errorf("got %q", b)
	}
	for _, bad := range []string{"ak = SKSECRETMARKER\n", "[basic]\nSKSECRETMARKER\n", "[basic\nak=x\n"} {
		_, err := parseINI([]byte(bad))
		if err == nil || strings.Contains(err.Error(), marker) {
			t.Errorf("parseINI(%q): err = %v, want an error without the content", bad, err)
		}
	}
}

func TestParseExpiry(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for _, raw := range []string{`"2026-11-26T08:00:00Z"`, `1795680000`, `1795680000000`, `"1795680000"`} {
		got, err := parseExpiry([]byte(raw))
		if err != nil || !got.Equal(want) {
			t.Errorf("parseExpiry(%s) = %v, %v; want %v", raw, got, err, want)
		}
	}
	if got, err := parseExpiry(nil); err != nil || !got.IsZero() {
		t.Errorf("absent: %v, %v", got, err)
	}
	if _, err := parseExpiry([]byte(`"tomorrow"`)); err == nil {
		t.Error("parseExpiry accepted \"tomorrow\"")
	}
}
