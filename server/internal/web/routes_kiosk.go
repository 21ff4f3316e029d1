package web

import (
	"cmp"
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/kiosk"
	"huiwu/kiosk/wasmbuild"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/fleet"
	"huiwu/server/internal/kioskcache"
)

// kioskRoutes mounts the kiosk area's routes: the scanner core the kiosk
// page loads into its worker, kiosk-initiated pairing, the kiosk's view of
// itself, its heartbeat, the desk's overview of every kiosk, and the
// offline guidance cache.
func (s *Server) kioskRoutes(app *fiber.App, api fiber.Router) {
	// The scanner core is public: it is code, not data, and the page must
	// load it before the kiosk is paired (to show pairing instantly after).
	app.Get("/kiosk/scanner.wasm", s.handleScannerWasm)
	app.Get("/kiosk/wasm_exec.js", s.handleWasmExec)
	app.Get("/kiosk-sw.js", s.kioskScript("kiosk/sw.js"))
	app.Get("/kiosk/worker.js", s.kioskScript("kiosk/worker.js"))
	// The face engine's worker (common/face.js starts it, at the kiosk and
	// at the desk).
	app.Get("/kiosk/face-worker.js", s.kioskScript("kiosk/face-worker.js"))

	// Kiosk-initiated pairing. Asking for a code and collecting the token
	// happen before the kiosk has a token, so these two sit outside
	// /api/v1, whose middleware refuses callers without one.
	pr := newPairing(s)
	app.Post("/kiosk/pair/request", pr.handleRequest)
	app.Post("/kiosk/pair/poll", pr.handlePoll)

	kiosk := require(auth.RoleKiosk)
	api.Get("/device", kiosk, s.handleDeviceSelf)
	api.Post("/device/status", kiosk, s.handleDeviceStatus)
	api.Get("/kiosk/cache", require(auth.RoleKiosk, auth.RoleDesk), s.handleKioskCache)
	api.Get("/kiosk/devices", require(auth.RoleDesk), s.handleKioskDevices)
	api.Post("/devices/claim", require(auth.RoleDesk), pr.handleClaim)
	api.Post("/devices/:id/revoke", require(auth.RoleDesk), s.handleDeviceRevokeBecause)
}

// handleScannerWasm serves the WebAssembly scanner core, gzipped when the
// browser takes it (a third of the size).
func (s *Server) handleScannerWasm(c *fiber.Ctx) error {
	a, err := scannerAssets(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentType, "application/wasm")
	c.Vary(fiber.HeaderAcceptEncoding)
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(a.WasmGzip)
	}
	return c.Send(a.Wasm)
}

