// Command topgm writes images as 8-bit grey PGM (P5) files for zxingbench
// and the zxingwasm bench: the grey levels the scanner reads (luma): a
// JPEG's Y as decoded, other images as (R+2G+B)/4, the scanner's and the
// kiosk worker's weights. With -samples it renders tuning-seed corpus samples instead,
// before JPEG compression: the frames of the scanner's Go benchmarks
// (BenchmarkCorpusFrame is clean-000, BenchmarkCorpusFrameNoCode
// nocode-000, BenchmarkDecodeTraits/C C-000).
//
//	go run ./scripts/decoderate/zxingbench/topgm -out /tmp/frames /tmp/s18-tune/nocode-000.jpg ...
//	go run ./scripts/decoderate/zxingbench/topgm -out /tmp/frames -samples clean-000,nocode-000,tiltx45-000,two-000
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // register
	_ "image/png"  // register
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"huiwu/kiosk/scanner/corpus"
)

func main() {
	out := flag.String("out", ".", "directory for the .pgm files")
	samples := flag.String("samples", "", "comma-separated corpus samples (class-index) to render at the tuning seed")
	flag.Parse()
	if *samples != "" {
		for _, name := range strings.Split(*samples, ",") {
			if err := render(name, *out); err != nil {
				log.Fatal(err)
			}
		}
	}
	for _, name := range flag.Args() {
		if err := convert(name, *out); err != nil {
			log.Fatal(err)
		}
	}
}

// render writes corpus sample name ("class-index") as name.pgm.
func render(name, dir string) error {
	i := strings.LastIndex(name, "-")
	first, err := strconv.Atoi(name[i+1:])
	if i < 0 || err != nil {
		return fmt.Errorf("sample %q: want class-index", name)
	}
	cfg := corpus.Config{Seed: corpus.TuningSeed, PerClass: 1, First: first, Classes: []string{name[:i]}}
	return corpus.Generate(cfg, func(s corpus.Sample) error {
		return write(s.Image, filepath.Join(dir, name+".pgm"))
	})
}

func convert(name, dir string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	stem := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	return write(img, filepath.Join(dir, stem+".pgm"))
}

func write(img image.Image, path string) error {
	b := img.Bounds()
	o, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(o)
	fmt.Fprintf(w, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			w.WriteByte(luma(img, x, y))
		}
	}
	if err := w.Flush(); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

// luma is the grey level the scanner reads at (x, y) (kiosk/scanner's
// luminance, and the kiosk worker's): a JPEG's Y as decoded, grey as it
// is, else (R+2G+B)/4 composited over white, on 8-bit values for RGBA (a
// corpus sample) as the scanner does. image/color's grey model weighs the
// channels otherwise, and a frame a level off here and there can take
// another path through the scanner's passes than the one it was given.
func luma(img image.Image, x, y int) byte {
	switch m := img.(type) {
	case *image.YCbCr:
		return m.Y[m.YOffset(x, y)]
	case *image.Gray:
		return m.Pix[m.PixOffset(x, y)]
	case *image.RGBA:
		p := m.Pix[m.PixOffset(x, y):]
		return byte((uint32(p[0])+2*uint32(p[1])+uint32(p[2]))/4 + 255 - uint32(p[3]))
	}
	r, g, b, a := img.At(x, y).RGBA()
	return byte(((r+2*g+b)/4 + 0xffff - a) >> 8)
}
