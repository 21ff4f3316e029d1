package importer

import (
	"fmt"
	"strings"
	"unicode"

	"huiwu/server/internal/domain"
)

// field is an attendee attribute a column can hold.
type field int

const (
	fName field = iota
	fGender
	fEthnicity
	fOrganization
	fTitle
	fRank
	fCategory
	fDelegation
	fGroup
	fPhone
	fIDNumber
	fRoom
	fDiet
	fAccess
	fNotes
	fArrival
	fDeparture
	fKey
	numFields
)

// fieldInfo names a field in Result.Columns (code), in Chinese messages
// (zh) and in English ones (en), and bounds its length in runes.
var fieldInfo = [numFields]struct {
	code, zh, en string
	max          int
}{
	fName:         {"name", "姓名", "name", 200},
	fGender:       {"gender", "性别", "gender", 200},
	fEthnicity:    {"ethnicity", "民族", "ethnicity", 200},
	fOrganization: {"organization", "单位", "organization", 200},
	fTitle:        {"title", "职务", "title", 200},
	fRank:         {"rank", "排序", "rank", 200},
	fCategory:     {"category", "类别", "category", 200},
	fDelegation:   {"delegation", "代表团", "delegation", 200},
	fGroup:        {"group", "分组", "group", 200},
	fPhone:        {"phone", "手机", "phone", 200},
	fIDNumber:     {"id_number", "身份证号", "ID number", 200},
	fRoom:         {"room", "房号", "room", 200},
	fDiet:         {"diet", "饮食", "diet", 1000},
	fAccess:       {"accessibility", "无障碍", "accessibility", 1000},
	fNotes:        {"notes", "备注", "notes", 1000},
	fArrival:      {"arrival", "抵达时间", "arrival", 200},
	fDeparture:    {"departure", "返程时间", "departure", 200},
	fKey:          {"key", "编号", "key", 200},
}

// headerWords lists, per field, the header texts that mean it. They are
// compared after foldKey, so case, spaces, full width, "*" and bracketed
// remarks such as （必填） do not matter.
var headerWords = map[field][]string{
	fName:         {"姓名", "名字", "name", "full name", "姓 名"},
	fGender:       {"性别", "gender", "sex"},
	fEthnicity:    {"民族", "ethnicity", "ethnic group", "nationality"},
	fOrganization: {"单位", "工作单位", "单位名称", "所在单位", "organization", "organisation", "org", "company", "unit"},
	fTitle:        {"职务", "职称", "职务职称", "职务/职称", "title", "position", "job title"},
	fRank:         {"排序", "名次", "排名", "rank", "order", "sort"},
	fCategory:     {"类别", "人员类别", "参会类别", "category", "type"},
	fDelegation:   {"代表团", "所属代表团", "delegation"},
	fGroup:        {"分组", "小组", "讨论组", "group"},
	fPhone:        {"手机", "手机号", "手机号码", "电话", "联系电话", "联系方式", "移动电话", "phone", "mobile", "tel", "telephone", "cell phone"},
	fIDNumber:     {"身份证号", "身份证", "身份证号码", "证件号码", "证件号", "id_number", "id", "id no", "id number", "id card"},
	fRoom:         {"房号", "房间号", "房间", "room", "room number", "room no"},
	fDiet:         {"饮食", "饮食要求", "餐饮", "饮食禁忌", "用餐要求", "diet", "dietary", "dietary requirements"},
	fAccess:       {"无障碍", "特殊需要", "特殊需求", "accessibility", "access", "special needs"},
	fNotes:        {"备注", "notes", "note", "remarks", "remark", "comments"},
	fArrival:      {"抵达", "抵达时间", "到达时间", "报到时间", "arrival", "arrival time"},
	fDeparture:    {"返程", "返程时间", "离会时间", "departure", "departure time"},
	fKey:          {"编号", "key", "ref", "reference"},
}

var headerIndex = func() map[string]field {
	m := make(map[string]field)
	for f, words := range headerWords {
		for _, w := range words {
			k := foldKey(w)
			if old, dup := m[k]; dup && old != f {
				panic(fmt.Sprintf("importer: header %q means two fields", w))
			}
			m[k] = f
		}
	}
	return m
}()

