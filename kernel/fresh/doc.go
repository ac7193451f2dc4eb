// Package fresh holds the fresh-machine test: a clone of this checkout
// installed from nothing (empty HOME, module cache, build cache, Jupyter and
// gonbml data dirs, Go's default GOPROXY and GOSUMDB) by install/install.sh,
// then a notebook whose first cell imports the stdlib, run with the network
// cut off. `make fresh` runs it (GONBML_FRESH=1); it has no non-test code.
package fresh
