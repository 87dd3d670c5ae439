#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test with a real, unlocked Secret Service of its own:
#   tests/with-keyring.sh PROGRAM [ARGS…]
# A scratch HOME, XDG_DATA_HOME and 0700 XDG_RUNTIME_DIR, then
# gnome-keyring-daemon (secrets component) unlocked with a password on stdin,
# on a session bus of its own (dbus-run-session) so the user's keyring is
# never touched.
set -eu

if [ -z "${DTX_KEYRING_INNER:-}" ]; then
  export DTX_KEYRING_INNER=1
  exec dbus-run-session -- "$0" "$@"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dtx-keyring-XXXXXX")
trap 'kill "${GNOME_KEYRING_PID:-}" 2>/dev/null || true; rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/runtime"
chmod 0700 "$scratch/runtime"
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
export XDG_RUNTIME_DIR="$scratch/runtime" DTX_TEST_KEYRING="$scratch"

eval "$(printf '%s' 'dtx-test-password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL GNOME_KEYRING_PID 2>/dev/null || true

"$@"
