#!/usr/bin/env bash
# README "test" command: the whole default suite (slow soak runs are behind the `slow`
# marker and run from the benchmark command). Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source "$(dirname "${BASH_SOURCE[0]}")/test-services.sh"
kiosk_bootstrap
cd "$KIOSK_ROOT"
export QT_QPA_PLATFORM=offscreen
"$KIOSK_VENV/bin/ruff" check .
"$KIOSK_VENV/bin/lint-imports"  # the layers of .importlinter (README "Layout")
"$KIOSK_VENV/bin/mypy"  # pyproject's [tool.mypy]: all product code, strict on forms and kiosk.core
# Real characters' strokes for the writing pad's tests (npm's hanzi-writer-data, into var/).
"$KIOSK_VENV/bin/python" -c "from kiosk.devtools.hanzi_strokes import fetch; fetch()"
trap kiosk_stop_services EXIT
kiosk_start_cups
kiosk_start_pcscd
"$KIOSK_VENV/bin/python" -m pytest -n "${KIOSK_TEST_WORKERS:-auto}" -q "$@"
