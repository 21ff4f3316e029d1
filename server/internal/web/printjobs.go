package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/apierr"
	"huiwu/server/internal/badges"
)

// A batch print of hundreds of badges takes seconds. The desk starts it as
// a job (POST /badges/batches), asks how far it has got
// (GET /badges/batches/ID: "第 120/600 张") and fetches the PDF once it is
// done (GET /badges/batches/ID/pdf). Jobs live in memory: one renders at a
// time (the machine has few cores), a few more may wait, and a finished
// one is kept for batchKeep.
const (
	batchKeep    = 15 * time.Minute
	batchWaiting = 4 // jobs queued or running at once
	batchKept    = 8 // finished jobs kept (their PDFs are in memory)
	batchTimeout = 10 * time.Minute
)

// The phases of a batch job, in order.
const (
	phaseQueued = "queued"          // waiting for another batch to finish
	phaseCheck  = badges.PhaseCheck // loading each badge and checking its characters against the fonts
	phaseDraw   = badges.PhaseDraw  // laying the badges out on A4
	phaseWrite  = badges.PhaseWrite // writing the PDF file
	phaseDone   = "done"
)

// batchJob is one batch print.
type batchJob struct {
	mu     sync.Mutex
	id     string
	total  int
	phase  string
	done   int // badges checked (check) or laid out (draw) so far
	badges int
	pages  int
	pdf    []byte
	name   string
	fail   apierr.Error
	ended  time.Time
}

// batchStatus is a job as GET /badges/batches/ID answers it.
type batchStatus struct {
	ID     string    `json:"id"`
	State  string    `json:"state"` // running, done or failed
	Phase  string    `json:"phase"`
	Done   int       `json:"done"`
	Total  int       `json:"total"`
	Badges int       `json:"badges,omitempty"`
	Pages  int       `json:"pages,omitempty"`
	Error  fiber.Map `json:"error,omitempty"`
}

func (j *batchJob) status() batchStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := batchStatus{ID: j.id, State: "running", Phase: j.phase, Done: j.done, Total: j.total, Badges: j.badges, Pages: j.pages}
	switch {
	case j.fail != nil:
		st.State = "failed"
		st.Error = apierr.Body(j.fail)
	case j.phase == phaseDone:
		st.State = "done"
	}
	return st
}

func (j *batchJob) progress(phase string, done int) {
	j.mu.Lock()
	j.phase, j.done = phase, done
	j.mu.Unlock()
}

// batchJobs holds the jobs of one server.
type batchJobs struct {
	mu   sync.Mutex
	jobs map[string]*batchJob
	run  chan struct{} // one batch renders at a time
}

func newBatchJobs() *batchJobs {
	return &batchJobs{jobs: map[string]*batchJob{}, run: make(chan struct{}, 1)}
}

// add registers a new job of total badges, after dropping expired ones;
// nil when too many are waiting.
func (b *batchJobs) add(total int) *batchJob {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	waiting := 0
	var finished []*batchJob
	for id, j := range b.jobs {
		j.mu.Lock()
		ended := j.ended
		j.mu.Unlock()
		switch {
		case ended.IsZero():
			waiting++
		case now.Sub(ended) > batchKeep:
			delete(b.jobs, id)
		default:
			finished = append(finished, j)
		}
	}
	if waiting >= batchWaiting {
		return nil
	}
	// Keep the newest finished jobs only.
	for len(finished) >= batchKept {
		oldest := 0
		for i, j := range finished {
			if j.ended.Before(finished[oldest].ended) {
				oldest = i
			}
		}
		delete(b.jobs, finished[oldest].id)
		finished = append(finished[:oldest], finished[oldest+1:]...)
	}
	var raw [9]byte
	rand.Read(raw[:])
	j := &batchJob{id: hex.EncodeToString(raw[:]), total: total, phase: phaseQueued}
	if waiting == 0 {
		j.phase = phaseCheck // nothing ahead of it: it starts at once
	}
	b.jobs[j.id] = j
	return j
}

func (b *batchJobs) get(id string) *batchJob {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.jobs[id]
}

// batchRequest is the body of POST /badges/batches: the same filter and
// layout as GET /badges.pdf's query.
type batchRequest struct {
	Delegation string `json:"delegation"`
	Category   string `json:"category"`
	NotPrinted bool   `json:"not_printed"`
	Session    string `json:"session"`
	Size       string `json:"size"`
}

