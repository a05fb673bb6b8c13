#!/usr/bin/env bash
# Runs Chorus's codec and Noise benchmarks and Baileys' codec on the same interop corpus, in the
# same run, and prints a table with the throughput ratios. Builds nothing.
# Usage: tests/bench/run_codec_bench.sh BUILD_DIR [SECONDS_PER_BENCH]
#   BUILD_DIR: a full (non CHORUS_CORE_ONLY) build with chorus_bench and interop_codec_tool.
#   The corpus is the interop tests' (BUILD_DIR/tests/interop/work); it is generated here when
#   absent (needs node; the npm peer is installed by scripts/interop-peer.sh if missing).
set -euo pipefail

build="$(cd "${1:?usage: run_codec_bench.sh BUILD_DIR [SECONDS]}" && pwd)"
seconds="${2:-3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
work="${build}/tests/interop/work"
bench="${build}/tests/bench/chorus_bench"
tool="${build}/tests/interop/interop_codec_tool"

[[ -x "${bench}" ]] || { echo "run_codec_bench: ${bench} not built" >&2; exit 1; }
if [[ -z "${CHORUS_NODE_MODULES:-}" || ! -d "${CHORUS_NODE_MODULES}/baileys" ]]; then
  CHORUS_NODE_MODULES="$("${root}/scripts/interop-peer.sh")"
fi
export CHORUS_NODE_MODULES

mkdir -p "${work}"
if [[ ! -s "${work}/baileys_v2.bin" ]]; then
  echo "run_codec_bench: generating the interop corpus in ${work}" >&2
  node "${here}/../interop/node/gen_corpus.js" --dir "${work}" --dict 2 >&2
fi
if [[ ! -s "${work}/baileys_v3.bin" && -x "${tool}" ]]; then
  "${tool}" dump-tokens --dict 3 --out "${work}/tokens_v3.json"
  node "${here}/../interop/node/gen_corpus.js" --dir "${work}" --dict 3 --tokens "${work}/tokens_v3.json" >&2
fi

out="$(mktemp -d)"
trap 'rm -rf "${out}"' EXIT
filter='BM_CodecDecode/2/|BM_CodecEncode/2/|BM_Noise'
[[ -s "${work}/baileys_v3.bin" ]] && filter='BM_Codec|BM_Noise'
CHORUS_BENCH_CORPUS_DIR="${work}" "${bench}" --benchmark_filter="${filter}" \
  --benchmark_min_time="${seconds}" --benchmark_out="${out}/chorus.json" --benchmark_out_format=json \
  --benchmark_format=console >&2
node "${here}/baileys_codec_bench.js" --dir "${work}" --dict 2 --seconds "${seconds}" --chorus "${out}/chorus.json"
