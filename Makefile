# The two commands of the README:
#   make notebook   install what is missing, then start Jupyter on notebooks/
#   make test       install what is missing, then run every check
# Both work on a fresh Debian machine with Go 1.26 (see install/install.sh).

SHELL := /bin/bash
GO ?= go
# Executed copies of the notebooks go here, so a test run leaves notebooks/ untouched.
NB_OUT ?= $(CURDIR)/.cache/notebooks-out

.PHONY: notebook test install vet unit notebooks lint peers bench-kernel

notebook: install
	bin/gonbml notebook

install:
	install/install.sh

peers:
	install/install.sh --peers

test: install vet unit lint notebooks

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
	bin/gonbml run --out-dir $(NB_OUT) --budget 20m notebooks/*.ipynb

bench-kernel: install
	$(GO) run ./bench/kernel
