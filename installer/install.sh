#!/usr/bin/env bash
# The technician's command: prepare the Python environment of this release (as the README's
# commands do), then run the installer. Arguments go to it, e.g.
#   bash installer/install.sh install                       # guided
#   bash installer/install.sh --answers a.toml --non-interactive install
#   bash installer/install.sh --dry-run install
#   bash installer/install.sh upgrade --release /opt/township-kiosk/releases/0.2.0
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
kiosk_bootstrap
cd "$KIOSK_ROOT"
exec "$KIOSK_VENV/bin/python" -m installer "$@"
