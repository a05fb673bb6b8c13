#!/usr/bin/env bash
# Runs the keychain tests of chorus_platform_env_tests against the real OS keychain, or with none (architecture §7).
#   keychain_test.sh real   BINARY [FILTER...]
#                                   — a fresh $HOME, a private D-Bus session (dbus-run-session)
#                                      and gnome-keyring unlocked headless inside it
#                                      (printf 'pw\n' | gnome-keyring-daemon --unlock
#                                      --components=secrets); runs BINARY once per FILTER
#                                      (default Keychain.*), in order, in that one session, with
#                                      $CHORUS_KEYCHAIN_SHARED a folder they all see (a restart
#                                      of an app is a second process)
#   keychain_test.sh absent BINARY  — a plain environment (env -i): no D-Bus session address,
#                                      an empty $XDG_RUNTIME_DIR, no $DISPLAY; runs NoKeychain.*
# Missing tools fail the test; they never skip it.
set -euo pipefail

mode=${1:?usage: keychain_test.sh real|absent BINARY}
binary=${2:?usage: keychain_test.sh real|absent BINARY [FILTER...]}
shift 2
filters=("$@")
((${#filters[@]})) || filters=("Keychain.*")

work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-keychain.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/home" "$work/run" "$work/shared"
chmod 700 "$work/home" "$work/run" "$work/shared"

# Nothing from the caller's session leaks in: no bus address, no desktop, no display.
plain_env=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$work/home"
           "XDG_RUNTIME_DIR=$work/run" "LANG=C.UTF-8" "TMPDIR=$work"
           "QT_QPA_PLATFORM=offscreen" "CHORUS_KEYCHAIN_SHARED=$work/shared")

case "$mode" in
  real)
    for tool in dbus-run-session gnome-keyring-daemon; do
      command -v "$tool" >/dev/null || { echo "not ok - $tool is not installed (scripts/deps --test)"; exit 1; }
    done
    "${plain_env[@]}" dbus-run-session -- bash -c '
      set -euo pipefail
      # Creates and unlocks the login keyring in the fresh $HOME and serves
      # org.freedesktop.secrets on this session bus; the daemon exits with the bus.
      printf "pw\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      binary=$0
      for filter in "$@"; do "$binary" --gtest_filter="$filter"; done' "$binary" "${filters[@]}"
    ;;
  absent)
    "${plain_env[@]}" "$binary" --gtest_filter="NoKeychain.*"
    ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
