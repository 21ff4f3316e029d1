package loopback

import "testing"

func TestCheck(t *testing.T) {
	for server, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://[::1]:8080": true, "http://localhost:8080": true,
		"http://192.0.2.7:8080": false, "http://10.0.0.1": false,
	} {
		if err := Check(server); (err == nil) != ok {
			t.Errorf("%s: %v, want allowed=%v", server, err, ok)
		}
	}
}
