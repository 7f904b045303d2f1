#!/bin/sh
# make demo: renders every sample plan as a before/after preview (the top
# one also with --shave, the rest of the hair cut), a sessions strip and a
# printed mock-up, and lays out a few presets as PNG and true-size SVG;
# says where everything is.
set -eu
bin=$1
out=demo-out
mkdir -p "$out"
for plan in samples/*.smp; do
  name=$(basename "$plan" .smp)
  "$bin" render "$plan" -o "$out/$name-preview.png"
done
# The whole look for full-head work: the rest of the hair cut to stubble.
"$bin" render samples/top.smp --shave -o "$out/top-shaved-preview.png"
"$bin" render samples/top.smp --compose sessions -o "$out/top-sessions.png"
"$bin" print samples/top.smp --client "Demo Client" --clinic "smpsim demo" -o "$out/top-mockup.pdf"
for p in natural-buzz mature-receded widows-peak soft-broken female-density; do
  "$bin" layout --preset "$p" --px-per-mm 6 -o "$out/$p.png"
  "$bin" layout --preset "$p" -o "$out/$p.svg"
done
echo "smpsim demo: before/after previews of the bundled sample photos:"
for f in "$out"/*-preview.png; do echo "  $(pwd)/$f"; done
echo "the sessions strip: $(pwd)/$out/top-sessions.png"
echo "a printed mock-up: $(pwd)/$out/top-mockup.pdf"
echo "and dot layouts of five presets (PNG at 6 px/mm, SVG at true size) beside them in $(pwd)/$out/"
