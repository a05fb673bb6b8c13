#!/usr/bin/env bash
# One Chorus process per data folder: while `chorus-cli status --watch` runs on a folder, every
# other command on it (offline ones like accounts add, online ones like status) is refused with
# exit 1 and one line naming the holder; after the holder ends (SIGTERM) the folder is free; a
# lock left by a process killed outright (SIGKILL) is stale and taken over. Nothing connects:
# the folder has no account until the holder is gone.
set -uo pipefail
cli=${1:?usage: cli_lock.sh CHORUS_CLI}
data=$(mktemp -d)
holder=
trap '[[ -n "$holder" ]] && kill -9 "$holder" 2>/dev/null; rm -rf "$data" "$data.holder.out"' EXIT
export CHORUS_PASSPHRASE=test-passphrase
unset CHORUS_TEST_TIMING
source "$(dirname "$0")/checks.sh"
# start_holder: chorus-cli status --watch in the background, once it holds the lock.
start_holder() {
  "$cli" --data "$data" status --watch >"$data.holder.out" 2>&1 &
  holder=$!
  for _ in $(seq 200); do
    [[ -f "$data/chorus.lock" ]] && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.05
  done
  [[ -f "$data/chorus.lock" ]] || { echo "FAIL: status --watch took no lock: $(cat "$data.holder.out")"; exit 1; }
  sleep 0.3  # past opening: it must still be running, holding the folder
  kill -0 "$holder" 2>/dev/null || { echo "FAIL: status --watch ended: $(cat "$data.holder.out")"; exit 1; }
}

start_holder
err=$("$cli" --data "$data" accounts add X 2>&1 >/dev/null); check add-refused-exit 1 $?
check add-refused-one-line 1 "$(wc -l <<<"$err")"
contains add-refused "chorus-cli accounts add: the data folder $data is in use by another Chorus process (pid $holder on " "$err"
contains add-refused-hint "; close it first" "$err"
err=$("$cli" --data "$data" status 2>&1 >/dev/null); check status-refused-exit 1 $?
contains status-refused "in use by another Chorus process" "$err"
[[ ! -d "$data/accounts" ]] || [[ -z "$(ls -A "$data/accounts")" ]] || failed "an account was added"

# The holder ends on SIGTERM (exit 0 for status --watch) and releases the folder.
kill -TERM "$holder"; wait "$holder"; check holder-exit 0 $?
holder=
[[ ! -e "$data/chorus.lock" ]] || failed "lock file left after a clean exit"
out=$("$cli" --data "$data" accounts add X); check add-after-exit 0 $?
contains add-after '"name":"X"' "$out"

# A holder killed outright leaves its lock file; its pid is dead, so the lock is taken over.
start_holder
kill -KILL "$holder"; wait "$holder" 2>/dev/null
holder=
[[ -e "$data/chorus.lock" ]] || failed "SIGKILL left no lock file (nothing stale to test)"
out=$("$cli" --data "$data" accounts list); check list-after-kill 0 $?
contains list-after-kill '"name":"X"' "$out"

finish "chorus-cli data folder lock: ok"
