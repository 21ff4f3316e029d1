package workbook

import (
	"fmt"
	"strings"
)

// generalHelp opens the 填写说明 sheet, each note in Chinese and English.
var generalHelp = [][2]string{
	{"每张表的第一行是表头，请勿改动表头文字；可在右侧增加自己的备注列，读取时忽略。空行跳过。",
		"Row 1 of each sheet is its header: keep its words. Columns of your own may be added on the right; they are ignored. Empty rows are skipped."},
	{"“代码”列是键：只用字母、数字、-、_、.；以后再上传时按代码对应已有的项目，改代码等于删除旧的、新增一个。其他表用代码引用（如日程的“场地”写场地代码）。",
		"Code columns are keys: letters, digits, -, _ and . only. A later upload matches items by code, so changing a code removes the item and adds another. Other sheets refer to items by code (a session's 场地 holds a venue code)."},
	{"时间写成 2026-03-05 09:00（24 小时制），按“会议信息”中的时区；也接受 2026/3/5 9:00、带时区的 2026-03-05T09:00:00+08:00 和 Excel 日期单元格。日期写成 2026-03-05。",
		"Times read 2026-03-05 09:00 (24-hour clock) in the timezone on the 会议信息 sheet; 2026/3/5 9:00, RFC 3339 with an offset (2026-03-05T09:00:00+08:00) and Excel date cells are read too. Dates read 2026-03-05."},
	{"一个单元格里的多项用“、”分隔，也可用逗号或分号。数字可以是全角；餐桌的“×”也可写成 x 或 *。",
		"Several items in one cell are separated by 、 (or a comma or semicolon). Digits may be full width; the × of 餐桌 may be x or *."},
	{"除“会议信息”外，用不到的工作表可以删除，视为没有这一类内容。",
		"Sheets other than 会议信息 may be deleted when not needed: a missing sheet means none of that kind."},
	{"上传后先检查：有错误时列出工作表、行号和列，全部改正后才会保存。",
		"An upload is checked first: errors name the sheet, row and column, and nothing is stored until all are fixed."},
}

// help fills the 填写说明 sheet, the workbook's first, from the same
// column list that Read uses, so that the two cannot drift apart.
func (wr *writer) help() error {
	f, name := wr.f, SheetHelp
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	row := 1
	put := func(style int, vals ...any) error {
		cell := fmt.Sprintf("A%d", row)
		if err := f.SetSheetRow(name, cell, &vals); err != nil {
			return err
		}
		row++
		if style == 0 {
			return nil
		}
		return f.SetCellStyle(name, cell, fmt.Sprintf("E%d", row-1), style)
	}
	if err := put(wr.title, "会议筹备表 填写说明  Event set-up workbook: how to fill it in"); err != nil {
		return err
	}
	row++
	for _, n := range generalHelp {
		if err := put(wr.wrap, "通用 General", "", "", n[0], n[1]); err != nil {
			return err
		}
	}
	row++
	if err := put(wr.header, "工作表 Sheet", "列 Column", "必填 Required", "说明", "Explanation"); err != nil {
		return err
	}
	if err := put(wr.header, SheetEvent, "", "", "会议本身：每行一项，在“内容”列填写。", "The meeting itself: one item a row, its value in the 内容 column."); err != nil {
		return err
	}
	for _, k := range eventKeys {
		req := "是"
		if k.optional {
			req = ""
		}
		if err := put(wr.wrap, "", k.name, req, k.zh, k.enH); err != nil {
			return err
		}
	}
	for _, s := range dataSheets {
		if err := put(wr.header, s.name, s.en, "", s.zh, s.enH); err != nil {
			return err
		}
		for _, c := range s.cols {
			zh, en := c.zh, c.enH
			if c.choices != nil {
				zh = joinHelp(zh, "可选："+strings.Join(c.choices.list(), "、"), "。")
				en = joinHelp(en, "one of: "+c.choices.gloss(), ". ")
			}
			req := ""
			if c.required {
				req = "是"
			}
			if err := put(wr.wrap, "", c.name, req, zh, en); err != nil {
				return err
			}
		}
	}
	for col, w := range map[string]float64{"A": 14, "B": 14, "C": 8, "D": 60, "E": 70} {
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

func joinHelp(a, b, sep string) string {
	if a == "" {
		return b
	}
	return a + sep + b
}

// gloss lists the choices for English readers: 会场 (hall), ….
func (cs choices) gloss() string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s (%s)", c.words[0], c.en)
	}
	return strings.Join(parts, "; ")
}
