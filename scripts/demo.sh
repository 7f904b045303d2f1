#!/bin/sh
# make demo: lays out a few presets as PNG (to look at) and SVG (to print
# at true size) and says where they are.
set -eu
bin=$1
out=demo-out
mkdir -p "$out"
for p in natural-buzz mature-receded widows-peak soft-broken female-density; do
  "$bin" layout --preset "$p" --px-per-mm 6 -o "$out/$p.png"
  "$bin" layout --preset "$p" -o "$out/$p.svg"
done
echo "smpsim demo: dot layouts of five presets, as PNG (6 px/mm) and SVG (true size):"
for f in "$out"/*.png; do echo "  $(pwd)/$f"; done
echo "  (and the .svg beside each; 'smpsim presets' lists every preset)"
