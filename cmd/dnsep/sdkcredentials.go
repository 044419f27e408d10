package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// The credentials file of the official SDKs (huaweicloud-sdk-go-v3 and
// the others): INI, with the keys in section [basic].
const (
	envSDKCredentials  = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
	sdkCredentialsPath = ".huaweicloud/credentials" // under the home directory
)

// sdkCredentials reads the [basic] section of the SDK credentials file at
// path; from says how the path was chosen.
func sdkCredentials(path, from string) (credential, error) {
	b, err := readConfigFile(path)
	if err != nil {
		return credential{}, credError{fmt.Sprintf("SDK credentials file: %v", err)}
	}
	sections, err := parseINI(b)
	if err != nil {
		return credential{}, credError{fmt.Sprintf("SDK credentials file %s: %v", path, err)}
	}
	basic, ok := sections["basic"]
	if !ok {
		return credential{}, credError{fmt.Sprintf("SDK credentials file %s has no [basic] section", path)}
	}
	where := fmt.Sprintf("[basic] of %s (%s)", path, from)
	c := credential{from: where, accessKey: basic["ak"], secretKey: basic["sk"], securityToken: basic["security_token"],
		projectID: basic["project_id"], projectFrom: where}
	if c.accessKey == "" || c.secretKey == "" {
		return credential{}, credError{where + ": want both ak and sk"}
	}
	return c, nil
}

// parseINI reads the sections of an INI file: "[name]" lines, "key = value"
// lines (the first "=" or ":" splits them), and comments starting with "#"
// or ";". Section and key names are case-insensitive and returned in lower
// case; a value is trimmed of spaces and of one pair of surrounding quotes.
// A key before any section, or a line that is none of these, is an error
// that names the line, not its content, which may be a secret.
func parseINI(b []byte) (map[string]map[string]string, error) {
	sections := map[string]map[string]string{}
	var cur map[string]string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, maxConfigFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // a byte-order mark from Windows editors
		}
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("line %d: a section header without ']'", n)
			}
			name := strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			if sections[name] == nil {
				sections[name] = map[string]string{}
			}
			cur = sections[name]
			continue
		}
		i := strings.IndexAny(line, "=:")
		switch {
		case i <= 0:
			return nil, fmt.Errorf("line %d: want key = value", n)
		case cur == nil:
			return nil, fmt.Errorf("line %d: a key before any [section]", n)
		}
		v := strings.TrimSpace(line[i+1:])
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		cur[strings.ToLower(strings.TrimSpace(line[:i]))] = v
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return sections, nil
}
