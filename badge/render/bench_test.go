package render

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"
)

// BenchmarkBadgePDF is one CR80 badge, fonts already parsed.
func BenchmarkBadgePDF(b *testing.B) {
	r := renderer(b)
	badge := sampleBadge(b, "阿卜杜拉·买买提")
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := r.BadgePDF(&out, badge, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len())/1024, "KB/pdf")
}

// BenchmarkSheet1000 is a 1,000-badge CR80 batch N-up on A4; it reports the
// PDF's size and the peak heap in use while it was built (sampled).
func BenchmarkSheet1000(b *testing.B) {
	r := renderer(b)
	badges := make([]*Badge, 1000)
	for i := range badges {
		badges[i] = sampleBadge(b, hardNames[i%len(hardNames)])
		badges[i].Serial = int64(i + 1)
	}
	var size int
	var peak uint64
	for b.Loop() {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		stop := make(chan struct{})
		done := make(chan uint64)
		go func() {
			var max uint64
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > max {
					max = m.HeapInuse
				}
				select {
				case <-stop:
					done <- max
					return
				case <-t.C:
				}
			}
		}()
		i := 0
		next := func() (*Badge, error) {
			if i == len(badges) {
				return nil, nil
			}
			i++
			return badges[i-1], nil
		}
		cw := &countWriter{}
		if _, _, err := r.SheetPDF(cw, next, Options{}); err != nil {
			b.Fatal(err)
		}
		close(stop)
		if p := <-done - base.HeapInuse; p > peak {
			peak = p
		}
		size = cw.n
	}
	b.ReportMetric(float64(size)/(1<<20), "MB/pdf")
	b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap")
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
