package baseurl

import (
	"strings"
	"testing"
)

func TestParseNeverQuotesAPassword(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://user:S3CRET@dns.example.com",
		"ftp://user:S3CRET@dns.example.com",
		"https://user:S3CRET@",
		"https://user:S3CRET@host/path?q=1",
		"user:S3CRET@host",
		"https://user:S3%zzCRET@host",
		"https://u:S3CRET@h:99999",
		"https://u:S3 CRET@host",
		"://u:S3CRET@host",
	} {
		_, err := Parse(raw)
		if err == nil {
			t.Errorf("Parse(%q) accepted it", raw)
			continue
		}
		if strings.Contains(err.Error(), "S3") {
			t.Errorf("Parse(%q): %v: quotes the password", raw, err)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://dns.cn-north-4.myhuaweicloud.com": true,
		"http://127.0.0.1:8080/prefix":             true,
		"https://dns.example.com?x=1":              false,
		"https://dns.example.com#f":                false,
		"https://":                                 false,
		"dns.example.com":                          false,
	} {
		if _, err := Parse(raw); (err == nil) != ok {
			t.Errorf("Parse(%q): %v, want ok=%v", raw, err, ok)
		}
	}
}
