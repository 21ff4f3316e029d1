// Command vendor-human refreshes the face engine's third-party files under
// kiosk/web/vendor/human/: Human (@vladmandic/human) and its models, and
// the WebAssembly binaries of @tensorflow/tfjs-backend-wasm, at pinned
// versions. The files are committed, so building, CI and `go run` need no
// npm; run this only to change a version (then update the pins below).
//
//	go run ./scripts/vendor-human [-o kiosk/web/vendor/human]
//
// It asks npm for the two tarballs (`npm pack`, which checks the
// registry's integrity hash), checks each tarball's sha256, copies only the
// files the engine loads and checks each copied file's sha256 against the
// list below. tfjs-backend-wasm ships no LICENSE file (its package.json and
// file headers say Apache-2.0), so its licence is written from the
// package's own copyright notice and the Apache-2.0 text in Debian's
// base-files, also checked by sha256.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// pkg is one pinned npm package and the files taken from it.
type pkg struct {
	name, version string
	tarballSHA256 string
	// files maps a path inside the tarball (under package/) to its path
	// under the output folder and its sha256.
	files []file
}

type file struct{ from, to, sha256 string }

var pkgs = []pkg{
	{
		name: "@vladmandic/human", version: "3.3.6",
		tarballSHA256: "425e9c51dbbca0c8934362b170cb0d54c2529c11c654b3c03092b16e9d6ad3f7",
		files: []file{
			// The classic (IIFE) build, loaded by the worker with
			// importScripts; it bundles tfjs 4.22.0's JavaScript.
			{"dist/human.js", "human.js", "5f240e5d2d60459f07aaa7df2cb129fd3f954c78dd05581cf6f8a30646779013"},
			{"LICENSE", "LICENSE", "9a3442b79acaf4fbc7c2e07b7e2d8f84af9bb3871bf08a69d80304ab00640e9a"},
			{"models/blazeface.json", "models/blazeface.json", "cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f"},
			{"models/blazeface.bin", "models/blazeface.bin", "dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72"},
			{"models/facemesh.json", "models/facemesh.json", "b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7"},
			{"models/facemesh.bin", "models/facemesh.bin", "3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b"},
			{"models/faceres.json", "models/faceres.json", "5b83d49c0385d2e68a05122441b94226313677cae9fcc40b9587ad50079eb4df"},
			{"models/faceres.bin", "models/faceres.bin", "2c7d2d62b76c97528b736527aa09d310ea71743c9e3e79fb6c62d4b2d73af79b"},
			{"models/antispoof.json", "models/antispoof.json", "7fd698ae1cebabbcad79d3b8b448587b0365eb7911987418231bdcf36583112a"},
			{"models/antispoof.bin", "models/antispoof.bin", "4490fecb2becdb6869edc7e60f5e59962be013a8def8719b1373afb0f905c094"},
			{"models/liveness.json", "models/liveness.json", "9e51c8acf83b80abbf329b2735309ab5c90611c66905ade8b1bd130d473df9c8"},
			{"models/liveness.bin", "models/liveness.bin", "fc6a6b6b3b9721bdb8bff67a457a15b7cbfd81715cfb27f3e65b757e81dd663e"},
		},
	},
	{
		// Must be the tfjs version Human bundles (4.22.0): the .wasm
		// binaries and the JavaScript that loads them go together.
		name: "@tensorflow/tfjs-backend-wasm", version: "4.22.0",
		tarballSHA256: "5cd6f5e18657c12fb94f4ec3dcef485c8c1a9ca39f3ef1d261c1cb13c1a231c3",
		files: []file{
			{"dist/tfjs-backend-wasm-simd.wasm", "wasm/tfjs-backend-wasm-simd.wasm", "77ebb28a6d34f371dbbf2086b7f2de8994acd8ea5a3cf1fa24d2c26c840cac7b"},
			// The fallback for a browser without WebAssembly SIMD. The
			// threaded build is not taken: threads need cross-origin
			// isolation, which the pages do not have.
			{"dist/tfjs-backend-wasm.wasm", "wasm/tfjs-backend-wasm.wasm", "70a5d516060464e5269f01c74bac1772d6b8ab6cb612acf16b5cdaf61f78d892"},
		},
	},
}

// The Apache License 2.0 text as Debian's base-files ships it, and the
// copyright notice tfjs-backend-wasm's own files carry.
const (
	apacheText   = "/usr/share/common-licenses/Apache-2.0"
	apacheSHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
	tfjsNotice   = "dist/tf-backend-wasm.js"
)

