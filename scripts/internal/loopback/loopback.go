// Package loopback keeps the load and attack scripts on this machine: they
// refuse a server address that resolves anywhere but loopback.
package loopback

import (
	"fmt"
	"net"
	"net/url"
)

// Check refuses a server base URL whose host is not a loopback address.
func Check(server string) error {
	u, err := url.Parse(server)
	if err != nil {
		return err
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address; these tools target this machine only", u.Hostname())
		}
	}
	return nil
}
