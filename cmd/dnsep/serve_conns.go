package main

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// connLimiter is a net.Listener that keeps at most max connections open, so
// that a flood of connections cannot exhaust the process's file
// descriptors. It learns each connection's state from the http.Server's
// ConnState hook (track). At the limit, Accept closes the connection that
// has been idle between requests the longest, as http.Server.Shutdown
// closes idle connections (a client on it loses nothing but a reconnect);
// if none is idle it waits for one to close, and new connections wait in
// the kernel's backlog, which uses no descriptor of the process.
type connLimiter struct {
	net.Listener
	max int

	mu   sync.Mutex
	open map[net.Conn]*connState
	wake chan struct{} // a connection closed or went idle; buffered, never blocks
	done chan struct{} // closed by Close
	once sync.Once
}

type connState struct {
	idle  bool
	since time.Time // when it became idle
}

func newConnLimiter(ln net.Listener, max int) *connLimiter {
	return &connLimiter{Listener: ln, max: max, open: map[net.Conn]*connState{},
		wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// Accept waits for room under the limit, then for a connection.
func (l *connLimiter) Accept() (net.Conn, error) {
	for !l.room() {
		select {
		case <-l.wake:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.open[c] = &connState{}
	l.mu.Unlock()
	return c, nil
}

// room reports whether a connection may be accepted, closing the longest
// idle one to make room if need be.
func (l *connLimiter) room() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.open) < l.max {
		return true
	}
	var oldest net.Conn
	for c, st := range l.open {
		if st.idle && (oldest == nil || st.since.Before(l.open[oldest].since)) {
			oldest = c
		}
	}
	if oldest == nil {
		return false
	}
	delete(l.open, oldest) // its descriptor is released now; the hook's StateClosed finds nothing
	_ = oldest.Close()
	return true
}

// track is the http.Server's ConnState hook.
func (l *connLimiter) track(c net.Conn, state http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.open[c]
	if !ok {
		return // closed to make room, or not accepted by l
	}
	switch state {
	case http.StateNew, http.StateActive:
		st.idle = false
		return
	case http.StateIdle:
		st.idle, st.since = true, time.Now()
	case http.StateClosed, http.StateHijacked:
		delete(l.open, c)
	}
	// An Accept waiting at the limit can now make room.
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Close closes the listener and wakes an Accept that waits for room.
func (l *connLimiter) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}
