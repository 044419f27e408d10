package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

var errNoCredentials = errors.New("no credentials: set HW_AUTH_TOKEN, or HW_ACCESS_KEY+HW_SECRET_KEY+HW_PROJECT_ID, or HUAWEICLOUD_SDK_AK+HUAWEICLOUD_SDK_SK+HUAWEICLOUD_SDK_PROJECT_ID, or HW_USER_NAME+HW_USER_PASSWORD+HW_DOMAIN_NAME, or pass --token-file, or use a credentials file (see dnsep --help)")

// config is what the flags, the environment and the credentials files say
// about the API.
type config struct {
	region     string
	regionFrom string
	baseURL    string
	urlSource  string // which setting supplied baseURL, for messages
	cred       credential
	auth       wrapper.Option
	source     string // which setting supplied the credentials, for messages
}

// Where the API URL comes from, as messages name it.
const (
	fromEndpointFlag = "--endpoint"
	fromEndpointEnv  = "DNSEP_ENDPOINT"
	fromRegion       = "the region's API URL"
)

// regionName returns the region from --region or HW_REGION_NAME.
func (a *app) regionName() string {
	r, _ := a.regionFrom(credential{})
	return r
}

// regionFrom returns the region and where it came from: --region, else
// HW_REGION_NAME, else the region of the profile that supplied cred.
func (a *app) regionFrom(cred credential) (string, string) {
	switch {
	case a.region != "":
		return a.region, "--region"
	case a.getenv("HW_REGION_NAME") != "":
		return a.getenv("HW_REGION_NAME"), "HW_REGION_NAME"
	case cred.region != "":
		return cred.region, cred.regionFrom
	}
	return "", ""
}

// config finds the credentials, the region and the API URL. A problem with
// a credentials file comes first, as the region may be the file's; then a
// missing region; then missing credentials.
func (a *app) config() (config, error) {
	cred, credErr := a.credential()
	if credErr != nil && !errors.Is(credErr, errNoCredentials) || errors.As(credErr, new(credError)) {
		return config{}, credErr
	}
	c := config{cred: cred, source: cred.from}
	c.region, c.regionFrom = a.regionFrom(cred)
	switch {
	case a.endpoint != "":
		c.baseURL, c.urlSource = a.endpoint, fromEndpointFlag
	case a.getenv("DNSEP_ENDPOINT") != "":
		c.baseURL, c.urlSource = a.getenv("DNSEP_ENDPOINT"), fromEndpointEnv
	case c.region != "":
		c.baseURL, c.urlSource = wrapper.RegionURL(c.region), fromRegion
	default:
		return c, usagef("no region: pass --region or set HW_REGION_NAME (or give the API URL with --endpoint)")
	}
	if err := checkURL(c.urlSource, c.baseURL); err != nil {
		return c, err
	}
	if credErr != nil {
		return c, credErr
	}
	var err error
	c.auth, err = a.authOption(cred, c.region)
	return c, err
}

