#!/usr/bin/env bash
# CLI tests: runs every tests/cli/*.t (bash fragments using the helpers
# below) against the smpsim binary given as $1, each case in a fresh
# temporary folder.  Prints one line per failure and "N passed, N failed".
# SMPSIM_WRAP (e.g. "valgrind -q --error-exitcode=3") prefixes each run.
# Further arguments name the files to run (say "errors safety"); all by default.
# All of them are run SMPSIM_TEST_JOBS at a time (the cores by default),
# each file in a run.sh of its own, longest first, their stderr gathered
# for the catalogue check: a machine of two cores takes 2 minutes for what
# took 3.7 one file after another.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export SMPSIM_PRESETS="$root/presets"
passed=0 failed=0 case_name="" case_ok=1
work=$(mktemp -d /tmp/smpsim-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT

# Every run's stderr is also kept in $work/stderr.log (SMPSIM_STDERR_LOG
# when a parent run.sh gathers them), for the catalogue check
# (tests/cli/diagnostics.pl) at the end.
stderr_log=${SMPSIM_STDERR_LOG:-$work/stderr.log}
smpsim() {
  local s e="$work/stderr.$BASHPID"
  ${SMPSIM_WRAP:-} "$bin" "$@" 2>"$e"; s=$?
  cat "$e" >&2; cat "$e" >>"$stderr_log"; rm -f "$e"
  return $s
}

fail() { echo "FAIL: $case_name: $*"; case_ok=0; }

end_case() {
  [ -n "$case_name" ] || return 0
  if [ $case_ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  case_name=""
}

# t NAME: starts a case in a fresh empty folder.
t() {
  end_case
  case_name=$1 case_ok=1
  rm -rf "$work/case"; mkdir -p "$work/case"; cd "$work/case" || exit 2
}

# run ARGS...: runs smpsim, keeping status, stdout and stderr.
run() { smpsim "$@" >out.txt 2>err.txt; status=$?; }

expect_status() { [ "$status" = "$1" ] || fail "exit status $status, expected $1 (stderr: $(head -c 300 err.txt))"; }
# One line on stderr, starting "smpsim", matching the pattern.
expect_error() {
  local n; n=$(wc -l <err.txt)
  [ "$n" = 1 ] || fail "stderr has $n lines, expected 1: $(head -c 300 err.txt)"
  grep -q '^smpsim' err.txt || fail "stderr does not start with 'smpsim': $(cat err.txt)"
  grep -qE -- "$1" err.txt || fail "stderr '$(cat err.txt)' does not match '$1'"
}
expect_out() { grep -qE -- "$1" out.txt || fail "stdout does not match '$1': $(head -c 300 out.txt)"; }
# expect_json [--lines] FILE: FILE is valid JSON (one document, or one per
# line), by jansson's parser (tools/jsoncheck.c, $SMPSIM_JSONCHECK).
expect_json() {
  local chk=${SMPSIM_JSONCHECK:-$root/build/jsoncheck} msg
  msg=$("$chk" "$@" 2>&1) || fail "not valid JSON: $msg"
}
expect_no_out() { [ ! -s out.txt ] || fail "stdout not empty"; }
expect_quiet_err() { [ ! -s err.txt ] || fail "stderr not empty: $(head -c 300 err.txt)"; }
expect_err_has() { grep -qE -- "$1" err.txt || fail "stderr does not match '$1': $(head -c 300 err.txt)"; }
expect_file() { [ -s "$1" ] || fail "$1 missing or empty"; }
# No file at all left in the case folder but those named.
expect_only_files() {
  local have want
  have=$(ls -A | grep -vxE 'out.txt|err.txt' | sort | tr '\n' ' ')
  want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  [ -z "$*" ] && want=""
  [ "$have" = "$want" ] || fail "files here: '$have', expected '$want'"
}

# Width and height of a PNG, from its IHDR.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
png_color_type() { od -An -tu1 -j25 -N1 "$1" | tr -d ' '; }

shift
jobs=${SMPSIM_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
if [ $# -eq 0 ] && [ "$jobs" -gt 1 ]; then
  # The longest files first (seconds on two cores: placement 30, studio
  # 24, render 23, browser 20, ...), then the rest, so that the cores
  # finish together.
  longest="placement studio render browser hostile appearance batch safety limits print ears face"
  {
    for n in $longest; do [ -f "$here/$n.t" ] && echo "$n"; done
    for f in "$here"/*.t; do
      n=$(basename "$f" .t)
      case " $longest " in *" $n "*) ;; *) echo "$n" ;; esac
    done
  } >"$work/names"
  # shellcheck disable=SC2016
  xargs -P "$jobs" -I{} sh -c 'SMPSIM_STDERR_LOG="$3/stderr-$2.log" SMPSIM_TEST_JOBS=1 "$0" "$1" "$2" >"$3/out-$2.txt" 2>&1' \
    "$here/run.sh" "$bin" {} "$work" <"$work/names"
  while read -r n; do
    grep -v '^[0-9]* passed, [0-9]* failed$' "$work/out-$n.txt"
    sum=$(grep '^[0-9]* passed, [0-9]* failed$' "$work/out-$n.txt" | tail -1)
    if [ -z "$sum" ]; then
      failed=$((failed + 1)); echo "FAIL: $n.t: stopped before its count"
    else
      read -r np _ nf _ <<<"$sum"
      passed=$((passed + np)) failed=$((failed + nf))
    fi
    cat "$work/stderr-$n.log" >>"$work/stderr.log" 2>/dev/null
    cat "$work/stderr-$n.log.skip" >>"$work/stderr.log.skip" 2>/dev/null
  done <"$work/names"
  files=()
else
  files=("$here"/*.t)
fi
[ $# -gt 0 ] && files=("${@/#/$here/}") && files=("${files[@]/%/.t}")
every_file=$(( $# == 0 ))
for f in ${files[@]+"${files[@]}"}; do
  # A file that does not parse would stop short where the error is, its
  # later cases silently not run: a failure.
  if ! msg=$(bash -n "$f" 2>&1); then
    end_case; case_name=$(basename "$f"); case_ok=1; fail "does not parse: $msg"; end_case
    continue
  fi
  # shellcheck disable=SC1090
  . "$f"
done
end_case
# With every file run: each message the sources can print is in the man
# page and was printed by some test above.
if [ $every_file = 1 ]; then
  touch "$work/stderr.log"
  if perl "$here/diagnostics.pl" "$root" "$work/stderr.log" >"$work/diag.txt"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); sed 's/^/FAIL: /' "$work/diag.txt"
  fi
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
