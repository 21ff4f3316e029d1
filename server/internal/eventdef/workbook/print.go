package workbook

import (
	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/xlsxout"
)

// printSetup makes every sheet print as the server's other workbooks do
// (xlsxout.Prepare): columns as wide as their longest cells, up to a cap,
// and wrapped beyond; A4, one page wide, landscape when the columns are
// wider than portrait, the title and page numbers in the page header and
// footer, and on the data sheets the header row frozen and printed on
// every page. The 填写说明 sheet has no header row to repeat.
func printSetup(f *excelize.File) error {
	for _, name := range f.GetSheetList() {
		p := xlsxout.Page{Title: "会议筹备表 " + name}
		if name != SheetHelp {
			p.HeadFrom, p.HeadTo = 1, 1
		}
		if err := xlsxout.Prepare(f, name, p); err != nil {
			return err
		}
	}
	return nil
}
