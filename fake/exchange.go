package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// bodyTap keeps a copy of the first maxRecordedBody bytes that the handler
// reads of a request body, for the recorder.
type bodyTap struct {
	io.ReadCloser
	buf []byte
}

func (t *bodyTap) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if keep := min(n, maxRecordedBody-len(t.buf)); keep > 0 {
		t.buf = append(t.buf, p[:keep]...)
	}
	return n, err
}

// redactedBody stands for a body that mentions a password in a form the
// recorder cannot rewrite.
var redactedBody = []byte(`"REDACTED: the body mentions a password and is not whole JSON"`)

// redactPasswords returns body with the value of every JSON key "password"
// (in any case) replaced by "REDACTED". A body that holds the word but does
// not decode as JSON, such as one cut at the recorder's limit, is replaced
// as a whole: the recorder must never keep a password.
func redactPasswords(body []byte) []byte {
	if !bytes.Contains(bytes.ToLower(body), []byte("password")) {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return redactedBody
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return redactedBody
	}
	return out
}

func redactValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if bytes.EqualFold([]byte(k), []byte("password")) {
				v[k] = "REDACTED"
			} else {
				v[k] = redactValue(e)
			}
		}
	case []any:
		for i, e := range v {
			v[i] = redactValue(e)
		}
	}
	return v
}

// serviceCode returns the error code that an error answer's body carries:
// the service's "code", the API gateway's "error_code", or IAM's numeric
// "error.code" as text.
func serviceCode(status int, body []byte) string {
	if status < 400 || len(body) == 0 || body[0] != '{' {
		return ""
	}
	var e struct {
		Code      any    `json:"code"`
		ErrorCode string `json:"error_code"`
		Error     *struct {
			Code any `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	switch {
	case e.ErrorCode != "":
		return e.ErrorCode
	case e.Code != nil:
		return codeText(e.Code)
	case e.Error != nil:
		return codeText(e.Error.Code)
	}
	return ""
}

func codeText(c any) string {
	switch c := c.(type) {
	case string:
		return c
	case float64:
		return strconv.FormatFloat(c, 'f', -1, 64)
	}
	return ""
}
