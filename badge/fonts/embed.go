// Package fonts embeds the typefaces badges, slips and sign-in sheets are
// printed in, and the one web font the browser pages load on kiosks that
// have no Chinese fonts of their own. go:embed cannot reach outside its own
// folder, hence this tiny package (as kiosk/embed.go and data/embed.go).
//
// All three are Noto fonts under the SIL Open Font License 1.1 (OFL.txt
// beside this file), which allows shipping them inside a program. They came
// from the npm packages @expo-google-fonts/noto-sans-sc@0.4.3 and
// @expo-google-fonts/noto-sans-jp@0.4.3 (`npm pack`), which carry Google
// Fonts' TrueType (glyf) builds:
//
//   - Noto Sans SC Regular and Bold: the main faces, simplified Chinese
//     glyph shapes, Latin with accents, U+00B7 for minority names, and most
//     of CJK Ext A (䶮 U+4DAE).
//   - Noto Sans JP Regular: the fallback for what SC lacks, chiefly CJK
//     Ext B characters beyond the BMP such as 𠮷 (U+20BB7).
package fonts

import _ "embed"

// SCRegular is Noto Sans SC Regular (TrueType).
//
//go:embed NotoSansSC-Regular.ttf
var SCRegular []byte

// SCBold is Noto Sans SC Bold (TrueType), used for names.
//
//go:embed NotoSansSC-Bold.ttf
var SCBold []byte

// JPRegular is Noto Sans JP Regular (TrueType), the fallback face.
//
//go:embed NotoSansJP-Regular.ttf
var JPRegular []byte

// License is the SIL Open Font License text the fonts are shipped under.
//
//go:embed OFL.txt
var License string

// WebFontName is the file name the server serves SCRegular under for the
// browser pages (/static-fonts/NotoSansSC-Regular.ttf).
const WebFontName = "NotoSansSC-Regular.ttf"

// WebFallbackName is the file name the server serves JPRegular under: the
// pages' face for the rare characters SC lacks (CJK Ext B and beyond,
// such as 𠮷), which browsers fetch only for a page that shows one.
const WebFallbackName = "NotoSansJP-Regular.ttf"
