// Package imports runs an attendee-list import end to end: the importer
// reads and checks the file, without touching the database; the store
// checks the rows against the event, then applies them all or none, a
// large list in short transactions that let scans through (see
// store.ImportAttendees). The API's POST /import and the `huiwu import
// FILE` command both come through here.
package imports

import (
	"context"
	"errors"
	"io"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/importer"
	"huiwu/server/internal/store"
)

// Report is the answer to an import: what was (or, for a dry run, would
// be) created and updated, and every problem by row and column. Nothing is
// stored unless Errors is empty.
type Report struct {
	Created      int               `json:"created"`
	Updated      int               `json:"updated"`
	DryRun       bool              `json:"dry_run"`
	Errors       []importer.Issue  `json:"errors"`
	Warnings     []importer.Issue  `json:"warnings"`
	ErrorCount   int               `json:"error_count"`
	WarningCount int               `json:"warning_count"`
	Format       string            `json:"format"`
	Sheet        string            `json:"sheet,omitempty"`
	HeaderRow    int               `json:"header_row"`
	Columns      map[string]string `json:"columns"`
}

// OK reports whether the import went (or would go) through.
func (r *Report) OK() bool { return r.ErrorCount == 0 }

// Run parses the file and, if it has no errors, applies it. A file that
// cannot be read at all returns an *importer.Error.
func Run(ctx context.Context, db *store.DB, filename string, r io.Reader, dryRun bool, actor string) (*Report, error) {
	cat, err := db.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	aliases, err := db.StationAliases(ctx)
	if err != nil {
		return nil, err
	}
	opts := importer.Options{KnownStation: func(name string) bool { return aliases[store.StationAlias(name)] != 0 }}
	if d, err := time.Parse(time.DateOnly, cat.Event.StartsOn); err == nil {
		opts.Year = d.Year()
	}
	for _, k := range cat.Categories {
		opts.Categories = append(opts.Categories, k)
	}
	for _, v := range cat.Venues {
		if v.Kind == domain.VenueHotel {
			opts.HotelVenue = v.Code
			break
		}
	}
	res, err := importer.Parse(filename, r, opts)
	if err != nil {
		return nil, err
	}
	rep := &Report{DryRun: dryRun, Errors: res.Errors, Warnings: res.Warnings, ErrorCount: res.ErrorCount,
		WarningCount: res.WarningCount, Format: res.Format, Sheet: res.Sheet, HeaderRow: res.HeaderRow, Columns: res.Columns}
	if !res.OK() {
		return rep, nil
	}
	rows := make([]store.ImportRow, len(res.Rows))
	for i, row := range res.Rows {
		rows[i] = store.ImportRow{Line: row.Line, Attendee: row.Attendee}
	}
	fields := map[string]bool{}
	for f := range res.Columns {
		fields[storeField(f)] = true
	}
	sum, err := db.ImportAttendees(ctx, rows, fields, dryRun, actor)
	var re *store.RowError
	if errors.As(err, &re) {
		col := res.Columns[importerField(re.Field)]
		rep.Errors = append(rep.Errors, importer.Issue{Row: re.Line, Column: col, Header: re.Field, Code: "rejected",
			Message: "无法保存：" + re.Err.Error(), MessageEn: "cannot be stored: " + re.Err.Error()})
		rep.ErrorCount++
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	rep.Created, rep.Updated = sum.Created, sum.Updated
	for _, line := range sum.ConsentKept {
		rep.Warnings = append(rep.Warnings, importer.Issue{Row: line, Column: res.Columns["face_consent"], Header: "人脸核验同意",
			Code:      "face_consent_kept",
			Message:   "此人在报到处表示的人脸核验意愿与名单不同，以本人在报到处的意愿为准，名单的这一格未采用",
			MessageEn: "this person said otherwise at the desk; their own word there stands and the list's answer was not used"})
		rep.WarningCount++
	}
	return rep, nil
}

// The access need (无障碍, Attendee.Access in Go) has two outside names
// that stay as they are: the importer's column code "accessibility",
// which mappings, the desk's wizard and docs/import.md use, and the
// store's column and JSON field "access".
const (
	importerAccess = "accessibility"
	storeAccess    = "access"
)

// storeField is the store's name for an importer column.
func storeField(f string) string {
	if f == importerAccess {
		return storeAccess
	}
	return f
}

// importerField is the importer's name for a store field.
func importerField(f string) string {
	if f == storeAccess {
		return importerAccess
	}
	return f
}
