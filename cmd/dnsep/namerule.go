package main

import "unicode/utf8"

// nameRule says in words what validName checks, for messages and help.
const nameRule = "1 to 64 characters: letters, digits, Chinese characters, '_', '-' and '.'"

// validName applies the service's rule for endpoint and rule names, so that
// a bad name is refused before any request with the rule in words, not
// with the API document's regular expression.
func validName(s string) bool {
	if n := utf8.RuneCountInString(s); n < 1 || n > 64 {
		return false
	}
	for _, r := range s {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
			r == '_' || r == '-' || r == '.' || 0x4e00 <= r && r <= 0x9fa5
		if !ok {
			return false
		}
	}
	return true
}

// checkName is a usage error unless the value of flag is a valid name.
func checkName(flag, v string) error {
	if v == "" {
		return usagef("%s must not be empty: a name is %s", flag, nameRule)
	}
	if !validName(v) {
		return usagef("%s %q: a name is %s", flag, v, nameRule)
	}
	return nil
}
