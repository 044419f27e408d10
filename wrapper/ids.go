package wrapper

// maxIDLength bounds an ID: the API's IDs are 32 hexadecimal characters or a
// 36-character UUID.
const maxIDLength = 128

// checkID guards a path parameter before any request is built. The generated
// client escapes IDs but does not stop "." and "..", which would address
// another resource (ShowEndpoint("..") would send GET /v2.1/), nor an empty ID.
// Accepting only URL-unreserved characters, and no dot-only segment, means no
// accepted ID can change the shape of the request path, whatever a proxy on
// the way does with escapes.
func checkID(param, id string) error {
	reason := ""
	switch {
	case id == "":
		reason = "empty"
	case id == "." || id == "..":
		reason = "a dot segment would address another resource"
	case len(id) > maxIDLength:
		reason = "longer than 128 characters"
	default:
		for i := 0; i < len(id); i++ {
			if !unreserved(id[i]) {
				reason = "only letters, digits, '-', '_', '.' and '~' are allowed"
				break
			}
		}
	}
	if reason == "" {
		return nil
	}
	return &InvalidArgumentError{Param: param, Value: id, Reason: reason}
}

// unreserved reports whether b is one of A-Z a-z 0-9 - _ . ~. It is a table
// lookup: checkID runs on every ID of every call.
func unreserved(b byte) bool { return unreservedBytes[b] }

var unreservedBytes = func() (t [256]bool) {
	for b := 0; b < 256; b++ {
		c := byte(b)
		t[b] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()