// credential picks the first way to authenticate that the flags, the
// environment and the credentials files supply, in the order the help
// lists. An explicit setting beats a file; a file named in the environment
// beats one found in the home directory.
func (a *app) credential() (credential, error) {
	env := a.getenv
	switch {
	case a.tokenFile != "" && a.profile != "":
		return credential{}, usagef("--token-file and --profile: give one or the other")
	case a.tokenFile != "":
		b, err := os.ReadFile(a.tokenFile)
		if err != nil {
			return credential{}, usagef("--token-file: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return credential{}, usagef("--token-file %s is empty", a.tokenFile)
		}
		return credential{kind: kindToken, from: "--token-file " + a.tokenFile, token: tok}, nil
	case a.profile != "":
		path, err := a.sharedConfigPath(true)
		if err != nil {
			return credential{}, err
		}
		return a.fileKeys(a.sharedProfile(path, a.profile, "--profile"))
	}
	if tok := env("HW_AUTH_TOKEN"); tok != "" {
		return credential{kind: kindToken, from: "HW_AUTH_TOKEN", token: tok}, nil
	}
	for _, set := range [][4]string{
		{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PROJECT_ID", "HW_SECURITY_TOKEN"},
		{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_SECURITY_TOKEN"},
	} {
		if env(set[0]) == "" && env(set[1]) == "" && env(set[3]) == "" {
			continue
		}
		if missing := missingVars(env, set[:3]...); len(missing) > 0 {
			return credential{}, fmt.Errorf("%w: %s is set but %s is not", errNoCredentials, firstSet(env, set[:]...), strings.Join(missing, " and "))
		}
		return withKind(credential{from: set[0], accessKey: env(set[0]), secretKey: env(set[1]),
			projectID: env(set[2]), projectFrom: set[2], securityToken: env(set[3])}), nil
	}
	pw := []string{"HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME"}
	if env(pw[0]) != "" || env(pw[1]) != "" {
		if missing := missingVars(env, pw...); len(missing) > 0 {
			return credential{}, fmt.Errorf("%w: %s is set but %s is not", errNoCredentials, firstSet(env, pw...), strings.Join(missing, " and "))
		}
		return credential{kind: kindPassword, from: "HW_USER_NAME", userName: env(pw[0]), password: env(pw[1]), domain: env(pw[2])}, nil
	}
	return a.credentialFile()
}

// credentialFile reads the credentials files: those named in the
// environment, then those in the home directory.
func (a *app) credentialFile() (credential, error) {
	if path := a.getenv(envSharedConfig); path != "" {
		return a.fileKeys(a.sharedProfile(path, a.getenv(envProfile), envProfile))
	}
	if path := a.getenv(envSDKCredentials); path != "" {
		return a.fileKeys(sdkCredentials(path, envSDKCredentials))
	}
	if path, _ := a.sharedConfigPath(false); path != "" {
		return a.fileKeys(a.sharedProfile(path, a.getenv(envProfile), envProfile))
	}
	if home := a.home(); home != "" {
		path := filepath.Join(home, sdkCredentialsPath)
		if _, err := os.Stat(path); err == nil {
			return a.fileKeys(sdkCredentials(path, "home directory"))
		}
	}
	if a.getenv(envProfile) != "" {
		return credential{}, credError{fmt.Sprintf("%s is set but there is no shared config file: set %s or create ~/%s", envProfile, envSharedConfig, sharedConfigPath)}
	}
	return credential{}, errNoCredentials
}

// sharedConfigPath returns the shared config file: HW_SHARED_CONFIG_FILE,
// else ~/.hcloud/config.json if it exists. With must, having none is an
// error; without, it is "".
func (a *app) sharedConfigPath(must bool) (string, error) {
	if path := a.getenv(envSharedConfig); path != "" {
		return path, nil
	}
	if home := a.home(); home != "" {
		path := filepath.Join(home, sharedConfigPath)
		if _, err := os.Stat(path); err == nil || must {
			return path, nil // a missing file named by --profile fails when read, naming it
		}
	}
	if must {
		return "", credError{fmt.Sprintf("--profile needs a shared config file: set %s (no home directory to look in)", envSharedConfig)}
	}
	return "", nil
}

// home returns the home directory from the environment dnsep was given
// (never the process's own, so tests choose it), or "".
func (a *app) home() string {
	if h := a.getenv("HOME"); h != "" {
		return h
	}
	return a.getenv("USERPROFILE")
}

// fileKeys completes keys read from a file: the project ID from the
// environment beats the file's, and the kind follows the security token.
func (a *app) fileKeys(c credential, err error) (credential, error) {
	if err != nil {
		return c, err
	}
	for _, name := range []string{"HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"} {
		if v := a.getenv(name); v != "" {
			c.projectID, c.projectFrom = v, name
			break
		}
	}
	if c.projectID == "" {
		return c, credError{c.from + ": no project ID: set projectId (project_id) in the file, or HW_PROJECT_ID"}
	}
	return withKind(c), nil
}

func withKind(c credential) credential {
	c.kind = kindAKSK
	if c.securityToken != "" {
		c.kind = kindTemporary
	}
	return c
}

// authOption turns cred into the client's option; IAM password
// authentication needs the region, the token's project.
func (a *app) authOption(cred credential, region string) (wrapper.Option, error) {
	switch cred.kind {
	case kindToken:
		return wrapper.WithToken(cred.token), nil
	case kindAKSK:
		return wrapper.WithAKSK(cred.accessKey, cred.secretKey, cred.projectID), nil
	case kindTemporary:
		ak := wrapper.WithAKSK(cred.accessKey, cred.secretKey, cred.projectID)
		st := wrapper.WithSecurityToken(cred.securityToken)
		return func(c *wrapper.Client) error {
			if err := ak(c); err != nil {
				return err
			}
			return st(c)
		}, nil
	}
	if region == "" {
		return nil, usagef("IAM password authentication needs the region (the token's project): pass --region or set HW_REGION_NAME")
	}
	iamURL := a.getenv("HW_AUTH_URL")
	if iamURL != "" {
		if err := checkURL("HW_AUTH_URL", iamURL); err != nil {
			return nil, err
		}
		iamURL = strings.TrimSuffix(strings.TrimSuffix(iamURL, "/"), "/v3")
	} else {
		iamURL = "https://iam." + region + ".myhuaweicloud.com"
	}
	ts, err := iam.NewPasswordTokenSource(iam.PasswordAuth{
		Endpoint: iamURL, DomainName: cred.domain, UserName: cred.userName,
		Password: cred.password, ProjectName: region,
	}, a.iamOptions()...)
	if err != nil {
		return nil, err
	}
	return wrapper.WithTokenSource(ts), nil
}

func missingVars(env func(string) string, names ...string) []string {
	var out []string
	for _, n := range names {
		if env(n) == "" {
			out = append(out, n)
		}
	}
	return out
}

func firstSet(env func(string) string, names ...string) string {
	for _, n := range names {
		if env(n) != "" {
			return n
		}
	}
	return ""
}
