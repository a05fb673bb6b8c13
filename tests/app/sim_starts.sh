#!/usr/bin/env bash
# chorus-sim starts, listens on loopback (WebSocket, control API, HTTPS media host), prints its
# JSON line (ws, control, media, root_key, ca) and writes the same to server.json; a bad --port
# and a missing --data are refused with exit code 2.
set -euo pipefail
sim=${1:?usage: sim_starts.sh CHORUS_SIM}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$sim" --data "$dir/data" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do [[ -s "$dir/data/server.json" ]] && break; sleep 0.05; done
line=$(head -n1 "$dir/out")
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$line" "$1"; }
keys=$(python3 -c 'import json,sys; print(",".join(sorted(json.loads(sys.argv[1]))))' "$line") || { echo "not JSON: $line"; exit 1; }
[[ "$keys" == "ca,control,media,root_key,ws" ]] || { echo "bad keys in: $line"; exit 1; }
[[ "$(field ws)" =~ ^ws://127\.0\.0\.1:([0-9]+)/ws/chat$ ]] || { echo "bad ws in: $line"; exit 1; }
port=${BASH_REMATCH[1]}
[[ "$(field control)" =~ ^http://127\.0\.0\.1:([0-9]+)$ ]] || { echo "bad control in: $line"; exit 1; }
control=${BASH_REMATCH[1]}
[[ "$(field media)" =~ ^https://127\.0\.0\.1:([0-9]+)$ ]] || { echo "bad media in: $line"; exit 1; }
media=${BASH_REMATCH[1]}
[[ "$(field root_key)" =~ ^[0-9a-f]{64}$ ]] || { echo "bad root_key in: $line"; exit 1; }
ca=$(field ca)
[[ "$ca" == "$dir/data/tls/ca.pem" && -s "$ca" ]] || { echo "bad ca in: $line"; exit 1; }
[[ "$(cat "$dir/data/server.json")" == "$line" ]] || { echo "server.json differs"; exit 1; }
# Something really listens on each port.
for p in "$port" "$control" "$media"; do
  (exec 3<>"/dev/tcp/127.0.0.1/$p") || { echo "nothing listens on $p"; exit 1; }
done
set +e
"$sim" --data "$dir/x" --port 70000 2>/dev/null; [[ $? == 2 ]] || { echo "bad port accepted"; exit 1; }
"$sim" --data "$dir/x" --media-port 70000 2>/dev/null; [[ $? == 2 ]] || { echo "bad media port accepted"; exit 1; }
"$sim" 2>/dev/null; [[ $? == 2 ]] || { echo "missing --data accepted"; exit 1; }
echo "chorus-sim starts: ok"
