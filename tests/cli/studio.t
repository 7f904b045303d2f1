# smpsim studio: the consultation page's server, driven with curl (the
# page's own behaviour in a browser is tested elsewhere).  Every endpoint,
# its errors, and that the server goes on serving after each.

# studio_start ARGS...: starts the studio in the background; $url is its
# printed address, $spid its process.
studio_start() {
  : >studio.out
  "$bin" studio "$@" >studio.out 2>studio.err &
  spid=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^smpsim studio: //p' studio.out)
    [ -n "$url" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$url" ] || fail "no address printed: $(cat studio.err)"
}
# studio_stop: Ctrl-C, and it must end cleanly.
studio_stop() {
  kill -INT "$spid" 2>/dev/null
  wait "$spid"; local s=$?
  [ "$s" = 0 ] || fail "studio exited $s after Ctrl-C: $(cat studio.err)"
  grep -q "stopped; the photos it held are gone" studio.err || fail "no goodbye: $(cat studio.err)"
  cat studio.err >>"$stderr_log"
}
# post PATH CURL-ARGS...: the status code into code.txt, the body into
# body.out, the headers into head.txt.
post() { local p=$1; shift; curl -s -D head.txt -o body.out -w '%{http_code}' -X POST "$@" "$p" >code.txt; }
get() { curl -s -D head.txt -o body.out -w '%{http_code}' "$1" >code.txt; }
# expect_code N WHAT: the last request's status, and a JSON error for >= 400.
expect_code() {
  [ "$(cat code.txt)" = "$1" ] || fail "$2: status $(cat code.txt), expected $1: $(head -c 300 body.out)"
  if [ "$1" -ge 400 ]; then grep -q '^{"error":"' body.out || fail "$2: no JSON error: $(head -c 300 body.out)"; fi
}
# serving: the server still answers.
serving() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || fail "not serving after $1"; }
# session_of FILE: the session id in a JSON answer.
session_of() { sed -n 's/.*"session":"\([0-9a-f]*\)".*/\1/p' "$1"; }
is_png() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e47 ]; }

if ! command -v curl >/dev/null 2>&1; then
  t "studio: skipped"
  echo "studio.t: skipped: no curl" >&2
else

t "studio: the page, a photo, a preview; bad requests get an error and it goes on"
cp "$root"/samples/top.jpg .
studio_start --listen 127.0.0.1:0
case $url in http://127.0.0.1:[0-9]*/) ;; *) fail "address: $url" ;; esac
[ "$(curl -s -o page.html -w '%{http_code}' "$url")" = 200 ] || fail "no page"
grep -q "simulation, not a guarantee" page.html || fail "the page lacks the note"
post "${url}api/photo" --data-binary @top.jpg; expect_code 200 "photo upload"
grep -q '"width":800,"height":800' body.out || fail "photo size: $(cat body.out)"
# The upload's suggestion: no face in this drawn top view; the scale from
# the head's breadth (the whole head is in the frame), said so; the area
# refused without a hairline (the bald skin runs on toward the face).
grep -q '"suggest":{"scale":{"px_per_mm":4.3[0-9]*,"from":"head","assumption":"152 mm across the head' body.out ||
  fail "upload's suggestion: $(cat body.out)"
grep -q '"anchors":null,"anchors_why":"no face found' body.out || fail "no face: $(cat body.out)"
grep -q '"area":null,"area_why":"photo.jpg: the skin found runs on into the lowest 15% of the photo, toward the face' body.out ||
  fail "area refused: $(cat body.out)"
