// Package aksk implements Huawei Cloud's SDK-HMAC-SHA256 request signing,
// both the client side (Sign) and the server side (Verify).
//
// A signature covers the method, the canonical path, the canonical query,
// a list of headers named in the Authorization header, and the SHA-256 of
// the body (or the value of X-Sdk-Content-Sha256 when the request carries
// one). The HMAC key is the secret key itself; there is no key derivation.
//
// Sign and Verify apply the same canonical form, which matches what
// huaweicloud-sdk-go-v3 and golangsdk put on the wire:
//
//   - The canonical URI is the escaped path, split on "/", each segment
//     unescaped as a path segment (a "+" stays a "+") and escaped again with
//     the unreserved set A-Z a-z 0-9 - _ . ~ and upper-case hex, and it
//     always ends in "/". An escaped "/" (%2F) inside a segment survives.
//   - The canonical query holds every key=value pair of the raw query,
//     unescaped as a query component (a "+" is a space), sorted by key and
//     then by value, escaped like a path segment and joined by "&". A key
//     sent without "=" has the empty value and appears as "key=".
//   - Each signed header contributes one "name:value" line per value, with
//     the value trimmed of surrounding white space; an absent header
//     contributes "name:". The host header's value is req.Host, or
//     req.URL.Host when req.Host is empty, used verbatim.
//
// Both functions are safe for concurrent use on different requests.
//
// The package stands below both the client (package wrapper) and the fake
// service (package fake), which meet only on the wire. It is written by
// hand because the only maintained implementations live inside the
// official SDKs, which a client of one API should not have to link.
package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// Header names, the algorithm name and the date layout of SDK-HMAC-SHA256.
const (
	// Algorithm is the scheme name that starts the Authorization header.
	Algorithm = "SDK-HMAC-SHA256"
	// DateLayout is the time layout of the X-Sdk-Date header, always in UTC.
	DateLayout = "20060102T150405Z"
	// HeaderDate is the header that carries the signing time.
	HeaderDate = "X-Sdk-Date"
	// HeaderProjectID is the header that carries the project ID.
	HeaderProjectID = "X-Project-Id"
	// HeaderContentSHA256 is the header that, when present, replaces the
	// hash of the body in the canonical request.
	HeaderContentSHA256 = "X-Sdk-Content-Sha256"
	// HeaderSecurityToken is the header that carries the security token
	// of temporary credentials (STS). Sign signs it when present.
	HeaderSecurityToken = "X-Security-Token"
)

// DefaultMaxSkew is the clock skew that Verify allows when it is given a
// maxSkew of zero or less. It is the tolerance Huawei Cloud's gateway
// documents.
const DefaultMaxSkew = 15 * time.Minute

// Errors returned by Verify. They are wrapped with detail; match them with
// errors.Is. Their messages never hold a secret key or a signature.
var (
	// ErrNoSignature means that the request has no Authorization header or
	// one with a scheme other than SDK-HMAC-SHA256.
	ErrNoSignature = errors.New("aksk: no SDK-HMAC-SHA256 authorization")
	// ErrMalformed means that the Authorization header or the X-Sdk-Date
	// header cannot be parsed, or that X-Sdk-Date is not signed.
	ErrMalformed = errors.New("aksk: malformed signature")
	// ErrUnknownKey means that the key lookup does not know the access key.
	ErrUnknownKey = errors.New("aksk: unknown access key")
	// ErrClockSkew means that X-Sdk-Date is too far from the server's clock.
	ErrClockSkew = errors.New("aksk: request date outside the allowed clock skew")
	// ErrBadSignature means that the signature does not match the request.
	ErrBadSignature = errors.New("aksk: signature does not match")
)

const (
	headerAuthorization = "Authorization"
	emptySHA256         = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// maxSignedHeaders bounds the work a hostile Authorization header can
	// cause; real clients sign fewer than a dozen headers.
	maxSignedHeaders = 64
)

// signable lists, in sorted order of their lower-case names, the optional
// headers that Sign signs when the request carries them, with the host and
// x-sdk-date pseudo-entries in their sorted places.
var signable = [...]struct{ lower, key string }{
	{"content-type", "Content-Type"},
	{"host", ""},
	{"x-domain-id", "X-Domain-Id"},
	{"x-project-id", HeaderProjectID},
	{"x-sdk-content-sha256", HeaderContentSHA256},
	{"x-sdk-date", ""},
	{"x-security-token", HeaderSecurityToken},
}

