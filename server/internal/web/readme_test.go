package web_test

import (
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// TestReadmePairing runs the README's "pair a kiosk from the shell" block
// line by line, as bash and curl would: variables, $(…), echo | sed, and
// curl with -X, -H and -d (a POST labelled as a form, as curl labels it).
// The README's http://127.0.0.1:8080 and token T stand for the test's
// server. Every step must answer as its comment says, and the device ends
// up moved and revoked with its reason audited.
func TestReadmePairing(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := codeBlockAfter(string(readme), "Pair a kiosk from the shell")
	if len(block) < 5 {
		t.Fatalf("the README has no pairing block (found %q)", block)
	}
	srv := testkit.Serve(t)
	sh := &miniShell{t: t, vars: map[string]string{}, base: srv.URL, token: testkit.AdminToken}
	for _, line := range block {
		sh.script(line)
	}
	var got []int
	for _, c := range sh.curls {
		got = append(got, c.status)
	}
	want := []int{201, 202, 201, 200, 200, 200, 204}
	if len(got) != len(want) {
		t.Fatalf("the block ran %d curl commands (%v), want %d", len(got), sh.curls, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("curl %d (%s): HTTP %d %s, want %d", i+1, sh.curls[i].cmd, got[i], sh.curls[i].body, want[i])
		}
	}
	dev := sh.vars["DEV"]
	var devices []struct {
		ID, Name, Checkpoint string
		Revoked              *time.Time `json:"revoked_at"`
	}
	srv.Call("GET", "/devices", testkit.AdminToken, nil, &devices)
	found := false
	for _, d := range devices {
		if d.ID == dev {
			found = true
			if d.Name != "东门1号" || d.Checkpoint != "dining1" || d.Revoked == nil {
				t.Errorf("after the README's steps the device is %+v, want 东门1号 at dining1, revoked", d)
			}
		}
	}
	if !found {
		t.Fatalf("DEV=%q is not among the devices", dev)
	}
	var why string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT detail FROM audit WHERE action = 'device.revoke' AND subject = ?`, dev).Scan(&why); err != nil || why != "设备丢失" {
		t.Errorf("audited reason %q (%v), want 设备丢失", why, err)
	}
}

// codeBlockAfter answers the lines of the first indented code block after
// the line containing marker, without their indentation.
func codeBlockAfter(doc, marker string) []string {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if !strings.Contains(l, marker) {
			continue
		}
		var out []string
		for _, c := range lines[i+1:] {
			switch {
			case strings.HasPrefix(c, "    "):
				out = append(out, strings.TrimPrefix(c, "    "))
			case len(out) > 0:
				return out
			}
		}
		return out
	}
	return nil
}

// miniShell runs the few shell forms the README's examples use.
type miniShell struct {
	t           *testing.T
	vars        map[string]string
	base, token string
	curls       []curlRun
}

type curlRun struct {
	cmd    string
	status int
	body   string
}

var assignment = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=`)

// script runs one line: statements split by ';', each an assignment or a
// pipeline; it answers what the line printed.
func (s *miniShell) script(line string) string {
	out := ""
	for _, st := range splitTop(stripComment(line), ';') {
		st = strings.TrimSpace(st)
		if st == "" {
			continue
		}
		if m := assignment.FindStringSubmatch(st); m != nil {
			s.vars[m[1]] = strings.Join(s.words(st[len(m[0]):]), " ")
			continue
		}
		out += s.pipeline(st)
	}
	return out
}

func (s *miniShell) pipeline(src string) string {
	in := ""
	for _, cmd := range splitTop(src, '|') {
		args := s.words(cmd)
		if len(args) == 0 {
			s.t.Fatalf("empty command in %q", src)
		}
		switch args[0] {
		case "curl":
			in = s.curl(strings.TrimSpace(cmd), args[1:])
		case "echo":
			in = strings.Join(args[1:], " ") + "\n"
		case "sed":
			in = sed(s.t, args[1], in)
		default:
			s.t.Fatalf("the README's block runs %q, which this test does not know", args[0])
		}
	}
	return in
}

// curl sends the request as curl does: -d makes it a POST (unless -X
// says otherwise) with Content-Type application/x-www-form-urlencoded.
func (s *miniShell) curl(cmd string, args []string) string {
	method, body, url := "", "", ""
	hasBody := false
	header := http.Header{"User-Agent": {"curl/8.5.0"}, "Accept": {"*/*"}}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-s":
		case "-X":
			i++
			method = args[i]
		case "-H":
			i++
			k, v, _ := strings.Cut(args[i], ":")
			header.Set(k, strings.TrimSpace(v))
		case "-d":
			i++
			body, hasBody = args[i], true
		default:
			if strings.HasPrefix(a, "-") {
				s.t.Fatalf("curl option %s is not known to this test", a)
			}
			url = a
		}
	}
	if method == "" {
		method = "GET"
		if hasBody {
			method = "POST"
		}
	}
	if hasBody {
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if header.Get("Authorization") == "Bearer T" {
		header.Set("Authorization", "Bearer "+s.token)
	}
	url = strings.Replace(url, "http://127.0.0.1:8080", s.base, 1)
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		s.t.Fatalf("%s: %v", cmd, err)
	}
	req.Header = header
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		s.t.Fatalf("%s: %v", cmd, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	s.curls = append(s.curls, curlRun{cmd: cmd, status: resp.StatusCode, body: string(b)})
	return string(b)
}

