#!/usr/bin/env bash
# chorus-cli on the real OS keychain (architecture §7): gnome-keyring, headless and unlocked, in
# a private D-Bus session with a fresh $HOME. `accounts add` makes the account's data key in the
# keychain (no passphrase folder appears); a second process opens the account with that key
# (`accounts list` shows it without a problem). The same folder in a session without any
# keychain and without a passphrase is refused with the clear message, never opened in plain.
# Missing tools fail the test; they never skip it.
set -uo pipefail
cli=${1:?usage: cli_keychain.sh CHORUS_CLI}
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/deps --test)"; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-cli-keychain.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/run" "$work/data"
chmod 700 "$work/home" "$work/run"
source "$(dirname "$0")/checks.sh"

plain_env=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$work/home"
           "XDG_RUNTIME_DIR=$work/run" "LANG=C.UTF-8" "TMPDIR=$work")

# Both commands in one D-Bus session (one keyring daemon), as two separate processes.
out=$("${plain_env[@]}" dbus-run-session -- bash -c '
  set -u
  printf "pw\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$0" --data "$1" accounts add Shop || exit 10
  "$0" --data "$1" accounts list || exit 11' "$cli" "$work/data" 2>&1)
check keychain-session-exit 0 $?
contains added '"name":"Shop"' "$out"
list=$(grep '"state"' <<<"$out")
contains listed '"name":"Shop"' "$list"
contains opened-with-the-key '"problem":null' "$list"
[[ ! -e "$work/data/secrets" ]] || failed "a passphrase folder appeared although the keychain works"
[[ -n "$(ls -A "$work/data/accounts" 2>/dev/null)" ]] || failed "no account folder was made"

# No keychain at all (no D-Bus session) and no passphrase: refused with the message.
err=$("${plain_env[@]}" "$cli" --data "$work/data" accounts list 2>&1 >/dev/null)
check no-keychain-exit 1 $?
contains no-keychain-message "no keychain service is available" "$err"

finish "cli keychain: ok"
