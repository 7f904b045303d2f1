# Placement on the real photos in ../shared/photos (quality: "Placement"):
# --area auto and thinning mode refuse a photo whose bald skin runs on into
# a face, and elsewhere change no pixel of the neck, ears, stubble, arms or
# room named in data/placement.txt.  Skips without the photos.

pl_photos=$root/../shared/photos
pl_data=$root/tests/cli/data/placement.txt
pl_bin=${SMPSIM_APPEARANCE:-$root/build/appearance}
if [ ! -d "$pl_photos" ] || [ ! -f "$pl_photos/stubble-back.jpg" ]; then
  t "placement on real photos"
  echo "skipped: ../shared/photos not found"
else
  for pl_ph in $(awk '!/^#/ && NF >= 2 && !seen[$1]++ { print $1 }' "$pl_data"); do
    if awk -v p="$pl_ph" '$1 == p && $2 == "refuse" { f = 1 } END { exit !f }' "$pl_data"; then
      for pl_mode in "--area auto" "--mode thinning"; do
        t "placement: $pl_ph refused ($pl_mode)"
        # shellcheck disable=SC2086 # the mode is two words
        run render "$pl_photos/$pl_ph" --scale 3 $pl_mode -o out.png; expect_status 2
        expect_error "^smpsim: .*$pl_ph: the skin found runs on into the lowest 15% of the photo, toward the face \(--face down\): give --hairline with --anchors"
        [ ! -e out.png ] || fail "out.png written"
      done
      continue
    fi
    for pl_mode in "--area auto" "--mode thinning"; do
      t "placement: nothing off the scalp of $pl_ph ($pl_mode)"
      # shellcheck disable=SC2086
      run render "$pl_photos/$pl_ph" --scale 3 $pl_mode --compose after --no-labels -o after.png
      # Thinning mode may refuse a back view whose stubble runs on into the neck.
      if [ "$status" = 2 ] && [ "$pl_mode" = "--mode thinning" ]; then
        expect_error "toward the face"
        continue
      fi
      expect_status 0
      [ "$status" = 0 ] || continue
      "$pl_bin" diff "$pl_photos/$pl_ph" after.png >fig.txt 2>fig.err || { fail "appearance diff: $(cat fig.err)"; continue; }
      pl_all=$(awk '$1 == "diff_pixels" { print $2 }' fig.txt)
      [ "${pl_all:-0}" -gt 2000 ] || fail "only ${pl_all:-0} pixels changed: no treatment"
      while read -r _ _ pl_name pl_poly; do
        "$pl_bin" diff "$pl_photos/$pl_ph" after.png "$pl_poly" >fig.txt 2>fig.err || { fail "appearance diff: $(cat fig.err)"; continue; }
        pl_n=$(awk '$1 == "diff_pixels" { print $2 }' fig.txt)
        [ "$pl_n" = 0 ] || fail "$pl_n pixels changed on the $pl_name"
      done <<PL_EOF
$(awk -v p="$pl_ph" '$1 == p && $2 == "forbid"' "$pl_data")
PL_EOF
    done
  done
fi
