package aksk_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dnsep/dnsep/aksk"
)

func ExampleSign() {
	req, err := http.NewRequest(http.MethodDelete,
		"https://dns.cn-north-4.myhuaweicloud.com/v2.1/endpoints/ep1/ipaddresses/ip1", nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set(aksk.HeaderProjectID, "0a1b2c3d4e5f60718293a4b5c6d7e8f9")
	now := time.Date(2026, 11, 25, 22, 43, 21, 0, time.UTC)
	if err := aksk.Sign(req, nil, "HPUAEXAMPLEAK0000001", "example-secret", now); err != nil {
		panic(err)
	}
	fmt.Println(req.Header.Get(aksk.HeaderDate))
	fmt.Println(strings.Split(req.Header.Get("Authorization"), ", ")[1])
	// Output:
	// 20261125T224321Z
	// SignedHeaders=host;x-project-id;x-sdk-date
}

func ExampleVerify() {
	keys := map[string]string{"HPUAEXAMPLEAK0000001": "example-secret"}
	lookup := func(ak string) (string, bool) {
		sk, ok := keys[ak]
		return sk, ok
	}
	body := []byte(`{"name":"ep1"}` + "\n")
	req, _ := http.NewRequest(http.MethodPost, "https://dns.cn-north-4.myhuaweicloud.com/v2.1/endpoints", bytes.NewReader(body))
	now := time.Date(2026, 11, 25, 22, 43, 21, 0, time.UTC)
	_ = aksk.Sign(req, body, "HPUAEXAMPLEAK0000001", "example-secret", now)

	ak, err := aksk.Verify(req, body, lookup, now.Add(time.Minute), aksk.DefaultMaxSkew)
	fmt.Println(ak, err)
	_, err = aksk.Verify(req, body, lookup, now.Add(20*time.Minute), aksk.DefaultMaxSkew)
	fmt.Println(errors.Is(err, aksk.ErrClockSkew))
	// Output:
	// HPUAEXAMPLEAK0000001 <nil>
	// true
}
