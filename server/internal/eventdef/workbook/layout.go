package workbook

import (
	"strings"

	"huiwu/server/internal/eventdef"
)

// The sheets, in the order Write lays them out.
const (
	SheetHelp        = "填写说明"
	SheetEvent       = "会议信息"
	SheetCategories  = "人员类别"
	SheetVenues      = "场地"
	SheetSections    = "座区"
	SheetSeats       = "座位"
	SheetSessions    = "日程"
	SheetMeals       = "用餐"
	SheetRooms       = "住宿"
	SheetCheckpoints = "检查点"
)

// column is one column of a data sheet: its header, the headers also
// accepted for it, what it holds for the Locator, and its help text.
type column struct {
	name    string   // the header Write puts, and the column's name in messages
	en      string   // its English name, also accepted as a header
	aliases []string // other headers accepted
	// paths are the definition paths, relative to the row's item, that this
	// column holds; the Locator maps a validation error there.
	paths    []string
	width    float64
	text     bool    // formatted as text, so Excel keeps 001 or 2026-03-05 09:00 as typed
	choices  choices // the words the column takes, offered as a drop-down
	required bool
	zh, enH  string // help for 填写说明
}

// sheetSpec is a data sheet: its name, the part of the definition it fills
// and its columns. The first column is the key that marks the header row.
type sheetSpec struct {
	name, en string
	aliases  []string
	part     string
	cols     []column
	zh, enH  string
}

// Column indexes of each sheet, in the order of its cols.
const (
	cCode = iota
	cName
	cNameEn
	cColor
	cVoting
)

const (
	vCode = iota
	vName
	vNameEn
	vKind
	vCapacity
	vDoors
	vPresidium
	vTables
)

const (
	secVenue = iota
	secCode
	secRows
	secSeats
	secNumbering
	secDoor
	secFirstRow
)

const (
	stVenue = iota
	stLabel
	stSection
	stRow
	stNumber
	stKind
	stDoor
	stX
	stY
)

const (
	sCode = iota
	sName
	sNameEn
	sKind
	sVenue
	sGroup
	sOpens
	sStarts
	sEnds
	sCloses
	sExpCats
	sExpDels
	sExpGroups
	sQBase
	sQRatio
	sQStrict
	sQCats
	sPRule
	sPHonour
	sAbsentFrom
)

const (
	mCode = iota
	mName
	mDate
	mSlot
	mOpens
	mCloses
	mHall
	mCats
	mDels
	mGroups
)

const (
	rHotel = iota
	rNumber
	rBeds
)

const (
	kCode = iota
	kName
	kNameEn
	kKind
	kVenue
	kDoor
	kSession
	kMeal
	kPhotoCheck
	kFace
)

// hallPrefix marks, in the 用餐 sheet, the paths that belong to a hall row
// (meals[i].halls[j]) rather than to the meal.
const hallPrefix = "halls[]."

var codeHelp = "字母、数字、-、_、.，最长 64 位；再次上传时按代码对应，改代码等于删除后新增"
var codeHelpEn = "letters, digits, -, _ and . (up to 64); a later upload matches items by code, so changing one removes the item and adds another"

