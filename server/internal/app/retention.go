package app

import (
	"context"
	"log/slog"
	"time"
)

// The retention rule of photos and face data (issue 15.6, PIPL): the
// server deletes every photo, face reference and consent once the event's
// face_retention_days after the meeting's last day have run out
// (store.Catalog.FacesDeletedAt), whether or not an admin purged them by
// hand. It checks at start, before the server answers anyone, and then
// every RetentionEvery, by the app's clock (Config.Now).

// RetentionEvery is how often the running server applies the rule: the
// deletion is due at midnight, and an hour late is still that day.
const RetentionEvery = time.Hour

// RetentionActor is who the audit log says purged the data by the rule.
const RetentionActor = "system"

// PurgeDueFaces applies the retention rule once: past the date, with
// anything stored, it purges through the same store.PurgeFaces an
// admin's POST /faces/purge calls, audited as RetentionActor with what it
// deleted. It says whether it purged.
func (a *App) PurgeDueFaces(ctx context.Context) (bool, error) {
	cat := a.Engine.Catalog()
	due := cat.FacesDeletedAt()
	if due.IsZero() || a.now().Before(due) {
		return false, nil
	}
	stored, err := a.DB.FaceDataStored(ctx)
	if err != nil || !stored {
		return false, err
	}
	p, err := a.DB.PurgeFaces(ctx, RetentionActor)
	if err != nil {
		return false, err
	}
	slog.Info("人脸数据保留期满，已删除照片、人脸特征和同意记录 / the face data retention ran out: photos, face references and consents deleted",
		"due", due.In(cat.Location).Format(time.DateOnly), "photos", p.Photos, "refs", p.Refs, "consents", p.Consents)
	return true, nil
}

// keepRetention applies the rule every RetentionEvery until ctx ends.
func (a *App) keepRetention(ctx context.Context) {
	tick := time.NewTicker(RetentionEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := a.PurgeDueFaces(ctx); err != nil && ctx.Err() == nil {
				slog.Error("face data retention", "err", err)
			}
		}
	}
}
