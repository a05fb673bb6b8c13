#!/usr/bin/env bash
# chorus-cli accounts, disconnect and the shared options without a server: usage errors (exit 2),
# bad input (exit 1, one line on stderr), the passphrase store, global options on either side
# of the command, and the JSON lines of docs/cli.md. Nothing here connects.
set -uo pipefail
cli=${1:?usage: cli_accounts.sh CHORUS_CLI}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export CHORUS_PASSPHRASE=test-passphrase
unset CHORUS_TEST_TIMING
source "$(dirname "$0")/checks.sh"

# Usage errors: exit 2, before anything is opened.
"$cli" >/dev/null 2>&1; check no-command 2 $?
"$cli" accounts >/dev/null 2>&1; check accounts-no-action 2 $?
"$cli" accounts frob >/dev/null 2>&1; check accounts-bad-action 2 $?
"$cli" accounts add >/dev/null 2>&1; check add-no-name 2 $?
"$cli" link >/dev/null 2>&1; check link-no-account 2 $?
"$cli" link A --timeout x >/dev/null 2>&1; check link-bad-timeout 2 $?
"$cli" status --frob >/dev/null 2>&1; check status-bad-option 2 $?
"$cli" connect >/dev/null 2>&1; check connect-no-account 2 $?
"$cli" accounts list --data >/dev/null 2>&1; check data-no-value 2 $?
for c in accounts link status connect disconnect logout; do
  "$cli" "$c" --help >/dev/null 2>&1; check "$c-help" 0 $?
done
contains help-global "--passphrase-file" "$("$cli" --help)"

# add, list, rename; global options before or after the command.
out=$("$cli" --data "$data" accounts add Shop); check add-exit 0 $?
id=$(sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' <<<"$out")
check add-json "{\"id\":\"$id\",\"name\":\"Shop\"}" "$out"
[[ -f "$data/secrets/passphrase.json" ]] || { echo "FAIL: no passphrase store"; fails=$((fails + 1)); }
[[ -d "$data/accounts/$id" ]] || { echo "FAIL: no account folder"; fails=$((fails + 1)); }
err=$("$cli" accounts add shop --data "$data" 2>&1 >/dev/null); check duplicate-exit 1 $?
check duplicate-one-line 1 "$(wc -l <<<"$err")"
out=$("$cli" accounts list --data "$data"); check list-exit 0 $?
contains list-state '"state":"unlinked"' "$out"
contains list-auto '"auto_connect":true' "$out"
contains list-phone '"phone":null' "$out"
out=$("$cli" --data "$data" accounts rename "${id:0:8}" Store); check rename-exit 0 $?
check rename-json "{\"id\":\"$id\",\"name\":\"Store\"}" "$out"
"$cli" --data "$data" accounts rename Nobody X >/dev/null 2>&1; check rename-unknown 1 $?

# disconnect: auto-connect off, kept.
out=$("$cli" --data "$data" disconnect Store); check disconnect-exit 0 $?
contains disconnect-line "\"account\":\"Store\"" "$out"
contains disconnect-kept '"auto_connect":false' "$("$cli" --data "$data" accounts list)"

# Bad input: exit 1 with one line.
err=$("$cli" --data "$data" link Nobody 2>&1 >/dev/null); check link-unknown-exit 1 $?
check link-unknown-one-line 1 "$(wc -l <<<"$err")"
err=$(CHORUS_TEST_TIMING=frob=1 "$cli" --data "$data" accounts list 2>&1 >/dev/null)
check bad-timing-exit 1 $?
contains bad-timing CHORUS_TEST_TIMING "$err"
"$cli" --data "$data" --server "$data/missing.json" accounts list >/dev/null 2>&1
check missing-server-exit 1 $?
err=$(CHORUS_PASSPHRASE=wrong "$cli" --data "$data" accounts list 2>&1 >/dev/null)
check wrong-passphrase-exit 1 $?
contains wrong-passphrase "wrong passphrase" "$err"

# remove of an unlinked account (nothing to log out): the folder goes.
"$cli" --data "$data" accounts remove Store >/dev/null; check remove-exit 0 $?
[[ ! -e "$data/accounts/$id" ]] || { echo "FAIL: folder left after remove"; fails=$((fails + 1)); }
check list-empty "" "$("$cli" --data "$data" accounts list)"

((fails == 0)) && echo "chorus-cli accounts: ok"
exit $((fails > 0))
