package fake

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi"
)

// An Option configures a Server.
type Option func(*config) error

type config struct {
	token             string
	keys              map[string]string
	securityTokens    map[string]string // access key → security token, for temporary keys
	projectID         string
	vpcs              []VPC
	delay             time.Duration
	clock             func() time.Time
	seeds             []SeedEndpoint
	region            string
	quota             map[gen.Direction]int
	ruleQuota         int
	validateResponses bool
	onViolation       func(*openapi.ContractError)
	randSeed          *uint64
	logger            *slog.Logger
	state             []byte // WithState
	changeHook        func()
	recordCount       int // WithRecorderLimits
	recordBytes       int
	users             []iamUser     // WithUser: the fake IAM serves them
	tokenTTL          time.Duration // WithTokenTTL
}

// WithToken sets the IAM token the fake accepts in X-Auth-Token. Without it
// the fake makes up a random token; read it with Token. A token that is
// empty, is not UTF-8 or holds control characters is refused.
func WithToken(token string) Option {
	return func(c *config) error {
		if err := checkToken(token); err != nil {
			return err
		}
		c.token = token
		return nil
	}
}

// WithAccessKey makes the fake accept requests signed (SDK-HMAC-SHA256) with
// this key pair. Give it once per key pair.
func WithAccessKey(accessKey, secretKey string) Option {
	return func(c *config) error {
		if accessKey == "" || secretKey == "" {
			return errors.New("empty access key or secret key")
		}
		c.keys[accessKey] = secretKey
		delete(c.securityTokens, accessKey) // a permanent key from now on
		return nil
	}
}

// WithTemporaryAccessKey makes the fake accept requests signed with this
// temporary key pair (STS) that carry securityToken in X-Security-Token and
// name that header among the signed headers, as the official SDKs do. A
// request signed with the key whose security token is missing, unsigned or
// wrong gets 401 APIGW.0301. Give it once per key pair; the last
// WithAccessKey or WithTemporaryAccessKey for an access key wins.
func WithTemporaryAccessKey(accessKey, secretKey, securityToken string) Option {
	return func(c *config) error {
		if accessKey == "" || secretKey == "" || securityToken == "" {
			return errors.New("empty access key, secret key or security token")
		}
		if err := checkToken(securityToken); err != nil {
			return fmt.Errorf("security token: %w", err)
		}
		if c.securityTokens == nil {
			c.securityTokens = map[string]string{}
		}
		c.keys[accessKey] = secretKey
		c.securityTokens[accessKey] = securityToken
		return nil
	}
}

// WithProjectID makes signed requests carry this X-Project-Id; by default
// any non-empty project ID is accepted.
func WithProjectID(id string) Option {
	return func(c *config) error { c.projectID = id; return nil }
}

// WithVPC adds a VPC and its subnets to the inventory, next to DefaultVPC.
func WithVPC(v VPC) Option {
	return func(c *config) error { c.vpcs = append(c.vpcs, v); return nil }
}

// WithDelay sets how long PENDING_* states last (default 0: the answer to a
// write shows the pending state, the next read shows it settled).
func WithDelay(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("negative delay")
		}
		c.delay = d
		return nil
	}
}

// WithClock replaces time.Now, for timestamps, settling and the AK/SK clock
// skew check.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("nil clock")
		}
		c.clock = now
		return nil
	}
}

// SeedEndpoint is an endpoint that exists, ACTIVE, when the fake starts.
type SeedEndpoint struct {
	Name      string
	Direction gen.Direction
	IPs       []gen.IpaddressInfo // 2 to 6, as for CreateEndpoint
}

// WithSeedEndpoint creates an ACTIVE endpoint at start. The usual rules
// apply: New fails if the seed breaks one.
func WithSeedEndpoint(e SeedEndpoint) Option {
	return func(c *config) error { c.seeds = append(c.seeds, e); return nil }
}

// WithRegion sets the region that CreateEndpoint requires in its body
// (default "cn-north-4").
func WithRegion(region string) Option {
	return func(c *config) error {
		if region == "" {
			return errors.New("empty region")
		}
		c.region = region
		return nil
	}
}

// WithQuota sets how many inbound and outbound endpoints may exist (default
// 50 each, as the service's default quota).
func WithQuota(inbound, outbound int) Option {
	return func(c *config) error {
		if inbound < 0 || outbound < 0 {
			return errors.New("negative quota")
		}
		c.quota = map[gen.Direction]int{gen.DirectionInbound: inbound, gen.DirectionOutbound: outbound}
		return nil
	}
}

// WithRuleQuota sets how many resolver rules may exist, deleted ones not
// counted (default 50, the example limit of the service's quota page).
func WithRuleQuota(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("negative rule quota")
		}
		c.ruleQuota = n
		return nil
	}
}

// WithValidation turns the contract validation of responses on or off (on
// by default). Requests are always validated: the handlers keep only the
// rules the document cannot state, such as counts, uniqueness and
// existence, and rely on the validator for the rest.
func WithValidation(responses bool) Option {
	return func(c *config) error { c.validateResponses = responses; return nil }
}

// WithViolationHandler calls fn for every contract violation the fake finds
// (NewTestServer reports them as test errors).
func WithViolationHandler(fn func(*openapi.ContractError)) Option {
	return func(c *config) error { c.onViolation = fn; return nil }
}

// WithRandSeed makes the IDs the fake hands out repeatable.
func WithRandSeed(seed uint64) Option {
	return func(c *config) error { c.randSeed = &seed; return nil }
}

// WithLogger logs one record per request: method, path, operation, status,
// duration and request ID. Credentials are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithChangeHook calls fn after every write that the service accepted (a
// request other than GET answered 2xx), before the answer is complete: for
// example to save State. fn runs on the request's goroutine, so it may be
// called concurrently.
func WithChangeHook(fn func()) Option {
	return func(c *config) error {
		if fn == nil {
			return errors.New("nil change hook")
		}
		c.changeHook = fn
		return nil
	}
}
