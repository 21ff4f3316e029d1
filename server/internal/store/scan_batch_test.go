package store_test

import (
	"context"
	"errors"
	"testing"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestScanBatchWholeOrNothing: a batch's scans are seen by the scans after
// them in the batch, and stored only when the batch commits; a rolled-back
// batch leaves no trace, so its scan ids are new to a resend.
func TestScanBatchWholeOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.New(t, importNow).DB
	st, err := db.PrepareScanStatements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec := store.ScanRecord{ScanID: "t1", Source: "kiosk-t", Key: "k1", Device: "kiosk-t", Actor: "kiosk-t",
		Checkpoint: "hall-east", Status: "invalid", Flags: []string{"offline"}, Offline: true,
		At: importNow, ClientTime: importNow, ReceivedAt: importNow, Response: []byte(`{"status":"invalid"}`)}
	batch := func(save bool, commit bool) (string, string, error) {
		t.Helper()
		tx, err := db.BeginScans(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if save {
			if err := tx.SaveScan(rec); err != nil {
				t.Fatal(err)
			}
		}
		resp, key, err := tx.Replay(rec.Source, rec.ScanID)
		if commit {
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		return resp, key, err
	}
	if resp, key, err := batch(true, false); err != nil || resp != string(rec.Response) || key != rec.Key {
		t.Fatalf("within its batch the scan replays %q %q %v", resp, key, err)
	}
	if _, _, err := batch(false, false); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a rolled-back scan replays: %v", err)
	}
	batch(true, true)
	if resp, key, err := batch(false, false); err != nil || resp != string(rec.Response) || key != rec.Key {
		t.Fatalf("a committed scan replays %q %q %v", resp, key, err)
	}
}
