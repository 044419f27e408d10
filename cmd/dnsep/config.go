package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

var errNoCredentials = errors.New("no credentials: set HW_AUTH_TOKEN, or HW_ACCESS_KEY+HW_SECRET_KEY+HW_PROJECT_ID, or HUAWEICLOUD_SDK_AK+HUAWEICLOUD_SDK_SK+HUAWEICLOUD_SDK_PROJECT_ID, or HW_USER_NAME+HW_USER_PASSWORD+HW_DOMAIN_NAME, or pass --token-file")

// config is what the flags and the environment say about the API.
type config struct {
	region    string
	baseURL   string
	urlSource string // which setting supplied baseURL, for messages
	auth      wrapper.Option
	source    string // which setting supplied the credentials, for messages
}

// Where the API URL comes from, as messages name it.
const (
	fromEndpointFlag = "--endpoint"
	fromEndpointEnv  = "DNSEP_ENDPOINT"
	fromRegion       = "the region's API URL"
)

// regionName returns the region from --region or HW_REGION_NAME.
func (a *app) regionName() string {
	if a.region != "" {
		return a.region
	}
	return a.getenv("HW_REGION_NAME")
}

func (a *app) config() (config, error) {
	c := config{region: a.regionName()}
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
	var err error
	c.auth, c.source, err = a.credentials(c.region)
	return c, err
}

// credentials picks the first way to authenticate that the flags and the
// environment supply, in the order the help lists.
func (a *app) credentials(region string) (wrapper.Option, string, error) {
	env := a.getenv
	if a.tokenFile != "" {
		b, err := os.ReadFile(a.tokenFile)
		if err != nil {
			return nil, "", usagef("--token-file: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return nil, "", usagef("--token-file %s is empty", a.tokenFile)
		}
		return wrapper.WithToken(tok), "--token-file", nil
	}
	if tok := env("HW_AUTH_TOKEN"); tok != "" {
		return wrapper.WithToken(tok), "HW_AUTH_TOKEN", nil
	}
	for _, set := range [][3]string{
		{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PROJECT_ID"},
		{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID"},
	} {
		ak, sk, project := env(set[0]), env(set[1]), env(set[2])
		if ak == "" && sk == "" {
			continue
		}
		if missing := missingVars(env, set[:]...); len(missing) > 0 {
			return nil, "", fmt.Errorf("%w: %s is set but %s is not", errNoCredentials, firstSet(env, set[:]...), strings.Join(missing, " and "))
		}
		return wrapper.WithAKSK(ak, sk, project), set[0], nil
	}
	pw := []string{"HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME"}
	if env(pw[0]) != "" || env(pw[1]) != "" {
		if missing := missingVars(env, pw...); len(missing) > 0 {
			return nil, "", fmt.Errorf("%w: %s is set but %s is not", errNoCredentials, firstSet(env, pw...), strings.Join(missing, " and "))
		}
		if region == "" {
			return nil, "", usagef("IAM password authentication needs the region (the token's project): pass --region or set HW_REGION_NAME")
		}
		iamURL := env("HW_AUTH_URL")
		if iamURL != "" {
			if err := checkURL("HW_AUTH_URL", iamURL); err != nil {
				return nil, "", err
			}
			iamURL = strings.TrimSuffix(strings.TrimSuffix(iamURL, "/"), "/v3")
		} else {
			iamURL = "https://iam." + region + ".myhuaweicloud.com"
		}
		ts, err := iam.NewPasswordTokenSource(iam.PasswordAuth{
			Endpoint: iamURL, DomainName: env("HW_DOMAIN_NAME"), UserName: env("HW_USER_NAME"),
			Password: env("HW_USER_PASSWORD"), ProjectName: region,
		}, a.iamOptions()...)
		if err != nil {
			return nil, "", err
		}
		return wrapper.WithTokenSource(ts), "HW_USER_NAME", nil
	}
	return nil, "", errNoCredentials
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