// lookupHeader resolves a header cell, reporting false for unknown text.
// A bilingual cell such as "姓名 Name" or "抵达时间\nArrival time" resolves
// when one language's part is known and the other means the same or
// nothing known.
func lookupHeader(s string) (field, bool) {
	k := foldKey(s)
	if f, ok := headerIndex[k]; ok {
		return f, true
	}
	var zh, other strings.Builder
	for _, r := range k {
		if unicode.Is(unicode.Han, r) {
			zh.WriteRune(r)
		} else {
			other.WriteRune(r)
		}
	}
	if zh.Len() == 0 || other.Len() == 0 {
		return 0, false
	}
	fz, okz := headerIndex[zh.String()]
	fo, oko := headerIndex[other.String()]
	switch {
	case okz && oko:
		return fz, fz == fo
	case okz:
		return fz, true
	case oko:
		return fo, true
	}
	return 0, false
}

// columns is the header row resolved: which column holds each field.
type columns struct {
	line   int
	at     [numFields]int // column index per field, -1 if absent
	header []string       // header text per column index, cleaned
	used   []bool         // whether the column index maps to a field
}

// letter gives a field's column letter, or "" when the field is absent.
func (c *columns) letter(f field) string {
	if c.at[f] < 0 {
		return ""
	}
	return columnLetter(c.at[f])
}

// headerText gives the header cell of a column index.
func (c *columns) headerText(col int) string {
	if col >= 0 && col < len(c.header) {
		return c.header[col]
	}
	return ""
}

// isHeaderRow reports a row with a 姓名/name cell.
func isHeaderRow(cells []string) bool {
	for _, s := range cells {
		if f, ok := lookupHeader(s); ok && f == fName {
			return true
		}
	}
	return false
}

// mapColumns resolves the header row, reporting unknown and duplicate
// headers and a missing 类别 column.
func mapColumns(line int, cells []string, out *issues) *columns {
	c := &columns{line: line, header: make([]string, len(cells)), used: make([]bool, len(cells))}
	for i := range c.at {
		c.at[i] = -1
	}
	for i, s := range cells {
		h := oneLine(s)
		c.header[i] = h
		if h == "" {
			continue
		}
		f, ok := lookupHeader(h)
		if !ok {
			out.warn(Issue{Row: line, Column: columnLetter(i), Header: h, Code: CodeUnknownColumn,
				Message:   fmt.Sprintf("无法识别的列“%s”，该列已忽略", h),
				MessageEn: fmt.Sprintf("unknown column %q; it is ignored", h)})
			continue
		}
		if first := c.at[f]; first >= 0 {
			out.err(Issue{Row: line, Column: columnLetter(i), Header: h, Code: CodeDuplicateColumn,
				Message: fmt.Sprintf("“%s”与%s列“%s”都表示%s，请删除或改名其中一列",
					h, columnLetter(first), c.header[first], fieldInfo[f].zh),
				MessageEn: fmt.Sprintf("%q and column %s %q both mean %s; delete or rename one",
					h, columnLetter(first), c.header[first], fieldInfo[f].en)})
			continue
		}
		c.at[f] = i
		c.used[i] = true
	}
	if c.at[fCategory] < 0 {
		out.err(Issue{Row: line, Header: fieldInfo[fCategory].zh, Code: CodeMissingColumn,
			Message:   "表头缺少“类别”列（代表、列席、嘉宾、工作人员、记者等），请添加后重新导入",
			MessageEn: "the header has no category (类别) column; add one and import again"})
	}
	return c
}

// columnMap reports the resolved columns as field code → letter.
func (c *columns) columnMap() map[string]string {
	m := make(map[string]string)
	for f := field(0); f < numFields; f++ {
		if l := c.letter(f); l != "" {
			m[fieldInfo[f].code] = l
		}
	}
	return m
}

// categoryIndex resolves 类别 cells by code, Chinese or English word.
type categoryIndex struct {
	byKey map[string]string
	words string // for messages: 代表、列席…
}

func newCategoryIndex(cats []domain.Category) *categoryIndex {
	ix := &categoryIndex{byKey: make(map[string]string)}
	var words []string
	for _, c := range cats {
		for _, w := range []string{c.Code, c.Name, c.NameEn} {
			if k := foldKey(w); k != "" {
				if _, taken := ix.byKey[k]; !taken {
					ix.byKey[k] = c.Code
				}
			}
		}
		if c.Name != "" {
			words = append(words, c.Name)
		} else {
			words = append(words, c.Code)
		}
	}
	ix.words = strings.Join(words, "、")
	return ix
}

func (ix *categoryIndex) lookup(s string) (string, bool) {
	if code, ok := ix.byKey[s]; ok { // the usual case, 代表, without folding
		return code, true
	}
	code, ok := ix.byKey[foldKey(s)]
	return code, ok
}
