# Data safety: no metadata from the client's photo in any output; a full
# disk never exits 0.

t "outputs carry no metadata from the photo (EXIF, GPS, camera, serial, comments, ICC profile name)"
cp "$root"/samples/top.jpg in.jpg
exiftool -q -overwrite_original -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E \
  -Make=SecretCam -Model=SpyPhone -SerialNumber=SN123456 -Comment=PatientSecret -Artist=DrWho \
  "-ICC_Profile<=$root/tests/cli/data/tiny.icc" in.jpg
exiftool in.jpg | grep -q SecretCam || fail "the test photo has no tags"
exiftool in.jpg | grep -q ClinicSecretProfile || fail "the test photo has no ICC profile"
for out in a.png a.jpg a.pdf a.svg; do
  run render in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --hairline rounded --anchors 190,610:400,700:610,610 -o $out; expect_status 0
done
run print in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o m.pdf; expect_status 0
run layout in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o l.png; expect_status 0
run layout in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o l.svg; expect_status 0
run render in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --compose overlay -o o.png; expect_status 0
run layout in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o l.csv; expect_status 0
run layout in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o l.json; expect_status 0
run render in.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 --save-area area.png --compose sessions -o s.jpg; expect_status 0
run shade in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --json; expect_status 0; cp out.txt shade.json
for f in a.png a.jpg a.pdf a.svg m.pdf l.png l.svg o.png l.csv l.json area.png s.jpg shade.json; do
  if exiftool -a -G1 "$f" | grep -Eiq 'SecretCam|SpyPhone|SN123456|PatientSecret|DrWho|GPS|ClinicSecretProfile'; then
    fail "$f carries metadata from the photo: $(exiftool -a -G1 "$f" | grep -Ei 'SecretCam|SpyPhone|SN123456|PatientSecret|DrWho|GPS|ClinicSecretProfile' | head -3)"
  fi
  grep -aEq 'SecretCam|SpyPhone|SN123456|PatientSecret|ClinicSecretProfile' "$f" && fail "$f contains the photo's tags as bytes"
done
true

t "a full disk on standard output is an error, never exit 0"
smpsim layout --area-mm 50,50 -o - >/dev/full 2>err.txt; status=$?
expect_status 2; expect_error "standard output: write failed"
smpsim analyze --help >/dev/full 2>err.txt; status=$?
expect_status 2

t "a full disk on a file output: exit 2, the reason, the device left alone"
ln -s /dev/full full.csv; ln -s /dev/full full.png; ln -s /dev/full full.jpg; ln -s /dev/full full.pdf; ln -s /dev/full full.svg
cp "$root"/samples/top.jpg in.jpg
for out in full.csv full.png full.svg; do
  run layout --area-mm 50,50 -o $out; expect_status 2; expect_error "^smpsim: $out: write failed: No space left on device$"
done
for out in full.png full.jpg full.pdf full.svg; do
  run render in.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" -o $out; expect_status 2; expect_error "^smpsim: $out: write failed: No space left on device$"
done
run print in.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" -o full.pdf; expect_status 2; expect_error "^smpsim: full\.pdf: write failed: No space left on device$"
cp "$root"/samples/top.smp "$root"/samples/top.jpg .; printf 'top.smp\n' >list.txt
run batch list.txt -q --report full.csv; expect_status 2; expect_error "full\.csv: write failed: No space left on device"
[ -c /dev/full ] && [ -L full.png ] || fail "the device or the link to it was replaced"
expect_only_files full.csv full.png full.jpg full.pdf full.svg in.jpg list.txt top.smp top.jpg top.png