var (
	categorySheet = sheetSpec{name: SheetCategories, en: "Categories", part: eventdef.PartCategories,
		zh: "人员类别：代表、列席、工作人员等，决定胸卡颜色和是否参加表决。", enH: "Kinds of attendee (delegate, observer, staff …): badge colour and whether they vote.",
		cols: []column{
			cCode:   {name: "代码", en: "code", paths: []string{"code"}, width: 14, text: true, required: true, zh: codeHelp, enH: codeHelpEn},
			cName:   {name: "名称", en: "name", paths: []string{"name"}, width: 16, required: true, zh: "如 代表、列席", enH: "e.g. 代表 (delegate)"},
			cNameEn: {name: "英文名称", en: "name_en", aliases: []string{"english name", "英文名"}, paths: []string{"name_en"}, width: 18, zh: "可不填", enH: "optional"},
			cColor:  {name: "颜色", en: "color", aliases: []string{"colour", "胸卡颜色"}, paths: []string{"color"}, width: 12, text: true, zh: "胸卡颜色，#RRGGBB，如 #C00000；不填为灰色", enH: "badge colour as #RRGGBB, e.g. #C00000; grey when empty"},
			cVoting: {name: "表决", en: "voting", aliases: []string{"有表决权", "表决权", "vote"}, paths: []string{"voting"}, width: 8, choices: yesNo, zh: "是：计入法定人数并参加表决；否：不计入", enH: "是 (yes): counts towards the quorum and votes; 否 (no): does not"},
		}}

	venueSheet = sheetSpec{name: SheetVenues, en: "Venues", part: eventdef.PartVenues,
		zh:  "场地：会场、会议室、餐厅、酒店。会场的座位由“主席台”“座区”两列/表生成，“座位”表可增补或改写个别座位。",
		enH: "Venues: halls, meeting rooms, dining halls, hotels. A hall's seats come from its presidium rows and its sections (座区 sheet); the 座位 sheet adds or overrides single seats.",
		cols: []column{
			vCode:      {name: "代码", en: "code", paths: []string{"code"}, width: 12, text: true, required: true, zh: codeHelp, enH: codeHelpEn},
			vName:      {name: "名称", en: "name", paths: []string{"name"}, width: 18, required: true, zh: "如 人民大会堂", enH: "the venue's name"},
			vNameEn:    {name: "英文名称", en: "name_en", aliases: []string{"english name", "英文名"}, paths: []string{"name_en"}, width: 18, zh: "可不填", enH: "optional"},
			vKind:      {name: "类型", en: "kind", aliases: []string{"type", "场地类型"}, paths: []string{"kind"}, width: 10, choices: venueKinds, required: true},
			vCapacity:  {name: "容量", en: "capacity", aliases: []string{"容纳人数"}, paths: []string{"capacity"}, width: 8, zh: "人数；不填则按座位、餐桌或床位计算", enH: "people; when empty, counted from seats, tables or beds"},
			vDoors:     {name: "门", en: "doors", aliases: []string{"出入口", "门名"}, paths: []string{"doors"}, width: 18, zh: "门的名称，用“、”分隔，如 东门、西门", enH: "door names separated by 、, e.g. 东门、西门"},
			vPresidium: {name: "主席台", en: "presidium", aliases: []string{"主席台座位"}, paths: []string{"presidium"}, width: 12, text: true, zh: "仅会场：主席台每排座位数，前排在先，用“、”分隔，如 15、17", enH: "halls only: presidium seats per row, front row first, separated by 、, e.g. 15、17"},
			vTables:    {name: "餐桌", en: "tables", aliases: []string{"桌数"}, paths: []string{"tables"}, width: 14, text: true, zh: "仅餐厅：40×10 表示 1–40 号桌各 10 座；多段用“、”连接，如 40×10、2×12（41、42 号桌 12 座）；51-60×8 指定桌号；单写 12 为下一号桌 12 座", enH: "dining halls only: 40×10 is tables 1–40 of 10 seats; join runs with 、, e.g. 40×10、2×12 (tables 41–42 of 12); 51-60×8 names the numbers; a bare 12 is the next table with 12 seats"},
		}}

	sectionSheet = sheetSpec{name: SheetSections, en: "Sections", part: eventdef.PartVenues,
		zh: "座区：会场台下的座位块，每行一个，从观众看去自左向右排列。", enH: "Sections: the floor's blocks of seats, one a row, left to right as the audience sees them.",
		cols: []column{
			secVenue:     {name: "场地代码", en: "venue", aliases: []string{"场地", "会场", "会场代码"}, width: 12, text: true, required: true, zh: "“场地”表中的会场代码；留空表示同上一行", enH: "the hall's code from the 场地 sheet; empty means the same as the row above"},
			secCode:      {name: "座区", en: "section", aliases: []string{"座区代码", "区", "code"}, paths: []string{"code"}, width: 10, text: true, required: true, zh: "座区代码，如 A、B、中区；是座位号的第一段（A-5-12），不能含“-”或空格", enH: "the section code, e.g. A, B, 中区: the first part of a seat label (A-5-12); no '-' or spaces"},
			secRows:      {name: "排数", en: "rows", paths: []string{"rows"}, width: 8, required: true, zh: "1–500", enH: "1–500"},
			secSeats:     {name: "每排座位", en: "seats", aliases: []string{"每排座位数", "座位数", "seats per row"}, paths: []string{"seats"}, width: 10, required: true, zh: "1–500", enH: "1–500"},
			secNumbering: {name: "编号方式", en: "numbering", aliases: []string{"编号"}, paths: []string{"numbering"}, width: 10, choices: numberings, required: true},
			secDoor:      {name: "最近的门", en: "door", aliases: []string{"门", "入口"}, paths: []string{"door"}, width: 10, zh: "引导入座用，须是该场地“门”列中的一个", enH: "for guidance; one of the venue's doors"},
			secFirstRow:  {name: "起始排", en: "first_row", aliases: []string{"起始排号", "first row"}, paths: []string{"first_row"}, width: 8, zh: "第一排的排号，不填为 1（楼座可写 21）", enH: "the number of the section's first row; 1 when empty (e.g. 21 for a balcony)"},
		}}

	seatSheet = sheetSpec{name: SheetSeats, en: "Seats", part: eventdef.PartVenues,
		zh:  "座位：逐个列出的座位，增补座区以外的座位，或改写座区生成的同号座位（如轮椅位、预留座）。一般不必填写。",
		enH: "Seats: single seats that add to the sections or override the generated seat with the same label (wheelchair, reserved …). Usually empty.",
		cols: []column{
			stVenue:   {name: "场地代码", en: "venue", aliases: []string{"场地", "会场", "会场代码"}, width: 12, text: true, required: true, zh: "“场地”表中的会场代码；留空表示同上一行", enH: "the hall's code from the 场地 sheet; empty means the same as the row above"},
			stLabel:   {name: "座位", en: "seat", aliases: []string{"座位号", "座号", "label"}, paths: []string{"seat"}, width: 12, text: true, required: true, zh: "座位号，如 A-5-12（座区-排-号）；主席台为 P-1-01", enH: "the seat label, e.g. A-5-12 (section-row-number); presidium seats are P-1-01"},
			stSection: {name: "座区", en: "section", aliases: []string{"区"}, paths: []string{"section"}, width: 10, text: true, required: true, zh: "主席台写 presidium", enH: "presidium for the presidium"},
			stRow:     {name: "排", en: "row", aliases: []string{"排号"}, paths: []string{"row"}, width: 6},
			stNumber:  {name: "号", en: "number", aliases: []string{"座号数字", "no"}, paths: []string{"number"}, width: 6},
			stKind:    {name: "类型", en: "kind", aliases: []string{"type", "座位类型"}, paths: []string{"kind"}, width: 10, choices: seatKinds},
			stDoor:    {name: "门", en: "door", aliases: []string{"最近的门"}, paths: []string{"door"}, width: 10, zh: "最近的门", enH: "the nearest door"},
			stX:       {name: "X", en: "x", paths: []string{"x"}, width: 8, zh: "座位图横坐标（米），观众看去向右增大", enH: "seat-map x in metres, growing to the audience's right"},
			stY:       {name: "Y", en: "y", paths: []string{"y"}, width: 8, zh: "座位图纵坐标（米），离舞台越远越大", enH: "seat-map y in metres, growing away from the stage"},
		}}

	sessionSheet = sheetSpec{name: SheetSessions, en: "Sessions", part: eventdef.PartSessions,
		zh: "日程：每场会议一行。时间写成 2026-03-05 09:00（会议所在时区）。", enH: "Sessions: one a row. Times read 2026-03-05 09:00, in the event's timezone.",
		cols: []column{
			sCode:      {name: "代码", en: "id", aliases: []string{"code", "场次代码"}, paths: []string{"id"}, width: 12, text: true, required: true, zh: codeHelp, enH: codeHelpEn},
			sName:      {name: "名称", en: "name", aliases: []string{"会议名称", "场次名称"}, paths: []string{"name"}, width: 18, required: true},
			sNameEn:    {name: "英文名称", en: "name_en", aliases: []string{"english name", "英文名"}, paths: []string{"name_en"}, width: 18, zh: "可不填", enH: "optional"},
			sKind:      {name: "类型", en: "kind", aliases: []string{"type", "会议类型"}, paths: []string{"kind"}, width: 10, choices: sessionKinds, required: true},
			sVenue:     {name: "场地", en: "venue", aliases: []string{"场地代码", "会场"}, paths: []string{"venue"}, width: 10, text: true, required: true, zh: "“场地”表中的代码", enH: "a code from the 场地 sheet"},
			sGroup:     {name: "讨论组", en: "group", aliases: []string{"分组", "小组"}, paths: []string{"group"}, width: 10, zh: "分组讨论所属的组，与名单的“分组”列一致", enH: "the group that meets, as in the attendee list's 分组 column"},
			sOpens:     {name: "开门", en: "opens_at", aliases: []string{"开门时间", "签到开始", "opens at"}, paths: []string{"opens_at"}, width: 17, text: true, required: true, zh: "开始签到的时间", enH: "when check-in opens"},
			sStarts:    {name: "开始", en: "starts_at", aliases: []string{"开始时间", "starts at"}, paths: []string{"starts_at"}, width: 17, text: true, required: true, zh: "此后入场记为迟到", enH: "entries after it are late"},
			sEnds:      {name: "结束", en: "ends_at", aliases: []string{"结束时间", "ends at"}, paths: []string{"ends_at"}, width: 17, text: true, required: true},
			sCloses:    {name: "关门", en: "closes_at", aliases: []string{"关门时间", "签到截止", "closes at"}, paths: []string{"closes_at"}, width: 17, text: true, required: true, zh: "停止签到的时间", enH: "when check-in closes"},
			sExpCats:   {name: "应到类别", en: "expected categories", aliases: []string{"expected.categories"}, paths: []string{"expected.categories", "expected"}, width: 14, text: true, zh: "应到的人员类别代码，用“、”分隔；三列都空为全体人员", enH: "category codes expected, separated by 、; all three empty means everybody"},
			sExpDels:   {name: "应到代表团", en: "expected delegations", aliases: []string{"expected.delegations"}, paths: []string{"expected.delegations"}, width: 14, zh: "代表团名称，与名单一致", enH: "delegation names as in the attendee list"},
			sExpGroups: {name: "应到组", en: "expected groups", aliases: []string{"应到分组", "expected.groups"}, paths: []string{"expected.groups"}, width: 12, zh: "分组名称，与名单一致；几列都填时须同时符合", enH: "group names as in the attendee list; when several columns are filled an attendee must match each"},
			sQBase:     {name: "法定人数基数", en: "quorum base", aliases: []string{"基数", "quorum.base"}, paths: []string{"quorum.base", "quorum"}, width: 12, choices: quorumBases, zh: "法定人数四列都空则用默认（应到人数过半）", enH: "all four quorum columns empty: the default (more than half of those expected)"},
			sQRatio:    {name: "比例", en: "quorum ratio", aliases: []string{"法定比例", "quorum.ratio", "ratio"}, paths: []string{"quorum.ratio"}, width: 8, text: true, zh: "如 1/2、2/3", enH: "e.g. 1/2, 2/3"},
			sQStrict:   {name: "超过/达到", en: "quorum strict", aliases: []string{"过半/严格", "严格", "strict", "quorum.strict"}, paths: []string{"quorum.strict"}, width: 10, choices: strictness, zh: "超过：到会须多于比例（过半数）；达到：不少于比例（三分之二以上）；不填时 1/2 为超过，其他为达到", enH: "超过: present must exceed the ratio (过半数); 达到: at least the ratio (三分之二以上); when empty, 超过 for 1/2 and 达到 otherwise"},
			sQCats:     {name: "计数类别", en: "quorum categories", aliases: []string{"计入类别", "quorum.categories"}, paths: []string{"quorum.categories"}, width: 12, text: true, zh: "计入法定人数的类别代码；不填为有表决权的类别", enH: "category codes that count; empty: the voting ones"},
			sPRule:     {name: "主席台规则", en: "presidium rule", aliases: []string{"主席台排序", "presidium.rule"}, paths: []string{"presidium.rule", "presidium"}, width: 12, choices: presidiumRules},
			sPHonour:   {name: "尊位", en: "honour", aliases: []string{"presidium.honour"}, paths: []string{"presidium.honour"}, width: 10, choices: honours},
			sAbsentFrom: {name: "缺席起算", en: "absent_from", aliases: []string{"缺席", "缺席时间", "absent from"}, paths: []string{"absent_from"}, width: 10, choices: absentFroms,
				zh: "未到的人从何时起计为缺席：开始（默认，会议开始后即算缺席）或关门（签到截止后才算缺席，此前显示未到）", enH: "when those not in count as absent (缺席): 开始 (the start, the default) or 关门 (only once check-in closes; not yet (未到) until then)"},
		}}

	mealSheet = sheetSpec{name: SheetMeals, en: "Meals", part: eventdef.PartMeals,
		zh:  "用餐：每餐每个餐厅一行。同一餐有几个餐厅时写几行（代码相同，或代码留空表示同上），按行的先后依次匹配：第一个符合的餐厅供餐，三列都空表示其余所有人。",
		enH: "Meals: one row per meal and dining hall. A meal served in several halls takes several rows (same code, or an empty code for 'as above'), tried in row order: the first hall whose lists match serves the attendee; a hall with all three lists empty serves everyone left.",
		cols: []column{
			mCode:   {name: "代码", en: "id", aliases: []string{"code", "餐次代码"}, paths: []string{"id"}, width: 12, text: true, required: true, zh: codeHelp + "；留空表示与上一行同一餐", enH: codeHelpEn + "; empty means the same meal as the row above"},
			mName:   {name: "名称", en: "name", aliases: []string{"餐次名称"}, paths: []string{"name"}, width: 16, required: true, zh: "如 3月5日午餐", enH: "e.g. 3月5日午餐 (lunch, 5 March)"},
			mDate:   {name: "日期", en: "date", aliases: []string{"用餐日期"}, paths: []string{"date"}, width: 12, text: true, required: true, zh: "2026-03-05", enH: "2026-03-05"},
			mSlot:   {name: "餐次", en: "slot", aliases: []string{"餐别"}, paths: []string{"slot"}, width: 8, choices: slots, required: true},
			mOpens:  {name: "开始", en: "opens_at", aliases: []string{"开始时间", "开餐", "opens at"}, paths: []string{"opens_at"}, width: 17, text: true, required: true, zh: "可只写 11:30（即“日期”当天）", enH: "may be just 11:30, on the row's date"},
			mCloses: {name: "结束", en: "closes_at", aliases: []string{"结束时间", "closes at"}, paths: []string{"closes_at"}, width: 17, text: true, required: true, zh: "可只写 13:30", enH: "may be just 13:30"},
			mHall:   {name: "餐厅", en: "hall", aliases: []string{"venue", "餐厅代码", "场地"}, paths: []string{"halls", hallPrefix + "venue"}, width: 12, text: true, required: true, zh: "“场地”表中的餐厅代码", enH: "a dining hall's code from the 场地 sheet"},
			mCats:   {name: "类别", en: "categories", aliases: []string{"人员类别"}, paths: []string{hallPrefix + "categories"}, width: 14, text: true, zh: "在此餐厅用餐的类别代码，用“、”分隔", enH: "category codes served here, separated by 、"},
			mDels:   {name: "代表团", en: "delegations", paths: []string{hallPrefix + "delegations"}, width: 14, zh: "代表团名称", enH: "delegation names"},
			mGroups: {name: "组", en: "groups", aliases: []string{"分组"}, paths: []string{hallPrefix + "groups"}, width: 12, zh: "分组名称", enH: "group names"},
		}}

	roomSheet = sheetSpec{name: SheetRooms, en: "Rooms", aliases: []string{"客房", "lodging"}, part: eventdef.PartVenues,
		zh:  "住宿：酒店的客房，每行一间；连号可写成 801~820（床位数相同）。参会人员的房号在名单的“房号”列。",
		enH: "Rooms: a hotel's rooms, one a row; a run may read 801~820 (same beds each). Attendees' rooms come from the attendee list's 房号 column.",
		cols: []column{
			rHotel:  {name: "酒店代码", en: "hotel", aliases: []string{"酒店", "场地代码", "venue"}, width: 12, text: true, required: true, zh: "“场地”表中的酒店代码；留空表示同上一行", enH: "the hotel's code from the 场地 sheet; empty means the same as the row above"},
			rNumber: {name: "房号", en: "room", aliases: []string{"房间号", "number"}, paths: []string{"number"}, width: 12, text: true, required: true, zh: "如 0801；连号 801~820", enH: "e.g. 0801; a run 801~820"},
			rBeds:   {name: "床位", en: "beds", aliases: []string{"床位数"}, paths: []string{"beds"}, width: 8, required: true},
		}}

	checkpointSheet = sheetSpec{name: SheetCheckpoints, en: "Checkpoints", part: eventdef.PartCheckpoints,
		zh: "检查点：放置扫码终端的地方。", enH: "Checkpoints: where kiosks scan.",
		cols: []column{
			kCode:    {name: "代码", en: "id", aliases: []string{"code", "检查点代码"}, paths: []string{"id"}, width: 14, text: true, required: true, zh: codeHelp, enH: codeHelpEn},
			kName:    {name: "名称", en: "name", paths: []string{"name"}, width: 18, required: true, zh: "如 东门入口", enH: "e.g. 东门入口 (east door entrance)"},
			kNameEn:  {name: "英文名称", en: "name_en", aliases: []string{"english name", "英文名"}, paths: []string{"name_en"}, width: 18, zh: "可不填", enH: "optional"},
			kKind:    {name: "类型", en: "kind", aliases: []string{"type"}, paths: []string{"kind"}, width: 8, choices: checkpointKinds, required: true},
			kVenue:   {name: "场地", en: "venue", aliases: []string{"场地代码"}, paths: []string{"venue"}, width: 10, text: true, required: true, zh: "“场地”表中的代码；用餐检查点在餐厅，住宿检查点在酒店", enH: "a code from the 场地 sheet; a meal checkpoint is in a dining hall, a lodging one in a hotel"},
			kDoor:    {name: "门", en: "door", paths: []string{"door"}, width: 8, zh: "该场地的一个门", enH: "one of the venue's doors"},
			kSession: {name: "场次", en: "session", aliases: []string{"日程", "场次代码"}, paths: []string{"session"}, width: 12, text: true, zh: "仅入口/出口：只为这一场签到；不填则为该场地当时开放的场次", enH: "entrances and exits only: serve this session alone; empty: whichever session of the venue is open"},
			kMeal:    {name: "餐次", en: "meal", aliases: []string{"餐次代码"}, paths: []string{"meal"}, width: 12, text: true, zh: "仅用餐检查点：只核销这一餐；不填为当时开放的餐", enH: "meal checkpoints only: serve this meal alone; empty: whichever meal is open"},
			kPhotoCheck: {name: "照片核对", en: "photo_check", aliases: []string{"照片", "photo check"}, paths: []string{"photo_check"}, width: 8, choices: yesNo,
				zh: "是：扫码后在终端和引导员平板上显示本人照片供核对；面向排队人群的终端宜填否", enH: "是 (yes): the kiosk and the usher's tablet show the holder's photo to compare; leave 否 (no) at a kiosk facing a queue"},
			kFace: {name: "人脸核验", en: "face", aliases: []string{"刷脸", "face check"}, paths: []string{"face"}, width: 10, choices: faceModes,
				zh: "关闭 / 提示（不符时呼叫引导员）/ 拒绝（不符时不予通行）；需在“会议信息”中启用人脸核验", enH: "off / advise (a mismatch calls the usher) / enforce (a mismatch is refused); needs face verification on in 会议信息"},
		}}
)

