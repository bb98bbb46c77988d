#!/usr/bin/env bash
# Prepare this machine to run or test the kiosk: Debian packages, then a virtual
# environment with the project installed. Idempotent and quick when nothing is missing;
# sourced by run-demo.sh and run-tests.sh so that both README commands work on a bare machine.
set -euo pipefail

KIOSK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIOSK_VENV="${KIOSK_VENV:-$KIOSK_ROOT/.venv}"

# Qt runtime (PySide6 wheels), the virtual keyboard's libpulse0, CJK fonts (without them Qt
# draws boxes silently; Noto Sans CJK is the screen font for its real bold face, WenQuanYi the
# documents'; Hanazono then BabelStone Han have the rare characters WenQuanYi lacks,
# CJK Extensions A to F and most of G and H: assets/fonts/README.md), PDF and QR checks,
# CUPS with the cups-pdf queue the print tests use, PostgreSQL (the central server's tests run on
# SQLite and on a throwaway PostgreSQL cluster), espeak-ng (the voice prompts are spoken into
# files here, ahead of time), cage and systemd (the installer's tests check the unit it writes,
# which starts the kiosk under cage, with systemd-analyze verify), and the headers pyscard and
# pycups build against; zinnia and its Simplified Chinese model for the writing pad (手写).
KIOSK_DEB_PACKAGES=(
  libglib2.0-0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libpulse0 fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-hanazono
  fonts-babelstone-han libzinnia0 tegaki-zinnia-simplified-chinese
  poppler-utils zbar-tools
  cups printer-driver-cups-pdf pcscd vsmartcard-vpcd vsmartcard-vpicc postgresql espeak-ng
  cage systemd
  libpcsclite-dev libcups2-dev swig gcc python3-venv python3-dev
)

_kiosk_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "bootstrap: need root (or sudo) to run: $*" >&2; return 1; fi
}

kiosk_install_debian_packages() {
  local missing=() pkg
  for pkg in "${KIOSK_DEB_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  _kiosk_as_root apt-get update -qq
  _kiosk_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

kiosk_install_venv() {
  local stamp="$KIOSK_VENV/.kiosk-installed" want
  want="$(sha256sum "$KIOSK_ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$KIOSK_VENV/bin/python" ]; then
    return 0
  fi
  echo "bootstrap: preparing the Python environment in $KIOSK_VENV"
  [ -x "$KIOSK_VENV/bin/python" ] || python3 -m venv "$KIOSK_VENV"
  "$KIOSK_VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  "$KIOSK_VENV/bin/python" -m pip install -q -e "$KIOSK_ROOT[test]" 2>&1 \
    | grep -v "is neither a file nor a directory" || true
  "$KIOSK_VENV/bin/python" -c "import kiosk, PySide6, smartcard, reportlab, escpos, fastapi, uvicorn, psycopg, psycopg_pool" \
    || { echo "bootstrap: the Python environment is incomplete" >&2; return 1; }
  echo "$want" > "$stamp"
}

# Byte-compile the project (fast when up to date): imports read bytecode even where
# PYTHONDONTWRITEBYTECODE is set, and a kiosk should not compile its sources at every start.
kiosk_compile_bytecode() {
  "$KIOSK_VENV/bin/python" -m compileall -q -j 0 "$KIOSK_ROOT/kiosk" "$KIOSK_ROOT/forms" \
    "$KIOSK_ROOT/devices" "$KIOSK_ROOT/sync" "$KIOSK_ROOT/installer" >/dev/null
}

# The voice prompts' sound files, made from assets/voice/prompts.toml (quick when up to date).
kiosk_make_voices() {
  "$KIOSK_VENV/bin/kiosk" voices >/dev/null
}

kiosk_bootstrap() {
  kiosk_install_debian_packages "$@"
  kiosk_install_venv
  kiosk_compile_bytecode
  kiosk_make_voices
}
