// Command watch prints a Huiwu server's live messages, one JSON line each:
//
//	go run ./scripts/watch -token T -topics attendance,seats:opening
//	go run ./scripts/watch -server http://10.0.0.5:8080 -token T -topics event
//
// -server is the server's base URL (default http://127.0.0.1:8080; https
// becomes wss). The token goes in the Authorization header, never in the
// address. It is the quickest way to see the counts move while you scan.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/signal"

	"github.com/gorilla/websocket"
)

func main() {
	server := flag.String("server", "http://127.0.0.1:8080", "server base `URL`")
	token := flag.String("token", os.Getenv("HUIWU_ADMIN_TOKEN"), "bearer `token`")
	topics := flag.String("topics", "attendance", "comma-separated `topics`")
	flag.Parse()

	u, err := url.Parse(*server)
	if err != nil {
		fmt.Fprintln(os.Stderr, "watch:", err)
		os.Exit(2)
	}
	u.Scheme = map[string]string{"https": "wss"}[u.Scheme]
	if u.Scheme == "" {
		u.Scheme = "ws"
	}
	u.Path = "/ws"
	u.RawQuery = url.Values{"topics": {*topics}}.Encode()
	conn, resp, err := websocket.DefaultDialer.Dial(u.String(), http.Header{"Authorization": {"Bearer " + *token}})
	if err != nil {
		if resp != nil {
			fmt.Fprintf(os.Stderr, "watch: %s: HTTP %s\n", u.String(), resp.Status)
		} else {
			fmt.Fprintln(os.Stderr, "watch:", err)
		}
		os.Exit(1)
	}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt)
		<-stop
		conn.Close()
	}()
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		fmt.Println(string(msg))
	}
}
