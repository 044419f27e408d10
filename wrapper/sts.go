package wrapper

import "errors"

// WithSecurityToken sends token in X-Security-Token with every request and
// signs it along with the rest, as temporary credentials (STS) require:
// the access key and secret key given to WithAKSK are then the temporary
// pair that was issued with token. It needs WithAKSK; New refuses it with
// WithToken or WithTokenSource, which carry no signature to bind it to.
//
// The token is never logged and is redacted from error messages.
func WithSecurityToken(token string) Option {
	return func(c *Client) error {
		if token == "" {
			return errors.New("empty security token")
		}
		if err := checkHeaderValue("security token", token); err != nil {
			return err
		}
		c.securityToken = []string{token}
		return nil
	}
}

// errSecurityTokenWithoutAKSK is what New reports for WithSecurityToken
// without WithAKSK.
var errSecurityTokenWithoutAKSK = errors.New("dnsep: WithSecurityToken needs WithAKSK: a security token goes with a temporary access key pair")
