# Limits: every input that can grow stops at a stated limit with a one-line
# message naming what is over it, before anything is allocated for it.

t "pixels: photos, masks and logos past the limit are refused from their header"
cp "$root"/tests/cli/data/huge-header.png huge.png; cp "$root"/samples/top.jpg top.jpg
# Under a 1 GB address-space limit: the refusal must not come from trying.
# (Not under ASan or valgrind, which reserve far more address space.)
lim() {
  if [ -n "${SMPSIM_SANITIZED:-}${SMPSIM_WRAP:-}" ]; then run "$@"; echo "$status" >status.txt; return; fi
  (ulimit -v 1000000; run "$@"; echo "$status" >status.txt); status=$(cat status.txt)
}
lim render huge.png --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o a.png; expect_status 2
expect_error "^smpsim: huge\.png: 20000x20000 pixels is over the limit of 100 megapixels$"
lim layout --area-mask huge.png --scale 4 -o a.csv; expect_status 2; expect_error "huge\.png: 20000x20000 pixels is over the limit of 100 megapixels"
lim render top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" --scar-mask huge.png -o a.png; expect_status 2; expect_error "huge\.png: 20000x20000 pixels is over the limit"
lim render top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" --patch-mask huge.png -o a.png; expect_status 2; expect_error "huge\.png: 20000x20000 pixels is over the limit"
lim layout --area-mm 100,100 --density-map huge.png -o a.csv; expect_status 2; expect_error "huge\.png: 20000x20000 pixels is over the limit"
lim print top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" --logo huge.png -o a.pdf; expect_status 2; expect_error "huge\.png: 20000x20000 pixels is over the limit of 25 megapixels"
lim render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --max-pixels 640000 -o a.png; expect_status 0
lim render top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" --max-pixels 639999 -o a.png; expect_status 2; expect_error "top\.jpg: 800x800 pixels is over the limit of 639999 pixels"
expect_only_files huge.png top.jpg a.png status.txt

t "pixels: outputs past the limit are refused before they are drawn"
smpsim layout --area-mm 10,400 --px-per-mm 1 -o tall.png
run render tall.png --scale 1 --area-mm 10,400 --width 30000 --compose after -o t.png; expect_status 2
expect_error "^smpsim: t\.png: a 30000x1200000 pixel preview is over the limit of 400 megapixels; lower --width$"
run layout --area-mm 2000,2000 --density 1 --px-per-mm 10 -o big.png; expect_status 2
expect_error "^smpsim: big\.png: a 20000x20000 pixel PNG is over the limit; lower --px-per-mm$"
expect_only_files tall.png

t "dots: a layout past 20 million dots is refused before it is made"
run layout --area-mm 20000,20000 --density 400 -o d.csv; expect_status 2
expect_error "the plan would make about [0-9]+ dots; the limit is 20000000"
run layout --area-mm 20001,10 -o d.csv; expect_status 1; expect_error "^smpsim: --area-mm: .*larger than 20000 mm"
run layout --area-mm 100,100 --density 401 -o d.csv; expect_status 1; expect_error "^smpsim: --density: "
expect_only_files

t "points: at most 10000 in a polygon or polyline"
true
# N points around a circle, in whole mm (a long argument stays under 128 kB).
pts() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%s%d,%d", (i ? " " : ""), 50 + 40 * cos(i * 6.2831853 / n), 50 + 40 * sin(i * 6.2831853 / n) }'; }
run layout --area-mm 100,100 --area-polygon "$(pts 10000)" -o d.csv; expect_status 0
run layout --area-mm 100,100 --area-polygon "$(pts 10001)" -o d.csv; expect_status 1
expect_error "^smpsim: --area-polygon: 90,50 89,50 [0-9, ]+\.\.\.: too many points \(limit 10000\)$"
run layout --area-mm 100,100 --scar-line "$(pts 10001)" -o d.csv; expect_status 1; expect_error "too many points \(limit 10000\)"

