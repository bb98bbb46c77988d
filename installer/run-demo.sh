#!/usr/bin/env bash
# README "run" command: the kiosk in demo mode on simulated devices.
# With a display it opens the kiosk window; without one it runs the headless walkthrough and
# prints where the screenshots, the licence PDF and the receipt were written.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
kiosk_bootstrap
cd "$KIOSK_ROOT"
exec "$KIOSK_VENV/bin/python" -m kiosk.devtools demo "$@"
