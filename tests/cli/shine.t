# A blown-out shine on a bald crown is the scalp it lies on (docs/regions.md):
# on the real photos in data/shine.txt, --area auto and --mode thinning
# find the shine's middle and most of the bald top around it, and --match
# auto reads neither the shine nor the skin it lights as light stubble.
# Skips without ../shared/photos.

sh_photos=$root/../shared/photos
sh_data=$root/tests/cli/data/shine.txt
sh_bin=${SMPSIM_APPEARANCE:-$root/build/appearance}
# sh_pixels MASK POLY: how many pixels of MASK (white on black) lie in POLY.
sh_pixels() {
  "$sh_bin" diff black.png "$1" "$2" >fig.txt 2>fig.err || { fail "appearance diff: $(cat fig.err)"; echo 0; return; }
  awk '$1 == "diff_pixels" { print $2 }' fig.txt
}
if [ ! -f "$sh_photos/crown-back.jpg" ]; then
  t "shine on real photos"
  echo "skipped: ../shared/photos not found"
else
  while read -r sh_ph sh_mid sh_share sh_poly; do
    case $sh_ph in '#'* | '') continue ;; esac
    for sh_mode in "--area auto" "--mode thinning"; do
      t "shine: $sh_ph, its middle and ${sh_share} of the bald top ($sh_mode)"
      # shellcheck disable=SC2086 # the mode is two words
      run render "$sh_photos/$sh_ph" --scale 3 $sh_mode --save-area mask.png -o out.png
      expect_status 0
      [ "$status" = 0 ] || continue
      "$sh_bin" mkflat black.png 640 640 000000 2>fig.err || { fail "appearance mkflat: $(cat fig.err)"; continue; }
      "$sh_bin" mkflat white.png 640 640 ffffff 2>fig.err || { fail "appearance mkflat: $(cat fig.err)"; continue; }
      sh_x=${sh_mid%,*} sh_y=${sh_mid#*,}
      sh_n=$(sh_pixels mask.png "$((sh_x - 1)),$((sh_y - 1)) $((sh_x + 2)),$((sh_y - 1)) $((sh_x + 2)),$((sh_y + 2)) $((sh_x - 1)),$((sh_y + 2))")
      [ "$sh_n" = 9 ] || fail "the shine's middle ($sh_mid) is left out ($sh_n of 9 pixels there)"
      sh_in=$(sh_pixels mask.png "$sh_poly") sh_all=$(sh_pixels white.png "$sh_poly")
      awk -v a="$sh_in" -v b="$sh_all" -v s="$sh_share" 'BEGIN { exit !(b > 0 && a / b >= s) }' ||
        fail "the area holds $sh_in of the $sh_all pixels of the bald top (target ${sh_share} of them)"
    done
  done <"$sh_data"

  t "shine: --match auto on crown-back.jpg reads no light stubble"
  # Long dark hair round a thinning crown: the shine beside the bald top,
  # 96 L* against 91, was read as light stubble and the area drawn light
  # grey.  With --area auto the shine is inside the area; with this
  # polygon (the bald top without it) it lies outside.
  sh_top="225,110 320,110 322,140 292,150 290,185 328,200 330,245 240,220 225,160"
  for sh_area in auto polygon; do
    if [ $sh_area = auto ]; then
      run render "$sh_photos/crown-back.jpg" --scale 3 --area auto --match auto -o out.png
    else
      run render "$sh_photos/crown-back.jpg" --scale 3 --area-polygon "$sh_top" --match auto -o out.png
    fi
    expect_status 0
    expect_err_has "^smpsim: match: "
    ! grep -q "match: the stubble around the area is light" err.txt || fail "read as light stubble ($sh_area): $(grep match: err.txt)"
  done
fi
