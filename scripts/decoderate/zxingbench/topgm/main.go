// Command topgm writes images as 8-bit grey PGM (P5) files for zxingbench
// and the zxingwasm bench: the luma of a JPEG as decoded (what the scanner
// reads from a YCbCr image), other images through image/color's grey
// conversion. With -samples it renders tuning-seed corpus samples instead,
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
	"image/color"
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
			if yc, ok := img.(*image.YCbCr); ok {
				w.WriteByte(yc.Y[yc.YOffset(x, y)])
			} else {
				w.WriteByte(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
			}
		}
	}
	if err := w.Flush(); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
