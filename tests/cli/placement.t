# Placement on the real photos in ../shared/photos (quality: "Placement"):
# --area auto and thinning mode refuse a photo whose bald skin runs on into
# a face, and elsewhere change no pixel of the neck, ears, stubble, arms or
# room named in data/placement.txt.  Skips without the photos.

pl_photos=$root/../shared/photos
pl_data=$root/tests/cli/data/placement.txt
pl_bin=${SMPSIM_APPEARANCE:-$root/build/appearance}
# pl_fig PHOTO NAME POLY: pl_n = figure NAME of `appearance diff` between
# PHOTO and after.png inside POLY (a failure, and status 1, when it cannot tell).
pl_fig() {
  pl_n=
  "$pl_bin" diff "$1" after.png "$3" >fig.txt 2>fig.err || { fail "appearance diff: $(cat fig.err)"; return 1; }
  pl_n=$(awk -v k="$2" '$1 == k { print $2 }' fig.txt)
}
# pl_wall_alone PHOTO BOX...: after.png changed PHOTO by at most 3 levels
# in each BOX (the wall past the head's outline).
pl_wall_alone() {
  pl_ph=$1
  shift
  for pl_box in "$@"; do
    pl_fig "$pl_ph" diff_max "$pl_box" || continue
    [ "${pl_n:-99}" -le 3 ] || fail "the wall at $pl_box changed by up to ${pl_n:-?} levels"
  done
}
# pl_untouched PHOTO: after.png changed over 2000 pixels of the photo (a
# path), and none in the regions of regions.txt (lines NAME POLYGON).
pl_untouched() {
  "$pl_bin" diff "$1" after.png >fig.txt 2>fig.err || { fail "appearance diff: $(cat fig.err)"; return; }
  pl_all=$(awk '$1 == "diff_pixels" { print $2 }' fig.txt)
  [ "${pl_all:-0}" -gt 2000 ] || fail "only ${pl_all:-0} pixels changed: no treatment"
  while read -r pl_name pl_poly; do
    "$pl_bin" diff "$1" after.png "$pl_poly" >fig.txt 2>fig.err || { fail "appearance diff: $(cat fig.err)"; continue; }
    pl_n=$(awk '$1 == "diff_pixels" { print $2 }' fig.txt)
    [ "$pl_n" = 0 ] || fail "$pl_n pixels changed on the $pl_name"
  done <regions.txt
}

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
        expect_error "^smpsim: .*$pl_ph: the skin found runs on into the lowest 15% of the photo, toward the face or the neck \(--face down\): give --hairline with --anchors"
        [ ! -e out.png ] || fail "out.png written"
      done
      continue
    fi
    for pl_mode in "--area auto" "--mode thinning"; do
      t "placement: nothing off the scalp of $pl_ph ($pl_mode)"
      # shellcheck disable=SC2086
      run render "$pl_photos/$pl_ph" --scale 3 $pl_mode --compose after --no-labels -o after.png
      # Thinning mode may refuse a back view whose stubble runs on into the
      # neck ("thinning-refuse"); elsewhere it treats.
      if [ "$status" = 2 ] && [ "$pl_mode" = "--mode thinning" ] &&
        awk -v p="$pl_ph" '$1 == p && $2 == "thinning-refuse" { f = 1 } END { exit !f }' "$pl_data"; then
        expect_error "toward the face"
        continue
      fi
      expect_status 0
      [ "$status" = 0 ] || continue
      awk -v p="$pl_ph" '$1 == p && $2 == "forbid" { $1 = $2 = ""; sub(/^ +/, ""); print }' "$pl_data" >regions.txt
      pl_untouched "$pl_photos/$pl_ph"
    done
  done
fi

