#!/usr/bin/env bash
# Runs Chorus's Signal benchmark (signal_bench) and the same workloads on Baileys' libsignal, in
# the same run, and prints one table: workload, pairs/s on each side, ratio, session sizes.
# Builds nothing.
# Usage: tests/bench/run_signal_bench.sh BUILD_DIR [PAIRS] [PASSES]
#   BUILD_DIR: a build with CHORUS_BENCH=ON and signal_bench built.
#   PAIRS: encrypt+decrypt pairs per pass (default 10000); PASSES: timed passes (default 3).
#   The npm peer (Baileys) is installed by scripts/interop-peer.sh if missing.
set -euo pipefail

build="$(cd "${1:?usage: run_signal_bench.sh BUILD_DIR [PAIRS] [PASSES]}" && pwd)"
pairs="${2:-10000}"
passes="${3:-3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
bench="${build}/tests/bench/signal_bench"

[[ -x "${bench}" ]] || { echo "run_signal_bench: ${bench} not built" >&2; exit 1; }
if [[ -z "${CHORUS_NODE_MODULES:-}" || ! -d "${CHORUS_NODE_MODULES}/baileys" ]]; then
  CHORUS_NODE_MODULES="$("${root}/scripts/interop-peer.sh")"
fi
export CHORUS_NODE_MODULES

out="$(mktemp -d)"
trap 'rm -rf "${out}"' EXIT
echo "run_signal_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
"${bench}" --pairs "${pairs}" --passes "${passes}" --json "${out}/chorus.json"
node "${here}/baileys_signal_bench.js" --pairs "${pairs}" --passes "${passes}" --chorus "${out}/chorus.json"
echo "run_signal_bench: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
