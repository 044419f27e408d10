package wrapper_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// TestWrongBaseURLIsNotGone: behind a base URL with a wrong path, the
// gateway answers 404 APIGW.0101 to everything. The waiters must not take
// that for "deleted", and the error must say why.
func TestWrongBaseURLIsNotGone(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithValidation(false))
	c, err := wrapper.New(srv.URL+"/wrong-prefix", wrapper.WithToken(srv.Token))
	if err != nil {
		t.Fatal(err)
	}
	const ep, ip = "ff80808169be2efb0169bef85d720013", "ab12cd34ef56ab78cd90ef12ab34cd56"
	calls := map[string]func(context.Context) error{
		"ShowEndpoint": func(ctx context.Context) error { _, err := c.ShowEndpoint(ctx, ep); return err },
		"WaitEndpointDeleted": func(ctx context.Context) error {
			_, err := c.WaitEndpointDeleted(ctx, ep)
			return err
		},
		"WaitIpaddressGone": func(ctx context.Context) error {
			_, err := c.WaitIpaddressGone(ctx, ep, ip)
			return err
		},
	}
	for name, call := range calls {
		err := call(t.Context())
		switch {
		case err == nil:
			t.Errorf("%s: success, want an error", name)
		case wrapper.IsNotFound(err) || errors.Is(err, wrapper.ErrNotFound):
			t.Errorf("%s: err %v matches ErrNotFound", name, err)
		case !errors.Is(err, wrapper.ErrNoSuchAPI):
			t.Errorf("%s: err %v does not match ErrNoSuchAPI", name, err)
		case !strings.Contains(err.Error(), "APIGW.0101") || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "check the base URL"):
			t.Errorf("%s: error %q: want the gateway's code and a hint at the base URL", name, err)
		}
	}
}
