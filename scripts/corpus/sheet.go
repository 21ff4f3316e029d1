package main

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
)

// sheet is a contact sheet: the first two samples of each class, at half
// size, four to a row, for looking at what the corpus actually shows.
type sheet struct {
	img  *image.RGBA
	next int
}

const sheetCols = 4

func newSheet(classes int) *sheet {
	n := 2 * classes
	rows := (n + sheetCols - 1) / sheetCols
	img := image.NewRGBA(image.Rect(0, 0, sheetCols*322, rows*242))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.White}, image.Point{}, draw.Src)
	return &sheet{img: img}
}

// add puts frame into the next cell, halved by 2×2 averaging.
func (s *sheet) add(frame *image.RGBA) {
	ox, oy := (s.next%sheetCols)*322, (s.next/sheetCols)*242
	s.next++
	b := frame.Bounds()
	for y := 0; y+1 < b.Dy() && y/2 < 240; y += 2 {
		for x := 0; x+1 < b.Dx() && x/2 < 320; x += 2 {
			var c [4]int
			for _, p := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				o := frame.PixOffset(x+p[0], y+p[1])
				for i := 0; i < 4; i++ {
					c[i] += int(frame.Pix[o+i])
				}
			}
			s.img.SetRGBA(ox+x/2, oy+y/2, color.RGBA{uint8(c[0] / 4), uint8(c[1] / 4), uint8(c[2] / 4), 255})
		}
	}
}

func (s *sheet) write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, s.img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
