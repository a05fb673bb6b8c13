#!/usr/bin/env bash
# Installs the npm peer of the interop tests (Baileys, pinned in tests/interop/npm-peer/package.json)
# into ${CHORUS_CACHE_DIR:-$HOME/.cache/chorus}/npm-peer and prints its node_modules path.
# Does nothing when the pinned version is already there. Fails loudly when node or npm is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="${here}/../tests/interop/npm-peer/package.json"
cache="${CHORUS_CACHE_DIR:-${HOME}/.cache/chorus}"
peer="${1:-${cache}/npm-peer}"

command -v node >/dev/null || { echo "interop-peer: node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
command -v npm >/dev/null || { echo "interop-peer: npm is not installed (apt-get install npm)" >&2; exit 1; }

want="$(node -p "require('${manifest}').dependencies.baileys")"
installed_version() {
  node -p "require('${peer}/node_modules/baileys/package.json').version" 2>/dev/null || true
}

mkdir -p "${peer}"
if [[ "$(installed_version)" != "${want}" ]] || ! cmp -s "${manifest}" "${peer}/package.json"; then
  cp "${manifest}" "${peer}/package.json"
  # Serialise concurrent installs (ctest -j) on the same cache folder.
  exec 9>"${peer}/.install.lock"
  flock 9
  if [[ "$(installed_version)" != "${want}" ]] || [[ ! -d "${peer}/node_modules/libsignal" ]]; then
    echo "interop-peer: installing baileys@${want} into ${peer}" >&2
    (cd "${peer}" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  fi
  [[ "$(installed_version)" == "${want}" ]] || { echo "interop-peer: baileys@${want} did not install" >&2; exit 1; }
fi
echo "${peer}/node_modules"
