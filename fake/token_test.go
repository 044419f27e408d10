package fake_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dnsep/dnsep/fake"
)

// TestTokenControlCharacters refuses a token that would put control
// characters on a terminal (dnsep serve prints it) or in a header.
func TestTokenControlCharacters(t *testing.T) {
	t.Parallel()
	for _, tok := range []string{"a\x1b[2Jb", "line\nbreak", "tab\there", "del\x7f", "c1\u009b", "bad\xffutf8"} {
		if _, err := fake.New(fake.WithToken(tok)); err == nil || !strings.Contains(err.Error(), "control character") && !strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("WithToken(%q): %v, want an error about the characters", tok, err)
		}
		if !utf8.ValidString(tok) {
			continue // JSON cannot carry it
		}
		state := `{"version":1,"token":` + jsonString(tok) + `,"endpoints":[]}`
		if _, err := fake.New(fake.WithState([]byte(state))); err == nil {
			t.Errorf("WithState with token %q: no error", tok)
		}
	}
	if _, err := fake.New(fake.WithToken("fake-0123 ok~")); err != nil {
		t.Errorf("a printable token: %v", err)
	}
}

// jsonString quotes s for JSON, keeping invalid UTF-8 as \u escapes of its bytes.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}
