package summary

import (
	"context"

	"huiwu/server/internal/store"
)

// parts reads the materials, confidential documents and duty log figures
// (issue 13.2–13.4), each through its store summary.
func parts(ctx context.Context, db *store.DB, r *Report) error {
	items, err := db.MaterialsSummary(ctx)
	if err != nil {
		return err
	}
	r.Materials = &Materials{}
	for _, it := range items {
		r.Materials.Items = append(r.Materials.Items, Item{Name: it.Item, NameEn: it.ItemEn, Due: it.Due, Given: it.Given})
	}
	docs, err := db.DocumentsSummary(ctx)
	if err != nil {
		return err
	}
	r.Documents = &Documents{}
	for _, d := range docs {
		r.Documents.Docs = append(r.Documents.Docs, Document{Title: d.Title, Number: d.Number, Classification: d.Classification,
			Copies: d.Copies, Issued: d.Issued, Returned: d.Returned, Out: d.Out, OutCopies: d.OutCopies})
	}
	duty, err := db.DutySummary(ctx)
	if err != nil {
		return err
	}
	r.Duty = &Duty{Shifts: duty.Shifts, Entries: duty.Entries, Open: duty.Open, Closed: duty.Closed, ByKind: duty.ByKind}
	for _, b := range duty.OpenItems {
		r.Duty.OpenItems = append(r.Duty.OpenItems, DutyItem{At: b.At, Kind: b.Kind, Summary: b.Summary, From: b.From})
	}
	return nil
}
