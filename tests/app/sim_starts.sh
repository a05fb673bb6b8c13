#!/usr/bin/env bash
# chorus-sim starts, listens on loopback (WebSocket and control API), prints its JSON line and
# writes the same to server.json; a bad --port and a missing --data are refused with exit code 2.
set -euo pipefail
sim=${1:?usage: sim_starts.sh CHORUS_SIM}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$sim" --data "$dir/data" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do [[ -s "$dir/data/server.json" ]] && break; sleep 0.05; done
line=$(head -n1 "$dir/out")
[[ "$line" =~ ^\{\"ws\":\"ws://127\.0\.0\.1:[0-9]+/ws/chat\",\"root_key\":\"[0-9a-f]{64}\",\"control\":\"http://127\.0\.0\.1:[0-9]+\"\}$ ]] || { echo "bad line: $line"; exit 1; }
[[ "$(cat "$dir/data/server.json")" == "$line" ]] || { echo "server.json differs"; exit 1; }
port=$(sed -E 's/.*:([0-9]+)\/ws.*/\1/' <<<"$line")
# Something really listens there.
(exec 3<>"/dev/tcp/127.0.0.1/$port") || { echo "nothing listens on $port"; exit 1; }
control=$(sed -E 's/.*"control":"http:\/\/127\.0\.0\.1:([0-9]+)".*/\1/' <<<"$line")
(exec 3<>"/dev/tcp/127.0.0.1/$control") || { echo "nothing listens on $control"; exit 1; }
set +e
"$sim" --data "$dir/x" --port 70000 2>/dev/null; [[ $? == 2 ]] || { echo "bad port accepted"; exit 1; }
"$sim" 2>/dev/null; [[ $? == 2 ]] || { echo "missing --data accepted"; exit 1; }
echo "chorus-sim starts: ok"