sid=$(session_of body.out)
[ ${#sid} = 32 ] || fail "session id: $sid"
req='{"session":"'$sid'","settings":{"scale":4,"area-polygon":"160,160 640,160 640,640 160,640","hairline":"rounded","anchors":"190,610:400,700:610,610","compose":"after"}}'
post "${url}api/preview" -H 'Content-Type: application/json' --data "$req"; expect_code 200 preview
is_png body.out || fail "preview: not a PNG: $(head -c 200 body.out)"
[ "$(png_size body.out)" = 800x800 ] || fail "preview size $(png_size body.out)"
# What the page says beside it: the dots and the scale, estimated when not
# given, and as render does, that long hair lies round the area (the
# sample's hair beside the square).
grep -qi '^X-Smpsim-Info: {"dots":[0-9]*,"scale":4,"scale_from":"given","density":[0-9.]*,"note":"long hair lies round the area: the after shows it as SMP reads on a head kept shaved;[^"]*","view_width":800,"ms":{' head.txt ||
  fail "info: $(grep -i smpsim head.txt)"
cp body.out studio.png
# An anchor dragged: the hair round the area is read once for it, and
# still said.
post "${url}api/preview" --data "${req/400,700/400,690}"; expect_code 200 "preview, an anchor moved"
grep -qi '"note":"long hair lies round the area' head.txt || fail "the note after a drag: $(grep -i smpsim head.txt)"
post "${url}api/preview" --data "${req/\"scale\":4,/}"
grep -qi '"scale_from":"anchors"' head.txt || fail "no estimate said: $(grep -i smpsim head.txt)"
# --match auto: what it measured and chose, in one line beside the picture
# (as render says on standard error).
post "${url}api/preview" --data "${req/\"compose\"/\"match\":\"auto\",\"compose\"}"; expect_code 200 "preview, match auto"
smpsim render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --hairline rounded \
  --anchors 190,610:400,700:610,610 --match auto --compose after -o m.png 2>match.err
said=$(sed -n 's/^smpsim: match: //p' match.err)
[ -n "$said" ] && grep -qiF "\"match\":\"$said\"" head.txt || fail "match info: $(grep -i smpsim-info head.txt) (render: $said)"
# The same plan from the command line draws the same picture.
smpsim render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --hairline rounded \
  --anchors 190,610:400,700:610,610 --compose after -o cli.png 2>/dev/null
cmp -s studio.png cli.png || fail "the studio's preview differs from render's"
# At a view width: the photo and every position scaled, for speed.
post "${url}api/preview" --data "${req%\}},\"view_width\":300}"; expect_code 200 "preview at a view width"
[ "$(png_size body.out)" = 300x300 ] || fail "view_width 300 gave $(png_size body.out)"
grep -qi '"scale":4,"scale_from":"given".*"view_width":300' head.txt || fail "view info: $(grep -i smpsim head.txt)"
# Its dots are where the full preview's are, scaled: the after picture
# differs from the photo in the same places (the area's middle, not its
# corners).
post "${url}api/preview" --data "${req%\}},\"view_width\":2000}"; expect_code 200 "a view wider than the photo"
[ "$(png_size body.out)" = 800x800 ] || fail "view_width over the photo's gave $(png_size body.out)"
# JPEG when asked, render's JPEG.
post "${url}api/preview" --data "${req%\}},\"format\":\"jpeg\"}"; expect_code 200 "a JPEG preview"
grep -qi '^Content-Type: image/jpeg' head.txt || fail "JPEG type: $(grep -i content-type head.txt)"
smpsim render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --hairline rounded \
  --anchors 190,610:400,700:610,610 --compose after -o cli.jpg 2>/dev/null
cmp -s body.out cli.jpg || fail "the studio's JPEG differs from render's"
for bad in '"view_width":"wide"' '"view_width":3' '"format":"gif"'; do
  post "${url}api/preview" --data "${req%\}},$bad}"; expect_code 400 "$bad"
done
# Bad requests: a JSON error each, and the server goes on.
post "${url}api/preview" --data 'not json'; expect_code 400 "bad JSON"
post "${url}api/preview" --data '[1,2]'; expect_code 400 "JSON not an object"
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"notes":"/etc/passwd"}}'; expect_code 400 "a path"
grep -q 'files cannot be named from the page' body.out || fail "a path from the page: $(cat body.out)"
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"photo":"top.jpg"}}'; expect_code 400 "the photo named"
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"density":"lots"}}'; expect_code 400 "bad value"
grep -q 'density' body.out || fail "bad value: $(cat body.out)"
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"loudness":3}}'; expect_code 400 "not an option"
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"density":[1]}}'; expect_code 400 "a list"
post "${url}api/preview" --data '{"session":"'$sid'","settings":7}'; expect_code 400 "settings not an object"
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"area":"auto"}}'; expect_code 422 "area auto, no hairline"
grep -q 'toward the face' body.out || fail "area auto, no hairline: $(cat body.out)"
# The plan's pixel limit holds for the photo in memory, as render's does for the file.
post "${url}api/preview" --data "${req%\}\}},\"max-pixels\":1000}}"; expect_code 422 "over max-pixels"
grep -q 'photo.jpg: 800x800 pixels is over the limit of 1000 pixels' body.out || fail "max-pixels: $(cat body.out)"
post "${url}api/preview" --data "${req%\}\}},\"max-pixels\":1000},\"view_width\":100}"; expect_code 422 "over max-pixels at a view width"
post "${url}api/preview" --data '{"session":"0123456789abcdef0123456789abcdef","settings":{}}'; expect_code 404 "another tab's session"
get "${url}api/preview"; expect_code 405 "GET a POST"
post "${url}api/plans"; expect_code 405 "POST a GET"
head -c 5000 top.jpg >cut.jpg
post "${url}api/photo" --data-binary @cut.jpg; expect_code 400 "truncated photo"
grep -q 'photo.jpg: truncated or corrupt JPEG' body.out || fail "cut photo: $(cat body.out)"
post "${url}api/photo" --data-binary 'not a photo'; expect_code 400 "not a photo"
post "${url}api/photo"; expect_code 400 "no photo"
head -c $((64 * 1024 * 1024 + 10)) /dev/zero >big.bin
post "${url}api/photo" --data-binary @big.bin; expect_code 413 "oversized upload"
rm -f big.bin
get "${url}etc/passwd"; expect_code 404 "unknown page"
serving "bad requests"
studio_stop

