package workbook

import (
	"testing"

	"huiwu/server/internal/xlsxout/xlsxcheck"
)

// TestWorkbookPrints: the 会议筹备表 prints like the server's other
// workbooks — every sheet on A4 fit to one page wide with its title and
// page numbers, each data sheet's header row frozen and printed on every
// page, landscape where the columns need it — and still reads back.
func TestWorkbookPrints(t *testing.T) {
	data := write(t, ExampleDefinition())
	f := xlsxcheck.Open(t, data)
	for _, name := range f.GetSheetList() {
		if name == SheetHelp {
			continue
		}
		if head := xlsxcheck.Sheet(t, f, name); head != 1 {
			t.Errorf("%s: header rows to row %d, want 1", name, head)
		}
	}
	readOK(t, data)
}
