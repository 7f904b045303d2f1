# smpsim studio: the consultation page's server, driven with curl (the
# page's own behaviour in a browser is not tested here yet).

# studio_start ARGS...: starts the studio in the background; $url is its
# printed address, $spid its process.
studio_start() {
  "$bin" studio "$@" >studio.out 2>studio.err &
  spid=$!
  url=""
  for _ in $(seq 1 50); do
    url=$(sed -n 's/^smpsim studio: //p' studio.out)
    [ -n "$url" ] && break
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
  cat studio.err >>"$work/stderr.log"
}
# post PATH CURL-ARGS...: the status code into code.txt, the body into body.out.
post() { local p=$1; shift; curl -s -o body.out -w '%{http_code}' -X POST "$@" "$p" >code.txt; }

t "studio: the page, a photo, a preview; bad requests get an error and it goes on"
if ! command -v curl >/dev/null 2>&1; then
  echo "studio.t: skipped: no curl" >&2
else
  cp "$root"/samples/top.jpg .
  studio_start --listen 127.0.0.1:0
  case $url in http://127.0.0.1:[0-9]*/) ;; *) fail "address: $url" ;; esac
  [ "$(curl -s -o page.html -w '%{http_code}' "$url")" = 200 ] || fail "no page"
  grep -q "simulation, not a guarantee" page.html || fail "the page lacks the note"
  post "${url}api/photo" --data-binary @top.jpg
  [ "$(cat code.txt)" = 200 ] || fail "photo upload: $(cat code.txt) $(cat body.out)"
  grep -q '"width":800,"height":800' body.out || fail "photo size: $(cat body.out)"
  sid=$(sed -n 's/.*"session":"\([0-9a-f]*\)".*/\1/p' body.out)
  [ ${#sid} = 32 ] || fail "session id: $sid"
  req='{"session":"'$sid'","settings":{"scale":4,"area-polygon":"100,100 700,100 700,700 100,700","hairline":"rounded","anchors":"190,610:400,700:610,610","compose":"after"}}'
  post "${url}api/preview" -H 'Content-Type: application/json' --data "$req"
  [ "$(cat code.txt)" = 200 ] && [ "$(head -c 4 body.out | od -An -tx1 | tr -d ' \n')" = 89504e47 ] ||
    fail "preview: $(cat code.txt) $(head -c 200 body.out)"
  [ "$(png_size body.out)" = 800x800 ] || fail "preview size $(png_size body.out)"
  # What the page says beside it: the dots and the scale, estimated when not given.
  curl -s -D head.txt -o /dev/null -X POST --data "$req" "${url}api/preview"
  grep -qi '^X-Smpsim-Info: {"dots":[0-9]*,"scale":4,"scale_from":"given"' head.txt || fail "info: $(grep -i smpsim head.txt)"
  curl -s -D head.txt -o /dev/null -X POST --data "${req/\"scale\":4,/}" "${url}api/preview"
  grep -qi '"scale_from":"anchors"' head.txt || fail "no estimate said: $(grep -i smpsim head.txt)"
  # The same plan from the command line draws the same picture.
  cp body.out studio.png
  smpsim render top.jpg --scale 4 --area-polygon "100,100 700,100 700,700 100,700" --hairline rounded \
    --anchors 190,610:400,700:610,610 --compose after -o cli.png 2>/dev/null
  cmp -s studio.png cli.png || fail "the studio's preview differs from render's"
  post "${url}api/preview" --data 'not json'
  [ "$(cat code.txt)" = 400 ] && grep -q '"error":' body.out || fail "bad JSON: $(cat code.txt) $(cat body.out)"
  post "${url}api/preview" --data '{"session":"'$sid'","settings":{"notes":"/etc/passwd"}}'
  [ "$(cat code.txt)" = 400 ] && grep -q 'files cannot be named from the page' body.out || fail "a path from the page: $(cat body.out)"
  post "${url}api/preview" --data '{"session":"'$sid'","settings":{"density":"lots"}}'
  [ "$(cat code.txt)" = 400 ] && grep -q 'density' body.out || fail "bad value: $(cat code.txt) $(cat body.out)"
  post "${url}api/preview" --data '{"session":"0123456789abcdef0123456789abcdef","settings":{}}'
  [ "$(cat code.txt)" = 404 ] || fail "another tab's session: $(cat code.txt)"
  head -c 5000 top.jpg >cut.jpg
  post "${url}api/photo" --data-binary @cut.jpg
  [ "$(cat code.txt)" = 400 ] && grep -q 'the photo' body.out || fail "cut photo: $(cat code.txt) $(cat body.out)"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${url}etc/passwd")" = 404 ] || fail "unknown page"
  # Still serving after all that.
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || fail "not serving after bad requests"
  studio_stop
fi

t "studio: on another address every request needs the printed token"
if ! command -v curl >/dev/null 2>&1; then
  echo "studio.t: skipped: no curl" >&2
else
  studio_start --listen 0.0.0.0:0
  token=${url##*token=}
  [ ${#token} = 32 ] || fail "no token in $url"
  base=${url%%\?*}
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base")" = 403 ] || fail "no token: not refused"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${base}?token=wrong")" = 403 ] || fail "wrong token: not refused"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || fail "the token did not open it"
  # A second studio on the same port.
  port=${base##*:}; port=${port%/}
  run studio --listen "0.0.0.0:$port"; expect_status 2; expect_error "^smpsim: cannot listen on 0\.0\.0\.0:$port: "
  run studio --listen; expect_status 1; expect_error "option '--listen' needs a value"
  run studio --colour; expect_status 1; expect_error "unknown option '--colour'"
  studio_stop
  run studio --listen nowhere; expect_status 1; expect_error "--listen: nowhere: expected ADDR:PORT"
  run studio --listen 999.1.1.1:80; expect_status 1; expect_error "--listen: 999\.1\.1\.1: not an IPv4 address"
  run studio extra; expect_status 1; expect_error "unexpected argument 'extra'"
fi