// Sign sets X-Sdk-Date (from now, in UTC) and Authorization on req.
//
// It signs "host", "x-sdk-date" and each of these headers that req carries:
// content-type, x-project-id, x-sdk-content-sha256, x-security-token,
// x-domain-id. body is the exact request body (nil or empty for none); Sign
// does not read or set req.Body. If req carries X-Sdk-Content-Sha256, its
// value is signed instead of the hash of body. The host is req.Host if set,
// else req.URL.Host, used verbatim (no default-port rule).
//
// Sign returns an error only for a nil request or URL, an empty secret key,
// an access key that cannot appear in an Authorization header, or a time
// outside the years 0 to 9999.
func Sign(req *http.Request, body []byte, accessKey, secretKey string, now time.Time) error {
	if req == nil || req.URL == nil {
		return errors.New("aksk: Sign needs a request with a URL")
	}
	if !validAccessKey(accessKey) {
		return errors.New("aksk: access key is empty or holds a space, comma, equals sign or control character")
	}
	if secretKey == "" {
		return errors.New("aksk: empty secret key")
	}
	var dateBuf [len(DateLayout)]byte
	date, ok := appendDate(dateBuf[:0], now.UTC())
	if !ok {
		return errors.New("aksk: signing time out of range")
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	h := req.Header

	var names [len(signable)]string
	signed := names[:0]
	for _, s := range signable {
		if s.key == "" || len(h[s.key]) > 0 {
			signed = append(signed, s.lower)
		}
	}
	var hashBuf [2 * sha256.Size]byte
	var payloadHash []byte
	if v := contentSHA256(h); v != "" {
		payloadHash = append(hashBuf[:0], v...)
	} else {
		payloadHash = hashHex(&hashBuf, body)
	}

	var crBuf [512]byte
	cr := appendCanonicalRequest(crBuf[:0], req, signed, payloadHash, date)
	sig := signature(secretKey, date, cr)

	// One string holds the date and the Authorization value, and one
	// two-element array backs both header slices: two allocations in all.
	var out [256]byte
	b := append(out[:0], date...)
	b = append(b, Algorithm+" Access="...)
	b = append(b, accessKey...)
	b = append(b, ", SignedHeaders="...)
	b = appendJoined(b, signed)
	b = append(b, ", Signature="...)
	b = append(b, sig[:]...)
	s := string(b)
	vals := make([]string, 2)
	vals[0], vals[1] = s[:len(date)], s[len(date):]
	h[HeaderDate] = vals[0:1:1]
	h[headerAuthorization] = vals[1:2:2]
	return nil
}

// KeyLookup returns the secret key of an access key. It reports false for
// an access key it does not know.
type KeyLookup func(accessKey string) (secretKey string, ok bool)

// Verify checks the signature of a request as a server received it and
// returns the access key that signed it.
//
// It takes the signed-header list from the Authorization header and never
// assumes one; the list must name x-sdk-date, whose value must lie within
// maxSkew of now in either direction (DefaultMaxSkew if maxSkew is zero or
// less). body is the body exactly as received. When the request carries
// X-Sdk-Content-Sha256, its value takes the place of the body's hash; if
// that value is a SHA-256 in hex, it must also match body. Signatures are
// compared in constant time.
//
// Errors match ErrNoSignature, ErrMalformed, ErrUnknownKey, ErrClockSkew or
// ErrBadSignature with errors.Is.
func Verify(req *http.Request, body []byte, lookup KeyLookup, now time.Time, maxSkew time.Duration) (accessKey string, err error) {
	if req == nil {
		return "", wrap(ErrNoSignature, "nil request")
	}
	auth, err := parseAuthorization(req.Header[headerAuthorization])
	if err != nil {
		return "", err
	}
	if !slices.Contains(auth.signed, "x-sdk-date") {
		return "", wrap(ErrMalformed, "x-sdk-date is not among the signed headers")
	}
	dates := req.Header[HeaderDate]
	if len(dates) != 1 {
		return "", wrap(ErrMalformed, "want exactly one X-Sdk-Date header")
	}
	date := strings.TrimSpace(dates[0])
	t, perr := time.Parse(DateLayout, date)
	if perr != nil {
		return "", wrap(ErrMalformed, "X-Sdk-Date is not in the form "+DateLayout)
	}
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return "", wrap(ErrClockSkew, "X-Sdk-Date "+date+" is more than "+maxSkew.String()+" from the server's clock")
	}
	if lookup == nil {
		return "", wrap(ErrUnknownKey, "no key lookup")
	}
	secretKey, ok := lookup(auth.access)
	if !ok || secretKey == "" {
		return "", ErrUnknownKey
	}

	var hashBuf, headerBuf [2 * sha256.Size]byte
	payloadHash := hashHex(&hashBuf, body)
	if v := contentSHA256(req.Header); v != "" {
		if isHexSHA256(v) && !equalFoldHex(v, payloadHash) {
			return "", wrap(ErrBadSignature, "X-Sdk-Content-Sha256 does not match the body")
		}
		payloadHash = append(headerBuf[:0], v...)
	}
	var crBuf [512]byte
	cr := appendCanonicalRequest(crBuf[:0], req, auth.signed, payloadHash, nil)
	want := signature(secretKey, date, cr)
	if !hmac.Equal(want[:], auth.signature[:]) {
		return "", ErrBadSignature
	}
	return auth.access, nil
}