func main() {
	out := flag.String("o", "kiosk/web/vendor/human", "folder to write the vendored files into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "vendor-human:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	tmp, err := os.MkdirTemp("", "vendor-human-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var notice string
	var sizes []string
	for _, p := range pkgs {
		tarball, err := pack(tmp, p)
		if err != nil {
			return err
		}
		want := map[string]bool{}
		for _, f := range p.files {
			want[f.from] = true
		}
		if p.name == "@tensorflow/tfjs-backend-wasm" {
			want[tfjsNotice] = true
		}
		got, err := untar(tarball, want)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		for _, f := range p.files {
			b, ok := got[f.from]
			if !ok {
				return fmt.Errorf("%s@%s has no %s", p.name, p.version, f.from)
			}
			if h := sum(b); h != f.sha256 {
				return fmt.Errorf("%s@%s %s: sha256 %s, want %s", p.name, p.version, f.from, h, f.sha256)
			}
			if err := write(filepath.Join(out, f.to), b); err != nil {
				return err
			}
			sizes = append(sizes, fmt.Sprintf("%10d  %s", len(b), f.to))
		}
		if b, ok := got[tfjsNotice]; ok {
			notice, err = copyrightNotice(b)
			if err != nil {
				return err
			}
		}
	}
	lic, err := tfjsLicense(notice)
	if err != nil {
		return err
	}
	if err := write(filepath.Join(out, "wasm/LICENSE"), lic); err != nil {
		return err
	}
	if err := write(filepath.Join(out, "README.md"), []byte(readme)); err != nil {
		return err
	}
	sort.Strings(sizes)
	fmt.Println(strings.Join(sizes, "\n"))
	return nil
}

// pack fetches one pinned tarball with npm and checks its sha256.
func pack(dir string, p pkg) (string, error) {
	spec := p.name + "@" + p.version
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, spec)
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s: %w", spec, err)
	}
	path := filepath.Join(dir, strings.TrimSpace(string(name)))
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if h := sum(b); h != p.tarballSHA256 {
		return "", fmt.Errorf("%s: tarball sha256 %s, want %s", spec, h, p.tarballSHA256)
	}
	return path, nil
}

// untar answers the wanted files of an npm tarball (paths without the
// package/ prefix).
func untar(path string, want map[string]bool) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	got := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return got, nil
		}
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(h.Name, "package/")
		if !want[name] || h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			return nil, err
		}
		got[name] = b
	}
}

// copyrightNotice answers the @license comment a tfjs file opens with.
func copyrightNotice(js []byte) (string, error) {
	s := string(js)
	end := strings.Index(s, "*/")
	if !strings.HasPrefix(s, "/**") || end < 0 || !strings.Contains(s[:end], "Apache License, Version 2.0") {
		return "", errors.New("tfjs-backend-wasm: no Apache-2.0 notice at the top of " + tfjsNotice)
	}
	var lines []string
	for _, l := range strings.Split(s[3:end], "\n") {
		l = strings.TrimPrefix(strings.TrimSpace(l), "*")
		l = strings.TrimSpace(l)
		if l == "@license" || strings.Trim(l, "=") == "" {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n"), nil
}

func tfjsLicense(notice string) ([]byte, error) {
	if notice == "" {
		return nil, errors.New("no tfjs-backend-wasm copyright notice found")
	}
	text, err := os.ReadFile(apacheText)
	if err != nil {
		return nil, fmt.Errorf("the Apache-2.0 text (Debian's base-files): %w", err)
	}
	if h := sum(text); h != apacheSHA256 {
		return nil, fmt.Errorf("%s: sha256 %s, want %s", apacheText, h, apacheSHA256)
	}
	var b bytes.Buffer
	b.WriteString("tfjs-backend-wasm-simd.wasm and tfjs-backend-wasm.wasm come from the npm package\n")
	b.WriteString("@tensorflow/tfjs-backend-wasm 4.22.0, which ships no LICENSE file; its package.json\n")
	b.WriteString("names Apache-2.0 and its files carry this notice:\n\n")
	b.WriteString(notice)
	b.WriteString("\n\nThe licence's text follows.\n\n")
	b.Write(text)
	return b.Bytes(), nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

const readme = `# Vendored face engine (written by scripts/vendor-human)

What the face check (kiosk/web/common/face.js and its worker
/kiosk/face-worker.js) loads, served as /static/vendor/human/…, so that
kiosks and the desk need no internet:

| file | from | licence |
| --- | --- | --- |
| human.js (classic build; bundles tfjs 4.22.0 JavaScript) | npm @vladmandic/human 3.3.6 | MIT, LICENSE |
| models/{blazeface,facemesh,faceres,antispoof,liveness}.{json,bin} | npm @vladmandic/human 3.3.6 | MIT, LICENSE |
| wasm/tfjs-backend-wasm-simd.wasm, wasm/tfjs-backend-wasm.wasm | npm @tensorflow/tfjs-backend-wasm 4.22.0 | Apache-2.0, wasm/LICENSE |

Models: blazeface finds faces, facemesh aligns them, faceres computes the
1024-number descriptor that references are made of (face.js MODEL
'human-3.3.6/faceres'), antispoof and liveness give advisory scores.
Changing any of them changes the descriptors: every stored reference must
be recomputed, which is why MODEL names the version.

To refresh: change the versions and sha256s in scripts/vendor-human/main.go
(the tfjs-backend-wasm version must equal the tfjs that Human bundles), run
` + "`go run ./scripts/vendor-human`" + ` from the repository root (needs npm and
the npm registry), bump MODEL in kiosk/web/common/face.js if the faceres
model changed, and run the face tests (server/internal/web/face_browser_test.go)
and ` + "`go run ./scripts/facemeasure -faceapi -doc docs/dev/face-spike.md`" + `.
`
