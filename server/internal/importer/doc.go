// Package importer turns an uploaded attendee list (来宾登记表) into validated
// [domain.Attendee] records, or into precise errors that name the spreadsheet
// row, the column letter and the header, in Chinese and English. It never
// touches the database: the store applies [Result.Rows] in one transaction,
// upserting by [domain.Attendee.Key], and only when [Result.Errors] is empty.
//
// # Formats
//
// The format is detected from the bytes, not from the file name:
//
//   - "xlsx": a zip file (PK\x03\x04) read with excelize. The first visible
//     sheet is read, unless a visible sheet is named like 名单, 参会人员 or
//     登记表. Merged cells below the header are filled down (a 代表团 merged
//     over five rows gives all five rows that 代表团), as the eye reads them.
//   - "csv-utf8", "csv-utf8-bom", "csv-gb18030" (what Excel on Chinese
//     Windows writes for "CSV (逗号分隔)"), "csv-utf16le"/"csv-utf16be"
//     (Excel's "Unicode 文本"). The delimiter — comma, tab or semicolon — is
//     the one the header line uses most.
//
// Old .xls, encrypted workbooks, PDF, Word, HTML dressed up as .xls and other
// binaries are refused with code unsupported_format and the advice to save
// as .xlsx or CSV.
//
// # Rows
//
// Row numbers are those of the file as Excel shows them: the first line is
// row 1, a title row above the header keeps its number, blank rows count but
// are skipped silently. The header is the first of the first ten non-blank
// rows that has a 姓名 (or "name") cell. For CSV a quoted cell that spans
// lines is one row, as in Excel.
//
// Header cells match in Chinese or English, with synonyms (手机号码, 电话,
// mobile), ignoring case, spaces, full width, a 必填 "*" and bracketed
// remarks such as （必填）; a bilingual cell such as "姓名 Name" matches too.
// An unknown header is a warning and its column is ignored; two headers for
// one field are an error.
//
// # Keys
//
// Attendee.Key lets a corrected file update people instead of duplicating
// them. The first rule that applies wins:
//
//  1. the 编号 (key, ref) column, verbatim after trimming — so a file exported
//     from Huiwu, whose key column holds "id:…" or "tel:…", round-trips;
//  2. "id:" + the ID number (upper-case X);
//  3. "tel:" + name + "|" + phone, phone normalised (13800138000,
//     010-12345678);
//  4. "org:" + name + "|" + organisation (which may be empty).
//
// A row whose 编号 cell is empty falls through to rule 2, so a list should
// fill the column for everyone or for no one.
//
// Two rows with one key and identical data are one person entered twice: the
// second is dropped with warning duplicate_row. Two rows with one key and
// different data are an error (duplicate_key) on the second row, naming the
// first.
//
// # Rank
//
// 排序 is a positive integer or empty. Rows with a rank keep it (ties are
// allowed, with warning duplicate_rank). Rows without one are ranked after
// the highest explicit rank, in row order: with explicit ranks 1–5, the first
// unranked row gets 6, the next 7.
//
// # Normalisation
//
// Every cell loses leading and trailing blanks (including U+00A0 and U+3000),
// control and zero-width characters. Phone, ID number, rank, room and key are
// folded to half width (１３８ → 138). Names fold to half width, turn every
// middle-dot look-alike (・ ･ • ‧ ⋅ ∙ …, and a full stop between Chinese
// characters) into U+00B7, lose all spaces when they contain Chinese
// characters (张　三 → 张三) and keep single spaces otherwise (John Smith).
//
// # Issues
//
// Errors block the import; warnings do not. Each list keeps the first
// [MaxIssues] entries and counts all of them. File-level failures are
// returned as *[Error] instead. The codes are the Code* constants.
package importer