# Behind a practitioner's hairline (data/placement-lines.txt): the area is
# chosen behind the line, and in a side view the line's lower end runs
# straight back from the temple: no dot on the face, ear, neck or room.
# With --match auto the area takes in its bays into the stubble behind the
# line too, and no further.
pl_lines=$root/tests/cli/data/placement-lines.txt
if [ -d "$pl_photos" ] && [ -f "$pl_photos/stubble-side-face.jpg" ]; then
  awk '!/^#/ && NF >= 5 && !seen[$1 " " $2 " " $3]++ { print $1, $2, $3 }' "$pl_lines" >lines.txt
  while read -r pl_ph pl_face pl_anchors; do
    for pl_mode in "--area auto" "--mode thinning" "--area auto --match auto"; do
      t "placement: behind the line on $pl_ph ($pl_mode, --face $pl_face)"
      # shellcheck disable=SC2086
      run render "$pl_photos/$pl_ph" --scale 3 $pl_mode --face "$pl_face" --hairline rounded \
        --anchors "$pl_anchors" --compose after --no-labels -o after.png
      # Long thin hair behind the line (frontal-recession-front.jpg) holds no
      # bald patch for --area auto; thinning mode treats it all the same.
      if [ "$status" = 2 ] && [ "${pl_mode%% --match*}" = "--area auto" ]; then
        expect_error "no bald scalp found behind the hairline's middle"
        continue
      fi
      expect_status 0
      [ "$status" = 0 ] || continue
      awk -v p="$pl_ph" -v a="$pl_anchors" '$1 == p && $3 == a { n = $4; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print n, $0 }' \
        "$pl_lines" >regions.txt
      pl_untouched "$pl_photos/$pl_ph"
    done
  done <lines.txt
fi

# Behind a line along a frontal recession, the bald temples lie apart from
# the middle (the fringe reaches down to the line between them): every bald
# region along the line is treated, not only the one at its middle (which
# left bowed-face-front.jpg's left temple untouched, a line half drawn).
if [ -d "$pl_photos" ] && [ -f "$pl_photos/bowed-face-front.jpg" ]; then
  t "placement: both temples behind the line on bowed-face-front.jpg"
  run render "$pl_photos/bowed-face-front.jpg" --scale 3 --area auto --hairline rounded \
    --anchors 90,230:300,250:540,240 --compose after --no-labels -o after.png
  expect_status 0
  expect_err_has "^smpsim: found the scalp with confidence 1.00"
  for pl_box in "70,190 170,190 170,235 70,235" "320,215 480,215 480,245 320,245"; do
    pl_fig "$pl_photos/bowed-face-front.jpg" diff_pixels "$pl_box" || continue
    [ "${pl_n:-0}" -gt 1500 ] || fail "only ${pl_n:-0} pixels changed at the temple $pl_box"
  done
fi

# A crown's bald vertex, ringed by thinning hair, is thinning: on
# crown-back.jpg its middle (fine hairs the photo does not resolve) was
# left pale, 39 % of the area, and the after barely differed.  On
# crown-dark-hair-top.jpg the grey hair below the crown reads as bare skin,
# so the bare patch runs on out of the photo; within the area it is ringed
# all the same (before: a frame of dots round a pale window, 46 % alone).
# Each line: photo, a box in the vertex's middle, the pixels it must change.
while read -r pl_ph pl_box pl_min; do
  [ -f "$pl_photos/$pl_ph" ] || continue
  t "placement: thinning treats $pl_ph's bald vertex"
  run render "$pl_photos/$pl_ph" --scale 3 --mode thinning --compose after --no-labels -o after.png
  expect_status 0
  if grep -q "leaves [0-9]* % of the area alone" err.txt; then fail "the vertex is left alone: $(cat err.txt)"; fi
  "$pl_bin" diff "$pl_photos/$pl_ph" after.png "$(echo "$pl_box" | tr '_' ' ')" >fig.txt 2>fig.err ||
    fail "appearance diff: $(cat fig.err)"
  pl_n=$(awk '$1 == "diff_pixels" { print $2 }' fig.txt)
  [ "${pl_n:-0}" -gt "$pl_min" ] || fail "only ${pl_n:-0} pixels changed in the vertex"
