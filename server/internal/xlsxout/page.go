// Package xlsxout writes the workbooks the server hands out so that a desk
// can print them and sort them: every sheet on A4, one page wide and as
// many tall as it takes, landscape when its columns need it, the header
// rows frozen on screen and repeated on every printed page, the title in
// the page header and 第 N 页 / 共 M 页 in the footer; columns as wide as
// their longest cell (a CJK character counts two), capped and wrapped
// beyond; counts, percentages and times as numbers and dates with a number
// format, and text — phones, ID numbers, rooms, seat labels, 编号 and any
// user data — as text cells, never as formulas.
//
// Book writes a whole workbook through excelize's stream writer (the
// exports); for a sheet written some other way, Prepare does it all in one
// call (Fit the columns, Freeze the header, Print the page). Package
// xlsxcheck reads a workbook back the same way, for tests.
package xlsxout

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Page is how a sheet prints.
type Page struct {
	// Title is printed at the top of every page (the page header).
	Title string
	// Landscape turns the page whatever the columns' width; otherwise the
	// page is landscape only when the columns are wider than portrait.
	Landscape bool
	// HeadFrom and HeadTo are the header rows (from 1): frozen on screen
	// and repeated at the top of every printed page. 0: none.
	HeadFrom, HeadTo int
}

// Paper and margins, in millimetres: A4, 1 cm at the sides, room at the
// top and foot for the page header and footer.
const (
	a4Short, a4Long = 210.0, 297.0
	sideMargin      = 0.4 // inches
	endMargin       = 0.6 // inches
	headerMargin    = 0.25
	a4PaperSize     = 9 // excelize's code for A4
)

// Printable is the width in millimetres that columns have on A4.
func Printable(landscape bool) float64 {
	w := a4Short
	if landscape {
		w = a4Long
	}
	return w - 2*sideMargin*25.4
}

// Print sets sheet's page: A4, portrait or landscape, fit to one page
// wide and any number tall, margins, the header rows frozen and repeated
// on every page, the title in the page header and the page number in the
// footer. For a sheet written by a stream writer, call it before the
// writer is made: excelize writes a streamed sheet's settings from what
// the sheet held then (Book does so).
func Print(f *excelize.File, sheet string, p Page) error {
	size, orient, wide, tall := a4PaperSize, "portrait", 1, 0
	if p.Landscape {
		orient = "landscape"
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	side, ends, hf := sideMargin, endMargin, headerMargin
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side,
		Top: &ends, Bottom: &ends, Header: &hf, Footer: &hf}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: `&C&"-,Bold"&12` + headerText(p.Title),
		OddFooter: "&C第 &P 页 / 共 &N 页",
	}); err != nil {
		return err
	}
	if p.HeadTo < 1 {
		return nil
	}
	from := max(p.HeadFrom, 1)
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), from, p.HeadTo)})
}

// headerText makes text safe in a page header: & starts a code there, and
// Excel refuses a header longer than 255 characters.
func headerText(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		r = append(r[:79], '…')
	}
	return strings.ReplaceAll(string(r), "&", "&&")
}

// Freeze freezes rows 1 to row of a sheet written without a stream
// writer (the header stays in sight while scrolling).
func Freeze(f *excelize.File, sheet string, row int) error {
	return f.SetPanes(sheet, freezePanes(row))
}

func freezePanes(row int) *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: cell(1, row+1), ActivePane: "bottomLeft"}
}

// SheetName makes s a name Excel accepts for a sheet: at most 31
// characters, none of : \ / ? * [ ] (a station may be called 北京南站/丰台站).
func SheetName(s string) string {
	name := []rune(strings.NewReplacer(":", "_", "\\", "_", "/", "_", "?", "_", "*", "_", "[", "(", "]", ")").Replace(s))
	if len(name) > 31 {
		name = name[:31]
	}
	if len(name) == 0 {
		return "Sheet1"
	}
	return string(name)
}

func cell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}