t "sessions: 1 to 6, one share each"
run layout --area-mm 50,50 --sessions 7 -o d.csv; expect_status 1; expect_error "^smpsim: --sessions: "
run layout --area-mm 50,50 --sessions 2 --session-shares 50,30,20 -o d.csv; expect_status 1; expect_error "3 shares for 2 sessions"
run batch x.csv -j 257; expect_status 1; expect_error "--jobs: 257: expected 1 to 256"

t "plan files: 1 MB, lines of 199 characters, text only; long lists carry on over indented lines"
{ echo "[area]"; echo "area-mm = 100,100"; for _ in $(seq 1 11000); do printf '; %095d\n' 0; done; } >big.smp
run layout --plan big.smp -o d.csv; expect_status 2; expect_error "^smpsim: big\.smp: larger than 1 MB, not a plan file$"
{ echo "[area]"; printf 'area-polygon = %s\n' "$(pts 60)"; } >long.smp
run layout --plan long.smp -o d.csv; expect_status 2
expect_error "^smpsim: long\.smp:2: line longer than 199 characters \(continue a long list on indented lines\)$"
printf '[area]\narea-mm = 100,100\x00\n' >nul.smp
run layout --plan nul.smp -o d.csv; expect_status 2; expect_error "^smpsim: nul\.smp: not a text file$"
# What --dump-plan writes reads back, however long its lists.
smpsim layout --area-mm 100,100 --area-polygon "$(pts 500)" --dump-plan >dump.smp
awk 'length($0) > 199 { bad = 1 } END { exit bad }' dump.smp || fail "--dump-plan wrote a line over 199 characters"
run layout --plan dump.smp -o a.csv; expect_status 0
smpsim layout --area-mm 100,100 --area-polygon "$(pts 500)" -o b.csv
cmp -s a.csv b.csv || fail "the dumped plan makes another layout"
printf '[area]\narea-mm = 100,100\narea-polygon = 10,10 90,10\n    90,90 x,90\n' >cont.smp
run layout --plan cont.smp -o d.csv; expect_status 2; expect_error "^smpsim: cont\.smp:3: area-polygon: .*expected X,Y"
printf '[area]\n    area-mm = 100,100\n[density]\n    density = 50\n' >lead.smp
run layout --plan lead.smp -o d.csv; expect_status 0

t "manifests: a million jobs, lines of 65536 characters"
yes nothere.smp | head -n 1000001 >big.txt
run batch big.txt -q; expect_status 2; expect_error "^smpsim: big\.txt: more than 1000000 jobs$"
{ echo "plan,output"; printf 'a.smp,%070000d.png\n' 0; } >long.csv
run batch long.csv -q; expect_status 2; expect_error "^smpsim: long\.csv:2: line longer than 65536 characters$"

t "print: names and dates of 200 characters, notes of 20000 bytes"
cp "$root"/samples/top.jpg top.jpg
run print top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --client "$(printf '%0201d' 0)" -o m.pdf; expect_status 1
expect_error "^smpsim: --client: .*longer than 200 characters"
run print top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --clinic "$(printf '%0201d' 0)" -o m.pdf; expect_status 1; expect_error "^smpsim: --clinic: "
printf '%020001d' 0 >notes.txt
run print top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" --notes notes.txt -o m.pdf; expect_status 2; expect_error "^smpsim: notes\.txt: notes longer than 20000 bytes$"
expect_only_files top.jpg notes.txt

t "dot files for analyze: lines of 1023 characters"
{ echo "x_mm,y_mm,diameter_mm,darkness,session"; printf '1,1,0.3,0.8,1%01100d\n' 0; } >long.csv
run analyze long.csv --area-mm 10,10; expect_status 2; expect_error "^smpsim: long\.csv:2: line longer than 1023 characters$"

