package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"time"
)

// An import during load (-import-rows N) posts an attendee list of N new
// people while the kiosks scan, as the desk does when late registrations
// arrive at the start of a day. The scans whose intended send time falls
// while the import runs get a histogram of their own: the question is
// whether the door stalls while the list is stored.

// importRun is what the import during the load did.
type importRun struct {
	Rows    int     `json:"rows"`
	Status  int     `json:"status"`
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
	// Scans are the scans due while the import ran, and their latency;
	// Before and After (the afterWindow after its answer: what the end of
	// an import sets off) are the others of the same run, to set them
	// against.
	Scans  summary `json:"scan_latency_during"`
	Before summary `json:"scan_latency_before"`
	After  summary `json:"scan_latency_after"`

	mu                    sync.Mutex
	start, end            time.Time
	during, before, after histogram
}

// afterWindow is how long after the import's answer a scan counts as
// "after" it rather than as ordinary load.
const afterWindow = 10 * time.Second

// importList builds a CSV of n new deputies, their keys unique to this run,
// spread over delegations and expected at every plenary like seed's.
func importList(n int) []byte {
	var b strings.Builder
	b.WriteString("编号,姓名,单位,职务,类别,代表团,手机\n")
	for i := range n {
		fmt.Fprintf(&b, "IMP%s-%06d,导入代表%06d,导入单位%d,代表,代表,导入代表团%d,138%08d\n", runID, i, i, i%97, i%12, i)
	}
	return []byte(b.String())
}

// postList uploads a list to POST /import and gives the HTTP status.
func postList(ctx context.Context, c *client, name string, list []byte) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(list)
	mw.Close()
	// A large list takes longer than a scan's timeout to store while the
	// door is busy (the import gives way to scans): its own client.
	long := *c
	long.http = &http.Client{Timeout: 10 * time.Minute}
	return long.do(ctx, "POST", "/import", mw.FormDataContentType(), buf.Bytes(), nil)
}

// run posts the list at the given time and records when the import ran.
func (r *importRun) run(ctx context.Context, c *client, at time.Time, list []byte) {
	if d := time.Until(at); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return
		}
	}
	r.mu.Lock()
	r.start = time.Now()
	r.mu.Unlock()
	code, err := postList(ctx, c, "late.csv", list)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.end = time.Now()
	r.Status, r.Seconds = code, r.end.Sub(r.start).Seconds()
	if err != nil {
		r.Error = err.Error()
	}
}

// observe counts a scan's latency by when the scan was due: before the
// import, while it ran, or in the afterWindow after it (later ones count
// with those before: ordinary load).
func (r *importRun) observe(due time.Time, latency time.Duration) {
	if r == nil {
		return
	}
	r.mu.Lock()
	start, end := r.start, r.end
	r.mu.Unlock()
	switch {
	case start.IsZero() || due.Before(start):
		r.before.add(latency)
	case end.IsZero() || !due.After(end):
		r.during.add(latency)
	case due.Before(end.Add(afterWindow)):
		r.after.add(latency)
	default:
		r.before.add(latency)
	}
}

func (r *importRun) finish() {
	r.Scans, r.Before, r.After = r.during.summary(), r.before.summary(), r.after.summary()
}
