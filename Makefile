# The two commands of the README:
#   make notebook   install what is missing, then start Jupyter on notebooks/
#   make test       install what is missing, then run every check
# Both work on a fresh Debian machine with Go 1.26 (see install/install.sh).

SHELL := /bin/bash
GO ?= go
# Debian's Jupyter; the default python3 on these machines is another interpreter.
JUPYTER_PYTHON ?= /usr/bin/python3
# Executed copies of the notebooks go here, so a test run leaves notebooks/ untouched.
NB_OUT ?= $(CURDIR)/.cache/notebooks-out
# Every process a test run starts inherits this marker; after each phase,
# .ci/leftovers fails the run if a marked process is still running.
ifndef GONBML_TEST_RUN
GONBML_TEST_RUN := $(shell od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
endif
export GONBML_TEST_RUN
# The phases of `make test`, each timed against its line in .ci/budget.
PHASES = install vet unit purego conformance lint notebooks browser fresh
# The packages with assembly kernels, and embed which runs on them.
ASM_PKGS = ./stdlib/nn/... ./stdlib/sparse/... ./stdlib/embed/...

.PHONY: notebook test phases install vet unit purego notebooks browser fresh conformance lint peers bench-kernel

notebook: install
	bin/gonbml notebook

install:
	install/install.sh

peers:
	install/install.sh --peers

# Runs every phase (stopping at the first failure), then prints each phase's
# time against its budget and fails when one took more than 1.5 times it.
test:
	@.ci/phase reset
	@$(MAKE) --no-print-directory phases; status=$$?; .ci/phase summary && exit $$status

phases:
	@set -e; for p in $(PHASES); do .ci/phase run $$p $(MAKE) --no-print-directory $$p; done

vet:
	$(GO) vet ./...
	$(GO) mod tidy -diff

unit:
	$(GO) test -timeout 60m ./...

# The portable Go kernels (the assembly ones are compiled out) and the AVX2
# kernels on a machine with AVX-512 (the default path there).
purego:
	$(GO) test -count=1 -tags purego,noasm $(ASM_PKGS)
	GODEBUG=cpu.avx512f=off $(GO) test -count=1 $(ASM_PKGS)

lint:
	bin/gonbml lint notebooks

# Every notebook from a clean kernel, top to bottom; the suite must stay
# within 30 minutes on a 2-core machine (each notebook's time is printed).
notebooks:
	mkdir -p $(NB_OUT)
	bin/gonbml run --out-dir $(NB_OUT) --html-dir $(NB_OUT) --budget 30m notebooks/*.ipynb

# Browser checks that need the executed notebooks: the charts tour's nbconvert
# export opened offline, and a chart notebook run live in the notebook server.
# Then every chart of the executed notebooks read back from its ECharts option
# (named axes, legend outside the plot, colour scale on heat maps).
browser:
	test -f $(NB_OUT)/01-charts-tour.html || $(MAKE) notebooks
	GONBML_NOTEBOOK_HTML_DIR=$(NB_OUT) GONBML_LIVE_BROWSER_TEST=1 $(GO) test -count=1 -run Browser ./stdlib/chart
	GONBML_NOTEBOOK_OUT_DIR=$(NB_OUT) $(GO) test -count=1 -run ExecutedNotebookCharts ./kernel/chartcheck

# A clone of HEAD installed from nothing, then a stdlib cell with the network
# cut off (kernel/fresh).
fresh:
	GONBML_FRESH=1 $(GO) test -count=1 -timeout 100m ./kernel/fresh

bench-kernel: install
	$(GO) run ./bench/kernel

# Jupyter's kernel conformance suite (Debian's python3-jupyter-kernel-test)
# against the kernel 'make install' registered.
conformance:
	cd kernel/conformance && $(JUPYTER_PYTHON) -m unittest -v test_gonbml