done <<'EOF_VERTEX'
crown-back.jpg 250,110_390,110_390,230_250,230 5000
crown-dark-hair-top.jpg 210,330_280,330_280,395_210,395 2500
EOF_VERTEX

# The generated frontal view framed with a margin of 75 mm all round: its
# face no longer reaches the photo's lowest 15 %, nor does dlib find the
# drawn face; both modes took the forehead, the brows and the face down to
# the photo's old edge.  Its brows inside the skin found say it is a face.
pl_app=${SMPSIM_APPEARANCE:-$root/build/appearance}
for pl_mode in "--area auto" "--mode thinning"; do
  t "placement: a frontal view framed with a margin is refused ($pl_mode)"
  "$pl_app" margin "$root/samples/frontal.jpg" margin.png 300 || fail "appearance margin"
  # shellcheck disable=SC2086
  run render margin.png --scale 4 $pl_mode -o out.png; expect_status 2
  expect_error "^smpsim: margin\.png: a face's brows lie inside the skin found \(near [0-9]+,9[0-9][0-9] and [0-9]+,9[0-9][0-9]\): give --hairline with --anchors to bound the forehead, or --area-polygon or --area-mask$"
  [ ! -e out.png ] || fail "out.png written"
done

# The generated side view (samples/side.jpg, 4 px/mm, the face to the
# left): with no hairline refused, the face need not reach the photo's
# edge; with the sample plan's line, nothing on the face, ear, cheek, neck,
# the hair behind or the wall.
for pl_mode in "--area auto" "--mode thinning"; do
  t "placement: a side view with no hairline is refused ($pl_mode)"
  # shellcheck disable=SC2086
  run render "$root/samples/side.jpg" --scale 4 $pl_mode --face left -o out.png; expect_status 2
  expect_error "^smpsim: .*side.jpg: --face left is a side view, whose bald top runs on over the temple into the face, the ear and the cheek: give --hairline with --anchors to bound the forehead, or --area-polygon or --area-mask$"
  [ ! -e out.png ] || fail "out.png written"