t "past a file-size limit: exit 2, the reason, the old file kept, no partial file"
echo old >big.png; echo old >big.pdf
# The binary itself under the limit: the shared stderr log may be past it.
(ulimit -f 20; ${SMPSIM_WRAP:-} "$bin" layout --area-mm 200,200 --px-per-mm 10 -o big.png >out.txt 2>err.txt); status=$?
cat err.txt >>"$stderr_log"
expect_status 2; expect_error "^smpsim: big\.png: write failed: File too large$"
(ulimit -f 20; ${SMPSIM_WRAP:-} "$bin" render "$root"/samples/top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" -o big.pdf >out.txt 2>err.txt); status=$?
cat err.txt >>"$stderr_log"
expect_status 2; expect_error "^smpsim: big\.pdf: write failed: File too large$"
[ "$(cat big.png big.pdf)" = "$(printf 'old\nold')" ] || fail "the old files were changed"
expect_only_files big.png big.pdf

t "an output folder that cannot be written: exit 2, the reason"
if [ "$(id -u)" = 0 ]; then target=/sys/x.png; else mkdir ro; chmod 555 ro; target=ro/x.png; fi
run layout --area-mm 50,50 -o $target; expect_status 2
expect_error "^smpsim: $target: cannot create: (Permission denied|Read-only file system)$"
run layout --area-mm 50,50 -o nodir/x.png; expect_status 2; expect_error "^smpsim: nodir/x\.png: cannot create: No such file or directory$"
mkdir adir.png
run layout --area-mm 50,50 -o adir.png; expect_status 2; expect_error "^smpsim: adir\.png: is a folder$"
[ -d adir.png ] || fail "the folder was replaced"

t "stopped mid-write: the old file kept, no partial file, the message says so"
for sig in TERM INT HUP; do
  echo old >k.png
  # A bare binary (not under SMPSIM_WRAP) so that the signal reaches smpsim.
  "$bin" layout --area-mm 300,300 --px-per-mm 25 --density 1 -o k.png >out.txt 2>err.txt &
  pid=$!
  for _ in $(seq 1 2000); do compgen -G '.k.png.*' >/dev/null && break; sleep 0.01; done
  compgen -G '.k.png.*' >/dev/null || fail "SIG$sig: the temporary file never appeared"
  kill -$sig $pid; wait $pid; status=$?
  case $sig in TERM) expect_status 143 ;; INT) expect_status 130 ;; HUP) expect_status 129 ;; esac
  expect_error "^smpsim: stopped by SIG$sig: k\.png was not written$"
  [ "$(cat k.png)" = old ] || fail "SIG$sig: k.png was changed"
  expect_only_files k.png
done
# SIGKILL cannot be caught: the old file still stands (the hidden
# temporary file may stay behind).
"$bin" layout --area-mm 300,300 --px-per-mm 25 --density 1 -o k.png >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 2000); do compgen -G '.k.png.*' >/dev/null && break; sleep 0.01; done
kill -KILL $pid; wait $pid 2>/dev/null
[ "$(cat k.png)" = old ] || fail "SIGKILL: k.png was changed"

t "an output that is an input, by another path, is refused"
cp "$root"/samples/top.jpg in.jpg; ln in.jpg hard.jpg; ln -s "$PWD/in.jpg" soft.jpg
sum=$(cksum <in.jpg)
for out in hard.jpg soft.jpg ./in.jpg ../case/in.jpg; do
  run render in.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o $out; expect_status 2; expect_error "the output would overwrite an input"
done
ln in.jpg hard.png
run render in.jpg --scale 4 --save-area hard.png -o a.png; expect_status 2; expect_error "hard\.png: the output would overwrite an input"
printf 'photo,output\nin.jpg,x.png\n' >m.csv
run batch m.csv --report m.csv; expect_status 2; expect_error "m\.csv: the output would overwrite an input"
[ "$(cksum <in.jpg)" = "$sum" ] || fail "the photo changed"

