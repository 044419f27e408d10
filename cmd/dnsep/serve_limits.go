package main

import (
	"fmt"
	"net/http"
	"time"
)

// serveLimits are the limits dnsep serve puts on connections and requests,
// so that clients that stall or flood cannot exhaust the process. Tests
// shrink them; shippedServeLimits holds the values dnsep ships with.
type serveLimits struct {
	readHeader     time.Duration // to read a request's header
	read           time.Duration // to read a whole request, body included
	write          time.Duration // from the end of the header to the end of the answer
	idle           time.Duration // a keep-alive connection waiting for its next request
	maxHeaderBytes int           // the most header bytes of a request
	maxConns       int           // open connections; at the limit the longest idle one is closed
}

// shippedServeLimits returns the limits of dnsep serve. The write timeout
// exceeds the read timeout: it runs from the same moment and must leave
// time to answer a request whose body took nearly all of its read timeout.
func shippedServeLimits() serveLimits {
	return serveLimits{
		readHeader:     10 * time.Second,
		read:           30 * time.Second,
		write:          40 * time.Second,
		idle:           60 * time.Second,
		maxHeaderBytes: 64 << 10,
		maxConns:       1000,
	}
}

// server returns an http.Server for h with the limits l.
func (l serveLimits) server(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.readHeader,
		ReadTimeout:       l.read,
		WriteTimeout:      l.write,
		IdleTimeout:       l.idle,
		MaxHeaderBytes:    l.maxHeaderBytes,
	}
}

// help describes the limits for dnsep serve --help.
func (l serveLimits) help() string {
	return fmt.Sprintf(`Limits: a request must send its header within %s and all of itself within
%s, and be answered within %s of its header; a keep-alive connection is
closed after %s idle; headers may take %d KiB (more is answered 431). At
most %d connections are open at once (fewer if the process may open fewer
files): beyond that the longest idle one is closed, or new ones wait. A
request refused for its credentials or its route is answered at once,
without reading its body, and its connection closed. The request log keeps
at most the last 10,000 requests and 16 MiB of them (none with
--no-dashboard), so a stream of requests cannot grow the process beyond that.`,
		l.readHeader, l.read, l.write, l.idle, l.maxHeaderBytes>>10, l.maxConns)
}