// appendCanonicalRequest appends the canonical request of req to b. A
// non-nil date stands in for the X-Sdk-Date header, which lets Sign
// build the request before it sets the header.
func appendCanonicalRequest(b []byte, req *http.Request, signed []string, payloadHash, date []byte) []byte {
	method := req.Method
	if method == "" {
		method = http.MethodGet // what net/http sends for an empty method
	}
	path, query := "", ""
	if req.URL != nil {
		path, query = req.URL.EscapedPath(), req.URL.RawQuery
	}
	b = append(b, method...)
	b = append(b, '\n')
	b = appendCanonicalURI(b, path)
	b = append(b, '\n')
	b = appendCanonicalQuery(b, query)
	b = append(b, '\n')
	for _, name := range signed {
		switch {
		case name == "host":
			b = appendHeaderLine(b, name, hostOf(req))
		case name == "x-sdk-date" && date != nil:
			b = append(b, "x-sdk-date:"...)
			b = append(b, date...)
			b = append(b, '\n')
		default:
			vals := req.Header[headerKey(name)]
			if len(vals) == 0 {
				b = appendHeaderLine(b, name, "")
			}
			for _, v := range vals {
				b = appendHeaderLine(b, name, v)
			}
		}
	}
	b = append(b, '\n')
	b = appendJoined(b, signed)
	b = append(b, '\n')
	return append(b, payloadHash...)
}

func appendHeaderLine(b []byte, name, value string) []byte {
	b = append(b, name...)
	b = append(b, ':')
	b = append(b, strings.TrimSpace(value)...)
	return append(b, '\n')
}

func appendJoined(b []byte, names []string) []byte {
	for i, name := range names {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, name...)
	}
	return b
}

func hostOf(req *http.Request) string {
	if req.Host != "" {
		return req.Host
	}
	if req.URL != nil {
		return req.URL.Host
	}
	return ""
}

// headerKey returns the canonical MIME key of a lower-case header name,
// without allocating for the headers that signers commonly sign.
func headerKey(lower string) string {
	switch lower {
	case "content-type":
		return "Content-Type"
	case "user-agent":
		return "User-Agent"
	case "x-project-id":
		return HeaderProjectID
	case "x-sdk-date":
		return HeaderDate
	case "x-sdk-content-sha256":
		return HeaderContentSHA256
	case "x-security-token":
		return "X-Security-Token"
	case "x-domain-id":
		return "X-Domain-Id"
	}
	return textproto.CanonicalMIMEHeaderKey(lower)
}

func contentSHA256(h http.Header) string {
	if v := h[HeaderContentSHA256]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// appendCanonicalURI appends the canonical form of an escaped path. Each
// "/" separates segments; everything between is unescaped as a path
// segment and escaped again, so a %2F stays inside its segment.
func appendCanonicalURI(b []byte, escapedPath string) []byte {
	start := len(b)
	b = appendReescaped(b, escapedPath, &pathKept, false)
	if len(b) == start || b[len(b)-1] != '/' {
		b = append(b, '/')
	}
	return b
}

// queryPair holds one key=value pair of a raw query, still escaped.
type queryPair struct{ key, value string }

// appendCanonicalQuery appends the canonical form of a raw query. Pairs are
// sorted by their unescaped keys and values without unescaping them into
// new strings.
func appendCanonicalQuery(b []byte, rawQuery string) []byte {
	if rawQuery == "" {
		return b
	}
	var arr [16]queryPair
	pairs := arr[:0]
	for rest := rawQuery; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		pairs = append(pairs, queryPair{k, v})
	}
	slices.SortFunc(pairs, func(x, y queryPair) int {
		if c := compareQueryComponents(x.key, y.key); c != 0 {
			return c
		}
		return compareQueryComponents(x.value, y.value)
	})
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendReescaped(b, p.key, &unreserved, true)
		b = append(b, '=')
		b = appendReescaped(b, p.value, &unreserved, true)
	}
	return b
}

