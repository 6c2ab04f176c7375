// h2probe's Go client: net/http requests over golang.org/x/net/http2's Transport (Debian's
// golang-golang-x-net-dev, built in GOPATH mode by ci/clients/install.sh), driven by one
// command line like every wrapped client (see ci/clients/clients.tsv):
//
//	h2probe-go-client get URL          one GET
//	h2probe-go-client post URL FILE    one POST of FILE's octets, with content-length
//	h2probe-go-client multi URL...     the GETs concurrently on one connection
//
// Prints `status <code> <body-octets>` per request on stdout (multi: in argument order; a
// failed request prints `error <reason>` in its place). Exit 0 when every request got a
// response, 1 on a transport or protocol error (the error on stderr), 2 on a usage error.
//
// http:// is h2c with prior knowledge: http2.Transport{AllowHTTP: true} with a
// DialTLSContext that dials plain TCP. https:// is TLS with NextProtos ["h2"]; any
// certificate is accepted (the scripted server's is self-signed) unless
// H2PROBE_CLIENT_VERIFY=1. StrictMaxConcurrentStreams keeps multi on one connection even
// when the server allows fewer streams than there are URLs (requests then wait for a slot).
// DisableCompression: no transparent gzip, so <body-octets> are the octets as received.
// Everything ends within 10 s.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http2"
)

const timeout = 10 * time.Second

// How long a failed run waits before it exits.
const linger = 200 * time.Millisecond

func usage(msg string) {
	if msg != "" {
		fmt.Fprintf(os.Stderr, "h2probe-go-client: %s\n", msg)
	}
	fmt.Fprintln(os.Stderr, "usage: h2probe-go-client get URL | post URL FILE | multi URL...")
	os.Exit(2)
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func main() {
	args := os.Args[1:]
	var urls []string
	var body []byte
	switch {
	case len(args) == 2 && args[0] == "get":
		urls = args[1:]
	case len(args) == 3 && args[0] == "post":
		urls = args[1:2]
		b, err := os.ReadFile(args[2])
		if err != nil {
			usage(fmt.Sprintf("cannot read %s: %v", args[2], err))
		}
		body = b
	case len(args) >= 2 && args[0] == "multi":
		urls = args[1:]
	default:
		usage("")
	}
	var origin string
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			usage("not an http:// or https:// URL: " + u)
		}
		if origin == "" {
			origin = p.Scheme + "://" + p.Host
		} else if origin != p.Scheme+"://"+p.Host {
			usage("multi: every URL must have the same origin (one connection)")
		}
	}

	// The hard bound, whatever a read or write is stuck in.
	time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "h2probe-go-client: no result within %v\n", timeout)
		os.Exit(1)
	})
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	t := &http2.Transport{
		TLSClientConfig: &tls.Config{
			NextProtos:         []string{"h2"},
			InsecureSkipVerify: os.Getenv("H2PROBE_CLIENT_VERIFY") != "1",
		},
		StrictMaxConcurrentStreams: true,
		DisableCompression:         true,
	}
	if strings.HasPrefix(origin, "http://") {
		t.AllowHTTP = true
		t.DialTLSContext = func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	}
	client := &http.Client{Transport: t}

	lines := make([]string, len(urls))
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func(i int, u string) {
			defer wg.Done()
			lines[i], errs[i] = do(ctx, client, u, body)
		}(i, u)
	}
	wg.Wait()
	t.CloseIdleConnections()

	failed := false
	for i := range urls {
		if errs[i] != nil {
			failed = true
			if args[0] == "multi" {
				fmt.Printf("error %s\n", oneLine(errs[i]))
			}
			fmt.Fprintf(os.Stderr, "h2probe-go-client: %s\n", oneLine(errs[i]))
		} else {
			fmt.Println(lines[i])
		}
	}
	if failed {
		// An application outlives its failed request: give the transport's goroutines the
		// moment they need to finish what they write on a connection error (its GOAWAY),
		// which an immediate exit would cut off at random.
		time.Sleep(linger)
		os.Exit(1)
	}
}

func do(ctx context.Context, client *http.Client, u string, body []byte) (string, error) {
	method := http.MethodGet
	var rd io.Reader
	if body != nil {
		method = http.MethodPost
		rd = bytes.NewReader(body) // a *bytes.Reader: net/http sets ContentLength
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		// The stream has failed already: closing the body now would race the transport's
		// own reaction to the error with a RST_STREAM(CANCEL) of the wrapper's making.
		return "", fmt.Errorf("reading the body after %d octets: %w", n, err)
	}
	resp.Body.Close()
	return fmt.Sprintf("status %d %d", resp.StatusCode, n), nil
}