t "studio: /api/suggest gives the scale and the automatic area; /api/before the photo"
cp "$root"/samples/top.jpg .
studio_start --listen 127.0.0.1:0
post "${url}api/photo" --data-binary @top.jpg; sid=$(session_of body.out)
post "${url}api/suggest" --data '{"session":"'$sid'","settings":{"scale":4,"hairline":"rounded","anchors":"190,610:400,700:610,610"}}'
expect_code 200 suggest
grep -q '^{"scale":{"px_per_mm":4,"from":"given","assumption":"as given"},"anchors":null,"anchors_why":"no face found' body.out ||
  fail "suggested scale: $(head -c 300 body.out)"
# The area: a polygon of at most 60 points, in the photo, where the CLI's
# --area auto finds the scalp (its saved mask is white there).
poly=$(sed -n 's/.*"area":{"polygon":\[\(.*\)\],"confidence".*/\1/p' body.out | tr -d '[]' | sed 's/,/ /g')
n=$(echo "$poly" | wc -w)
[ "$n" -ge 6 ] && [ "$n" -le 120 ] && [ $((n % 2)) = 0 ] || fail "area polygon of $((n / 2)) points: $(head -c 400 body.out)"
echo "$poly" | awk '{for (i = 1; i <= NF; i++) if ($i < 0 || $i > 800) exit 1}' || fail "area outside the photo: $poly"
# Its note is a doubt about the area found, none here: the long hair round
# it is said beside the preview, not as a reason to edit the area.
grep -q '"confidence":[0-9.]*,"note":null' body.out || fail "area confidence: $(head -c 400 body.out)"
smpsim render top.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 --save-area mask.png -o a.png 2>/dev/null
# The polygon's vertices lie on the mask's boundary: most within 2 px of a white pixel.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$poly" <<'EOF' || fail "the outline is not the found area's"
import sys, zlib, struct
data = open("mask.png", "rb").read()
w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
idat = b""; i = 8
while i < len(data):
    n = struct.unpack(">I", data[i:i+4])[0]; t = data[i+4:i+8]
    if t == b"IDAT": idat += data[i+8:i+8+n]
    i += 12 + n
raw = zlib.decompress(idat); bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]; stride = w * bpp
rows = []; prev = bytearray(stride); p = 0
for y in range(h):
    f = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
    for x in range(stride):
        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
v = [float(t) for t in sys.argv[1].split()]
near = 0
for k in range(0, len(v), 2):
    x, y = int(v[k]), int(v[k + 1])
    near += any(rows[yy][xx * bpp] >= 128 for yy in range(max(0, y - 2), min(h, y + 3)) for xx in range(max(0, x - 2), min(w, x + 3)))
sys.exit(0 if near >= 0.9 * len(v) / 2 else 1)
EOF
fi
# At a view width (as the preview shows it, quicker on a large photo), in
# the full photo's pixels still: the same outline within a few pixels.
bbox() { sed -n 's/.*"area":{"polygon":\[\(.*\)\],"confidence".*/\1/p' "$1" | tr -d '[]' | tr ',' '\n' |
  awk 'NR % 2 {x[++n] = $1; next} {y[n] = $1} END {a = b = 1e9; c = d = -1e9; for (i = 1; i <= n; i++) {
    if (x[i] < a) a = x[i]; if (x[i] > c) c = x[i]; if (y[i] < b) b = y[i]; if (y[i] > d) d = y[i] }; print a, b, c, d}'; }
cp body.out full.json
post "${url}api/suggest" --data '{"session":"'$sid'","view_width":400,"settings":{"scale":4,"hairline":"rounded","anchors":"190,610:400,700:610,610"}}'
expect_code 200 "suggest at a view width"
read -r fa fb fc fd <<<"$(bbox full.json)"; read -r va vb vc vd <<<"$(bbox body.out)"
awk -v a="$fa $fb $fc $fd" -v b="$va $vb $vc $vd" 'BEGIN {split(a, p); split(b, q); for (i = 1; i <= 4; i++) if (p[i] - q[i] > 12 || q[i] - p[i] > 12) exit 1}' ||
  fail "the outline at a view width ($va $vb $vc $vd) is not the full one's ($fa $fb $fc $fd)"