t "an output through a link: /dev/stdout writes through, another link keeps pointing at its file"
cp "$root"/samples/* .
printf 'plan,output\ntop.smp,a.png\n' >m.csv
# /dev/stdout is a link to /proc/self/fd/1, here a redirected regular file:
# renaming over it would replace the link itself (as root, for everyone).
smpsim batch m.csv -q --report /dev/stdout >rep.json 2>err.txt; status=$?
expect_status 0
if [ ! -L /dev/stdout ]; then fail "/dev/stdout was replaced"; ln -sf /proc/self/fd/1 /dev/stdout 2>/dev/null; fi
grep -q '"line":2,"status":"ok"' rep.json || fail "the report did not reach the redirected file: $(head -c 200 rep.json)"
run render top.smp -o real.png; expect_status 0
ln -s real.png link.png
run render top.smp --seed 7 -o link.png; expect_status 0
[ -L link.png ] || fail "link.png is no longer a link"
run render top.smp --seed 7 -o seven.png; expect_status 0
cmp -s real.png seven.png || fail "the file the link points to was not rewritten"

t "an output that is a FIFO, or a link to one, is written through, not replaced"
mkfifo pipe.csv; ln -s pipe.csv link.csv
for out in pipe.csv link.csv; do
  (cat pipe.csv >got.txt &)
  run layout --area-mm 20,20 -o $out; expect_status 0
  sleep 0.2
  head -1 got.txt | grep -q '^x_mm,y_mm' || fail "nothing came through $out: $(head -c 100 got.txt)"
  [ -p pipe.csv ] || fail "pipe.csv is no longer a FIFO"
done
[ -L link.csv ] || fail "link.csv is no longer a link"

t "rewriting an output keeps its mode"
cp "$root"/samples/* .
run render top.smp -o a.png; expect_status 0
chmod 600 a.png
run render top.smp --seed 3 -o a.png; expect_status 0
[ "$(stat -c %a a.png)" = 600 ] || fail "mode is $(stat -c %a a.png), was 600"

t "an output name of 255 bytes, the most a folder takes"
long=$(printf 'a%.0s' $(seq 1 251)).png
run layout --area-mm 20,20 -o "$long"; expect_status 0; expect_file "$long"
run layout --area-mm 20,20 --seed 2 -o "$long"; expect_status 0
expect_only_files "$long"

t "all outputs of a run or none: a preview and its --save-area"
cp "$root"/samples/* .
run render top.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 --save-area nothere/area.png -o p.png
expect_status 2; expect_err_has "^smpsim: nothere/area\.png: cannot create: No such file or directory$"
[ ! -e p.png ] || fail "the preview was written though the area could not be"
run render top.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 --save-area area.png -o nothere/p.png
expect_status 2
[ ! -e area.png ] || fail "the area was written though the preview could not be"
expect_only_files $(ls "$root"/samples)

t "one way out: print's practitioner sheet is kept only with the mock-up; batch checks side outputs as render does"
cp "$root"/samples/* .
run print top.smp --practitioner-sheet sheet.pdf -o nothere/m.pdf; expect_status 2
[ ! -e sheet.pdf ] || fail "the sheet was written though the mock-up could not be"
# Other names of the photo, as a sheet or a mask would be named.
ln top.jpg photo.pdf; ln top.jpg photo.png
run print top.smp --practitioner-sheet photo.pdf -o m.pdf; expect_status 2; expect_error "photo\.pdf: the output would overwrite an input"
sum=$(cksum <top.jpg)
printf 'plan,output,save-area\ntop.smp,a.png,photo.png\ntop.smp,b.png,./b.png\ntop.smp,c.png,c-area.png\n' >m.csv
run batch m.csv -j 1; expect_status 2
grep -q '"line":2,"status":"failed".*photo\.png: the output would overwrite an input' out.txt || fail "side output over the photo: $(cat out.txt)"
grep -q '"line":3,"status":"failed".*named for both -o and --save-area' out.txt || fail "side output named as the output: $(cat out.txt)"
grep -q '"line":4,"status":"ok"' out.txt || fail "a good job with --save-area: $(cat out.txt)"
expect_file c.png; expect_file c-area.png
[ ! -e a.png ] && [ ! -e b.png ] || fail "a refused job wrote its output"
[ "$(cksum <top.jpg)" = "$sum" ] || fail "the photo changed"

t "--save-area in a plan file is relative to the plan's folder"
mkdir sub; cp "$root"/samples/top.smp "$root"/samples/top.jpg sub/
printf '[area]\nsave-area = saved.png\n' >>sub/top.smp
run render sub/top.smp -o p.png; expect_status 0
expect_file sub/saved.png
[ ! -e saved.png ] || fail "saved.png written beside the current folder"

t "a read-only output is kept unless --force"
cp "$root"/samples/* .
run render top.smp -o ro.png; expect_status 0
chmod 444 ro.png; cp ro.png before.png
run render top.smp --seed 9 -o ro.png; expect_status 2; expect_error "^smpsim: ro\.png: read-only; give --force to replace it$"
cmp -s ro.png before.png || fail "the read-only file was replaced"
run render top.smp --seed 9 --force -o ro.png; expect_status 0
cmp -s ro.png before.png && fail "--force did not replace it"
[ "$(stat -c %a ro.png)" = 444 ] || fail "mode is $(stat -c %a ro.png), was 444"
printf 'plan,output\ntop.smp,ro.png\n' >m.csv
run batch m.csv -q; expect_status 2; grep -q 'read-only; give --force' out.txt || fail "batch: $(cat out.txt)"
run batch m.csv -q --force; expect_status 0

t "./smpsim in the checkout is the plain build, also after make asan"
# The README's commands use ./smpsim; a sanitizer build must not take it over.
if [ -L "$root/smpsim" ]; then
  [ "$(readlink "$root/smpsim")" = build/smpsim ] || fail "./smpsim points at $(readlink "$root/smpsim")"
else
  echo "skipped: no ./smpsim link"
fi
