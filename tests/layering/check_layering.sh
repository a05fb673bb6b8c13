#!/usr/bin/env bash
# Enforces the dependency rules of the architecture (docs/architecture.md, "layers"):
#   core/      no Qt header anywhere; no include of ui/ or app/
#   core/api/  std headers and other core/api headers only
#   ui/        core only through core/api/; never app/
#   app/platform never ui/
# Usage: check_layering.sh ROOT   (exit 1 and a list of violations when a rule is broken)
set -uo pipefail
root=${1:?usage: check_layering.sh ROOT}
cd "$root" || exit 2
violations=()

sources() { [ -d "$1" ] && find "$1" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' \) | sort; }

while IFS= read -r f; do
  [ -n "$f" ] || continue
  while IFS= read -r line; do
    violations+=("$f: Qt in core: $line")
  done < <(grep -nE '^\s*#\s*include\s*[<"](Q[A-Za-z]+|Qt[A-Za-z]*/[^>"]*|qt[a-z0-9]*keychain/[^>"]*)[>"]' "$f")
  while IFS= read -r line; do
    violations+=("$f: core includes ui/ or app/: $line")
  done < <(grep -nE '^\s*#\s*include\s*"(ui|app)/' "$f")
done < <(sources core)

while IFS= read -r f; do
  [ -n "$f" ] || continue
  while IFS= read -r line; do
    violations+=("$f: core/api may include only std and core/api: $line")
  done < <(grep -nE '^\s*#\s*include\s*"' "$f" | grep -vE '#\s*include\s*"core/api/')
  while IFS= read -r line; do
    violations+=("$f: core/api may include only std headers: $line")
  done < <(grep -nE '^\s*#\s*include\s*<[^>]*[./][^>]*>' "$f")
done < <(sources core/api)

while IFS= read -r f; do
  [ -n "$f" ] || continue
  while IFS= read -r line; do
    violations+=("$f: ui may use core only through core/api: $line")
  done < <(grep -nE '^\s*#\s*include\s*"core/' "$f" | grep -vE '"core/api/')
  while IFS= read -r line; do
    violations+=("$f: ui must not include app/: $line")
  done < <(grep -nE '^\s*#\s*include\s*"app/' "$f")
done < <(sources ui)

while IFS= read -r f; do
  [ -n "$f" ] || continue
  while IFS= read -r line; do
    violations+=("$f: app/platform must not include ui/: $line")
  done < <(grep -nE '^\s*#\s*include\s*"ui/' "$f")
done < <(sources app/platform)

if ((${#violations[@]})); then
  printf 'layering violation: %s\n' "${violations[@]}"
  exit 1
fi
echo "layering: ok"
