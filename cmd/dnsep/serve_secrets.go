package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Environment variables that serve reads its secrets from, so that they
// need not be on the command line, where ps shows them.
const (
	envServeToken     = "DNSEP_SERVE_TOKEN"
	envServeSecretKey = "DNSEP_SERVE_SECRET_KEY"
)

// maxSecretFile bounds what serve reads of a secret file.
const maxSecretFile = 64 << 10

// serveSecrets completes f with the token and the secret key from files
// and the environment, each taken from the first of: its flag, its file
// flag (--token-file is the global flag, here the token to accept), its
// environment variable. It then checks the values that serve prints.
func (a *app) serveSecrets(f *serveFlags) error {
	switch {
	case f.tokenSet && a.tokenFile != "":
		return usagef("--token and --token-file: give one or the other")
	case f.secretKey != "" && f.secretKeyFile != "":
		return usagef("--secret-key and --secret-key-file: give one or the other")
	case a.tokenFile != "":
		tok, err := readSecretFile("--token-file", a.tokenFile)
		if err != nil {
			return err
		}
		f.token, f.tokenSet, f.tokenFrom = tok, true, "--token-file "+a.tokenFile
	case !f.tokenSet:
		if tok := a.getenv(envServeToken); tok != "" {
			f.token, f.tokenSet, f.tokenFrom = tok, true, envServeToken
		}
	}
	switch {
	case f.secretKeyFile != "":
		sk, err := readSecretFile("--secret-key-file", f.secretKeyFile)
		if err != nil {
			return err
		}
		f.secretKey = sk
	case f.secretKey == "" && f.accessKey != "":
		f.secretKey = a.getenv(envServeSecretKey)
	}
	for _, v := range [][2]string{{f.tokenFrom, f.token}, {"--access-key", f.accessKey}, {"--project-id", f.projectID}} {
		if err := checkPrintable(v[1]); err != nil {
			return usagef("%s: %v", v[0], err)
		}
	}
	return nil
}

// readSecretFile reads a secret from a file, without the line ending that
// an editor or echo leaves.
func readSecretFile(flag, path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxSecretFile+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
	case len(b) > maxSecretFile:
		return "", fmt.Errorf("%s %s: bigger than %d KiB", flag, path, maxSecretFile>>10)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", fmt.Errorf("%s %s is empty", flag, path)
	}
	return s, nil
}

// checkPrintable refuses a value that serve would print if it could move
// the cursor, clear the screen or otherwise act on a terminal.
func checkPrintable(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("holds a control character (%U at byte %d)", r, i)
	}
	return nil
}