// appendReescaped appends s unescaped and escaped again: a run of bytes
// that kept marks is copied as it is, any other byte (or %XX) is decoded and
// appended percent-encoded unless it is unreserved. In a query component a
// "+" is a space.
func appendReescaped(b []byte, s string, kept *[256]bool, query bool) []byte {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && kept[s[j]] {
			j++
		}
		b = append(b, s[i:j]...)
		if j == len(s) {
			break
		}
		var c byte
		c, i = decodeAt(s, j, query)
		b = appendEscaped(b, c)
	}
	return b
}

// compareQueryComponents compares two escaped query components by their
// unescaped bytes.
func compareQueryComponents(x, y string) int {
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		var a, b byte
		a, i = decodeAt(x, i, true)
		b, j = decodeAt(y, j, true)
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	switch {
	case i < len(x):
		return 1
	case j < len(y):
		return -1
	}
	return 0
}

// decodeAt unescapes the byte at s[i] and returns it with the index of the
// next one. A "%" not followed by two hex digits stands for itself; in a
// query component a "+" is a space.
func decodeAt(s string, i int, query bool) (byte, int) {
	switch c := s[i]; {
	case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		return unhex(s[i+1])<<4 | unhex(s[i+2]), i + 3
	case c == '+' && query:
		return ' ', i + 1
	default:
		return c, i + 1
	}
}

const upperHex = "0123456789ABCDEF"

// unreserved reports which bytes canonical forms keep unescaped:
// A-Z a-z 0-9 - _ . ~.
var unreserved = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c], t[c+'a'-'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'], t['.'], t['~'] = true, true, true, true
	return t
}()

// pathKept is unreserved plus "/", the bytes a canonical path keeps as
// they are.
var pathKept = func() [256]bool {
	t := unreserved
	t['/'] = true
	return t
}()

// appendEscaped appends c, percent-encoded unless it is unreserved.
func appendEscaped(b []byte, c byte) []byte {
	if unreserved[c] {
		return append(b, c)
	}
	return append(b, '%', upperHex[c>>4], upperHex[c&15])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isHexSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// hashHex writes the lower-case hex SHA-256 of body into buf and returns
// it as a slice of buf.
func hashHex(buf *[2 * sha256.Size]byte, body []byte) []byte {
	if len(body) == 0 {
		copy(buf[:], emptySHA256)
		return buf[:]
	}
	sum := sha256.Sum256(body)
	hex.Encode(buf[:], sum[:])
	return buf[:]
}

// equalFoldHex reports whether the hex strings s and h are equal, ignoring
// the case of their letters.
func equalFoldHex(s string, h []byte) bool {
	if len(s) != len(h) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'F' {
			c += 'a' - 'A'
		}
		if c != h[i] {
			return false
		}
	}
	return true
}

// signature returns the hex HMAC-SHA256, keyed with the secret key, of the
// string to sign: the algorithm, the date and the hex SHA-256 of the
// canonical request, one per line.
func signature[D string | []byte](secretKey string, date D, canonicalRequest []byte) [2 * sha256.Size]byte {
	crSum := sha256.Sum256(canonicalRequest)
	var sts [len(Algorithm) + 1 + len(DateLayout) + 1 + 2*sha256.Size]byte
	m := append(sts[:0], Algorithm+"\n"...)
	m = append(m, date...)
	m = append(m, '\n')
	m = hex.AppendEncode(m, crSum[:])
	mac := hmacSHA256(secretKey, m)
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], mac[:])
	return out
}

