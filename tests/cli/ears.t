# Ears (src/ears.h): found where they are plainly in view, kept out of the
# area like the face, and outlined in the guides picture in magenta
# (ff4dd9) with "ear: kept out".  The generated side view (samples/side.jpg)
# has an ear drawn at 430,349 to 532,549; the real photos in
# ../shared/photos (skipped without them) have two ears from behind, one
# from the side, and none in the top views.

ea_bin=${SMPSIM_APPEARANCE:-$root/build/appearance}
# ea_marks IMAGE [POLY]: how many pixels of IMAGE are the guides' magenta.
ea_marks() { "$ea_bin" colour "$@" >fig.txt 2>fig.err && awk '$1 == "colour_pixels" { print $2 }' fig.txt; }
ea_box="430,349 532,349 532,549 430,549"
# ea_changed BEFORE AFTER [POLY]: how many pixels AFTER changed (in POLY).
ea_changed() { "$ea_bin" diff "$@" >fig.txt 2>fig.err && awk '$1 == "diff_pixels" { print $2 }' fig.txt; }

t "the guides outline the ear of the side sample, and nothing else"
cp "$root"/samples/side.jpg "$root"/samples/side.smp .
run render --plan side.smp --compose guides -o g.png; expect_status 0
ea_in=$(ea_marks g.png ff4dd9 40 "415,330 550,330 550,570 415,570")
ea_all=$(ea_marks g.png ff4dd9 40)
[ "${ea_in:-0}" -ge 300 ] || fail "only ${ea_in:-0} magenta pixels round the ear"
[ "${ea_all:-0}" = "${ea_in:-x}" ] || fail "$((ea_all - ea_in)) magenta pixels away from the ear"
# The hairline (yellow, ffd91a) ends above the ear: none of it runs on to
# the ear's label.
ea_y=$(ea_marks g.png ffd91a 40 "400,300 600,300 600,560 400,560")
[ "${ea_y:-x}" = 0 ] || fail "${ea_y:-?} yellow pixels by the ear: the hairline runs on to its label"

t "--json names the ear kept out; the guides look for it only as the render does"
cp "$root"/samples/side.jpg "$root"/samples/side.smp .
run render --plan side.smp --json -o a.png; expect_status 0
grep -qE '"kept_out": ?\{"face": ?null, ?"ears": ?\[\[4[0-9]{2}, ?3[0-9]{2}, ?5[0-9]{2}, ?5[0-9]{2}\]\]\}' out.txt ||
  fail "kept_out: $(grep -o '"kept_out[^}]*}' out.txt)"
# A drawn area and a scale: the render does not look for ears, so its
# guides show none kept out (they outlined the ear "kept out" while the
# render dotted it).
run render side.jpg --scale 4 --area-polygon "380,300 600,300 600,600 380,600" --compose guides --json -o g.png
expect_status 0
grep -qE '"kept_out": ?\{"face": ?null, ?"ears": ?\[\]\}' out.txt || fail "kept_out: $(grep -o '"kept_out[^}]*}' out.txt)"
ea_all=$(ea_marks g.png ff4dd9 40)
[ "${ea_all:-x}" = 0 ] || fail "${ea_all:-?} magenta pixels: an ear outlined that the render does not keep out"

t "no dot on the ear of the side sample"
cp "$root"/samples/side.jpg "$root"/samples/side.smp .
run render --plan side.smp --compose after --no-labels -o after.png; expect_status 0
ea_n=$(ea_changed side.jpg after.png)
[ "${ea_n:-0}" -gt 2000 ] || fail "only ${ea_n:-0} pixels changed: no treatment"
ea_n=$(ea_changed side.jpg after.png "$ea_box")
[ "${ea_n:-x}" = 0 ] || fail "${ea_n:-?} pixels changed on the ear"

t "thinning mode on an area over the ear leaves the ear alone"
# The hair round the sample's ear is what thinning treats; an area drawn
# over both would put dots on the ear but for the ear found.
cp "$root"/samples/side.jpg .
run render side.jpg --scale 4 --mode thinning --area-polygon "380,300 600,300 600,600 380,600" --compose after \
  --no-labels -o after.png
