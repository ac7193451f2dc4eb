//go:build race

package embed

// raceEnabled is true under -race: Hogwild training with several workers
// races on the weights by design (as the C tool and gensim do), so those
// tests are skipped there.
const raceEnabled = true
