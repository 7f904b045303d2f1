# Faces (src/face.h): --anchors auto suggests the hairline from an upright
# frontal face, the scale comes from the pupils when none is given, and
# --area auto refuses a photo with a face in view.  The face photo is
# fetched by scripts/face-photo.sh ($SMPSIM_FACE_PHOTO); without it the
# cases that need it skip, and so does the check that they print their
# messages.

t "--anchors auto needs a photo with a face"
run layout --area-mm 50,50 --anchors auto -o d.csv; expect_status 1
expect_error "^smpsim: --anchors: auto needs a photo with the face in it$"
cp "$root"/samples/top.jpg .
run render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --anchors auto -o a.png; expect_status 2
expect_error "^smpsim: top\.jpg: no face found for --anchors auto \(it needs the face upright, seen from the front\); give --anchors LX,LY:FX,FY:RX,RY$"
[ ! -e a.png ] || fail "a.png written"

fc_photo=${SMPSIM_FACE_PHOTO:-}
if [ -z "$fc_photo" ] || [ ! -s "$fc_photo" ]; then
  t "faces in a real photo"
  echo "skipped: no face photo (scripts/face-photo.sh)"
  cat >>"$stderr_log.skip" <<'FC_EOF'
^@: a face is in view \(at @,@ to @,@\): give    # needs the face photo
^@: no bald scalp found behind the hairline's middle   # needs the face photo
^warning: no scale given; assuming 63 mm between the pupils   # needs the face photo
FC_EOF
else
  t "--anchors auto: the hairline suggested from the face, the scale from the pupils"
  cp "$fc_photo" face.png
  run render face.png --anchors auto --area-polygon "0,0 512,0 512,200 0,200" --json -o a.png; expect_status 0
  expect_err_has "^smpsim: anchors from the face: --anchors [0-9]+,[0-9]+:[0-9]+,[0-9]+:[0-9]+,[0-9]+ \(front [0-9]+ mm above the glabella"
  expect_err_has "^smpsim: warning: no scale given; assuming 63 mm between the pupils of the face found \(most adults 57-69 mm: within about 10%\): [0-9.]+ px/mm$"
  expect_out '"scale_estimated":true,"scale_from":"face","anchors_auto":"[0-9]+,[0-9]+:[0-9]+,[0-9]+:[0-9]+,[0-9]+"'
  # The face in this photo: eyes' outer corners near x 195 and 255 at y
  # 102, brows at y 92, about 0.7 px/mm.  The front lies 70-100 mm (49-70
  # px) above the brows, the temples outside the eyes and below the front.
  fc_a=$(sed -n 's/.*"anchors_auto":"\([^"]*\)".*/\1/p' out.txt | tr ':,' '  ')
  fc_s=$(sed -n 's/.*"scale_px_per_mm":\([0-9.]*\).*/\1/p' out.txt)
  # shellcheck disable=SC2086
  set -- $fc_a
  awk -v lx="$1" -v ly="$2" -v fx="$3" -v fy="$4" -v rx="$5" -v ry="$6" -v s="$fc_s" 'BEGIN {
    ok = s > 0.6 && s < 0.8 && fy < 92 - 45 && fy > 92 - 75 && lx < 195 && rx > 255 && ly > fy && ry > fy &&
         lx > 160 && rx < 290 && fx > 215 && fx < 240
    exit !ok }' || fail "anchors $fc_a at $fc_s px/mm are not where the face puts them"
  set --
  # The suggestion, adopted, gives the same hairline at the given scale.
  run render face.png --anchors auto --area-polygon "0,0 512,0 512,200 0,200" --compose guides -o g.png; expect_status 0
  # The guides outline the face kept out in magenta (ff4dd9): round the
  # face (x 150-300, y 60-190), hardly anywhere else.
  fc_bin=${SMPSIM_APPEARANCE:-$root/build/appearance}
  fc_in=$("$fc_bin" colour g.png ff4dd9 40 "150,60 300,60 300,190 150,190" | awk '$1 == "colour_pixels" { print $2 }')
  fc_all=$("$fc_bin" colour g.png ff4dd9 40 | awk '$1 == "colour_pixels" { print $2 }')
  [ "${fc_in:-0}" -ge 200 ] && [ $((fc_all - fc_in)) -le $((fc_in / 10)) ] ||
    fail "${fc_in:-0} magenta pixels round the face, ${fc_all:-0} in all"

  t "a face in view: --area auto refuses it without a hairline, and finds no scalp behind it"
  cp "$fc_photo" face.png
  run render face.png --area auto -o a.png; expect_status 2
  expect_error "^smpsim: face\.png: a face is in view \(at [0-9]+,[0-9]+ to [0-9]+,[0-9]+\): give --hairline with --anchors \(or --anchors auto\) to bound the forehead, or --area-polygon or --area-mask$"
  run render face.png --mode thinning -o a.png; expect_status 2; expect_err_has "a face is in view"
  run render face.png --anchors auto --area auto -o a.png; expect_status 2
  expect_error "^smpsim: face\.png: no bald scalp found behind the hairline's middle; give --area-polygon or --area-mask$"
  [ ! -e a.png ] || fail "a.png written"

  t "a --face that the face in the photo contradicts is a warning"
  cp "$fc_photo" face.png
  run render face.png --anchors auto --face up --area-polygon "0,0 512,0 512,200 0,200" -o a.png; expect_status 0
  expect_err_has "^smpsim: note: the face found in the photo is on the other side of the temple points from --face up; check --face$"
  run render face.png --anchors auto --area-polygon "0,0 512,0 512,200 0,200" -o a.png; expect_status 0
  grep -q "other side" err.txt && fail "warned with the face where --face says"
fi
