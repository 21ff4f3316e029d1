//go:build race

package importer

// raceEnabled: under the race detector inflating runs about ten times
// slower, so the lying-zip test keeps the lie's shape (a header that says
// a tenth of the truth) at a tenth of its size.
const raceEnabled = true
