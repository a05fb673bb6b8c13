#!/usr/bin/env bash
# `cmake --install` (what CPack packages) puts the three programs, the desktop entry, the
# AppStream metadata and the icon where a Linux desktop looks for them.
set -euo pipefail
build=${1:?usage: install_layout.sh BUILD_DIR}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
missing=0
for f in bin/chorus bin/chorus-cli bin/chorus-sim share/applications/chorus.desktop \
         share/metainfo/chorus.metainfo.xml share/icons/hicolor/scalable/apps/chorus.svg; do
  [[ -e "$prefix/$f" ]] || { echo "missing from the install: $f"; missing=1; }
done
grep -q '^Icon=chorus$' "$prefix/share/applications/chorus.desktop" || { echo "desktop entry has no icon"; missing=1; }
"$prefix/bin/chorus-cli" --help >/dev/null || { echo "installed chorus-cli does not run"; missing=1; }
((missing == 0)) && echo "install layout: ok"
exit $missing