// handleWasmExec serves Go's wasm_exec.js from the toolchain that built the
// core: the two must come from one Go version.
func (s *Server) handleWasmExec(c *fiber.Ctx) error {
	a, err := scannerAssets(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Type("js", "utf-8")
	return c.Send(a.Exec)
}

// kioskScript serves one of the kiosk's scripts under /kiosk rather than
// /static/kiosk: the service worker registers with scope /kiosk and a
// worker's script URL must lie in that scope for the worker's own fetches
// (the scanner core) to be served from the cache when offline.
func (s *Server) kioskScript(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		b, err := fs.ReadFile(kiosk.Web, name)
		if err != nil {
			return errNotFound
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Type("js", "utf-8")
		return c.Send(b)
	}
}

// logBuild logs the first successful build once per process.
var logBuild sync.Once

func scannerAssets(ctx context.Context) (*wasmbuild.Assets, error) {
	// A cold build can take a minute; the kiosk's worker waits for it.
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	a, err := wasmbuild.Get(ctx)
	if err != nil {
		slog.Error("kiosk scanner core unavailable", "err", err)
		return nil, apiError(fiber.StatusServiceUnavailable, "scanner_unavailable",
			"扫码核心未能构建，请查看服务器日志", "the scanner core could not be built; see the server log")
	}
	logBuild.Do(func() {
		slog.Info("kiosk scanner core ready", "source", a.Source, "took", a.Took.Round(time.Millisecond),
			"bytes", len(a.Wasm), "gzip_bytes", len(a.WasmGzip))
	})
	return a, nil
}

// deviceSelf is what a kiosk learns about itself: its name and where it
// stands, with the checkpoint spelled out so it can pick its mode.
type deviceSelf struct {
	Device     auth.Device    `json:"device"`
	Checkpoint checkpointJSON `json:"checkpoint"`
	Event      fiber.Map      `json:"event"`
	// Servers are the servers the kiosk may use, this one first (peers.go);
	// a change of -peers reaches paired kiosks here.
	Servers []string `json:"servers"`
}

// handleDeviceSelf answers the calling kiosk and its checkpoint. The desk
// moves a kiosk by changing its checkpoint; the kiosk reads it here on start
// and whenever a scan answers wrong_checkpoint.
func (s *Server) handleDeviceSelf(c *fiber.Ctx) error {
	p := principal(c)
	if p.Device == "" {
		return apiError(fiber.StatusForbidden, "not_a_device", "此接口仅供已配对的设备使用", "only a paired device may call this")
	}
	list, err := s.Auth.Devices(c.UserContext())
	if err != nil {
		return err
	}
	cat := s.catalog()
	for _, d := range list {
		if d.ID != p.Device {
			continue
		}
		out := deviceSelf{Device: d, Servers: s.servers(c), Event: fiber.Map{"id": cat.Event.ID, "name": cat.Event.Name, "name_en": cat.Event.NameEn,
			"timezone": cat.Event.Timezone, "face_verification": cat.Event.FaceVerification}}
		if cp, ok := cat.Checkpoints[d.Checkpoint]; ok {
			out.Checkpoint = checkpointJSON{ID: cp.ID, Name: cp.Name, NameEn: cp.NameEn, Kind: string(cp.Kind),
				Venue: cat.Venues[cp.Venue].Name, VenueID: cp.Venue, Door: cp.Door, SessionID: cp.Session, MealID: cp.Meal,
				PhotoCheck: cp.PhotoCheck, Face: cmp.Or(checkin.FaceMode(cat, cp), eventdef.FaceOff)}
		}
		return c.JSON(out)
	}
	return errNotFound
}

// handleDeviceStatus is a kiosk's heartbeat: how many offline scans it still
// holds, and whether it had lost the server.
func (s *Server) handleDeviceStatus(c *fiber.Ctx) error {
	var body struct {
		Queued  int  `json:"queued"`
		Offline bool `json:"offline"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	p := principal(c)
	if p.Device == "" {
		return apiError(fiber.StatusForbidden, "not_a_device", "此接口仅供已配对的设备使用", "only a paired device may call this")
	}
	if err := fleet.Report(c.UserContext(), s.DB, p.Device, body.Queued, body.Offline, time.Now()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleKioskDevices is the desk's list of devices: online or not, last
// seen, queued offline scans, scans today.
func (s *Server) handleKioskDevices(c *fiber.Ctx) error {
	devs, err := s.Auth.Devices(c.UserContext())
	if err != nil {
		return err
	}
	list, err := fleet.List(c.UserContext(), s.DB, devs, s.catalog().Location, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// handleKioskCache answers the offline guidance cache for the calling
// kiosk's checkpoint (the desk may name one with ?checkpoint=, to check
// what a kiosk would hold). Records are sealed per badge: see kioskcache.
func (s *Server) handleKioskCache(c *fiber.Ctx) error {
	p := principal(c)
	cp := p.Checkpoint
	if p.Role != auth.RoleKiosk {
		cp = c.Query("checkpoint")
	}
	if err := s.checkCheckpoint(cp); err != nil {
		return err
	}
	doc, err := kioskcache.Build(c.UserContext(), s.DB, s.catalog(), s.Creds, cp, time.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(doc)
}