t "a pile of coincident dots is measured in linear time"
# 200,000 identical rows (3 MB) once took analyze 72 s (every dot against
# every other in one cell); a bound of 60 s, far above the expected
# fraction of a second, tells a hang from a slow machine (valgrind too).
{ echo 'x_mm,y_mm,diameter_mm,darkness,session'; yes '5,5,0.5,1,1' | head -200000; } >pile.csv
timeout 60 "$bin" analyze pile.csv --area-mm 10,10 >out.txt 2>err.txt; status=$?
[ "$status" != 124 ] || fail "analyze of coincident dots did not finish in 60 s"
grep -q 'rho median' out.txt || fail "no report: $(head -c 200 err.txt)"

t "hairline points far outside the frame are refused before the work"
# A 234-byte plan with points at +-1e6 mm once took 211 s and 3.4 GB.
printf '[area]\narea-mm = 100,100\n[hairline]\nhairline-points = -1000000,50 50,40 1000000,50\n' >far.smp
run layout far.smp -o far.csv; expect_status 1
expect_error "^smpsim: --hairline-points: the point -1e\+06,50 lies 1000000 mm outside the 100 x 100 mm frame \(at most 500\)$"
run layout --area-mm 100,100 --anchors "-600,50:50,40:150,50" -o far.csv; expect_status 1
expect_err_has "^smpsim: --anchors: the point -600,50 lies 600 mm outside"
run layout --area-mm 100,100 --anchors "-400,50:50,40:150,50" -o near.csv; expect_status 0
expect_only_files far.smp near.csv

t "the work follows the area, not the frame"
# A 10 mm triangle in a 20 x 20 m frame once took 99 s for 202 dots.
run layout --area-mm 2000,2000 --area-polygon "0,0 10,0 0,10" --density 400 -o small.csv; expect_status 0
timeout 60 "$bin" layout --area-mm 20000,20000 --area-polygon "0,0 10,0 0,10" --density 400 -o big.csv 2>err.txt; status=$?
[ "$status" != 124 ] || fail "a small area in a huge frame did not finish in 60 s"
expect_status 0
cmp -s small.csv big.csv || fail "the frame's size changed the dots of the same area"

t "a density map whose stripes fall between the estimate's samples is still counted"
# stripes-density.png (620 bytes, 400 px): white on even columns only, as
# fine as the old estimate's grid, whose points all fell on the black ones:
# it estimated no dots and the sampler made 21.7 million (past the limit).
cp "$root"/tests/cli/data/stripes-density.png .
run layout --area-mm 6000,6000 --density-map stripes-density.png --scale 0.0666667 --density 120 -o x.csv
expect_status 2; expect_error "^smpsim: the plan would make about 2[0-9]{7} dots; the limit is 20000000$"
[ ! -e x.csv ] || fail "x.csv written"

t "a fine photo goes into PDF and SVG at the resolution the page needs, not whole"
# A 6000 x 6000 px "photo": a layout drawn as a PNG.
run layout --area-mm 600,600 --density 5 --px-per-mm 10 -o big.png; expect_status 0
# At 40 px/mm the page is 150 mm: at most 300 dpi of it (1772 px), not 6000.
run render big.png --scale 40 --area-polygon "2000,2000 4000,2000 4000,4000 2000,4000" -o big.svg; expect_status 0
widest=$(grep -o '<image[^>]* width="[0-9]*"' big.svg | sed 's/.*width="//; s/"//' | sort -n | tail -1)
[ -n "$widest" ] && [ "$widest" -le 1800 ] || fail "the SVG embeds an image $widest px wide"
# The mock-up shows the treated part, at most 300 dpi on paper.
run print big.png --scale 10 --area-polygon "2000,2000 2600,2000 2600,2600 2000,2600" -o big.pdf; expect_status 0
widest=$(pdfimages -list big.pdf | awk 'NR > 2 {print $4}' | sort -n | tail -1)
[ -n "$widest" ] && [ "$widest" -le 1200 ] || fail "the mock-up embeds an image $widest px wide"
[ "$(wc -c <big.pdf)" -lt 3000000 ] || fail "the mock-up is $(wc -c <big.pdf) bytes"