// handleBatchStart picks the attendees now (an empty or too large batch is
// refused at once) and makes their badges in the background: 202 with the
// job's status.
func (s *Server) handleBatchStart(jobs *batchJobs) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req batchRequest
		if len(c.Body()) > 0 {
			if err := c.BodyParser(&req); err != nil {
				return badRequest("bad_json", "请求体不是有效的 JSON", "request body is not valid JSON")
			}
		}
		o := render.Options{Size: cmp.Or(req.Size, s.badgeLayout())}
		filter := badges.Filter{Delegation: req.Delegation, Category: req.Category, NotPrinted: req.NotPrinted}
		ids, err := s.batchIDs(c.UserContext(), filter, o)
		if err != nil {
			return err
		}
		j := jobs.add(len(ids))
		if j == nil {
			return apiError(fiber.StatusTooManyRequests, "batch_busy", "已有多批证件在生成，请稍后再试", "several batches are being made; try again shortly")
		}
		actor := principal(c).Name
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
			defer cancel()
			jobs.run <- struct{}{}
			defer func() { <-jobs.run }()
			pdf, made, err := s.badgeService().PrintBatch(ctx, ids, req.Session, o, actor, j.progress)
			j.mu.Lock()
			defer j.mu.Unlock()
			j.ended = time.Now()
			if err != nil {
				var e apierr.Error
				if !errors.As(printError(err), &e) {
					slog.Error("batch print failed", "err", err)
					e = apiError(fiber.StatusInternalServerError, "internal", "服务器内部错误，请联系技术人员", "internal server error")
				}
				j.fail = e
				return
			}
			j.pdf, j.name, j.badges, j.pages = pdf, s.batchName(filter), made.Badges, made.Pages
			j.phase, j.done = phaseDone, j.total
		}()
		return c.Status(fiber.StatusAccepted).JSON(j.status())
	}
}

func (s *Server) handleBatchStatus(jobs *batchJobs) fiber.Handler {
	return func(c *fiber.Ctx) error {
		j := jobs.get(c.Params("id"))
		if j == nil {
			return errNotFound
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(j.status())
	}
}

func (s *Server) handleBatchPDF(jobs *batchJobs) fiber.Handler {
	return func(c *fiber.Ctx) error {
		j := jobs.get(c.Params("id"))
		if j == nil {
			return errNotFound
		}
		j.mu.Lock()
		pdf, name, n, pages := j.pdf, j.name, j.badges, j.pages
		j.mu.Unlock()
		if pdf == nil {
			return apiError(fiber.StatusConflict, "batch_not_ready", "这批证件还没有生成完", "this batch is not finished")
		}
		c.Set("X-Badge-Count", strconv.Itoa(n))
		c.Set("X-Page-Count", strconv.Itoa(pages))
		return sendPDF(c, name, pdf)
	}
}

// maxPhotoBatch bounds a batch on a photo layout: each badge carries its
// photo (about 80 KB), and the whole PDF is built in memory.
const maxPhotoBatch = 1000

// batchIDs picks a batch's attendees; an empty or too large batch is an
// error the desk can act on.
func (s *Server) batchIDs(ctx context.Context, f badges.Filter, o render.Options) ([]int64, error) {
	limit := maxBatchBadges
	if r, err := render.Default(); err == nil && r.WantsPhoto(o, "") {
		limit = maxPhotoBatch
	}
	ids, err := s.badgeService().Batch(ctx, f, limit+1)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ids) == 0:
		return nil, apiError(fiber.StatusNotFound, "nothing_to_print", "没有符合条件的待打印人员", "no attendee matches the filter")
	case len(ids) > limit:
		return nil, badRequest("batch_too_large", fmt.Sprintf("一次最多打印%d张，请按代表团或类别分批", limit),
			fmt.Sprintf("at most %d badges per batch; filter by delegation or category", limit))
	}
	return ids, nil
}

// batchName is the file name of a batch of badges: what the filter chose
// (a delegation, a category, those not yet printed).
func (s *Server) batchName(f badges.Filter) string {
	parts := []string{"证件"}
	if f.Delegation != "" {
		parts = append(parts, f.Delegation)
	}
	if k, ok := s.catalog().Categories[f.Category]; ok {
		parts = append(parts, k.Name)
	}
	if f.NotPrinted {
		parts = append(parts, "未打印")
	}
	return s.docName("pdf", parts...)
}
