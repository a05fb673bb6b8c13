# Shared by scripts/run and scripts/test: paths and the configure/build steps.
# shellcheck shell=bash
CHORUS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHORUS_BUILD=${CHORUS_BUILD:-$CHORUS_ROOT/build}
CHORUS_CACHE_DIR=${CHORUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/chorus}
CHORUS_JOBS=${CHORUS_JOBS:-$(nproc 2>/dev/null || echo 2)}
export CHORUS_CACHE_DIR

# chorus_build DIR [cmake args...]: configure once (or when args change), then build.
chorus_build() {
  local dir=$1; shift
  local stamp="$dir/.chorus-configure-args"
  local args="$*"
  if [[ ! -f "$dir/build.ninja" || ! -f "$stamp" || "$(cat "$stamp")" != "$args" ]]; then
    cmake -S "$CHORUS_ROOT" -B "$dir" -G Ninja "$@" >"$dir.configure.log" 2>&1 || {
      cat "$dir.configure.log"; echo "configure failed ($dir)"; return 1; }
    echo "$args" >"$stamp"
  fi
  cmake --build "$dir" --parallel "$CHORUS_JOBS"
}
