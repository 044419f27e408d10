package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// IAMOperation is the Operation of recorded requests to the fake IAM
// (POST /v3/auth/tokens), as the official SDK names the call. InjectFault
// accepts it like an operationId of the DNS API.
const IAMOperation = "KeystoneCreateUserTokenByPassword"

const (
	// iamTokensRoute is the ServeMux pattern of the fake IAM.
	iamTokensRoute = "POST /v3/auth/tokens"

	// defaultTokenTTL is how long IAM tokens last.
	defaultTokenTTL = 24 * time.Hour

	// maxIAMBody caps what the fake IAM reads of a token request; a
	// password token request is a few hundred bytes.
	maxIAMBody = 64 << 10

	// maxIssuedTokens bounds the live tokens the fake remembers, so that a
	// client that logs in in a loop cannot grow the process: past it the
	// oldest token is forgotten (and refused from then on).
	maxIssuedTokens = 10000

	// iamTimeLayout is how IAM writes times: UTC with microseconds.
	iamTimeLayout = "2006-01-02T15:04:05.000000Z"
)

// iamUser is an identity that WithUser configured.
type iamUser struct {
	domain, name string
	password     [sha256.Size]byte // hashed, so that comparing takes the same time whatever the lengths
}

// WithUser makes the fake serve IAM's POST /v3/auth/tokens and issue tokens
// to this password identity (user name, password and domain, that is
// account, name), scoped to the fake's project: by name, the region
// (WithRegion), or by ID, the project ID (WithProjectID, else one derived
// from the region). Give it once per user; the last password given for a
// user of a domain wins. Names and password must be non-empty UTF-8
// without control characters. Without any WithUser the route answers 404
// APIGW.0101, as it does on the DNS API's own host.
func WithUser(domain, user, password string) Option {
	return func(c *config) error {
		for _, v := range [][2]string{{"domain name", domain}, {"user name", user}, {"password", password}} {
			if err := checkIAMName(v[0], v[1]); err != nil {
				return err
			}
		}
		u := iamUser{domain: domain, name: user, password: sha256.Sum256([]byte(password))}
		for i := range c.users {
			if c.users[i].domain == domain && c.users[i].name == user {
				c.users[i] = u
				return nil
			}
		}
		c.users = append(c.users, u)
		return nil
	}
}

// checkIAMName refuses a value of WithUser that is empty, not UTF-8 or
// holds a control character. Its message names what, never the value.
func checkIAMName(what, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("WithUser: empty %s", what)
	case !utf8.ValidString(v):
		return fmt.Errorf("WithUser: the %s is not valid UTF-8", what)
	}
	if i := strings.IndexFunc(v, unicode.IsControl); i >= 0 {
		return fmt.Errorf("WithUser: the %s holds a control character at byte %d", what, i)
	}
	return nil
}

// WithTokenTTL sets how long the tokens the fake IAM issues are accepted
// (default 24 hours, as IAM's), by the fake's clock (WithClock).
func WithTokenTTL(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("WithTokenTTL: the validity must be positive")
		}
		c.tokenTTL = d
		return nil
	}
}

// RevokeIssuedTokens makes the API refuse every token the fake IAM has
// issued so far, as IAM does after a password change. The static token
// (Token) keeps working.
func (s *Server) RevokeIssuedTokens() { s.issued.revoke() }

// issuedTokens are the tokens the fake IAM issued and has not forgotten.
// Tokens are looked up by their SHA-256, so that a lookup's timing tells
// nothing about a token's value.
type issuedTokens struct {
	mu      sync.Mutex
	max     int // maxIssuedTokens if 0; tests lower it
	expires map[[sha256.Size]byte]time.Time
	order   []issuedToken // in the order issued, from head on
	head    int
}

type issuedToken struct {
	key     [sha256.Size]byte
	expires time.Time
}

// issue remembers a new token that expires at exp, forgetting the tokens
// expired at now and, past maxIssuedTokens, the oldest ones.
func (t *issuedTokens) issue(token string, now, exp time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.expires == nil {
		t.expires = map[[sha256.Size]byte]time.Time{}
	}
	limit := t.max
	if limit <= 0 {
		limit = maxIssuedTokens
	}
	for t.head < len(t.order) && (!now.Before(t.order[t.head].expires) || len(t.order)-t.head >= limit) {
		delete(t.expires, t.order[t.head].key)
		t.order[t.head] = issuedToken{}
		t.head++
	}
	if t.head > len(t.order)/2 { // keep the slice within twice the live tokens
		t.order = append(t.order[:0], t.order[t.head:]...)
		t.head = 0
	}
	key := sha256.Sum256([]byte(token))
	t.expires[key] = exp
	t.order = append(t.order, issuedToken{key, exp})
}

