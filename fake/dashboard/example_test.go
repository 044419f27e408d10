package dashboard_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/fake/dashboard"
)

// A dashboard mounted beside a fake, as dnsep serve does.
func Example() {
	srv, err := fake.New()
	if err != nil {
		panic(err)
	}
	d, err := dashboard.New(srv)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/dashboard/", d)
	mux.Handle("/", srv)
	hs := httptest.NewServer(mux)
	defer hs.Close()

	login := d.LoginURL(hs.URL) // open it in a browser, once
	fmt.Println(strings.HasPrefix(login, hs.URL+"/dashboard/?token="))

	resp, err := http.Get(hs.URL + "/dashboard/api/endpoints") // no session
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// true
	// 401
}
