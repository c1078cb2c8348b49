# Helpers for the end-to-end tests. Each test script gets the kerec binary and the source dir.
set -euo pipefail
KEREC=$1
SRC=$2
source "$SRC/scripts/mpi-env.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
checks=0

# expect_fail NAME EXPECTED_EXIT EXPECTED_TEXT -- command...: the command must exit with the given
# non-zero code and print a line containing EXPECTED_TEXT.
expect_fail() {
  local name=$1 code=$2 text=$3
  shift 4
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  checks=$((checks + 1))
  if [[ $rc -ne $code ]] || ! grep -qF -- "$text" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $code), output:"; echo "$out" | sed 's/^/    /'; echo "    wanted text: $text"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# expect_ok NAME -- command...
expect_ok() {
  local name=$1
  shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  checks=$((checks + 1))
  if [[ $rc -ne 0 ]]; then
    echo "FAIL $name: exit $rc, output:"; echo "$out" | sed 's/^/    /'; failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# expect_ok_output NAME TEXT -- command...: exit 0, and TEXT in its output.
expect_ok_output() {
  local name=$1 text=$2
  shift 3
  expect_fail "$name" 0 "$text" -- "$@"
}

# check NAME CONDITION...: a shell test.
check() {
  local name=$1
  shift
  checks=$((checks + 1))
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [[ $failures -eq 0 ]]
}
