# The two commands of the README:
#   make notebook   install what is missing, then start Jupyter on notebooks/
#   make test       install what is missing, then run every check
# Both work on a fresh Debian machine with Go 1.26 (see install/install.sh).

SHELL := /bin/bash
GO ?= go
# Executed copies of the notebooks go here, so a test run leaves notebooks/ untouched.
NB_OUT ?= $(CURDIR)/.cache/notebooks-out

.PHONY: notebook test install vet unit notebooks browser lint peers bench-kernel

notebook: install
	bin/gonbml notebook

install:
	install/install.sh

peers:
	install/install.sh --peers

test: install vet unit lint notebooks browser

vet:
	$(GO) vet ./...

unit:
	$(GO) test -timeout 60m ./...

lint:
	bin/gonbml lint notebooks

# Every notebook from a clean kernel, top to bottom; the suite must stay
# within 20 minutes on a 2-core machine (each notebook's time is printed).
notebooks:
	mkdir -p $(NB_OUT)
	bin/gonbml run --out-dir $(NB_OUT) --html-dir $(NB_OUT) --budget 20m notebooks/*.ipynb

# Browser checks that need the executed notebooks: the charts tour's nbconvert
# export opened offline, and a chart notebook run live in the notebook server.
# Then every chart of the executed notebooks read back from its ECharts option
# (named axes, legend outside the plot, colour scale on heat maps).
browser:
	test -f $(NB_OUT)/01-charts-tour.html || $(MAKE) notebooks
	GONBML_NOTEBOOK_HTML_DIR=$(NB_OUT) GONBML_LIVE_BROWSER_TEST=1 $(GO) test -count=1 -run Browser ./stdlib/chart
	GONBML_NOTEBOOK_OUT_DIR=$(NB_OUT) $(GO) test -count=1 -run ExecutedNotebookCharts ./kernel/chartcheck

bench-kernel: install
	$(GO) run ./bench/kernel