// sed applies one s/RE/REPLACEMENT/ (a basic regular expression, as the
// README writes them) to each line of in.
func sed(t *testing.T, expr, in string) string {
	parts := strings.Split(expr, "/")
	if len(parts) != 4 || parts[0] != "s" {
		t.Fatalf("sed %q is not s/RE/REPLACEMENT/", expr)
	}
	re := regexp.MustCompile(strings.NewReplacer(`\(`, `(`, `\)`, `)`).Replace(parts[1]))
	repl := regexp.MustCompile(`\\([0-9])`).ReplaceAllString(parts[2], `$${$1}`)
	var out strings.Builder
	for _, l := range strings.SplitAfter(in, "\n") {
		if l == "" {
			continue
		}
		nl := strings.HasSuffix(l, "\n")
		out.WriteString(re.ReplaceAllString(strings.TrimSuffix(l, "\n"), repl))
		if nl {
			out.WriteString("\n")
		}
	}
	return out.String()
}

// words splits src into words as the shell does: quotes, $VAR, ${VAR} and
// $(…) (run, its output's last newlines dropped).
func (s *miniShell) words(src string) []string {
	var out []string
	var w strings.Builder
	in := false // inside a word
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
			continue
		case c == '\'':
			j := strings.IndexByte(src[i+1:], '\'')
			w.WriteString(src[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			j := i + 1
			for src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			w.WriteString(s.expand(src[i+1 : j]))
			i = j
		case c == '$':
			n, v := s.dollar(src[i:])
			w.WriteString(v)
			i += n - 1
		case c == '\\':
			i++
			w.WriteByte(src[i])
		default:
			w.WriteByte(c)
		}
		in = true
	}
	if in {
		out = append(out, w.String())
	}
	return out
}

// expand expands $ forms inside double quotes.
func (s *miniShell) expand(src string) string {
	var w strings.Builder
	for i := 0; i < len(src); i++ {
		if src[i] == '$' {
			n, v := s.dollar(src[i:])
			w.WriteString(v)
			i += n - 1
			continue
		}
		w.WriteByte(src[i])
	}
	return w.String()
}

var varName = regexp.MustCompile(`^\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// dollar reads a $ form at the start of src: how many bytes it takes and
// its value.
func (s *miniShell) dollar(src string) (int, string) {
	if strings.HasPrefix(src, "$(") {
		end := matchParen(src)
		return end + 1, strings.TrimRight(s.script(src[2:end]), "\n")
	}
	m := varName.FindStringSubmatch(src)
	if m == nil {
		return 1, "$"
	}
	return len(m[0]), s.vars[m[2]+m[3]]
}

// matchParen answers the index of the ')' closing the "$(" at src[0:2],
// skipping quoted text.
func matchParen(src string) int {
	end := len(src) - 1
	walkTop(src, func(i, depth int) bool {
		if src[i] == ')' && depth == 0 {
			end = i
			return false
		}
		return true
	})
	return end
}

// splitTop splits src at sep outside quotes and $(…).
func splitTop(src string, sep byte) []string {
	var out []string
	start := 0
	walkTop(src, func(i, depth int) bool {
		if src[i] == sep && depth == 0 {
			out = append(out, src[start:i])
			start = i + 1
		}
		return true
	})
	return append(out, src[start:])
}

// stripComment drops a '#' comment (a '#' starting a word, outside quotes).
func stripComment(src string) string {
	end := len(src)
	walkTop(src, func(i, _ int) bool {
		if src[i] == '#' && (i == 0 || src[i-1] == ' ' || src[i-1] == '\t') {
			end = i
			return false
		}
		return true
	})
	return src[:end]
}

// walkTop calls visit with the index of each byte of src outside quotes and
// the depth of parentheses there (after the byte), until visit answers
// false.
func walkTop(src string, visit func(i, depth int) bool) {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\'', '"':
			i += strings.IndexByte(src[i+1:], src[i]) + 1
			continue
		case '(':
			depth++
		case ')':
			depth--
		}
		if !visit(i, depth) {
			return
		}
	}
}
