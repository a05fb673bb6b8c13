#!/usr/bin/env bash
# Proves check_layering.sh can fail: each rule is broken once in a scratch tree.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check="$here/check_layering.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0

expect() {  # expect PASS|FAIL description
  local want=$1 what=$2
  if "$check" "$scratch" >/dev/null; then got=PASS; else got=FAIL; fi
  if [[ $got != "$want" ]]; then echo "selftest: expected $want for: $what"; status=1; fi
  rm -rf "${scratch:?}"/*
}

mkdir -p "$scratch"/core/util "$scratch"/core/api "$scratch"/ui "$scratch"/app/platform
echo '#include <vector>' > "$scratch/core/util/a.h"
echo '#include "core/api/x.h"' > "$scratch/ui/w.cpp"
expect PASS "a clean tree"

mkdir -p "$scratch/core/x"; echo '#include <QString>' > "$scratch/core/x/a.cpp"
expect FAIL "Qt header in core"
mkdir -p "$scratch/core/x"; echo '#include <QtCore/QObject>' > "$scratch/core/x/a.cpp"
expect FAIL "QtCore/ header in core"
mkdir -p "$scratch/core/x"; echo '#include "ui/main_window.h"' > "$scratch/core/x/a.cpp"
expect FAIL "core includes ui"
mkdir -p "$scratch/core/api"; echo '#include "core/util/bytes.h"' > "$scratch/core/api/a.h"
expect FAIL "core/api includes non-api core"
mkdir -p "$scratch/core/api"; echo '#include <sodium.h>' > "$scratch/core/api/a.h"
expect FAIL "core/api includes a third-party header"
mkdir -p "$scratch/ui"; echo '#include "core/session/session.h"' > "$scratch/ui/a.cpp"
expect FAIL "ui includes core outside api"
mkdir -p "$scratch/app/platform"; echo '#include "ui/tray.h"' > "$scratch/app/platform/a.cpp"
expect FAIL "platform includes ui"

[[ $status == 0 ]] && echo "layering selftest: ok"
exit $status
