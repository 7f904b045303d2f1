#!/bin/sh
# make fuzz: runs each libFuzzer harness for SECONDS on a seed corpus made
# from the samples, presets and their truncated and bit-flipped variants.
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS SMPSIM
set -eu
dir=$1 secs=$2 bin=$3
mkdir -p "$dir/corpus/plan" "$dir/corpus/manifest" "$dir/corpus/image" "$dir/corpus/options" "$dir/crashes"
cp presets/*.smp samples/*.smp "$dir/corpus/plan/"
cp samples/*.csv "$dir/corpus/manifest/"
printf 'top.smp\nfrontal.smp\n' >"$dir/corpus/manifest/list.txt"
for f in samples/*.jpg; do
  b=$(basename "$f" .jpg)
  # A small crop keeps the seeds quick: the first 20 kB, and a bit-flipped copy.
  head -c 20000 "$f" >"$dir/corpus/image/$b-cut.jpg"
  cp "$dir/corpus/image/$b-cut.jpg" "$dir/corpus/image/$b-flip.jpg"
  printf '\377' | dd of="$dir/corpus/image/$b-flip.jpg" bs=1 seek=700 conv=notrunc 2>/dev/null
done
"$bin" layout --area-mm 12,8 --px-per-mm 4 -o "$dir/corpus/image/mask.png" 2>/dev/null ||
  true
printf '\000--area-mm\00010,10\000--json' >"$dir/corpus/options/layout"
printf '\002natural-buzz' >"$dir/corpus/options/presets"
status=0
# First the inputs that once failed (tests/fuzz/regress/HARNESS-*), then new ones.
for h in plan manifest image options; do
  for f in tests/fuzz/regress/$h-*; do
    [ -e "$f" ] || continue
    "$dir/fuzz_$h" -close_fd_mask=3 "$f" >"$dir/regress_$h.log" 2>&1 || { status=1; echo "fuzz: $f fails again"; tail -20 "$dir/regress_$h.log"; }
  done
done
for h in plan manifest image options; do
  echo "fuzz: $h for $secs s"
  (cd "$dir/crashes" && ../fuzz_$h -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
      "../corpus/$h" >"../fuzz_$h.log" 2>&1) || { status=1; echo "fuzz: $h found a fault: $dir/fuzz_$h.log"; tail -30 "$dir/fuzz_$h.log"; }
done
exit $status
