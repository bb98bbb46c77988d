#!/usr/bin/env bash
# The technician's command: prepare the Python environment of this release (as the README's
# commands do), then run the installer. Arguments go to it, e.g.
#   bash installer/install.sh install                       # guided
#   bash installer/install.sh --answers a.toml --non-interactive install
#   bash installer/install.sh --dry-run install
#   bash installer/install.sh upgrade --release /opt/township-kiosk/releases/0.2.0
# or, with no network at all, from an offline release bundle (installer/bundle.py):
#   bash installer/install.sh --bundle township-kiosk-0.2.0.bundle.tar --answers a.toml --non-interactive install
#   bash installer/install.sh --bundle township-kiosk-0.2.0.bundle.tar upgrade
set -euo pipefail
if [ "${1:-}" = --bundle ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/bundle.sh"
  kiosk_install_from_bundle "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" "${2:?install.sh: --bundle FILE}" "${@:3}"
  exit $?
fi
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
kiosk_bootstrap
cd "$KIOSK_ROOT"
exec "$KIOSK_VENV/bin/python" -m installer "$@"
