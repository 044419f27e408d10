package main

// envServeSecurityToken names the variable that serve reads the security
// token of a temporary --access-key from.
const envServeSecurityToken = "DNSEP_SERVE_SECURITY_TOKEN"

// serveSecurityToken completes f with the security token that makes the
// access key temporary: from --security-token-file, else from
// DNSEP_SERVE_SECURITY_TOKEN. There is no flag with the value itself:
// other users see the command line in ps.
func (a *app) serveSecurityToken(f *serveFlags) error {
	from := envServeSecurityToken
	switch {
	case f.securityTokenFile != "":
		tok, err := readSecretFile("--security-token-file", f.securityTokenFile)
		if err != nil {
			return err
		}
		f.securityToken, from = tok, "--security-token-file "+f.securityTokenFile
	default:
		f.securityToken = a.getenv(envServeSecurityToken)
	}
	switch {
	case f.securityToken == "":
		return nil
	case f.accessKey == "":
		return usagef("%s needs --access-key: the security token goes with a temporary access key", from)
	}
	if err := checkPrintable(f.securityToken); err != nil {
		return usagef("%s: %v", from, err) // the message names the problem, never the token
	}
	return nil
}