// check returns why token is refused at now, or "" if it is an issued
// token still valid.
func (t *issuedTokens) check(token string, now time.Time) string {
	t.mu.Lock()
	exp, ok := t.expires[sha256.Sum256([]byte(token))]
	t.mu.Unlock()
	switch {
	case !ok:
		return "decrypt token fail"
	case !now.Before(exp):
		return "token expires, expires_at: " + exp.UTC().Format(iamTimeLayout)
	}
	return ""
}

func (t *issuedTokens) revoke() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expires, t.order, t.head = nil, nil, 0
}

// live returns how many tokens are remembered.
func (t *issuedTokens) live() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.expires)
}

// newIssuedToken returns a random token. Real IAM tokens are long base64
// texts that start with "MII"; these start with "MIIfake-", so that no one
// takes them for the static token ("fake-...") or for real ones.
func newIssuedToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails
	return "MIIfake-" + base64.RawURLEncoding.EncodeToString(b[:])
}

// stableID returns 32 hexadecimal characters derived from kind and name, as
// IAM's IDs look, the same in every run.
func stableID(kind, name string) string {
	sum := sha256.Sum256([]byte("dnsep-fake-iam/" + kind + "/" + name))
	return hex.EncodeToString(sum[:16])
}

// projectID returns the ID of the fake's project: WithProjectID's, else
// one derived from the region.
func (c *config) iamProjectID() string {
	if c.projectID != "" {
		return c.projectID
	}
	return stableID("project", c.region)
}

