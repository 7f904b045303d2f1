#!/usr/bin/env bash
# make bench: speed as ratios measured in one run (docs/quality.md, "Speed").
# Layout: our dots/s on the reference map (1000 x 1000 mm, 40 -> 100
# dots/cm^2, about 700,000 dots) against the npm package
# poisson-disk-sampling 2.3.1 on the same map, with both layouts' quality.
# Render: dot rendering against cairo and memcpy (tools/benchrender.c), the
# stage shares of a whole 12-megapixel JPEG -> PNG preview, its peak memory.
# Appearance (docs/quality.md, "Appearance"; tools/appearance.c): the stubble
# match on ../shared/photos, shadow, grain and edges on samples/top.smp,
# shine on a generated photo, each figure beside its target.
# Usage: bench/bench.sh path/to/smpsim [path/to/benchrender [path/to/appearance]]
set -u
bin=$1
benchrender=${2:-}
appearance=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peer=${SMPSIM_PEER:-$root/../shared/peers/run-peer}
work=$(mktemp -d /tmp/smpsim-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
W=1000 H=1000 D1=40 D2=100

json_num() { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p" | head -1; }

echo "== layout: reference map ${W}x${H} mm, ${D1}->${D2} dots/cm^2"
best=""
for i in 1 2 3; do
  out=$("$bin" layout --area-mm $W,$H --density $D1:$D2 --json -o "$work/ours.csv") || exit 2
  s=$(echo "$out" | json_num layout)
  dots=$(echo "$out" | json_num dots)
  if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
done
ours_rate=$(awk "BEGIN{printf \"%.0f\", $dots / $best}")
echo "smpsim:  $dots dots, sampling $best s (best of 3) = $ours_rate dots/s"
if command -v /usr/bin/time >/dev/null 2>&1; then
  rss=$(/usr/bin/time -f %M "$bin" layout --area-mm $W,$H --density $D1:$D2 -o "$work/mem.csv" 2>&1 >/dev/null | tail -1)
  echo "smpsim:  peak memory for the layout and its CSV: $((rss / 1024)) MB (target < 200 MB)"
fi
echo "smpsim quality:"
"$bin" analyze "$work/ours.csv" --area-mm $W,$H --density $D1:$D2 | sed 's/^/  /'

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && [ -x "$peer" ]; then
  pj=$("$peer" $W $H $D1 $D2 1 "$work/peer.csv") || pj=""
fi
if [ -n "${pj:-}" ]; then
  prate=$(echo "$pj" | json_num points_per_s)
  pdots=$(echo "$pj" | json_num points)
  psec=$(echo "$pj" | json_num seconds)
  echo "peer:    $pdots dots, sampling $psec s = $prate dots/s (poisson-disk-sampling 2.3.1, node $(node --version))"
  echo "peer quality:"
  "$bin" analyze "$work/peer.csv" --area-mm $W,$H --density $D1:$D2 | sed 's/^/  /'
  ratio=$(awk "BEGIN{printf \"%.1f\", $ours_rate / $prate}")
  echo "RATIO layout throughput smpsim/peer: ${ratio}x (target >= 20x)"
  # The whole process as a user runs it: start-up, the layout and a PNG of
  # it at 1 px/mm (drawn by the renderer), against the peer's generation
  # alone.  Best of 3 wall-clock runs.
  wbest=""
  for i in 1 2 3; do
    t0=$(date +%s.%N)
    "$bin" layout --area-mm $W,$H --density $D1:$D2 --px-per-mm 1 -o "$work/whole.png" || exit 2
    t1=$(date +%s.%N)
    w=$(awk "BEGIN{print $t1 - $t0}")
    if [ -z "$wbest" ] || awk "BEGIN{exit !($w < $wbest)}"; then wbest=$w; fi
  done
  echo "smpsim:  the whole process, layout to a 1 px/mm PNG: $wbest s (best of 3)"
  wratio=$(awk "BEGIN{printf \"%.1f\", $psec / $wbest}")
  echo "RATIO whole process smpsim/peer: ${wratio}x (target >= 20x; the peer's generation alone)"
else
  echo "peer:    not run (node, npm or ../shared/peers/run-peer missing); smpsim figures alone"
fi

if [ -n "$benchrender" ]; then
  echo
  echo "== dot rendering: 100,000 dots on a 4000x3000 photo"
  "$benchrender" "$work/big.jpg" || exit 2
  echo
  echo "== whole preview: 12-megapixel JPEG in, side-by-side PNG out"
  args="--scale 10 --area-mm 400,300 --hairline rounded --anchors 300,2200:2000,1500:3700,2200 -o $work/big.png"
  out=$("$bin" render "$work/big.jpg" $args --json) || exit 2
  echo "$out" | sed -n 's/.*"seconds":{\(.*\)}}/\1/p' | tr ',' '\n' | tr -d '"' |
    awk -F: '{t[NR]=$1; v[NR]=$2} $1=="total"{tot=$2} END {for (i=1;i<=NR;i++) if (t[i]!="total") printf "  %-8s %7.3f s  %5.1f %%\n", t[i], v[i], 100*v[i]/tot; printf "  total    %7.3f s\n", tot}'
  if command -v /usr/bin/time >/dev/null 2>&1; then
    rss=$(/usr/bin/time -f %M "$bin" render "$work/big.jpg" $args 2>&1 >/dev/null | tail -1)
    echo "peak memory: $((rss / 1024)) MB (target <= 4 x 48 MB frame + 64 MB = 256 MB)"
  fi
  echo
  echo "== sessions strip (3 sessions) against a single after preview, 12 MP JPEG -> PNG"
  best() { b=""; for i in 1 2 3; do
      t0=$(date +%s.%N); "$bin" render "$work/big.jpg" $args "$@" >/dev/null 2>&1 || exit 2; t1=$(date +%s.%N)
      t=$(awk "BEGIN{print $t1 - $t0}"); if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi; done; echo "$b"; }
  after=$(best --compose after)
  strip=$(best --compose sessions)
  echo "after:   $after s (best of 3)"
  echo "strip:   $strip s (best of 3)"
  echo "RATIO sessions strip/after preview: $(awk "BEGIN{printf \"%.2f\", $strip / $after}")x (target <= 1.5x)"
  echo
  echo "== batch: 20 jobs of 2-megapixel photos, -j 2 against -j 1 ($(nproc) cores)"
  "$bin" render "$work/big.jpg" --scale 10 --area-mm 400,300 --compose after --no-labels --width 1633 -o "$work/two.jpg" >/dev/null || exit 2
  printf 'photo,output,scale,area-mm,hairline,anchors,seed\n' >"$work/batch.csv"
  for i in $(seq 1 20); do printf 'two.jpg,b%d.png,4.08,"400,300",rounded,130:900:816:600:1500:900,%d\n' "$i" "$i" >>"$work/batch.csv"; done
  sed -i 's/130:900:816:600:1500:900/"130,900:816,600:1500,900"/' "$work/batch.csv"
  tb() { t0=$(date +%s.%N); "$bin" batch "$work/batch.csv" -q -j "$1" >/dev/null || exit 2; t1=$(date +%s.%N); awk "BEGIN{print $t1 - $t0}"; }
  j1=$(tb 1); j2=$(tb 2)
  echo "-j 1:    $j1 s"
  echo "-j 2:    $j2 s"
  echo "RATIO batch throughput -j 2/-j 1: $(awk "BEGIN{printf \"%.2f\", $j1 / $j2}")x (target >= 1.8x on two cores)"
  # A photo job with --area auto looks for a face; the batch decodes the
  # face detector once for all its jobs, a lone render each time.
  echo
  echo "== batch: 10 jobs of the crown sample with --area auto, -j 1, against 10 separate renders"
  cp "$root/samples/crown.jpg" "$work/crown.jpg"
  printf 'photo,output,scale,area\n' >"$work/auto.csv"
  for i in $(seq 1 10); do printf 'crown.jpg,a%d.png,4,auto\n' "$i" >>"$work/auto.csv"; done
  t0=$(date +%s.%N)
  for i in $(seq 1 10); do "$bin" render "$work/crown.jpg" --scale 4 --area auto -o "$work/s$i.png" >/dev/null 2>&1 || exit 2; done
  t1=$(date +%s.%N)
  lone=$(awk "BEGIN{print $t1 - $t0}")
  t0=$(date +%s.%N); "$bin" batch "$work/auto.csv" -q -j 1 >/dev/null || exit 2; t1=$(date +%s.%N)
  inbatch=$(awk "BEGIN{print $t1 - $t0}")
  echo "renders: $lone s"
  echo "batch:   $inbatch s"
  echo "RATIO batch/separate renders, --area auto: $(awk "BEGIN{printf \"%.2f\", $inbatch / $lone}")x (target <= 0.75x)"
fi

# The studio (issue 14): server-side time of /api/preview after a moved
# anchor, by curl (the page adds the browser's decode separately): a
# 640x640 photo made from a sample, and the 12-megapixel JPEG above shown
# at 1280 px wide.  The first request fills the session's caches (the face,
# the scaled photo) and is reported apart.
if command -v curl >/dev/null 2>&1; then
  echo
  echo "== studio: /api/preview after a moved anchor, 20 requests each (server side, curl)"
  "$bin" studio --listen 127.0.0.1:0 >"$work/studio.out" 2>/dev/null &
  spid=$!
  url=""
  for _ in $(seq 1 50); do url=$(sed -n 's/^smpsim studio: //p' "$work/studio.out"); [ -n "$url" ] && break; sleep 0.1; done
  # upload FILE: the new session's id.
  upload() { curl -s -X POST --data-binary @"$1" "${url}api/photo" | sed -n 's/.*"session":"\([0-9a-f]*\)".*/\1/p'; }
  # drag LABEL SESSION VIEW_WIDTH TARGETS Y0 SETTINGS [FORMAT]: SETTINGS is
  # JSON with @Y@ where an anchor's y goes, moved down from Y0 by 3 px a
  # request; one line with the median and the 95th percentile.
  drag() {
    local label=$1 sid=$2 vw=$3 targets=$4 y0=$5 set=$6 format=${7:-png} times="" i y first
    for i in $(seq 0 20); do
      y=$((y0 + i * 3))
      t=$(curl -s -o "$work/prev.png" -D "$work/prev.h" -w '%{time_total}' -X POST \
        --data "{\"session\":\"$sid\",\"view_width\":$vw,\"format\":\"$format\",\"settings\":${set//@Y@/$y}}" "${url}api/preview")
      if [ "$i" = 0 ]; then first=$t; else times="$times $t"; fi
    done
    echo "$times" | tr ' ' '\n' | grep . | sort -n | awk -v l="$label" -v f="$first" -v tg="$targets" \
      '{v[NR] = $1 * 1000} END {printf "STUDIO %s: median %.0f ms, p95 %.0f ms (first, filling the caches: %.0f ms) (target %s)\n", l, v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], f * 1000, tg}'
    echo "  the last one's stages (ms): $(sed -n 's/^X-Smpsim-Info: .*"ms":{\(.*\)}}.*/\1/ip' "$work/prev.h" | tr -d '"\r')"
  }
  if [ -n "$url" ]; then
    s1=$(upload "$root/samples/top.jpg")
    curl -s -o "$work/s640.png" "${url}api/before?session=$s1&width=640"
    s640=$(upload "$work/s640.png")
    drag "640x640 photo, view_width 640" "$s640" 640 "median <= 100 ms, p95 <= 200 ms with the browser" 488 \
      '{"scale":3.2,"area-polygon":"80,80 560,80 560,560 80,560","hairline":"rounded","anchors":"152,@Y@:320,560:488,488","compose":"after"}'
    # The automatic area behind a dragged front: the scalp's candidates
    # are kept, the region is chosen again.
    if [ -s "$root/../shared/photos/crown-thinning-top.jpg" ]; then
      sreal=$(upload "$root/../shared/photos/crown-thinning-top.jpg")
      drag "640x640 real photo, --area auto, the front dragged" "$sreal" 640 "median <= 100 ms, p95 <= 200 ms with the browser" 600 \
        '{"scale":3,"area":"auto","hairline":"rounded","anchors":"100,560:320,@Y@:540,560","compose":"after"}'
    fi
    if [ -s "$work/big.jpg" ]; then
      sbig=$(upload "$work/big.jpg")
      drag "12 MP photo, view_width 1280" "$sbig" 1280 "median <= 250 ms with the browser" 2200 \
        '{"scale":10,"area-mm":"400,300","hairline":"rounded","anchors":"300,@Y@:2000,1500:3700,2200","compose":"after"}'
      drag "12 MP photo, view_width 1280, as JPEG" "$sbig" 1280 "median <= 250 ms with the browser" 2200 \
        '{"scale":10,"area-mm":"400,300","hairline":"rounded","anchors":"300,@Y@:2000,1500:3700,2200","compose":"after"}' jpeg
    fi
  else
    echo "STUDIO: not run: the studio did not start"
  fi
  kill -INT "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
fi

if [ -n "$appearance" ]; then
  echo
  echo "== appearance (docs/render.md, \"How the appearance is measured\"): each figure beside its target"
  # fig FILE NAME: a figure from an appearance output.
  fig() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
  # show LABEL NAME VALUE CONDITION TARGET: one line, ok or FAIL; CONDITION
  # is an awk test on x.
  show() {
    local mark=FAIL
    awk -v x="$3" "BEGIN { exit !(x ~ /^-?[0-9]+(\\.[0-9]+)?\$/ && ($4)) }" && mark=ok
    printf 'APPEARANCE %s %s %s (target %s) %s\n' "$1" "$2" "$(awk -v x="$3" 'BEGIN { printf (x == "" ? "missing" : "%.2f"), x }')" "$5" "$mark"
  }
  photos=$root/../shared/photos
  if [ -f "$photos/stubble-bands.txt" ]; then
    # band PHOTO NAME: the band's polygon from stubble-bands.txt.
    band() { awk -v p="$1" -v b="$2" '$1 == p && $2 == b { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' "$photos/stubble-bands.txt"; }
    # stubble LABEL PHOTO AREA-OPTIONS...: the match on PHOTO's bands,
    # judged as tests/cli/appearance.t does.
    stubble() {
      local label=$1 ph=$2 f=$work/bands.txt cb
      shift 2
      "$bin" render "$photos/$ph" --scale 3 "$@" --match auto --compose after --no-labels -o "$work/stubble.png" \
        2>/dev/null || exit 2
      "$appearance" bands "$photos/$ph" "$work/stubble.png" 3 "$(band "$ph" stubble)" "$(band "$ph" bald)" >"$f" || exit 2
      if awk "BEGIN { exit !($(fig "$f" stubble_L) < $(fig "$f" bald_L)) }"; then
        show "$label" step "$(fig "$f" step)" 'x >= -0.25 && x <= 0.25' '|x| <= 0.25'
        show "$label" da "$(fig "$f" da)" 'x >= -3 && x <= 3' '|x| <= 3'
        show "$label" db "$(fig "$f" db)" 'x >= -3 && x <= 3' '|x| <= 3'
        show "$label" texture_ratio "$(fig "$f" texture_ratio)" 'x >= 0.7 && x <= 1.5' '0.7 to 1.5'
      else
        cb=$(fig "$f" chroma_before)
        show "$label" darkening "$(fig "$f" darkening)" 'x >= 0 && x <= 4' '0 to 4'
        show "$label" chroma_after "$(fig "$f" chroma_after)" "x < $cb" "below chroma_before $(printf %.2f "$cb")"
      fi
    }
    for ph in $(awk '!/^#/ && NF >= 3 && !seen[$1]++ { print $1 }' "$photos/stubble-bands.txt"); do
      stubble "$ph" "$ph" --area-polygon "$(band "$ph" bald)" --edge-mm 0
    done
    # A practitioner's own polygons, into the stubble and up to the outline.
    while read -r ph how poly <&3; do
      case $ph in '#'* | '') continue ;; esac
      stubble "$ph,$how" "$ph" --area-polygon "$poly"
    done 3<"$root/tests/practitioner-polygons.txt"
    # The automatic area behind a practitioner's hairline (side view).
    stubble "stubble-side-face.jpg,behind-a-hairline" stubble-side-face.jpg --area auto --face left \
      --hairline rounded --anchors 130,60:95,150:230,260
  else
    echo "APPEARANCE stubble match: skipped: ../shared/photos not found"
  fi
  "$bin" render "$root/samples/top.smp" --compose after --no-labels --save-area "$work/top-area.png" \
    -o "$work/top-after.png" || exit 2
  "$appearance" shadow "$root/samples/top.jpg" "$work/top-after.png" 4 "$work/top-area.png" >"$work/shadow.txt" || exit 2
  "$bin" render "$root/samples/top.jpg" --scale 4 --area-polygon "250,250 550,250 550,550 250,550" --compose after \
    --no-labels --save-area "$work/crown-area.png" -o "$work/crown-after.png" || exit 2
  "$appearance" edge "$root/samples/top.jpg" "$work/crown-after.png" 4 "$work/crown-area.png" >"$work/edge.txt" || exit 2
  show top.smp shadow_dL "$(fig "$work/shadow.txt" shadow_dL)" 'x >= -12 && x <= -5' '-12 to -5'
  show top.smp shadow_db "$(fig "$work/shadow.txt" shadow_db)" 'x <= 0' '<= 0'
  show top.smp grain_ratio "$(fig "$work/shadow.txt" grain_ratio)" 'x >= 0.1 && x <= 0.6' '0.1 to 0.6'
  show "top.jpg, a square on bare skin" edge_width_median_mm "$(fig "$work/edge.txt" edge_width_median_mm)" 'x >= 3' '>= 3'
  "$bin" render "$root/samples/crown.smp" --compose after --no-labels --save-area "$work/ring-area.png" \
    -o "$work/ring-after.png" 2>/dev/null || exit 2
  "$appearance" ring "$root/samples/crown.jpg" "$work/ring-after.png" 4 "$work/ring-area.png" >"$work/ring.txt" || exit 2
  show "crown.smp, drawn into the stubble" ring_dip_p10 "$(fig "$work/ring.txt" ring_dip_p10)" 'x >= -3' '>= -3'
  "$appearance" mkshine "$work/shine.png" || exit 2
  "$bin" render "$work/shine.png" --scale 4 --area-polygon "40,40 360,40 360,360 40,360" --compose after --no-labels \
    --save-area "$work/shine-area.png" -o "$work/shine-after.png" || exit 2
  "$appearance" shine "$work/shine.png" "$work/shine-after.png" 4 >"$work/shine.txt" || exit 2
  "$appearance" shadow "$work/shine.png" "$work/shine-after.png" 4 "$work/shine-area.png" >"$work/shadow2.txt" || exit 2
  show shine.png shine_max_dL "$(fig "$work/shine.txt" shine_max_dL)" 'x <= 2' "<= 2 over $(fig "$work/shine.txt" shine_pixels) highlight pixels"
  show shine.png shadow_dL "$(fig "$work/shadow2.txt" shadow_dL)" 'x <= -3' '<= -3'
fi

# The studio's page in a real browser (tests/browser/studio_test.py bench):
# from a synthetic pointer move of the front hairline point to the new
# preview decoded, as the page itself times it with performance.now(); 20
# drags on a 640x640 photo and on the 12-megapixel one, shown at a
# 1280x800 screen's size.
echo
echo "== studio: anchor drag -> preview decoded in headless chromium (1280x800 page)"
py=""
for p in python3 /usr/bin/python3; do
  command -v "$p" >/dev/null 2>&1 && "$p" -c 'import selenium' 2>/dev/null && { py=$p; break; }
done
if [ -z "$py" ] || ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "STUDIO not run: chromium, chromedriver or python3-selenium missing (scripts/deps.sh --tests)"
else
  "$bin" render "$root/samples/top.jpg" --scale 4 --area-mm 1,1 --compose after --no-labels --width 640 \
    -o "$work/photo640.jpg" >/dev/null 2>&1 || exit 2
  photos="$work/photo640.jpg"
  [ -s "$work/big.jpg" ] && photos="$photos $work/big.jpg"
  # shellcheck disable=SC2086
  "$py" "$root/tests/browser/studio_test.py" bench "$bin" $photos | tee "$work/studio.txt"
  med() { sed -n "s/^STUDIO $1 .* median \([0-9]*\) ms, p95 \([0-9]*\) ms/\\$2/p" "$work/studio.txt"; }
  m=$(med photo640.jpg 1) p=$(med photo640.jpg 2)
  [ -n "$m" ] && echo "STUDIO 640x640: median $m ms (target <= 100), p95 $p ms (target <= 200)" \
    "$(awk "BEGIN{print ($m <= 100 && $p <= 200) ? \"ok\" : \"MISSED\"}")"
  m=$(med big.jpg 1)
  [ -n "$m" ] && echo "STUDIO 12 MP at screen size: median $m ms (target <= 250)" \
    "$(awk "BEGIN{print ($m <= 250) ? \"ok\" : \"MISSED\"}")"
fi
