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
	// Travel (issue 12): the arrival's and departure's structured columns;
	// fArrival and fDeparture are their free text (or just a time).
	fArrMode
	fArrNumber
	fArrStation
	fArrDate
	fCompanions
	fDepMode
	fDepNumber
	fDepStation
	fDepDate
	fDepCompanions
	fTicket
	fTicketNo
	// fFaceConsent is the answer to face verification (issue 15.6).
	fFaceConsent
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

	fArrMode:       {"arrival_mode", "抵达方式", "arrival mode", 200},
	fArrNumber:     {"arrival_number", "抵达航班车次", "arrival flight or train", 200},
	fArrStation:    {"arrival_station", "抵达站点", "arrival station", 200},
	fArrDate:       {"arrival_date", "抵达日期", "arrival date", 200},
	fCompanions:    {"companions", "随行人数", "companions", 200},
	fDepMode:       {"departure_mode", "返程方式", "departure mode", 200},
	fDepNumber:     {"departure_number", "返程航班车次", "departure flight or train", 200},
	fDepStation:    {"departure_station", "返程站点", "departure station", 200},
	fDepDate:       {"departure_date", "返程日期", "departure date", 200},
	fDepCompanions: {"departure_companions", "返程随行人数", "departure companions", 200},
	fTicket:        {"ticket", "是否代订", "ticket", 200},
	fTicketNo:      {"ticket_no", "票号", "ticket number", 200},

	fFaceConsent: {"face_consent", "人脸核验同意", "face verification consent", 200},
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
	fArrival:      {"抵达", "抵达时间", "到达时间", "报到时间", "抵达时刻", "到达时刻", "arrival", "arrival time"},
	fDeparture:    {"返程", "返程时间", "离会时间", "返程时刻", "离会时刻", "departure", "departure time", "return time"},
	fKey:          {"编号", "key", "ref", "reference"},

	fArrMode: {"抵达方式", "到达方式", "来程方式", "交通方式", "抵达交通方式", "到达交通方式",
		"arrival mode", "arrival by", "arriving by", "mode of travel"},
	fArrNumber: {"抵达航班车次", "抵达航班/车次", "到达航班车次", "来程航班车次", "抵达航班", "抵达车次", "到达航班", "到达车次",
		"航班车次", "航班/车次", "航班号", "车次", "arrival flight", "arrival train", "arrival flight/train", "arrival number",
		"inbound flight", "flight/train", "flight or train"},
	fArrStation: {"抵达站点", "抵达站", "到达站点", "到达站", "抵达机场车站", "抵达机场/车站", "到达机场/车站", "接站地点", "接站站点",
		"接机地点", "arrival station", "arrival airport", "arrival airport/station", "pickup station", "pick-up point"},
	fArrDate: {"抵达日期", "到达日期", "报到日期", "来程日期", "arrival date", "date of arrival"},
	fCompanions: {"随行人数", "随行人员", "随行人员数", "随行", "随员", "随员人数", "陪同人数", "companions",
		"accompanying", "accompanying persons", "accompanying people"},
	fDepMode: {"返程方式", "离会方式", "返程交通方式", "departure mode", "departing by", "return mode"},
	fDepNumber: {"返程航班车次", "返程航班/车次", "返程航班", "返程车次", "离会航班车次", "离会航班", "离会车次",
		"departure flight", "departure train", "departure flight/train", "departure number", "return flight", "outbound flight"},
	fDepStation: {"返程站点", "返程站", "离会站点", "送站地点", "送站站点", "送机地点", "返程机场车站", "返程机场/车站",
		"departure station", "departure airport", "departure airport/station", "return station"},
	fDepDate:       {"返程日期", "离会日期", "离开日期", "departure date", "return date", "date of departure"},
	fDepCompanions: {"返程随行人数", "返程随行人员", "离会随行人数", "departure companions", "return companions"},
	fTicket: {"是否代订", "代订", "返程代订", "订票", "返程订票", "订票方式", "票务", "返程票务", "需代订",
		"ticket", "ticket booking", "booking", "return ticket"},
	fTicketNo: {"票号", "返程票号", "电子客票号", "客票号", "ticket number", "ticket no", "ticket no."},
	fFaceConsent: {"人脸核验同意", "同意人脸核验", "人脸核验", "刷脸同意", "同意刷脸", "人脸识别同意", "同意人脸识别",
		"face_consent", "face consent", "face verification consent", "consent to face verification"},
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
