package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// The shared config file of the Huawei Cloud CLI (KooCLI), which the
// Terraform provider reads too.
const (
	envSharedConfig  = "HW_SHARED_CONFIG_FILE"
	envProfile       = "HW_PROFILE"
	sharedConfigPath = ".hcloud/config.json" // under the home directory
)

// maxConfigFile bounds what dnsep reads of a credentials file.
const maxConfigFile = 1 << 20

// hint is what to do about keys that KooCLI stored encrypted.
const encryptedHint = `KooCLI stores keys encrypted by default and only KooCLI can read them: run "hcloud configure set --cli-auth-encrypt=false" and configure the profile's keys again, or set HW_ACCESS_KEY and HW_SECRET_KEY`

// hcloudConfig is the part of KooCLI's config.json that dnsep reads.
type hcloudConfig struct {
	Current  string          `json:"current"`
	Profiles []hcloudProfile `json:"profiles"`
}

type hcloudProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	ProjectID       string `json:"projectId"`
	SSOAuth         *struct {
		StsToken *hcloudSTS `json:"stsToken"`
	} `json:"ssoAuth"`
}

// hcloudSTS holds the temporary keys that an SSO login left.
type hcloudSTS struct {
	AccessKeyID     string          `json:"accessKeyId"`
	SecretAccessKey string          `json:"secretAccessKey"`
	SecurityToken   string          `json:"securityToken"`
	ExpiresAt       json.RawMessage `json:"expiresAt"`
}

// sharedProfile reads the profile named name (or, if name is empty, the
// file's current one) from the shared config file at path. nameFrom says
// where the name came from, for messages.
func (a *app) sharedProfile(path, name, nameFrom string) (credential, error) {
	b, err := readConfigFile(path)
	if err != nil {
		return credential{}, credError{fmt.Sprintf("shared config file: %v", err)}
	}
	var cfg hcloudConfig
	if err := json.Unmarshal(b, &cfg); err != nil {
		return credential{}, credError{fmt.Sprintf("shared config file %s: not valid JSON: %v", path, jsonErrorOnly(err))}
	}
	if name == "" {
		name, nameFrom = cfg.Current, "current"
		if name == "" {
			return credential{}, credError{fmt.Sprintf("shared config file %s has no current profile: pass --profile or set %s", path, envProfile)}
		}
	}
	var p *hcloudProfile
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == name {
			p = &cfg.Profiles[i]
		}
	}
	if p == nil {
		return credential{}, credError{fmt.Sprintf("shared config file %s has no profile %q (%s)", path, name, nameFrom)}
	}
	where := fmt.Sprintf("profile %q of %s (%s)", name, path, nameFrom)
	c := credential{from: where, projectID: p.ProjectID, projectFrom: where, region: p.Region, regionFrom: where}
	switch strings.ToUpper(p.Mode) {
	case "AKSK", "":
		c.accessKey, c.secretKey, c.securityToken = p.AccessKeyID, p.SecretAccessKey, p.SecurityToken
	case "SSO":
		if p.SSOAuth == nil || p.SSOAuth.StsToken == nil {
			return credential{}, credError{where + `: an SSO profile without ssoAuth.stsToken: sign in with KooCLI first`}
		}
		sts := p.SSOAuth.StsToken
		c.accessKey, c.secretKey, c.securityToken = sts.AccessKeyID, sts.SecretAccessKey, sts.SecurityToken
		if c.securityToken == "" {
			return credential{}, credError{where + ": ssoAuth.stsToken has no securityToken"}
		}
		if c.expires, err = parseExpiry(sts.ExpiresAt); err != nil {
			return credential{}, credError{where + ": ssoAuth.stsToken.expiresAt: " + err.Error()}
		}
		if !c.expires.IsZero() && !a.now().Before(c.expires) {
			return credential{}, credError{fmt.Sprintf(`%s: the SSO credentials expired at %s: sign in again with KooCLI`, where, c.expires.UTC().Format(time.RFC3339))}
		}
	default:
		return credential{}, credError{fmt.Sprintf("%s: mode %q is not supported: dnsep reads AKSK and SSO profiles", where, p.Mode)}
	}
	if c.accessKey == "" || c.secretKey == "" {
		return credential{}, credError{where + ": no accessKeyId and secretAccessKey"}
	}
	if !plainKey(c.accessKey, maxPlainAccessKey) || !plainKey(c.secretKey, maxPlainSecretKey) {
		return credential{}, credError{where + ": the keys are not plain access and secret keys. " + encryptedHint}
	}
	return c, nil
}

// parseExpiry reads an expiry given as an RFC 3339 string or as seconds
// (or, when too big for seconds, milliseconds) since 1970. Absent is zero.
func parseExpiry(raw json.RawMessage) (time.Time, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return unixExpiry(n), nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor a Unix time", s)
		}
		return t, nil
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is neither RFC 3339 nor a Unix time", raw)
	}
	return unixExpiry(n), nil
}

func unixExpiry(n int64) time.Time {
	if n > 1e11 { // later than the year 5000 in seconds: milliseconds
		return time.UnixMilli(n)
	}
	return time.Unix(n, 0)
}

// readConfigFile reads a credentials file, bounded in size.
func readConfigFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxConfigFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if len(b) > maxConfigFile {
		return nil, fmt.Errorf("%s: bigger than %d KiB", path, maxConfigFile>>10)
	}
	return b, nil
}

// jsonErrorOnly keeps a JSON error's position and kind: a syntax error's
// text quotes no input, but a type error could name a value.
func jsonErrorOnly(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s: want %s", te.Field, te.Type)
	}
	return "cannot parse"
}