post "${url}api/suggest" --data '{"session":"'$sid'","view_width":"x","settings":{}}'; expect_code 400 "suggest, bad view width"
# With no hairline the area is refused, with the reason.
post "${url}api/suggest" --data '{"session":"'$sid'","settings":{}}'; expect_code 200 "suggest without a hairline"
grep -q '"area":null,"area_why":"photo.jpg: the skin found runs on' body.out || fail "area refusal: $(cat body.out)"
post "${url}api/suggest" --data '{"session":"'$sid'","settings":{"density":"lots"}}'; expect_code 400 "suggest, bad value"
post "${url}api/suggest" --data '{"session":"nope"}'; expect_code 404 "suggest, no session"
# Before: the photo as the preview shows it, at a width.
get "${url}api/before?session=$sid"; expect_code 200 before
is_png body.out && [ "$(png_size body.out)" = 800x800 ] || fail "before: $(png_size body.out)"
get "${url}api/before?session=$sid&width=200"; expect_code 200 "before at a width"
[ "$(png_size body.out)" = 200x200 ] || fail "before at 200: $(png_size body.out)"
get "${url}api/before?session=$sid&width=x"; expect_code 400 "before, bad width"
get "${url}api/before?session=0123"; expect_code 404 "before, no session"
serving "suggest and before"
studio_stop

t "studio: two sessions at once do not see each other"
cp "$root"/samples/top.jpg .
studio_start --listen 127.0.0.1:0
post "${url}api/photo" --data-binary @top.jpg; a=$(session_of body.out)
get "${url}api/before?session=$a&width=300"; cp body.out small.png
post "${url}api/photo" --data-binary @small.png; b=$(session_of body.out)
grep -q '"width":300,"height":300' body.out || fail "second photo: $(cat body.out)"
[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] || fail "sessions $a and $b"
get "${url}api/before?session=$a"; [ "$(png_size body.out)" = 800x800 ] || fail "A sees $(png_size body.out)"
get "${url}api/before?session=$b"; [ "$(png_size body.out)" = 300x300 ] || fail "B sees $(png_size body.out)"
post "${url}api/preview" --data '{"session":"'$b'","settings":{"scale":1.5,"area-polygon":"10,10 290,10 290,290 10,290","compose":"after"}}'
expect_code 200 "B's preview"; [ "$(png_size body.out)" = 300x300 ] || fail "B's preview $(png_size body.out)"
post "${url}api/preview" --data '{"session":"'$a'","settings":{"scale":4,"area-polygon":"10,10 290,10 290,290 10,290","compose":"after"}}'
expect_code 200 "A's preview"; [ "$(png_size body.out)" = 800x800 ] || fail "A's preview $(png_size body.out)"
# Eight sessions are kept; a ninth upload forgets the one longest unused
# (here the second: A was used since).
ids=""
for i in 3 4 5 6 7 8; do post "${url}api/photo" --data-binary @small.png; ids="$ids $(session_of body.out)"; done
get "${url}api/before?session=$a&width=20"; expect_code 200 "A after eight uploads"
post "${url}api/photo" --data-binary @small.png; ninth=$(session_of body.out)
get "${url}api/before?session=$b&width=20"; expect_code 404 "the session longest unused"
for s in $a $ids $ninth; do get "${url}api/before?session=$s&width=20"; expect_code 200 "session $s kept"; done
studio_stop

t "studio: save a plan, then render gives the saved preview byte for byte; never over a photo"
mkdir clinic
cp "$root"/samples/top.jpg clinic/
cp "$root"/samples/top.jpg upload.jpg
studio_start --listen 127.0.0.1:0 --dir clinic
post "${url}api/photo" --data-binary @upload.jpg; sid=$(session_of body.out)
set_='"settings":{"scale":4,"area-polygon":"160,160 640,160 640,640 160,640","hairline":"mature","anchors":"190,610:400,700:610,610","density":70,"clustering":true,"compose":"side"}'
post "${url}api/save" --data '{"session":"'$sid'",'"$set_"',"name":"client-a","what":["plan","png","jpeg","pdf"]}'
expect_code 200 save
[ "$(cat body.out)" = '{"saved":["client-a.smp","client-a-photo.jpg","client-a.png","client-a.jpg","client-a.pdf"]}' ] ||
  fail "saved: $(cat body.out)"
