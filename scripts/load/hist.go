package main

import (
	"math"
	"sync"
	"time"
)

// histogram records latencies in logarithmic buckets (about 2% wide) from
// 10 µs to 100 s: constant memory however long the run, quantiles good to a
// couple of percent.
type histogram struct {
	mu     sync.Mutex
	counts [1200]uint64
	n      uint64
	max    time.Duration
}

const (
	histMin    = 10 * time.Microsecond
	histGrowth = 1.02
)

func bucket(d time.Duration) int {
	if d <= histMin {
		return 0
	}
	b := int(math.Log(float64(d)/float64(histMin)) / math.Log(histGrowth))
	return min(b, len(histogram{}.counts)-1)
}

func (h *histogram) add(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.mu.Lock()
	h.counts[bucket(d)]++
	h.n++
	h.max = max(h.max, d)
	h.mu.Unlock()
}

// quantile returns the upper edge of the bucket holding quantile q.
func (h *histogram) quantile(q float64) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return 0
	}
	target := uint64(math.Ceil(q * float64(h.n)))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= target {
			return min(time.Duration(float64(histMin)*math.Pow(histGrowth, float64(i+1))), h.max)
		}
	}
	return h.max
}

func (h *histogram) count() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// summary is a histogram's figures for the report.
type summary struct {
	Count uint64  `json:"count"`
	P50   float64 `json:"p50_ms"`
	P99   float64 `json:"p99_ms"`
	P999  float64 `json:"p99_9_ms"`
	Max   float64 `json:"max_ms"`
}

func (h *histogram) summary() summary {
	ms := func(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }
	h.mu.Lock()
	maxD := h.max
	h.mu.Unlock()
	return summary{Count: h.count(), P50: ms(h.quantile(0.5)), P99: ms(h.quantile(0.99)), P999: ms(h.quantile(0.999)), Max: ms(maxD)}
}
