// A WinRM endpoint for the Hyper-V driver's transport tests, built from Debian's Go sources:
// dylanmei/winrmtest (a WS-Management shell server: Create, Command, Receive, Signal, Delete)
// behind a front that speaks what a Windows WinRM HTTPS listener speaks before it: TLS (a
// self-signed certificate made at start, its PEM written to -cafile for the client to trust)
// and NTLMv2 over the Negotiate scheme, checked by ThomsonReutersEikon/go-ntlm's server session
// (an NTLM implementation the Orquestra client shares no code with), or Basic when asked.
//
// There is no Hyper-V here: a command is a PowerShell script (-EncodedCommand, UTF-16LE
// base64) that is decoded and echoed back as JSON, so the tests see exactly what arrived.
// A script containing "orquestra-winrmtest:exit=N" exits with N; "orquestra-winrmtest:bytes=N"
// answers N bytes of output.
//
// Usage: winrm -listen 127.0.0.1:0 -username orquestra -password SECRET -domain LAB
//
//	-urlfile FILE -cafile FILE
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf16"

	"github.com/ThomsonReutersEikon/go-ntlm/ntlm"
	"github.com/dylanmei/winrmtest"
)

// The state of one TCP connection: NTLM authenticates a connection, not a request.
type connState struct {
	mu            sync.Mutex
	session       ntlm.ServerSession
	authenticated bool
}

type ctxKey struct{}

var (
	username = flag.String("username", "orquestra", "user name the client must send")
	password = flag.String("password", "", "its password")
	domain   = flag.String("domain", "LAB", "its NTLM domain")
	listen   = flag.String("listen", "127.0.0.1:0", "address to listen on (loopback)")
	urlfile  = flag.String("urlfile", "", "write the endpoint URL here once listening")
	cafile   = flag.String("cafile", "", "write the certificate (PEM) here")
	plain    = flag.Bool("plain", false, "serve plain http instead of https")
)

// What the last matched command was (winrmtest's handlers do not see the command text).
var (
	lastMu     sync.Mutex
	lastScript string
)

var encoded = regexp.MustCompile(`(?i)^powershell(\.exe)? .*-EncodedCommand ([A-Za-z0-9+/=]+)$`)

func decodeScript(b64 string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw)%2 != 0 {
		return "", fmt.Errorf("not UTF-16LE base64")
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(raw[2*i:])
	}
	return string(utf16.Decode(u)), nil
}

var exitMarker = regexp.MustCompile(`orquestra-winrmtest:exit=(\d+)`)
var bytesMarker = regexp.MustCompile(`orquestra-winrmtest:bytes=(\d+)`)

func registerCommands(r *winrmtest.Remote) {
	r.CommandFunc(func(candidate string) bool {
		m := encoded.FindStringSubmatch(candidate)
		if m == nil {
			return false
		}
		script, err := decodeScript(m[2])
		if err != nil {
			return false
		}
		lastMu.Lock()
		lastScript = script
		lastMu.Unlock()
		return true
	}, func(out, errw io.Writer) int {
		lastMu.Lock()
		script := lastScript
		lastMu.Unlock()
		if m := bytesMarker.FindStringSubmatch(script); m != nil {
			n, _ := strconv.Atoi(m[1])
			out.Write(bytes.Repeat([]byte("x"), n))
			return 0
		}
		b, _ := json.Marshal(map[string]interface{}{"script": script, "length": len([]rune(script))})
		out.Write(b)
		if m := exitMarker.FindStringSubmatch(script); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
		return 0
	})
}

func challenge(w http.ResponseWriter, extra string) {
	w.Header().Add("WWW-Authenticate", strings.TrimSpace("Negotiate "+extra))
	if extra == "" {
		w.Header().Add("WWW-Authenticate", `Basic realm="WSMAN"`)
	}
	w.WriteHeader(http.StatusUnauthorized)
}

// authenticate answers the request itself (401 with a challenge) or returns true when the
// connection (or this request, for Basic) is authenticated.
func authenticate(w http.ResponseWriter, r *http.Request, st *connState) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	h := r.Header.Get("Authorization")
	if st.authenticated && h == "" {
		return true
	}
	switch {
	case strings.HasPrefix(h, "Basic "):
		u, p, ok := r.BasicAuth()
		if ok && strings.EqualFold(u, *username) && p == *password {
			return true
		}
		challenge(w, "")
		return false
	case strings.HasPrefix(h, "Negotiate ") || strings.HasPrefix(h, "NTLM "):
		token, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[strings.Index(h, " ")+1:]))
		if err != nil || len(token) < 12 || string(token[:8]) != "NTLMSSP\x00" {
			challenge(w, "")
			return false
		}
		switch binary.LittleEndian.Uint32(token[8:12]) {
		case 1:
			s, _ := ntlm.CreateServerSession(ntlm.Version2, ntlm.ConnectionOrientedMode)
			s.SetUserInfo(*username, *password, *domain)
			cm, err := s.GenerateChallengeMessage()
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return false
			}
			st.session = s
			st.authenticated = false
			challenge(w, base64.StdEncoding.EncodeToString(cm.Bytes()))
			return false
		case 3:
			if st.session == nil {
				challenge(w, "")
				return false
			}
			am, err := ntlm.ParseAuthenticateMessage(token, 2)
			ok := err == nil && strings.EqualFold(am.UserName.String(), *username) && st.session.ProcessAuthenticateMessage(am) == nil
			st.session = nil
			if !ok {
				log.Printf("NTLM authentication refused")
				challenge(w, "")
				return false
			}
			st.authenticated = true
			return true
		}
	}
	challenge(w, "")
	return false
}

func selfSigned() (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tpl := x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "orquestra-winrmtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, &tpl, &tpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, _ := x509.MarshalECPrivateKey(key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		log.Fatal(err)
	}
	return pair, certPEM
}

func main() {
	flag.Parse()
	if *password == "" {
		log.Fatal("-password is required")
	}
	remote := winrmtest.NewRemote()
	defer remote.Close()
	registerCommands(remote)
	backend := fmt.Sprintf("http://%s:%d/wsman", remote.Host, remote.Port)
	client := &http.Client{Timeout: 60 * time.Second}

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := r.Context().Value(ctxKey{}).(*connState)
		if r.URL.Path != "/wsman" {
			http.NotFound(w, r)
			return
		}
		if !authenticate(w, r, st) {
			io.Copy(io.Discard, r.Body)
			return
		}
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequest(http.MethodPost, backend, bytes.NewReader(body))
		req.Header.Set("Content-Type", r.Header.Get("Content-Type"))
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Handler:     handler,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, ctxKey{}, &connState{}) },
	}
	scheme := "http"
	if !*plain {
		pair, certPEM := selfSigned()
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
		if *cafile != "" {
			if err := os.WriteFile(*cafile, certPEM, 0o644); err != nil {
				log.Fatal(err)
			}
		}
		scheme = "https"
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	url := fmt.Sprintf("%s://%s/wsman", scheme, ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	if *urlfile != "" {
		if err := os.WriteFile(*urlfile, []byte(url), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(url)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
}