grep -qx 'photo = client-a-photo.jpg' clinic/client-a.smp || fail "the plan's photo: $(grep photo clinic/client-a.smp)"
cmp -s clinic/client-a-photo.jpg upload.jpg || fail "the photo saved is not the upload's bytes"
(cd clinic && "$bin" render client-a.smp -o ../x.png 2>/dev/null && "$bin" render client-a.smp -o ../x.jpg 2>/dev/null)
cmp -s x.png clinic/client-a.png || fail "render of the saved plan differs from the saved PNG"
cmp -s x.jpg clinic/client-a.jpg || fail "render of the saved plan differs from the saved JPEG"
[ "$(head -c 5 clinic/client-a.pdf)" = "%PDF-" ] || fail "the mock-up is not a PDF"
# The plan as text: the same, with the photo's name for NAME.
post "${url}api/plan" --data '{"session":"'$sid'",'"$set_"',"name":"client-a"}'; expect_code 200 plan
grep -qi '^Content-Type: text/plain' head.txt || fail "plan type: $(grep -i content-type head.txt)"
cmp -s body.out clinic/client-a.smp || fail "/api/plan differs from the saved plan"
# Saving again: refused without replace, written with it.
post "${url}api/save" --data '{"session":"'$sid'",'"$set_"',"name":"client-a","what":["plan"]}'; expect_code 409 "save over"
grep -q 'client-a.smp: exists' body.out || fail "over: $(cat body.out)"
post "${url}api/save" --data '{"session":"'$sid'",'"$set_"',"name":"client-a.smp","what":["plan","png"],"replace":true}'
expect_code 200 "save with replace"
[ "$(cat body.out)" = '{"saved":["client-a.smp","client-a-photo.jpg","client-a.png"]}' ] || fail "saved with replace: $(cat body.out)"
# Another client's photo under that name: the first one's copy is a photo, never replaced.
smpsim render upload.jpg --scale 4 --area-polygon "10,10 20,10 20,20" --compose after --no-labels -o other.jpg 2>/dev/null
post "${url}api/photo" --data-binary @other.jpg; other=$(session_of body.out)
post "${url}api/save" --data '{"session":"'$other'",'"$set_"',"name":"client-a","what":["plan"],"replace":true}'
expect_code 409 "over another photo's copy"
grep -q 'client-a-photo.jpg: is a photo, or an image the studio did not make' body.out || fail "over the copy: $(cat body.out)"
cmp -s clinic/client-a-photo.jpg upload.jpg || fail "the first photo's copy was changed"
# Never over a photo: the one in the folder (an image the studio did not write) ...
post "${url}api/save" --data '{"session":"'$sid'",'"$set_"',"name":"top","what":["jpeg"],"replace":true}'; expect_code 409 "over an image"
grep -q 'top.jpg: is a photo, or an image the studio did not make' body.out || fail "over an image: $(cat body.out)"
cmp -s clinic/top.jpg "$root"/samples/top.jpg || fail "the photo was changed"
# ... nor the session's own photo when it came from the folder.
post "${url}api/open" --data '{"name":"client-a.smp"}'; expect_code 200 "open the saved plan"
osid=$(session_of body.out)
# The plan's settings, as text, for the page to show and edit.
for kv in '"area-polygon":"160,160 640,160 640,640 160,640"' '"scale":"4"' '"density":"70"' '"clustering":"yes"' \
  '"hairline":"mature"' '"anchors":"190,610:400,700:610,610"' '"compose":"side"'; do
  grep -qF "$kv" body.out || fail "opened settings lack $kv: $(head -c 400 body.out)"
done
grep -q '"width":800,"height":800,"settings":{' body.out && grep -q '"suggest":{"scale":{"px_per_mm":4,"from":"given"' body.out ||
  fail "opened: $(head -c 300 body.out)"
grep -q '"photo"' body.out && fail "the photo's path is in the settings: $(head -c 300 body.out)"
post "${url}api/save" --data '{"session":"'$osid'",'"$set_"',"name":"client-a-photo","what":["jpeg"],"replace":true}'
expect_code 409 "over the session's photo"
grep -q "client-a-photo.jpg: is a client's photo" body.out || fail "over the photo: $(cat body.out)"
# The opened plan's photo is in the folder: a plan saved from it names it, no copy.
post "${url}api/save" --data '{"session":"'$osid'",'"$set_"',"name":"client-b","what":["plan"]}'; expect_code 200 "save the opened"
[ "$(cat body.out)" = '{"saved":["client-b.smp"]}' ] || fail "saved again: $(cat body.out)"
grep -qx 'photo = client-a-photo.jpg' clinic/client-b.smp || fail "client-b's photo: $(grep photo clinic/client-b.smp)"
# Names: no paths, no dot files, nothing odd.
for name in '../evil' 'a/b' '.hidden' '' 'x y' '/etc/passwd'; do
  post "${url}api/save" --data '{"session":"'$sid'","settings":{},"name":"'"$name"'","what":["plan"]}'; expect_code 400 "name '$name'"
