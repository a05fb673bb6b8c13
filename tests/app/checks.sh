# Sourced by the tests/app scripts: compare, count the failures, report them at the end.
#   source "$(dirname "$0")/checks.sh"
#   check NAME EXPECTED ACTUAL; contains NAME NEEDLE HAYSTACK; ...; finish "what: ok"
fails=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: expected [$2] got [$3]"; fails=$((fails + 1)); fi
}
contains() {  # contains NAME NEEDLE HAYSTACK
  if [[ "$3" != *"$2"* ]]; then echo "FAIL $1: [$2] not in [$3]"; fails=$((fails + 1)); fi
}
failed() {  # failed MESSAGE: a failure that is not a comparison
  echo "FAIL $1"; fails=$((fails + 1))
}
finish() {  # finish OK_LINE: prints it when nothing failed; exits 0 or 1
  ((fails == 0)) && echo "$1"
  exit $((fails > 0))
}
