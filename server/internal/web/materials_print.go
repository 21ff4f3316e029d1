package web

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/store"
	"huiwu/server/internal/xlsxout"
)

// The printed forms of 资料发放: the 资料领取签收表 that people sign as they
// collect (per item, or per delegation with a column per item), and the
// stockroom's counts as a workbook.

// handleSignSheetPDF prints the 资料领取签收表: with ?item= one item's,
// everyone due it by delegation, with when and where each collected it
// and a column to sign; without, every item a column, for ?delegation=
// (or every delegation).
func (s *Server) handleSignSheetPDF(c *fiber.Ctx) error {
	ctx, cat := c.UserContext(), s.catalog()
	counts, err := s.DB.ItemCounts(ctx)
	if err != nil {
		return err
	}
	item, delegation := c.Query("item"), c.Query("delegation")
	list, err := s.DB.MaterialsOwed(ctx, store.OwedFilter{Item: item, Delegation: delegation})
	if err != nil {
		return err
	}
	printed := time.Now().In(cat.Location).Format("2006-01-02 15:04")
	var sheet *render.ListSheet
	name := "资料领取签收表"
	if item != "" {
		var it *store.ItemCount
		for i := range counts {
			if counts[i].Code == item {
				it = &counts[i]
			}
		}
		if it == nil {
			return materialsError(fmt.Errorf("%w: %s", store.ErrNoSuchItem, item))
		}
		sheet = itemSignSheet(cat, *it, list, printed)
		name += "-" + it.Name
	} else {
		sheet = delegationSignSheet(cat.Event.Name, counts, list, cat.Location, printed)
	}
	if delegation != "" {
		name += "-" + delegation
		sheet.Lines = append(sheet.Lines, "代表团 / Delegation："+delegation)
	}
	return sendList(c, sheet, name, "signsheet", false)
}

// collected says when and where h was collected, for a sheet's cell.
func collected(h store.Holding, loc *time.Location) string {
	if !h.Given || h.At == nil {
		return ""
	}
	return h.At.In(loc).Format("01-02 15:04") + " " + h.Place
}

// sections groups people by delegation, in the list's order.
func sections(list []store.Owed, row func(n int, o store.Owed) []string) []render.ListSection {
	var out []render.ListSection
	n := 0
	for _, o := range list {
		d := o.Delegation
		if d == "" {
			d = "其他 / Others"
		}
		if len(out) == 0 || out[len(out)-1].Heading != d {
			out = append(out, render.ListSection{Heading: d})
		}
		n++
		sec := &out[len(out)-1]
		sec.Rows = append(sec.Rows, row(n, o))
	}
	for i := range out {
		out[i].Note = strconv.Itoa(len(out[i].Rows)) + " 人"
	}
	return out
}

// itemSignSheet is one item's 签收表: everyone due it.
func itemSignSheet(cat *store.Catalog, it store.ItemCount, list []store.Owed, printed string) *render.ListSheet {
	event, loc := cat.Event.Name, cat.Location
	title := "资料领取签收表 · " + it.Name
	s := &render.ListSheet{Title: title, Printed: printed,
		Lines: []string{event, fmt.Sprintf("应发 %d 人 · 已领 %d 人 · 待领 %d 人 / due %d, collected %d, to collect %d",
			it.Due, it.Due-it.Left, it.Left, it.Due, it.Due-it.Left, it.Left)},
		Columns: []render.ListColumn{{Head: "序号", Width: 12, Align: render.Center}, {Head: "姓名", Width: 28, Wrap: true},
			{Head: "单位", Width: 58}, {Head: "类别", Width: 16, Align: render.Center}, {Head: "领取时间、地点", Width: 36},
			{Head: "签名", Width: 30}}}
	s.Sections = sections(list, func(n int, o store.Owed) []string {
		var when string
		for _, h := range o.Items {
			if h.Code == it.Code {
				when = collected(h, loc)
			}
		}
		return []string{strconv.Itoa(n), o.Name, o.Organization, cat.Categories[o.Category].Name, when, ""}
	})
	return s
}

// delegationSignSheet has a column per item: when each was collected.
func delegationSignSheet(event string, counts []store.ItemCount, list []store.Owed, loc *time.Location, printed string) *render.ListSheet {
	s := &render.ListSheet{Title: "资料领取签收表", Printed: printed, Landscape: true,
		Lines: []string{event, "已领者注明领取时间；未领者领取时在空格打勾并签名 / a time where collected; tick the blank and sign on collecting；— 不发 / not due"}}
	itemW := 130.0
	if len(counts) > 0 {
		itemW = 130.0 / float64(len(counts))
	}
	s.Columns = []render.ListColumn{{Head: "序号", Width: 12, Align: render.Center}, {Head: "姓名", Width: 28, Wrap: true},
		{Head: "单位", Width: 57}}
	for _, it := range counts {
		s.Columns = append(s.Columns, render.ListColumn{Head: it.Name, Width: itemW, Align: render.Center})
	}
	s.Columns = append(s.Columns, render.ListColumn{Head: "签名", Width: 40})
	s.Sections = sections(list, func(n int, o store.Owed) []string {
		row := []string{strconv.Itoa(n), o.Name, o.Organization}
		for _, it := range counts {
			cell := "—" // not due
			for _, h := range o.Items {
				if h.Code == it.Code {
					cell = "" // to tick on paper
					if h.Given && h.At != nil {
						cell = "已领 " + h.At.In(loc).Format("01-02 15:04")
					}
				}
			}
			row = append(row, cell)
		}
		return append(row, "")
	})
	return s
}

// handleMaterialCountsXLSX is the stockroom's counts: quantities as
// numbers (they are summed), names as text.
func (s *Server) handleMaterialCountsXLSX(c *fiber.Ctx) error {
	cat := s.catalog()
	counts, err := s.DB.ItemCounts(c.UserContext())
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sh := "资料发放统计"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	set := func(col, row int, v any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		if str, ok := v.(string); ok {
			return f.SetCellStr(sh, cell, str) // text, never a formula
		}
		return f.SetCellValue(sh, cell, v)
	}
	if err := set(1, 1, cat.Event.Name+" 资料发放统计 / materials handed out"); err != nil {
		return err
	}
	if err := set(1, 2, "截至 / as of "+time.Now().In(cat.Location).Format("2006-01-02 15:04")); err != nil {
		return err
	}
	heads := []string{"物品 Item", "应发 Due", "已发 Given", "待发 To hand out", "库存 Stock", "库存余量 Stock left", "缺口 Short"}
	for i, h := range heads {
		if err := set(i+1, 4, h); err != nil {
			return err
		}
	}
	for r, it := range counts {
		row := []any{it.Name, it.Due, it.Given, it.Left, "未录入", "", it.Short}
		if it.Stock != nil {
			row[4], row[5] = *it.Stock, *it.Stock-it.Given
		}
		for i, v := range row {
			if err := set(i+1, r+5, v); err != nil {
				return err
			}
		}
	}
	// Widths, paper, the frozen and repeated header: as every export.
	if err := xlsxout.Prepare(f, sh, xlsxout.Page{Title: cat.Event.Name + " 资料发放统计", HeadFrom: 4, HeadTo: 4}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	return sendFile(c, "资料发放统计.xlsx", "materials.xlsx", xlsxType, buf.Bytes())
}
