#!/usr/bin/env bash
# chorus-cli's messaging commands without a server (send, chats, messages, read, group, listen):
# usage errors (exit 2), bad input (exit 1, one line on stderr, no full phone number), and the
# store readers on a fresh account (no output, exit 0). Nothing here connects: the only
# account is unlinked. The server side is tests/integration/lifecycle (MessagesChatsRead,
# Groups).
set -uo pipefail
cli=${1:?usage: cli_messaging.sh CHORUS_CLI}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export CHORUS_PASSPHRASE=test-passphrase
unset CHORUS_TEST_TIMING
source "$(dirname "$0")/checks.sh"
phone=15550001111

# Usage errors: exit 2, before anything is opened.
usage() {  # usage NAME ARGS...: expects exit 2 and the command's usage on stderr
  local name=$1; shift
  local err
  err=$("$cli" --data "$data" "$@" 2>&1 </dev/null >/dev/null); check "$name" 2 $?
  contains "$name-usage" "usage: chorus-cli $1" "$err"
}
usage send-no-args send
usage send-no-text send A "$phone"
usage send-empty-text send A "$phone" ""
usage send-stdin-and-text send A "$phone" hello --stdin
usage send-bad-wait send A "$phone" hello --wait soon
usage send-bad-timeout send A "$phone" hello --timeout 0
usage send-unknown-option send A "$phone" hello --frob
usage chats-no-account chats
usage chats-two-accounts chats A B
usage chats-bad-limit chats A --limit 0
usage messages-no-chat messages A
usage messages-limit-over-500 messages A "$phone" --limit 501
usage messages-empty-before messages A "$phone" --before ""
usage read-no-chat read A
usage read-bad-timeout read A "$phone" --timeout x
usage group-no-action group
usage group-bad-action group frob A
usage group-create-no-jid group create A Subject
usage group-info-extra group info A 123@g.us "$phone"
usage group-add-no-jid group add A 123@g.us
usage group-remove-user-as-group group remove A "$phone@s.whatsapp.net" "$phone"
usage listen-extra listen A B
for c in send chats messages read group listen; do
  out=$("$cli" "$c" --help); check "$c-help" 0 $?
  contains "$c-help-text" "usage: chorus-cli $c" "$out"
done
out=$("$cli" --help)
for c in send chats messages read group; do contains "help-lists-$c" "  $c" "$out"; done

# A fresh account: the store readers print nothing and succeed, without connecting.
"$cli" --data "$data" accounts add Shop >/dev/null; check add-exit 0 $?
out=$("$cli" --data "$data" chats Shop); check chats-exit 0 $?
check chats-empty "" "$out"
out=$("$cli" --data "$data" chats Shop --limit 5); check chats-limit-exit 0 $?
check chats-limit-empty "" "$out"
out=$("$cli" --data "$data" messages Shop "$phone"); check messages-exit 0 $?
check messages-empty "" "$out"
out=$("$cli" --data "$data" messages Shop "+$phone" --limit 500); check messages-plus-exit 0 $?
check messages-plus-empty "" "$out"
out=$("$cli" --data "$data" messages Shop 123-456@g.us --limit=1); check messages-group-exit 0 $?
check messages-group-empty "" "$out"

# Bad input: exit 1, one line, no full number.
one_line() {  # one_line NAME EXPECTED_TEXT ARGS...: exit 1, one stderr line holding the text
  local name=$1 text=$2; shift 2
  local err
  err=$("$cli" --data "$data" "$@" 2>&1 >/dev/null </dev/null); check "$name-exit" 1 $?
  check "$name-one-line" 1 "$(wc -l <<<"$err")"
  contains "$name-text" "$text" "$err"
  [[ "$err" != *"$phone"* ]] || failed "$name: a full phone number on stderr: $err"
}
one_line chats-unknown 'no account' chats Nobody
one_line messages-unknown-before 'no message 3EB0FFFF' messages Shop "$phone" --before 3EB0FFFF
one_line send-unlinked 'not linked' send Shop "$phone" hello
one_line read-unlinked 'not linked' read Shop "$phone"
one_line group-unlinked 'not linked' group info Shop 123-456@g.us
err=$(printf '\n\r\n' | "$cli" --data "$data" send Shop "$phone" --stdin 2>&1 >/dev/null)
check send-stdin-empty-exit 1 $?
contains send-stdin-empty 'no message' "$err"
err=$(printf 'fine\n\xff\xfe\n' | "$cli" --data "$data" send Shop "$phone" --stdin 2>&1 >/dev/null)
check send-stdin-not-utf8-exit 1 $?
contains send-stdin-not-utf8 'line 2 of standard input is not UTF-8' "$err"
err=$(printf 'one\ntwo\n' | "$cli" --data "$data" send Shop "$phone" --stdin 2>&1 >/dev/null)
check send-stdin-unlinked-exit 1 $?
contains send-stdin-unlinked 'not linked' "$err"

finish "chorus-cli messaging (offline): ok"
