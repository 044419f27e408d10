package wrapper

import (
	"context"
	"net"
	"net/http"
	"sync"
	"syscall"
	"testing"
)

// MemNet is an in-memory network for tests that run in a testing/synctest
// bubble. Its connections are net.Pipe pairs, whose waits the bubble can
// see: fake time moves only when the client and the server both wait, so a
// deadline or a Retry-After in a test never depends on the machine's speed.
// A loopback socket would not do: a goroutine blocked on one does not count
// as durably blocked, and the bubble's clock would stand still.
//
// Create a MemNet, its servers and its transports inside the bubble.
type MemNet struct {
	mu        sync.Mutex
	listeners map[string]*memListener // by "host:port"
}

// NewMemNet returns an empty network.
func NewMemNet() *MemNet { return &MemNet{listeners: map[string]*memListener{}} }

// Serve serves h at http://host (port 80) until the test ends and returns
// that base URL.
func (n *MemNet) Serve(tb testing.TB, host string, h http.Handler) string {
	tb.Helper()
	l := &memListener{addr: memAddr(host + ":80"), conns: make(chan net.Conn), done: make(chan struct{})}
	n.mu.Lock()
	n.listeners[string(l.addr)] = l
	n.mu.Unlock()
	srv := &http.Server{Handler: h}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	tb.Cleanup(func() {
		_ = srv.Close()
		<-served
	})
	return "http://" + host
}

// Transport returns a transport that dials on n. Its idle connections are
// closed when the test ends.
func (n *MemNet) Transport(tb testing.TB) *http.Transport {
	tr := &http.Transport{DialContext: n.dial, ForceAttemptHTTP2: false}
	tb.Cleanup(tr.CloseIdleConnections)
	return tr
}

// dial connects to the listener at addr, or fails as a refused connection
// would.
func (n *MemNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	l := n.listeners[addr]
	n.mu.Unlock()
	if l == nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type memListener struct {
	addr  memAddr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *memListener) Addr() net.Addr { return l.addr }

type memAddr string

func (a memAddr) Network() string { return "mem" }
func (a memAddr) String() string  { return string(a) }
