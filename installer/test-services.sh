#!/usr/bin/env bash
# Services the test suite talks to for real: a CUPS scheduler (with the cups-pdf backend) and
# the PC/SC daemon (with vsmartcard's virtual reader, where a virtual card applet connects).
# Started only when not already running, and stopped afterwards only if started here (by PID).
# Sourced by run-tests.sh.

KIOSK_STARTED_CUPSD=""
KIOSK_STARTED_PCSCD=""

kiosk_start_pcscd() {
  if [ -S /run/pcscd/pcscd.comm ] && pgrep -x pcscd >/dev/null; then
    return 0
  fi
  pcscd -f >/dev/null 2>&1 &
  KIOSK_STARTED_PCSCD=$!
  for _ in $(seq 1 50); do
    [ -S /run/pcscd/pcscd.comm ] && return 0
    sleep 0.1
  done
  echo "test-services: pcscd did not come up" >&2
  return 1
}

kiosk_start_cups() {
  if lpstat -r 2>/dev/null | grep -q "is running"; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "test-services: cupsd is not running and starting it needs root" >&2
    return 1
  fi
  cupsd -f >/dev/null 2>&1 &
  KIOSK_STARTED_CUPSD=$!
  for _ in $(seq 1 50); do
    lpstat -r 2>/dev/null | grep -q "is running" && return 0
    sleep 0.2
  done
  echo "test-services: cupsd did not come up" >&2
  return 1
}

kiosk_stop_services() {
  if [ -n "$KIOSK_STARTED_PCSCD" ]; then
    kill "$KIOSK_STARTED_PCSCD" 2>/dev/null || true
    wait "$KIOSK_STARTED_PCSCD" 2>/dev/null || true
    KIOSK_STARTED_PCSCD=""
  fi
  if [ -n "$KIOSK_STARTED_CUPSD" ]; then
    kill "$KIOSK_STARTED_CUPSD" 2>/dev/null || true
    wait "$KIOSK_STARTED_CUPSD" 2>/dev/null || true
    KIOSK_STARTED_CUPSD=""
  fi
}