done
post "${url}api/save" --data '{"session":"'$sid'","settings":{},"name":"ok","what":["everything"]}'; expect_code 400 "what"
post "${url}api/save" --data '{"session":"'$sid'","settings":{},"name":"ok","what":"plan"}'; expect_code 400 "what not a list"
[ ! -e evil.smp ] && [ ! -e clinic/ok.smp ] || fail "a refused save wrote a file"
# A link in the folder is not written through.
ln -s ../outside.smp clinic/linked.smp
post "${url}api/save" --data '{"session":"'$sid'",'"$set_"',"name":"linked","what":["plan"],"replace":true}'; expect_code 409 "a link"
[ ! -e outside.smp ] || fail "written through a link"
rm clinic/linked.smp
# Plans in the folder, sorted; nothing but .smp names.
get "${url}api/plans"; expect_code 200 plans
[ "$(cat body.out)" = '{"plans":["client-a.smp","client-b.smp"]}' ] || fail "plans: $(cat body.out)"
# Open: names only, the photo inside the folder.
post "${url}api/open" --data '{"name":"../client-a.smp"}'; expect_code 400 "open a path"
post "${url}api/open" --data '{"name":"nothere.smp"}'; expect_code 404 "open a missing plan"
mkdir elsewhere; cp "$root"/samples/top.jpg elsewhere/
printf '[photo]\nphoto = ../elsewhere/top.jpg\n[area]\nscale = 4\narea-polygon = 160,160 640,160 640,640 160,640\n' >clinic/away.smp
post "${url}api/open" --data '{"name":"away.smp"}'; expect_code 422 "a photo outside --dir"
grep -q 'away.smp: its photo .*is not in the studio' body.out || fail "away: $(cat body.out)"
printf '[photo]\nphoto = top.jpg\n[area]\nscale = 4\narea-mask = top.jpg\n' >clinic/masked.smp
post "${url}api/open" --data '{"name":"masked.smp"}'; expect_code 422 "a plan naming other files"
printf '[photo]\nphoto = top.jpg\n[area]\nscale = x\n' >clinic/broken.smp
post "${url}api/open" --data '{"name":"broken.smp"}'; expect_code 422 "a broken plan"
grep -q 'broken.smp:4: scale: x' body.out || fail "broken: $(cat body.out)"
# Export: a download, nothing written.
before=$(ls clinic | wc -l)
for f in png:image/png:smpsim-preview.png jpeg:image/jpeg:smpsim-preview.jpg pdf:application/pdf:smpsim-preview.pdf smp:text/plain:smpsim-preview.smp; do
  IFS=: read -r fmt type file <<<"$f"
  post "${url}api/export" --data '{"session":"'$sid'",'"$set_"',"format":"'$fmt'"}'; expect_code 200 "export $fmt"
  grep -qi "^Content-Type: $type" head.txt || fail "export $fmt type: $(grep -i content-type head.txt)"
  grep -qi "^Content-Disposition: attachment; filename=\"$file\"" head.txt || fail "export $fmt: $(grep -i disposition head.txt)"
  [ "$fmt" = png ] && { cmp -s body.out clinic/client-a.png || fail "exported PNG differs from the saved one"; }
done
post "${url}api/export" --data '{"session":"'$sid'",'"$set_"',"format":"gif"}'; expect_code 400 "export gif"
[ "$(ls clinic | wc -l)" = "$before" ] || fail "export wrote into the folder"
serving "saving"
studio_stop

t "studio PHOTO|PLAN: the page starts with it; --dir and the argument are checked before listening"
mkdir clinic
cp "$root"/samples/top.jpg "$root"/samples/top.smp clinic/
studio_start --listen 127.0.0.1:0 --dir clinic clinic/top.smp
get "${url}api/start"; expect_code 200 start
grep -q '^{"session":"[0-9a-f]\{32\}","width":800,"height":800,"settings":{.*"area-polygon":"713,400 703,495' body.out ||
  fail "start: $(head -c 300 body.out)"
grep -q '"suggest":{"scale":{"px_per_mm":4,"from":"given"' body.out || fail "start's suggestion: $(head -c 600 body.out)"
sid=$(session_of body.out)
post "${url}api/preview" --data '{"session":"'$sid'","settings":{"scale":4,"area-polygon":"160,160 640,160 640,640 160,640","compose":"after"}}'
expect_code 200 "the start's session previews"
# Its photo is the folder's top.jpg: never written over.
post "${url}api/save" --data '{"session":"'$sid'","settings":{},"name":"top","what":["jpeg"],"replace":true}'; expect_code 409 "over the start photo"
studio_stop
studio_start --listen 127.0.0.1:0 clinic/top.jpg
get "${url}api/start"; expect_code 200 "start with a photo"
grep -q '^{"session":"[0-9a-f]\{32\}","width":800,"height":800,"settings":{},"suggest":{' body.out || fail "start photo: $(head -c 300 body.out)"
studio_stop
studio_start --listen 127.0.0.1:0
get "${url}api/start"; [ "$(cat body.out)" = '{"session":null}' ] || fail "start with nothing: $(cat body.out)"
studio_stop
head -c 3000 clinic/top.jpg >clinic/cut.jpg
run studio --listen 127.0.0.1:0 clinic/cut.jpg; expect_status 2; expect_error "^smpsim: clinic/cut\.jpg: truncated or corrupt JPEG"
run studio --listen 127.0.0.1:0 nothere.smp; expect_status 2; expect_error "^smpsim: nothere\.smp: cannot open: "
printf '[photo]\nphoto = top.jpg\n[area]\nscale = 4\nexclude-mask = top.jpg\n' >clinic/masked.smp
run studio --listen 127.0.0.1:0 clinic/masked.smp; expect_status 2
expect_error "^smpsim: clinic/masked\.smp: names a file other than the photo \(exclude-mask\)"
printf '[area]\nscale = 4\narea-mm = 100,100\n' >clinic/nophoto.smp
run studio --listen 127.0.0.1:0 clinic/nophoto.smp; expect_status 2; expect_error "^smpsim: clinic/nophoto\.smp: names no photo"
run studio --dir nowhere; expect_status 2; expect_error "^smpsim: nowhere: cannot serve this folder \(--dir\): No such file or directory$"
run studio --dir clinic/top.jpg; expect_status 2; expect_error "^smpsim: clinic/top\.jpg: cannot serve this folder \(--dir\): not a folder$"
run studio --dir; expect_status 1; expect_error "option '--dir' needs a value"