// dataSheets are the sheets read as tables, in the order Write lays them
// out after 会议信息.
var dataSheets = []*sheetSpec{&categorySheet, &venueSheet, &sectionSheet, &seatSheet, &sessionSheet, &mealSheet, &roomSheet, &checkpointSheet}

// The 会议信息 sheet: one row per key, its value in the next column.
const (
	eID = iota
	eName
	eNameEn
	eTimezone
	eStartsOn
	eFaceVerification
	eBadgeLayout
	eFaceRetentionDays
)

// eventKeys are the keys of 会议信息, each with its path in the definition.
var eventKeys = []struct {
	name, en string
	aliases  []string
	path     string
	optional bool
	zh, enH  string
}{
	eID:               {"会议代码", "id", []string{"代码", "code", "event id"}, "event.id", false, "字母、数字、-、_、.；印在每张胸卡的二维码中，会议建立后不能再改", "letters, digits, -, _ and .; printed in every badge's QR code, so it cannot change once the event exists"},
	eName:             {"会议名称", "name", []string{"名称"}, "event.name", false, "如 第十四届全国人民代表大会第四次会议", "the meeting's name"},
	eNameEn:           {"英文名称", "name_en", []string{"english name", "英文名"}, "event.name_en", true, "可不填", "optional"},
	eTimezone:         {"时区", "timezone", []string{"time zone"}, "event.timezone", false, "IANA 时区名，如 Asia/Shanghai；表中所有时间都按此时区", "an IANA name such as Asia/Shanghai; every time in the workbook is in it"},
	eStartsOn:         {"首日", "starts_on", []string{"开始日期", "首日日期", "start date", "first day", "starts on"}, "event.starts_on", false, "会议第一天，如 2026-03-05", "the meeting's first day, e.g. 2026-03-05"},
	eFaceVerification: {"人脸核验", "face_verification", []string{"刷脸", "face verification"}, "event.face_verification", true, "是：允许检查点核验人脸（仅限已同意的人员）；不填为否", "是 (yes): checkpoints may check faces (only of people who consented); empty: no"},
	eBadgeLayout: {"证件版式", "badge_layout", []string{"版式", "证件尺寸", "badge layout", "layout"}, "event.badge_layout", true,
		"报到处打印证件的默认版式：" + strings.Join(eventdef.BadgeLayouts(), "、") + "（带 -photo 的印照片）；不填为 cr80",
		"the layout the desk prints badges on: " + strings.Join(eventdef.BadgeLayouts(), ", ") + " (a -photo layout prints the photo); empty: cr80"},
	eFaceRetentionDays: {"人脸数据保留天数", "face_retention_days", []string{"保留天数", "face retention days", "face data retention"}, "event.face_retention_days", true,
		"会议最后一天之后照片、人脸特征和同意记录再保留的天数，1–365，到期由服务器自动删除；不填为 30",
		"days the photos, face references and consents are kept after the meeting's last day, 1–365, then deleted by the server; empty: 30"},
}
