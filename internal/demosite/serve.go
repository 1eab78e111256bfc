package demosite

import (
	"net"
	"net/http"
	"time"
)

// Serve serves h on a free port of 127.0.0.1 and returns its base URL (such as
// "http://127.0.0.1:41234") and a function that stops the server. The examples
// serve the shop and their fake APIs with it.
func Serve(h http.Handler) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln) // returns http.ErrServerClosed once stop is called
	}()
	return "http://" + ln.Addr().String(), func() { srv.Close(); <-done }, nil
}