// iamRequest is the part of a token request that the fake IAM reads.
// Pointers tell a missing object from an empty one.
type iamRequest struct {
	Auth *struct {
		Identity *struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User *struct {
					Name     string `json:"name"`
					Password string `json:"password"`
					Domain   *struct {
						Name string `json:"name"`
					} `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope *struct {
			Project *struct {
				Name string `json:"name"`
				ID   string `json:"id"`
			} `json:"project"`
		} `json:"scope"`
	} `json:"auth"`
}

// iamCredentials is what a valid token request asks for.
type iamCredentials struct {
	domain, user, password string
	projectName, projectID string
}

// parseIAMRequest decodes a token request, or returns the message of a 400.
// A message never quotes the body: it may hold the password.
func parseIAMRequest(body []byte) (iamCredentials, string) {
	var req iamRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return iamCredentials{}, "The request body is not a valid token request (malformed JSON or a value of the wrong type)."
	}
	missing := func(field string) (iamCredentials, string) {
		return iamCredentials{}, "Expecting to find " + field + " in the request body."
	}
	a := req.Auth
	switch {
	case a == nil:
		return missing("auth")
	case a.Identity == nil:
		return missing("auth.identity")
	case len(a.Identity.Methods) != 1 || a.Identity.Methods[0] != "password":
		return iamCredentials{}, `Invalid input for field 'auth.identity.methods': the fake IAM supports ["password"] only.`
	case a.Identity.Password == nil || a.Identity.Password.User == nil:
		return missing("auth.identity.password.user")
	case a.Identity.Password.User.Name == "":
		return missing("auth.identity.password.user.name")
	case a.Identity.Password.User.Password == "":
		return missing("auth.identity.password.user.password")
	case a.Identity.Password.User.Domain == nil || a.Identity.Password.User.Domain.Name == "":
		return missing("auth.identity.password.user.domain.name")
	case a.Scope == nil || a.Scope.Project == nil:
		return missing("auth.scope.project")
	case a.Scope.Project.Name == "" && a.Scope.Project.ID == "":
		return missing("auth.scope.project.name or auth.scope.project.id")
	}
	u := a.Identity.Password.User
	return iamCredentials{domain: u.Domain.Name, user: u.Name, password: u.Password,
		projectName: a.Scope.Project.Name, projectID: a.Scope.Project.ID}, ""
}

// findUser reports whether cred names a configured user with its
// password. Every user is compared, in constant time, whoever matches.
func (c *config) findUser(cred iamCredentials) bool {
	pw := sha256.Sum256([]byte(cred.password))
	found := 0
	for _, u := range c.users {
		same := subtle.ConstantTimeCompare([]byte(u.domain), []byte(cred.domain)) &
			subtle.ConstantTimeCompare([]byte(u.name), []byte(cred.user)) &
			subtle.ConstantTimeCompare(u.password[:], pw[:])
		found |= same
	}
	return found == 1
}

// serveIAM answers a token request as IAM does for a password identity
// scoped to a project. The gateway routes it here without authentication
// and without the DNS API's document: it is another service.
func (s *Server) serveIAM(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-IAM-Trace-Id", w.Header().Get("X-Request-Id"))
	body, err := io.ReadAll(io.LimitReader(r.Body, maxIAMBody+1))
	switch {
	case err != nil:
		writeIAMError(w, http.StatusBadRequest, "The request body could not be read.")
		return
	case len(body) > maxIAMBody:
		writeIAMError(w, http.StatusRequestEntityTooLarge, "The request body is too large.")
		return
	}
	cred, why := parseIAMRequest(body)
	if why != "" {
		writeIAMError(w, http.StatusBadRequest, why)
		return
	}
	if !s.cfg.findUser(cred) {
		writeIAMError(w, http.StatusUnauthorized, "The username or password is wrong.")
		return
	}
	projectID := s.cfg.iamProjectID()
	if cred.projectName != "" && cred.projectName != s.cfg.region || cred.projectID != "" && cred.projectID != projectID {
		// Keystone refuses a scope it cannot grant as it refuses
		// credentials: 401, without saying which project exists.
		writeIAMError(w, http.StatusUnauthorized, "The request you have made requires authentication.")
		return
	}
	now := s.cfg.clock().UTC()
	exp := now.Add(s.cfg.tokenTTL)
	token := newIssuedToken()
	s.issued.issue(token, now, exp)

	resp := s.iamTokenBody(r, cred, now, exp)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("X-Subject-Token", token)
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(resp)
}

// iamErrorBody is IAM's error shape.
type iamErrorBody struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Title   string `json:"title"`
	} `json:"error"`
}

func writeIAMError(w http.ResponseWriter, status int, message string) {
	var b iamErrorBody
	b.Error.Code, b.Error.Message, b.Error.Title = status, message, http.StatusText(status)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(b)
}

// iamToken is the body of a 201, with the fields the official SDK's
// TokenResult has for a project-scoped token.
type iamToken struct {
	Token struct {
		ExpiresAt string          `json:"expires_at"`
		IssuedAt  string          `json:"issued_at"`
		Methods   []string        `json:"methods"`
		Project   iamProject      `json:"project"`
		User      iamTokenUser    `json:"user"`
		Roles     []iamNamed      `json:"roles"`
		Catalog   []iamCatalogRow `json:"catalog,omitempty"`
	} `json:"token"`
}

type iamNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type iamProject struct {
	iamNamed
	Domain iamNamed `json:"domain"`
}

type iamTokenUser struct {
	iamNamed
	Domain            iamNamed `json:"domain"`
	PasswordExpiresAt string   `json:"password_expires_at"` // "": the password does not expire
}

type iamCatalogRow struct {
	iamNamed
	Type      string               `json:"type"`
	Endpoints []iamCatalogEndpoint `json:"endpoints"`
}

type iamCatalogEndpoint struct {
	ID        string `json:"id"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	RegionID  string `json:"region_id"`
	URL       string `json:"url"`
}

// iamTokenBody returns the body of a token issued at now to cred. The
// project's domain is the user's: a user logs in to its own account. The
// catalog, unless the query's nocatalog is non-empty, lists the fake's DNS
// API at the URL the request came to.
func (s *Server) iamTokenBody(r *http.Request, cred iamCredentials, now, exp time.Time) iamToken {
	domain := iamNamed{ID: stableID("domain", cred.domain), Name: cred.domain}
	var b iamToken
	t := &b.Token
	t.ExpiresAt, t.IssuedAt = exp.Format(iamTimeLayout), now.Format(iamTimeLayout)
	t.Methods = []string{"password"}
	t.Project = iamProject{iamNamed{ID: s.cfg.iamProjectID(), Name: s.cfg.region}, domain}
	t.User = iamTokenUser{iamNamed: iamNamed{ID: stableID("user", cred.domain+"/"+cred.user), Name: cred.user}, Domain: domain}
	// IAM shows role IDs as "0"; te_admin is the account administrator's.
	t.Roles = []iamNamed{{ID: "0", Name: "te_admin"}}
	if r.URL.Query().Get("nocatalog") != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	t.Catalog = []iamCatalogRow{{
		iamNamed: iamNamed{ID: stableID("service", "dns"), Name: "dns"},
		Type:     "dns",
		Endpoints: []iamCatalogEndpoint{{ID: stableID("endpoint", "dns/"+s.cfg.region), Interface: "public",
			Region: s.cfg.region, RegionID: s.cfg.region, URL: scheme + "://" + r.Host}},
	}}
	return b
}