t "studio --open: xdg-open gets the address; without it, a warning and it goes on"
mkdir bin nobin
for tool in seq sed sleep; do ln -s "$(command -v $tool)" nobin/$tool; done
printf '#!/bin/sh\necho "$1" >"%s/opened.txt"\n' "$PWD" >bin/xdg-open
chmod +x bin/xdg-open
PATH="$PWD/bin:$PATH" studio_start --listen 127.0.0.1:0 --open
for _ in $(seq 1 50); do [ -s opened.txt ] && break; sleep 0.1; done
[ "$(cat opened.txt 2>/dev/null)" = "$url" ] || fail "xdg-open got '$(cat opened.txt 2>/dev/null)', not $url"
studio_stop
PATH="$PWD/nobin" studio_start --listen 127.0.0.1:0 --open
grep -q "^smpsim: warning: xdg-open not found: open http://127.0.0.1:[0-9]*/ in a browser$" studio.err || fail "no warning: $(cat studio.err)"
serving "no xdg-open"
studio_stop

fc_photo=${SMPSIM_FACE_PHOTO:-}
if [ -n "$fc_photo" ] && [ -s "$fc_photo" ]; then
  t "studio: on a face, the anchors and scale render would suggest; the face is found once"
  cp "$fc_photo" face.png
  smpsim render face.png --anchors auto --area-polygon "0,0 512,0 512,200 0,200" --json -o cli.png >cli.json 2>/dev/null
  cli_scale=$(sed -n 's/.*"scale_px_per_mm":\([0-9.]*\).*/\1/p' cli.json)
  cli_anchors=$(sed -n 's/.*"anchors_auto":"\([0-9,:]*\)".*/\1/p' cli.json)
  mkdir clinic
  studio_start --listen 127.0.0.1:0 --dir clinic
  post "${url}api/photo" --data-binary @face.png; expect_code 200 "the face photo"
  sid=$(session_of body.out)
  grep -q "\"scale\":{\"px_per_mm\":$cli_scale,\"from\":\"face\",\"assumption\":\"63 mm between the pupils" body.out ||
    fail "scale from the face, render says $cli_scale: $(head -c 300 body.out)"
  pts=$(sed -n 's/.*"anchors":{"points":\[\[\([0-9]*\),\([0-9]*\)\],\[\([0-9]*\),\([0-9]*\)\],\[\([0-9]*\),\([0-9]*\)\]\].*/\1,\2:\3,\4:\5,\6/p' body.out)
  [ -n "$pts" ] && [ "$pts" = "$cli_anchors" ] || fail "suggested anchors '$pts', render suggests '$cli_anchors'"
  grep -q '"area":null,"area_why":"photo.png: a face is in view' body.out || fail "area on a face: $(head -c 600 body.out)"
  set_='"settings":{"anchors":"auto","area-polygon":"0,0 512,0 512,200 0,200","compose":"after"}'
  post "${url}api/preview" --data '{"session":"'$sid'",'"$set_"',"view_width":256}'; expect_code 200 "auto anchors at a view width"
  [ "$(png_size body.out)" = 256x256 ] || fail "view: $(png_size body.out)"
  grep -qi "\"scale\":$cli_scale,\"scale_from\":\"face\"" head.txt || fail "view scale, render's $cli_scale: $(grep -i smpsim head.txt)"
  post "${url}api/save" --data '{"session":"'$sid'",'"$set_"',"name":"face","what":["plan","png"]}'; expect_code 200 "save the face plan"
  (cd clinic && "$bin" render face.smp -o ../x.png 2>/dev/null)
  cmp -s x.png clinic/face.png || fail "render of the saved face plan differs from the saved PNG"
  serving "faces"
  studio_stop
