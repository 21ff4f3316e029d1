package workbook

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"huiwu/server/internal/eventdef"
)

// seats3000 is the worst case the workbook meets: a 3,000-seat hall given
// seat by seat on the 座位 sheet rather than as sections.
func seats3000() eventdef.Definition {
	d := ExampleDefinition()
	hall := &d.Venues[0]
	hall.Presidium, hall.Sections, hall.Seats = nil, nil, make([]eventdef.Seat, 0, 3000)
	for i := range 3000 {
		row, n := i/60+1, i%60+1
		hall.Seats = append(hall.Seats, eventdef.Seat{Label: fmt.Sprintf("A-%d-%d", row, n), Section: "A", Row: row, Number: n,
			Kind: "normal", Door: "南门", X: float64(n) * 0.56, Y: 6 + float64(row)*0.95})
	}
	return d
}

func TestSeats3000RoundTrip(t *testing.T) {
	d := seats3000()
	got, _ := readOK(t, write(t, d))
	if !reflect.DeepEqual(got, d) {
		t.Fatal("3,000 seats do not read back as written")
	}
}

func BenchmarkWorkbook3000Seats(b *testing.B) {
	d := seats3000()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(d, &buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
		if _, _, errs := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len())); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
	b.ReportMetric(float64(size)/1024, "KiB/file")
}
