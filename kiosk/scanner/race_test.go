//go:build race

package scanner

// raceEnabled: under the race detector rendering and decoding run about
// eight times slower, so the corpus test keeps to the classes that guard the
// preprocessing.
const raceEnabled = true
