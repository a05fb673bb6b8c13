#!/usr/bin/env bash
# chorus-cli codec: the documented examples (docs/cli.md) and its exit codes.
set -uo pipefail
cli=${1:?usage: cli_codec.sh CHORUS_CLI}
source "$(dirname "$0")/checks.sh"

ping_v2=00f80a1e08ff831b2a3f0efa00030431195ff801f80150
ping_v3=00f80a1908ff831b2a3f11fa000304291657f801f80156
text='<iq id="1.2-3" to=@"s.whatsapp.net" type="get" xmlns="w:p"><ping/></iq>'

check decode-v2 "$text" "$("$cli" codec decode --dict 2 --compact "$ping_v2")"
check decode-v3 "$text" "$("$cli" codec decode --dict 3 --compact "$ping_v3")"
check encode-v2 "$ping_v2" "$("$cli" codec encode --dict 2 "$text")"
check encode-v3 "$ping_v3" "$("$cli" codec encode --dict 3 "$text")"
check raw "${ping_v2#00}" "$("$cli" codec encode --dict 2 --raw "$text")"
check stdin "$ping_v2" "$(printf '%s' "$text" | "$cli" codec encode --dict 2 -)"
check zlib '<iq id="7" type="result" from=@"s.whatsapp.net"/>' \
  "$("$cli" codec decode --dict 2 --compact 02789cfbc12ec7318d4584ed1703330013e602d7)"
# The same bytes read with the wrong table are a different node: --dict matters.
[[ "$("$cli" codec decode --dict 3 --compact "$ping_v2" 2>/dev/null)" != "$text" ]] ||
  { echo "FAIL: dictionary ignored"; fails=$((fails + 1)); }

"$cli" codec decode --dict 2 00f8 >/dev/null 2>&1; check truncated-exit 1 $?
"$cli" codec decode --dict 2 zz >/dev/null 2>&1; check bad-hex-exit 1 $?
"$cli" codec encode --dict 2 '<iq' >/dev/null 2>&1; check bad-text-exit 1 $?
"$cli" codec decode --dict 4 "$ping_v2" >/dev/null 2>&1; check bad-dict-exit 2 $?
"$cli" codec decode "$ping_v2" >/dev/null 2>&1; check missing-dict-exit 2 $?
"$cli" frobnicate >/dev/null 2>&1; check unknown-command-exit 2 $?
err=$("$cli" codec decode --dict 2 00f8 2>&1 >/dev/null)
[[ "$err" == *malformed* ]] || { echo "FAIL: unclear error: $err"; fails=$((fails + 1)); }

((fails == 0)) && echo "chorus-cli codec: ok"
exit $((fails > 0))
