package bench

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

// TestSDKIAMCompat proves that the official SDK's IAM client
// (KeystoneCreateUserTokenByPassword) gets a token from the fake IAM of
// `dnsep serve`, decodes the whole answer, and reads a wrong password as a
// ServiceResponseError with status 401, IAM's message and a request ID.
func TestSDKIAMCompat(t *testing.T) {
	bin := buildDNSEP(t)
	const password = "pw-SDKSECRET-iam"
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	proc, banner := startServe(t, bin, "--listen", "127.0.0.1:0", "--user", "dns-operator", "--domain", "acme",
		"--password-file", pwFile, "--project-id", projectID, "--delay", "0")
	rec := &recorder{rt: loopback(t)}
	// The SDK's IAM client signs with a key pair of the account; IAM's token
	// call does not need it, and the fake does not check it.
	cred, err := global.NewCredentialsBuilder().WithAk(accessKey).WithSk(secretKey).WithDomainId(strings.Repeat("d", 32)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := iam.IamClientBuilder().WithEndpoints([]string{banner.url}).WithCredential(cred).
		WithHttpConfig(config.DefaultHttpConfig().WithHttpRoundTripper(rec).WithTimeout(serveWait)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	client := iam.NewIamClient(hc)
	request := func(pw string, scope iammodel.AuthScopeProject, nocatalog *string) *iammodel.KeystoneCreateUserTokenByPasswordRequest {
		return &iammodel.KeystoneCreateUserTokenByPasswordRequest{Nocatalog: nocatalog, Body: &iammodel.KeystoneCreateUserTokenByPasswordRequestBody{
			Auth: &iammodel.PwdAuth{
				Identity: &iammodel.PwdIdentity{
					Methods: []iammodel.PwdIdentityMethods{iammodel.GetPwdIdentityMethodsEnum().PASSWORD},
					Password: &iammodel.PwdPassword{User: &iammodel.PwdPasswordUser{Name: "dns-operator", Password: pw,
						Domain: &iammodel.PwdPasswordUserDomain{Name: "acme"}}},
				},
				Scope: &iammodel.AuthScope{Project: &scope},
			}}}
	}

	for name, tt := range map[string]struct {
		scope     iammodel.AuthScopeProject
		nocatalog *string
	}{
		"by name with the catalog": {iammodel.AuthScopeProject{Name: ptr(banner.region)}, nil},
		"by ID without it":         {iammodel.AuthScopeProject{Id: ptr(projectID)}, ptr("true")},
	} {
		resp, err := client.KeystoneCreateUserTokenByPassword(request(password, tt.scope, tt.nocatalog))
		ex := rec.lastExchange()
		if err != nil {
			t.Fatalf("%s: %v\nexchange:\n%s", name, err, ex)
		}
		tok := resp.Token
		if resp.HttpStatusCode != 201 || str(resp.XSubjectToken) == "" || tok == nil || tok.Project == nil || tok.User == nil {
			t.Fatalf("%s: status %d, token %v: want 201, X-Subject-Token and a body", name, resp.HttpStatusCode, tok)
		}
		if tok.Project.Id != projectID || tok.Project.Name != banner.region || tok.User.Name != "dns-operator" ||
			tok.User.Domain == nil || tok.User.Domain.Name != "acme" || tok.ExpiresAt == "" || (len(tok.Catalog) == 0) != (tt.nocatalog != nil) {
			t.Errorf("%s: token %v", name, tok)
		}
		// TokenResult has no omitempty on catalog: it encodes the catalog
		// that nocatalog left out as null, which is no difference.
		var want, got any
		b, _ := json.Marshal(map[string]any{"token": tok})
		if err := errors.Join(json.Unmarshal(ex.body, &want), json.Unmarshal(b, &got)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(dropNulls(want), dropNulls(got)); diff != "" {
			t.Errorf("%s: the SDK's model differs from the answer (-answer +decoded):\n%s\nexchange:\n%s", name, diff, ex)
		}
	}

	_, err = client.KeystoneCreateUserTokenByPassword(request("wrong", iammodel.AuthScopeProject{Name: ptr(banner.region)}, nil))
	// The SDK finds no code in IAM's error shape (its code is a number), so
	// it keeps the whole body as the message, as it does with the real IAM.
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) || se.StatusCode != 401 || !strings.Contains(se.ErrorMessage, "The username or password is wrong.") || se.RequestId == "" {
		t.Errorf("a wrong password: %v (%T), want a 401 ServiceResponseError with IAM's message\nexchange:\n%s", err, err, rec.lastExchange())
	}
	stopServe(t, proc)
	if strings.Contains(proc.errOutput(), "SDKSECRET") {
		t.Errorf("the password is in serve's output:\n%s", proc.errOutput())
	}
}
