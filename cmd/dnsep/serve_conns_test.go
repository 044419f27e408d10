package main

import (
	"net"
	"net/http"
	"testing"
	"testing/synctest"
)

// chanListener is a net.Listener that accepts the connections sent on it.
type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l *chanListener) Close() error   { close(l.done); return nil }
func (l *chanListener) Addr() net.Addr { return serveAddr("pipe") }

// TestConnLimiter follows a connection limit of 1: Accept waits while the
// one connection is busy, and closes it to make room once it goes idle.
func TestConnLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &chanListener{conns: make(chan net.Conn, 2), done: make(chan struct{})}
		l := newConnLimiter(inner, 1)
		first, firstPeer := net.Pipe()
		second, secondPeer := net.Pipe()
		defer firstPeer.Close()
		defer secondPeer.Close()
		defer second.Close()
		inner.conns <- first
		inner.conns <- second

		c, err := l.Accept()
		if err != nil || c != first {
			t.Fatalf("Accept: %v, %v", c, err)
		}
		l.track(c, http.StateNew)
		l.track(c, http.StateActive)
		accepted := make(chan net.Conn, 1)
		go func() {
			c, _ := l.Accept()
			accepted <- c
		}()
		synctest.Wait()
		select {
		case c := <-accepted:
			t.Fatalf("accepted %v beyond the limit while the first connection is busy", c)
		default:
		}

		l.track(first, http.StateIdle)
		synctest.Wait()
		select {
		case c := <-accepted:
			if c != second {
				t.Fatalf("accepted %v, want the second connection", c)
			}
		default:
			t.Fatal("Accept still waits although the first connection went idle")
		}
		if _, err := first.Write([]byte("x")); err == nil {
			t.Error("the idle connection was not closed to make room")
		}
		l.Close()
	})
}