// hmacSHA256 computes HMAC-SHA256 (RFC 2104) with sha256.Sum256 on stack
// buffers; crypto/hmac would allocate its state on every call.
func hmacSHA256(key string, msg []byte) [sha256.Size]byte {
	const blockSize = 64
	var k [blockSize]byte
	if len(key) > blockSize {
		sum := sha256.Sum256([]byte(key))
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var buf [blockSize + 128]byte
	in := buf[:blockSize]
	for i, c := range k {
		in[i] = c ^ 0x36
	}
	in = append(in, msg...)
	inner := sha256.Sum256(in)

	var outer [blockSize + sha256.Size]byte
	for i, c := range k {
		outer[i] = c ^ 0x5c
	}
	copy(outer[blockSize:], inner[:])
	return sha256.Sum256(outer[:])
}

// appendDate appends t, which must be in UTC, in DateLayout. It reports
// false for a year outside 0 to 9999, which the layout cannot hold.
func appendDate(b []byte, t time.Time) ([]byte, bool) {
	if year := t.Year(); year < 0 || year > 9999 {
		return b, false
	}
	return t.AppendFormat(b, DateLayout), true
}

// validAccessKey reports whether ak is non-empty and can sit in an
// Authorization header without changing how it parses.
func validAccessKey(ak string) bool {
	if ak == "" {
		return false
	}
	for i := 0; i < len(ak); i++ {
		if c := ak[i]; c <= ' ' || c == ',' || c == '=' || c == 0x7f {
			return false
		}
	}
	return true
}

// authorization is a parsed SDK-HMAC-SHA256 Authorization header.
type authorization struct {
	access    string
	signed    []string
	signature [2 * sha256.Size]byte // lower-case hex
}

// parseAuthorization parses the values of the Authorization header. It
// accepts fields in any order, separated by "," with optional white space,
// and field names in any case.
func parseAuthorization(values []string) (authorization, error) {
	var a authorization
	if len(values) == 0 || values[0] == "" {
		return a, ErrNoSignature
	}
	if len(values) > 1 {
		return a, wrap(ErrMalformed, "more than one Authorization header")
	}
	v := strings.TrimSpace(values[0])
	rest, ok := strings.CutPrefix(v, Algorithm)
	if !ok {
		return a, wrap(ErrNoSignature, "unsupported authorization scheme")
	}
	if rest == "" {
		return a, wrap(ErrMalformed, "no fields after "+Algorithm)
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return a, wrap(ErrNoSignature, "unsupported authorization scheme")
	}
	var signedHeaders, sig string
	var haveAccess, haveSigned, haveSig bool
	for rest != "" {
		var field string
		field, rest, _ = strings.Cut(rest, ",")
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		name, value, ok := strings.Cut(field, "=")
		if !ok {
			return a, wrap(ErrMalformed, "field without '='")
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		var seen *bool
		switch {
		case strings.EqualFold(name, "Access"):
			seen, a.access = &haveAccess, value
		case strings.EqualFold(name, "SignedHeaders"):
			seen, signedHeaders = &haveSigned, value
		case strings.EqualFold(name, "Signature"):
			seen, sig = &haveSig, value
		default:
			return a, wrap(ErrMalformed, "unknown field")
		}
		if *seen {
			return a, wrap(ErrMalformed, "repeated field "+name)
		}
		*seen = true
	}
	switch {
	case !haveAccess || a.access == "":
		return a, wrap(ErrMalformed, "no Access")
	case !haveSigned || signedHeaders == "":
		return a, wrap(ErrMalformed, "no SignedHeaders")
	case !haveSig:
		return a, wrap(ErrMalformed, "no Signature")
	case !isHexSHA256(sig):
		return a, wrap(ErrMalformed, "Signature is not 64 hex digits")
	}
	for i := 0; i < len(sig); i++ {
		c := sig[i]
		if 'A' <= c && c <= 'F' {
			c += 'a' - 'A'
		}
		a.signature[i] = c
	}
	signed, err := parseSignedHeaders(signedHeaders)
	if err != nil {
		return a, err
	}
	a.signed = signed
	return a, nil
}

// parseSignedHeaders splits a SignedHeaders value. Names must be lower-case
// header tokens and must not repeat; their order is kept, since it is the
// order of the canonical header lines.
func parseSignedHeaders(s string) ([]string, error) {
	names := make([]string, 0, strings.Count(s, ";")+1)
	for rest := s; ; {
		name, tail, more := strings.Cut(rest, ";")
		if !validLowerToken(name) {
			return nil, wrap(ErrMalformed, "SignedHeaders holds an empty or invalid name")
		}
		if slices.Contains(names, name) {
			return nil, wrap(ErrMalformed, "SignedHeaders repeats "+name)
		}
		if len(names) == maxSignedHeaders {
			return nil, wrap(ErrMalformed, "too many SignedHeaders")
		}
		names = append(names, name)
		if !more {
			return names, nil
		}
		rest = tail
	}
}

// validLowerToken reports whether s is a non-empty HTTP token without
// upper-case letters.
func validLowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// detailError adds detail to a sentinel error.
type detailError struct {
	sentinel error
	detail   string
}

func (e *detailError) Error() string { return e.sentinel.Error() + ": " + e.detail }
func (e *detailError) Unwrap() error { return e.sentinel }

func wrap(sentinel error, detail string) error {
	return &detailError{sentinel, detail}
}
