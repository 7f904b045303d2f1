# Data safety: no metadata from the client's photo in any output; a full
# disk never exits 0.

t "outputs carry no metadata from the photo (EXIF, GPS, camera, comments)"
cp "$root"/samples/top.jpg in.jpg
exiftool -q -overwrite_original -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E \
  -Make=SecretCam -Model=SpyPhone -SerialNumber=SN123456 -Comment=PatientSecret -Artist=DrWho in.jpg
exiftool in.jpg | grep -q SecretCam || fail "the test photo has no tags"
for out in a.png a.jpg a.pdf a.svg; do
  run render in.jpg --scale 4 --hairline rounded --anchors 190,610:400,700:610,610 -o $out; expect_status 0
done
run print in.jpg --scale 4 -o m.pdf; expect_status 0
run layout in.jpg --scale 4 -o l.png; expect_status 0
run layout in.jpg --scale 4 -o l.svg; expect_status 0
run render in.jpg --scale 4 --compose overlay -o o.png; expect_status 0
for f in a.png a.jpg a.pdf a.svg m.pdf l.png l.svg o.png; do
  if exiftool -a -G1 "$f" | grep -Eiq 'SecretCam|SpyPhone|SN123456|PatientSecret|DrWho|GPS'; then
    fail "$f carries metadata from the photo: $(exiftool -a -G1 "$f" | grep -Ei 'SecretCam|SpyPhone|SN123456|PatientSecret|DrWho|GPS' | head -3)"
  fi
  grep -aEq 'SecretCam|SpyPhone|SN123456|PatientSecret' "$f" && fail "$f contains the photo's tags as bytes"
done
true

t "a full disk on standard output is an error, never exit 0"
smpsim layout --area-mm 50,50 -o - >/dev/full 2>err.txt; status=$?
expect_status 2; expect_error "standard output: write failed"
smpsim analyze --help >/dev/full 2>err.txt; status=$?
expect_status 2