expect_status 0
ea_n=$(ea_changed side.jpg after.png)
[ "${ea_n:-0}" -gt 2000 ] || fail "only ${ea_n:-0} pixels changed: no treatment"
ea_n=$(ea_changed side.jpg after.png "$ea_box")
[ "${ea_n:-x}" = 0 ] || fail "${ea_n:-?} pixels changed on the ear"

t "with an exclusion mask a pixel wider than the photo, the ear is still kept out"
# --exclude-mask may be a pixel off the photo's size; the ear (and the
# face) join it all the same.
cp "$root"/samples/side.jpg .
"$ea_bin" mkflat m.png 801 800 000000
run render side.jpg --scale 4 --mode thinning --area-polygon "380,300 600,300 600,600 380,600" --exclude-mask m.png \
  --compose after --no-labels -o after.png
expect_status 0
ea_n=$(ea_changed side.jpg after.png "$ea_box")
[ "${ea_n:-x}" = 0 ] || fail "${ea_n:-?} pixels changed on the ear"

ea_photos=$root/../shared/photos
if [ ! -f "$ea_photos/stubble-back.jpg" ] || [ ! -f "$ea_photos/stubble-side-face.jpg" ]; then
  t "ears in real photos"
  echo "skipped: ../shared/photos not found"
else
  # The ears as tests/cli/data/placement.txt and placement-lines.txt mark them.
  while read -r ea_ph ea_opts ea_polys; do
    t "the guides outline the ears of $ea_ph"
    # shellcheck disable=SC2086 # options are words
    run render "$ea_photos/$ea_ph" --scale 3 $(echo "$ea_opts" | tr '+' ' ') --compose guides -o g.png; expect_status 0
    echo "$ea_polys" | tr ';' '\n' >polys.txt
    ea_sum=0
    while read -r ea_poly; do
      ea_in=$(ea_marks g.png ff4dd9 40 "$ea_poly")
      [ "${ea_in:-0}" -ge 100 ] || fail "only ${ea_in:-0} magenta pixels on the ear at $ea_poly"
      ea_sum=$((ea_sum + ${ea_in:-0}))
    done <polys.txt
    ea_all=$(ea_marks g.png ff4dd9 40)
    # The labels sit just above the ears, outside their boxes.
    [ "${ea_all:-0}" -le $((ea_sum + 200)) ] || fail "$((ea_all - ea_sum)) magenta pixels away from the ears"
  done <<'EA_EOF'
stubble-back.jpg --area+auto 40,320 110,320 110,480 40,480;525,310 625,310 625,510 525,510
light-stubble-back.jpg --area+auto 25,270 125,270 125,420 25,420;535,255 625,255 625,420 535,420
stubble-side-face.jpg --area+auto+--face+left+--hairline+rounded+--anchors+130,60:95,150:230,260 345,250 500,250 500,465 345,465
EA_EOF

  t "thinning mode on an area over an ear of light-stubble-back.jpg leaves the ear alone"
  run render "$ea_photos/light-stubble-back.jpg" --scale 3 --mode thinning \
    --area-polygon "480,220 630,220 630,450 480,450" --compose after --no-labels -o after.png
  expect_status 0
  ea_n=$(ea_changed "$ea_photos/light-stubble-back.jpg" after.png "540,268 617,268 617,411 540,411")
  [ "${ea_n:-x}" = 0 ] || fail "${ea_n:-?} pixels changed on the ear"

  for ea_ph in crown-back.jpg crown-dark-hair-top.jpg crown-thinning-top.jpg diffuse-thinning-top.jpg; do
    t "no ear found on the top view $ea_ph"
    run render "$ea_photos/$ea_ph" --scale 3 --area auto --compose guides -o g.png; expect_status 0
    ea_all=$(ea_marks g.png ff4dd9 40)
    [ "${ea_all:-x}" = 0 ] || fail "${ea_all:-?} magenta pixels: an ear or a face marked on a top view"
  done
fi
