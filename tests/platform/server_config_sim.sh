#!/usr/bin/env bash
# Starts a real chorus-sim, waits for its server.json and runs ServerConfigSim.* on it.
#   server_config_sim.sh CHORUS_SIM PLATFORM_ENV_TESTS
set -euo pipefail
sim=${1:?usage: server_config_sim.sh CHORUS_SIM PLATFORM_ENV_TESTS}
binary=${2:?usage: server_config_sim.sh CHORUS_SIM PLATFORM_ENV_TESTS}
dir=$(mktemp -d "${TMPDIR:-/tmp}/chorus-server-config.XXXXXX")
pid=
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
"$sim" --data "$dir/data" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 200); do [[ -s "$dir/data/server.json" ]] && break; sleep 0.05; done
[[ -s "$dir/data/server.json" ]] || { echo "chorus-sim wrote no server.json"; cat "$dir/err"; exit 1; }
CHORUS_SERVER_JSON="$dir/data/server.json" "$binary" --gtest_filter='ServerConfigSim.*'