fi

t "studio: an exclusion keeps the preview's pixels the photo's, at any view width; its plan renders the same"
mkdir clinic
cp "$root"/samples/top.jpg .
studio_start --listen 127.0.0.1:0 --dir clinic
post "${url}api/photo" --data-binary @top.jpg; sid=$(session_of body.out)
base_='"scale":4,"area-polygon":"160,160 640,160 640,640 160,640","compose":"after","no-labels":true'
excl_='"exclude-polygon":"200,200 400,200 400,400 200,400 | 500,450 650,500 550,650"'
post "${url}api/preview" --data '{"session":"'$sid'","settings":{'"$base_"'}}'; expect_code 200 "preview without"
cp body.out without.png
post "${url}api/preview" --data '{"session":"'$sid'","settings":{'"$base_,$excl_"'}}'; expect_code 200 "preview with"
cp body.out with.png
cmp -s with.png without.png && fail "the exclusion changed nothing"
get "${url}api/before?session=$sid"; cp body.out before.png
app=${SMPSIM_APPEARANCE:-$root/build/appearance}
# 10 px inside the outlines (a dot beside one may reach over its edge, no further).
for poly in "210,210 390,210 390,390 210,390" "520,475 625,510 555,615"; do
  n=$("$app" diff before.png with.png "$poly" | awk '$1 == "diff_pixels" { print $2 }')
  [ "$n" = 0 ] || fail "${n:-?} preview pixels changed inside $poly"
  n=$("$app" diff before.png without.png "$poly" | awk '$1 == "diff_pixels" { print $2 }')
  [ "${n:-0}" -gt 1000 ] || fail "without the exclusion only ${n:-?} changed inside $poly"
done
# Drawn for the screen at 400 px: the exclusions scale with the photo.
post "${url}api/preview" --data '{"session":"'$sid'","view_width":400,"settings":{'"$base_,$excl_"'}}'; expect_code 200 "preview at 400"
cp body.out with400.png
get "${url}api/before?session=$sid&width=400"; cp body.out before400.png
n=$("$app" diff before400.png with400.png "107,107 193,107 193,193 107,193" | awk '$1 == "diff_pixels" { print $2 }')
[ "$n" = 0 ] || fail "at 400 px ${n:-?} pixels changed inside the square"
post "${url}api/save" --data '{"session":"'$sid'","settings":{'"$base_,$excl_"'},"name":"ears","what":["plan","png"]}'
expect_code 200 "save with exclusions"
grep -q '^exclude-polygon = 200,200 400,200 400,400 200,400 | 500,450 650,500 550,650$' clinic/ears.smp ||
  fail "the plan lacks them: $(grep exclude clinic/ears.smp)"
(cd clinic && "$bin" render ears.smp -o ../x.png 2>/dev/null)
cmp -s x.png clinic/ears.png || fail "render of the saved plan differs from the saved PNG"
cmp -s x.png with.png || fail "render of the saved plan differs from the preview"
serving "exclusions"
studio_stop

t "studio: on another address every request needs the printed token"
studio_start --listen 0.0.0.0:0
token=${url##*token=}
[ ${#token} = 32 ] || fail "no token in $url"
base=${url%%\?*}
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base")" = 403 ] || fail "no token: not refused"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${base}?token=wrong")" = 403 ] || fail "wrong token: not refused"
near=${token%?}x; [ "$near" = "$token" ] && near=${token%?}y
[ "$(curl -s -o /dev/null -w '%{http_code}' "${base}?token=$near")" = 403 ] || fail "a token wrong in its last digit: not refused"
cp "$root"/samples/top.jpg .
post "${base}api/photo" --data-binary @top.jpg; expect_code 403 "an upload without the token"
get "${base}api/plans"; expect_code 403 "plans without the token"
post "${base}api/photo" -H "X-Smpsim-Token: $token" --data-binary @top.jpg; expect_code 200 "the token in a header"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || fail "the token did not open it"
# A second studio on the same port.
port=${base##*:}; port=${port%/}
run studio --listen "0.0.0.0:$port"; expect_status 2; expect_error "^smpsim: cannot listen on 0\.0\.0\.0:$port: "
run studio --listen; expect_status 1; expect_error "option '--listen' needs a value"
run studio --colour; expect_status 1; expect_error "unknown option '--colour'"
studio_stop
run studio --listen nowhere; expect_status 1; expect_error "--listen: nowhere: expected ADDR:PORT"
run studio --listen 999.1.1.1:80; expect_status 1; expect_error "--listen: 999\.1\.1\.1: not an IPv4 address"
run studio a.jpg extra; expect_status 1; expect_error "unexpected argument 'extra'"

fi
