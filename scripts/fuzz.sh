#!/bin/sh
# make fuzz: runs each libFuzzer harness for SECONDS on a seed corpus: the
# committed seeds, the samples and presets, and truncated and bit-flipped
# variants of the photos.  Two harnesses at a time (FUZZ_JOBS).
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS SMPSIM
set -eu
dir=$1 secs=$2 bin=$3
mkdir -p "$dir/corpus/plan" "$dir/corpus/manifest" "$dir/corpus/manifest_plans" "$dir/corpus/image" "$dir/corpus/options" "$dir/corpus/dots" "$dir/crashes"
# Committed seeds (tests/fuzz/corpus/HARNESS/), the presets and samples,
# and truncated and bit-flipped copies of the sample photos.
for h in plan manifest manifest_plans image options dots; do cp tests/fuzz/corpus/$h/* "$dir/corpus/$h/"; done
cp presets/*.smp samples/*.smp "$dir/corpus/plan/"
cp samples/*.csv "$dir/corpus/manifest/"
cp tests/cli/data/*.png tests/cli/data/*.jpg "$dir/corpus/image/"
for f in samples/*.jpg; do
  b=$(basename "$f" .jpg)
  # A small crop keeps the seeds quick: the first 20 kB, and a bit-flipped copy.
  head -c 20000 "$f" >"$dir/corpus/image/$b-cut.jpg"
  cp "$dir/corpus/image/$b-cut.jpg" "$dir/corpus/image/$b-flip.jpg"
  printf '\377' | dd of="$dir/corpus/image/$b-flip.jpg" bs=1 seek=700 conv=notrunc 2>/dev/null
done
for f in samples/*.png; do
  [ -e "$f" ] || continue
  b=$(basename "$f" .png)
  head -c 3000 "$f" >"$dir/corpus/image/$b-cut.png"
done
"$bin" layout --area-mm 12,8 --px-per-mm 4 -o "$dir/corpus/image/mask.png" 2>/dev/null ||
  true
status=0
# First the inputs that once failed (tests/fuzz/regress/HARNESS-*), then new ones.
for h in plan manifest manifest_plans image options dots; do
  for f in tests/fuzz/regress/$h-*; do
    [ -e "$f" ] || continue
    "$dir/fuzz_$h" -close_fd_mask=3 "$f" </dev/null >"$dir/regress_$h.log" 2>&1 || { status=1; echo "fuzz: $f fails again"; tail -20 "$dir/regress_$h.log"; }
  done
done
run_one() {
  echo "fuzz: $1 for $secs s"
  (cd "$dir/crashes" && ../fuzz_$1 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
      "../corpus/$1" </dev/null >"../fuzz_$1.log" 2>&1) || { echo "fuzz: $1 found a fault: $dir/fuzz_$1.log"; tail -30 "$dir/fuzz_$1.log"; return 1; }
}
set -- plan manifest manifest_plans image options dots
while [ $# -gt 0 ]; do
  run_one "$1" & p1=$!
  p2=""
  if [ $# -gt 1 ] && [ "${FUZZ_JOBS:-2}" -gt 1 ]; then run_one "$2" & p2=$!; fi
  wait $p1 || status=1
  if [ -n "$p2" ]; then wait $p2 || status=1; shift; fi
  shift
done
exit $status
