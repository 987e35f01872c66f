package main

import (
	"net"
	"net/http"
	"sync"
)

// connLimit bounds the connections an HTTP server holds open at once
// (MAX_CONNECTIONS). Idle keep-alive connections go first: when every slot
// is taken and a new connection is waiting, the connection that has been
// idle longest is closed to make room, so idle clients can never lock out a
// new request or a health probe. When every slot holds a busy connection,
// Accept waits (new connections queue in the kernel's backlog) until one
// closes; nothing is refused and nothing crashes.
//
// Wrap the listener with listener and set the server's ConnState to
// connState, so the limit knows which connections are idle.
type connLimit struct {
	slots chan struct{} // one token per open connection

	mu   sync.Mutex
	idle map[net.Conn]uint64 // idle connections, with the order they went idle in
	seq  uint64
}

func newConnLimit(max int) *connLimit {
	return &connLimit{slots: make(chan struct{}, max), idle: map[net.Conn]uint64{}}
}

// listener wraps ln so that Accept takes a slot first.
func (l *connLimit) listener(ln net.Listener) net.Listener {
	return &limitedListener{Listener: ln, l: l, closed: make(chan struct{})}
}

// connState tracks idle connections; it is http.Server.ConnState.
func (l *connLimit) connState(c net.Conn, st http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch st {
	case http.StateIdle:
		l.seq++
		l.idle[c] = l.seq
	default:
		delete(l.idle, c)
	}
}

// open returns how many connections hold a slot.
func (l *connLimit) open() int { return len(l.slots) }

// closeOldestIdle closes the connection idle longest, if any, and reports
// whether it closed one. Its slot is freed when the server sees it closed.
func (l *connLimit) closeOldestIdle() bool {
	l.mu.Lock()
	var oldest net.Conn
	var at uint64
	for c, seq := range l.idle {
		if oldest == nil || seq < at {
			oldest, at = c, seq
		}
	}
	if oldest != nil {
		delete(l.idle, oldest)
	}
	l.mu.Unlock()
	if oldest == nil {
		return false
	}
	oldest.Close()
	return true
}

// acquire takes a slot, closing idle connections while none is free, and
// waits when every open connection is busy.
func (l *connLimit) acquire(closed <-chan struct{}) bool {
	for {
		select {
		case l.slots <- struct{}{}:
			return true
		default:
		}
		if !l.closeOldestIdle() {
			break
		}
	}
	select {
	case l.slots <- struct{}{}:
		return true
	case <-closed:
		return false
	}
}

type limitedListener struct {
	net.Listener
	l         *connLimit
	closeOnce sync.Once
	closed    chan struct{}
}

func (ll *limitedListener) Accept() (net.Conn, error) {
	if !ll.l.acquire(ll.closed) {
		return nil, net.ErrClosed
	}
	c, err := ll.Listener.Accept()
	if err != nil {
		<-ll.l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, l: ll.l}, nil
}

func (ll *limitedListener) Close() error {
	ll.closeOnce.Do(func() { close(ll.closed) })
	return ll.Listener.Close()
}

// limitedConn gives its slot back when it is closed, once.
type limitedConn struct {
	net.Conn
	l    *connLimit
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.idle, c)
		c.l.mu.Unlock()
		<-c.l.slots
	})
	return err
}
