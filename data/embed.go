// Package data embeds the files the server ships with: the demo event's
// source lists and, later, fonts and generated tables. go:embed cannot reach
// outside its own folder, hence this tiny package.
package data

import "embed"

// Demo holds the word lists the demo event is generated from (demo/*.txt).
//
//go:embed demo
var Demo embed.FS

// Strokes holds the stroke-count table generated from Unihan kTotalStrokes
// (strokes/kTotalStrokes.bin; see server/internal/seating/gen).
//
//go:embed strokes
var Strokes embed.FS

// Pinyin holds toneless readings, from Unihan, of the characters the pinyin
// library lacks (pinyin/unihan.txt; see scripts/gen-pinyin).
//
//go:embed pinyin
var Pinyin embed.FS