done
# A hairline shape with no anchors (a preset's, or --hairline alone) is
# placed where the area would put it, so it bounds nothing: it once let
# --area auto run over the generated frontal view's forehead, and
# natural-buzz over the brows of bowed-face-front.jpg.
for pl_case in "frontal --preset natural-buzz" "frontal --hairline mature" "side --preset natural-buzz" \
  "frontal --preset natural-buzz --mode thinning"; do
  pl_s=${pl_case%% *}; pl_o=${pl_case#* }
  t "placement: a hairline without anchors does not bound the forehead ($pl_s, $pl_o)"
  # shellcheck disable=SC2086
  run render "$root/samples/$pl_s.jpg" --scale 4 --area auto $pl_o -o out.png; expect_status 2
  expect_error "^smpsim: .*$pl_s\.jpg: the skin found runs on into the lowest 15% of the photo, toward the face or the neck \(--face down\): give --hairline with --anchors"
  [ ! -e out.png ] || fail "out.png written"
done
if [ -f "$pl_photos/bowed-face-front.jpg" ]; then
  for pl_ph in bowed-face-front.jpg frontal-recession-front.jpg; do
    t "placement: a preset's hairline without anchors does not bound the forehead of $pl_ph"
    run render "$pl_photos/$pl_ph" --scale 3 --area auto --preset natural-buzz -o out.png; expect_status 2
    expect_error "^smpsim: .*$pl_ph: the skin found runs on into the lowest 15% of the photo"
    [ ! -e out.png ] || fail "out.png written"
  done
fi
for pl_mode in "" "--mode thinning"; do
  t "placement: behind the line on the generated side view ${pl_mode:-(--area auto)}"
  # shellcheck disable=SC2086
  run render "$root/samples/side.smp" $pl_mode --compose after --no-labels -o after.png; expect_status 0
  cat >regions.txt <<'PL_EOF'
ear 425,345 535,345 535,555 425,555
eye-brow 185,345 285,345 285,410 185,410
nose 110,405 220,405 220,485 110,485
cheek 180,420 400,420 400,640 180,640
neck 320,660 690,660 690,800 320,800
wall 0,0 120,0 120,800 0,800
PL_EOF
  [ -n "$pl_mode" ] || echo "hair 560,330 720,330 720,600 560,600" >>regions.txt
  pl_untouched "$root/samples/side.jpg"
done

# A drawn area that runs past the head's outline onto the wall, as one
# drawn round the outline in the studio easily does: no dots there, and a
# note says how much was left out (stubble-side-face.jpg with the
# practitioner's polygon "to the outline" had 3 cm^2 of dots on the wall).
t "placement: a drawn area past the head's outline leaves the wall alone (generated side view)"
run render "$root/samples/side.jpg" --scale 4 --area-polygon "200,20 600,20 600,200 200,200" --compose after \
  --no-labels -o after.png
expect_status 0
expect_err_has "^smpsim: note: [0-9]+\.[0-9] cm\^2 of the area drawn lies past the head's outline \(the wall or clothes\): no dots there$"
printf 'wall-top 360,20 440,20 440,45 360,45\nwall-left 200,20 260,20 260,60 200,60\n' >regions.txt
pl_untouched "$root/samples/side.jpg"
# the samples' areas lie on the head: no note
for pl_s in top frontal side crown patches; do
  run render "$root/samples/$pl_s.smp" -o s.png; expect_status 0
  ! grep -q "past the head's outline" err.txt || fail "$pl_s.smp: $(cat err.txt)"
done
if [ -f "$pl_photos/stubble-side-face.jpg" ]; then
  t "placement: a drawn area past the head's outline leaves the wall alone (stubble-side-face.jpg)"
  run render "$pl_photos/stubble-side-face.jpg" --scale 3 --match auto --compose after --no-labels -o after.png \
    --area-polygon "105,115 145,65 200,45 250,35 290,30 295,200 150,225"
  expect_status 0
  expect_err_has "past the head's outline"
  # 2.5 mm and more from the outline: at most the faintest tail of a halo;
  # 1-2.3 mm past it, where the halos of the dots nearest the outline
  # reached (up to 23 levels), the after keeps the wall as it was
  pl_wall_alone "$pl_photos/stubble-side-face.jpg" "150,64 175,55 175,70 150,82" "205,45 235,39 235,49 205,58" \
    "160,77 200,59 240,46 240,50 200,63 160,81"
fi
# stubble-back.jpg's pink wall is near enough a skin's colour for some of
# it to count as skin, so the skin's hull ran 2-5 mm past the head, and
# the practitioner's polygon to the outline put dots on the wall just
# above the head (up to 43 levels 1-2.5 mm past the outline) and on the
# red band beside it (32).  The room found inside the hull is kept as it
# is, and the dots still reach the outline: the head's last 1-3 mm darken.
if [ -f "$pl_photos/stubble-back.jpg" ]; then
  t "placement: a drawn area past the head's outline leaves a skin-coloured wall alone (stubble-back.jpg)"
  pl_poly=$(awk '$1 == "stubble-back.jpg" && $2 == "to-the-outline" { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' \
    "$root/tests/practitioner-polygons.txt")
  run render "$pl_photos/stubble-back.jpg" --scale 3 --match auto --compose after --no-labels -o after.png \
    --area-polygon "$pl_poly"
  expect_status 0
  expect_err_has "past the head's outline"
  pl_wall_alone "$pl_photos/stubble-back.jpg" "355,29 400,44 400,49 355,34" "470,80 490,80 490,86 470,86"
  if pl_fig "$pl_photos/stubble-back.jpg" diff_mean "360,45 400,58 400,64 360,51"; then
    awk -v m="${pl_n:-0}" 'BEGIN { exit !(m >= 8) }' || fail "the head's rim changed by only ${pl_n:-0} levels on average"
  fi
fi
