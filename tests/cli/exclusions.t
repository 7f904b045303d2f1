# --exclude-polygon: no dot's centre inside an exclusion in any command that lays dots, the
# photo untouched well inside one, the treated area what is left, plans that round-trip.

ex_sq="200,200 400,200 400,400 200,400"
ex_tri="500,450 650,500 550,650"
# The same, 10 px (2.5 mm) and more inside their outlines: a dot beside an exclusion may
# reach over its edge by its radius and blur, as at the area's edge, never further.
in_sq="210,210 390,210 390,390 210,390"
in_tri="520,475 625,510 555,615"
square="100,100 700,100 700,700 100,700"
ex_app=${SMPSIM_APPEARANCE:-$root/build/appearance}

# ex_inside CSV PX_PER_MM POLY...: how many dots of CSV (mm) have their centre inside any
# POLY (photo px at PX_PER_MM).
ex_inside() {
  local csv=$1 k=$2
  shift 2
  awk -F, -v k="$k" -v polys="$(printf '%s|' "$@")" '
    BEGIN {
      np = split(polys, P, "|") - 1
      for (i = 1; i <= np; i++) {
        n[i] = split(P[i], c, " ")
        for (j = 1; j <= n[i]; j++) { split(c[j], xy, ","); X[i, j] = xy[1] / k; Y[i, j] = xy[2] / k }
      }
    }
    NR > 1 {
      for (i = 1; i <= np; i++) {
        ins = 0
        for (j = 1; j <= n[i]; j++) {
          m = j == 1 ? n[i] : j - 1
          if ((Y[i, j] > $2) != (Y[i, m] > $2) && $1 < (X[i, m] - X[i, j]) * ($2 - Y[i, j]) / (Y[i, m] - Y[i, j]) + X[i, j]) ins = !ins
        }
        if (ins) { count++; break }
      }
    }
    END { print count + 0 }' "$csv"
}
# ex_changed BEFORE AFTER POLY: pixels that differ inside POLY.
ex_changed() { "$ex_app" diff "$1" "$2" "$3" | awk '$1 == "diff_pixels" { print $2 }'; }

t "exclusion polygons: no dot inside, the photo unchanged there, the area what is left"
cp "$root"/samples/top.jpg .
# The square's corners lie on the wall past the head's outline, which the
# area loses too: the figures are taken against the square's own.
run layout top.jpg --scale 4 --area-polygon "$square" -o all.csv --json; expect_status 0
a_all=$(sed -n 's/.*"area_cm2":\([0-9.]*\).*/\1/p' out.txt)
[ "$(ex_inside all.csv 4 "$ex_sq" "$ex_tri")" -gt 1000 ] || fail "without exclusions only $(ex_inside all.csv 4 "$ex_sq" "$ex_tri") dots there"
run layout top.jpg --scale 4 --area-polygon "$square" --exclude-polygon "$ex_sq | $ex_tri" -o d.csv --json; expect_status 0
# The square's, less 25 cm^2 for the square and 8.59 for the triangle.
a_ex=$(sed -n 's/.*"area_cm2":\([0-9.]*\).*/\1/p' out.txt)
awk -v a="$a_all" -v b="$a_ex" 'BEGIN { exit !(a > 200 && a <= 225 && b - (a - 33.59) < 0.05 && (a - 33.59) - b < 0.05) }' ||
  fail "the area is $a_ex cm^2, the square's $a_all less 33.59"
[ "$(ex_inside d.csv 4 "$ex_sq" "$ex_tri")" = 0 ] || fail "$(ex_inside d.csv 4 "$ex_sq" "$ex_tri") dots inside the exclusions"
# The rest keeps its density: dots per cm^2 of what is left within 6 % of the area without them
# (the soft edge along the exclusions' 115 mm of outline takes a little).
n_all=$(($(wc -l <all.csv) - 1)); n=$(($(wc -l <d.csv) - 1))
awk -v a="$n_all" -v b="$n" -v aa="$a_all" -v ab="$a_ex" 'BEGIN { r = (b / ab) / (a / aa); exit !(r > 0.94 && r < 1.01) }' ||
  fail "$n dots on $a_ex cm^2 against $n_all on $a_all"
run render top.jpg --scale 4 --area-polygon "$square" --exclude-polygon "$ex_sq|$ex_tri" --compose after --no-labels -o ex.png
expect_status 0
run render top.jpg --scale 4 --area-polygon "$square" --compose after --no-labels -o all.png; expect_status 0
for poly in "$in_sq" "$in_tri"; do
  [ "$(ex_changed top.jpg ex.png "$poly")" = 0 ] || fail "$(ex_changed top.jpg ex.png "$poly") pixels changed inside $poly"
  [ "$(ex_changed top.jpg all.png "$poly")" -gt 1000 ] || fail "without the exclusion only $(ex_changed top.jpg all.png "$poly") changed"
done
# The guides mark them (in red) otherwise than the area around them.
run render top.jpg --scale 4 --area-polygon "$square" --exclude-polygon "$ex_sq" --compose guides --no-labels -o g.png; expect_status 0
run render top.jpg --scale 4 --area-polygon "$square" --compose guides --no-labels -o g0.png; expect_status 0
[ "$(ex_changed g0.png g.png "$in_sq")" -gt 20000 ] || fail "the exclusion is not marked on the guides"

t "exclusions with --area auto, thinning, --exclude-mask, without a photo, and in batch"
cp "$root"/samples/* .
run layout top.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 --exclude-polygon "$ex_sq | $ex_tri" -o auto.csv
expect_status 0
[ "$(ex_inside auto.csv 4 "$ex_sq" "$ex_tri")" = 0 ] || fail "--area auto: $(ex_inside auto.csv 4 "$ex_sq" "$ex_tri") dots inside"
[ "$(($(wc -l <auto.csv) - 1))" -gt 3000 ] || fail "--area auto: $(($(wc -l <auto.csv) - 1)) dots in all"
run layout top.jpg --scale 4 --mode thinning --area-polygon "0,0 800,0 800,800 0,800" --exclude-polygon "$ex_sq | $ex_tri" -o thin.csv
expect_status 0
[ "$(ex_inside thin.csv 4 "$ex_sq" "$ex_tri")" = 0 ] || fail "thinning: $(ex_inside thin.csv 4 "$ex_sq" "$ex_tri") dots inside"
[ "$(($(wc -l <thin.csv) - 1))" -gt 1000 ] || fail "thinning: $(($(wc -l <thin.csv) - 1)) dots in all"
# Both kinds at once: a mask of the left half, a polygon on the right.
run render top.jpg --scale 4 --area-polygon "0,0 400,0 400,800 0,800" --save-area half.png -o x.png; expect_status 0
run layout top.jpg --scale 4 --area-polygon "$square" --exclude-mask half.png --exclude-polygon "$ex_tri" -o both.csv; expect_status 0
[ "$(awk -F, 'NR > 1 && $1 < 100' both.csv | wc -l)" = 0 ] || fail "dots in the masked half"
[ "$(ex_inside both.csv 4 "$ex_tri")" = 0 ] || fail "$(ex_inside both.csv 4 "$ex_tri") dots inside the polygon beside the mask"
[ "$(($(wc -l <both.csv) - 1))" -gt 3000 ] || fail "only $(($(wc -l <both.csv) - 1)) dots on the right"
# The mask takes from the area only what it covers of it (150 x 75 mm of the 150 mm square), and
# from an automatic area too (its dots and its figure both about halved).
run layout top.jpg --scale 4 --area-polygon "$square" -o h0.csv --json; expect_status 0
h0=$(sed -n 's/.*"area_cm2":\([0-9.]*\).*/\1/p' out.txt)
run layout top.jpg --scale 4 --area-polygon "$square" --exclude-mask half.png -o h.csv --json; expect_status 0
h1=$(sed -n 's/.*"area_cm2":\([0-9.]*\).*/\1/p' out.txt)
awk -v a="$h0" -v b="$h1" 'BEGIN { exit !(b > 0.49 * a && b < 0.51 * a) }' || fail "half the square takes $h1 cm^2 of $h0"
run layout top.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 -o a0.csv --json; expect_status 0
a0=$(sed -n 's/.*"area_cm2":\([0-9.]*\).*/\1/p' out.txt)
run layout top.jpg --scale 4 --area auto --hairline rounded --anchors 190,610:400,700:610,610 --exclude-mask half.png -o a1.csv --json
expect_status 0
a1=$(sed -n 's/.*"area_cm2":\([0-9.]*\).*/\1/p' out.txt)
n0=$(($(wc -l <a0.csv) - 1)); n1=$(($(wc -l <a1.csv) - 1))
awk -v a0="$a0" -v a1="$a1" -v n0="$n0" -v n1="$n1" 'BEGIN { r = a1 / a0; q = n1 / n0; exit !(r > 0.35 && r < 0.65 && q / r > 0.9 && q / r < 1.1) }' ||
  fail "--area auto with half masked: $a1 of $a0 cm^2, $n1 of $n0 dots"
# Without a photo, in mm; part of one reaches past the frame.
run layout --area-mm 100,100 --exclude-polygon "10,10 40,10 40,40 10,40 | -10,80 20,80 20,110 -10,110" -o mm.csv --json; expect_status 0
expect_out '"area_cm2":87[,.]'
[ "$(ex_inside mm.csv 1 "10,10 40,10 40,40 10,40" "-10,80 20,80 20,110 -10,110")" = 0 ] || fail "mm: dots inside"
# batch, from a plan file.
sed "s/^scale = 4$/scale = 4\nexclude-polygon = $ex_sq | $ex_tri/" top.smp >ex.smp
grep -q '^exclude-polygon' ex.smp || fail "ex.smp not made"
printf 'plan,output\nex.smp,b.csv\ntop.smp,b0.csv\n' >m.csv
run batch m.csv; expect_status 0
[ "$(ex_inside b.csv 4 "$ex_sq" "$ex_tri")" = 0 ] || fail "batch: $(ex_inside b.csv 4 "$ex_sq" "$ex_tri") dots inside"
[ "$(ex_inside b0.csv 4 "$ex_sq" "$ex_tri")" -gt 1000 ] || fail "batch without them: $(ex_inside b0.csv 4 "$ex_sq" "$ex_tri") dots"
# print: the same layout as render's, and the practitioner sheet lists them.
run print ex.smp --practitioner-sheet sheet.pdf -o m.pdf; expect_status 0
pdftotext sheet.pdf - | tr '\n' ' ' | grep -q "exclude-polygon = $ex_sq | $ex_tri" || fail "the sheet lacks the exclusions"

t "exclusions round-trip through --dump-plan, long lists on continued lines"
cp "$root"/samples/* .
ring=$(awk 'BEGIN { for (i = 0; i < 40; i++) { a = 6.2831853 * i / 40; printf "%.1f,%.1f ", 560 + 90 * cos(a), 300 + 70 * sin(a) } }')
run render top.smp --exclude-polygon "$ex_sq | $ring" --dump-plan; expect_status 0
mv out.txt p.smp
[ "$(grep -c '^    ' p.smp)" -ge 4 ] || fail "the long list is not continued on indented lines"
run render p.smp -o a.png; expect_status 0
run render top.smp --exclude-polygon "$ex_sq | $ring" -o b.png; expect_status 0
cmp -s a.png b.png || fail "the dumped plan renders differently"
run render top.smp -o c.png; expect_status 0
cmp -s a.png c.png && fail "the exclusions made no difference"
run layout p.smp --dump-plan; expect_status 0
grep -v '^photo = ' out.txt >again.txt; grep -v '^photo = ' p.smp >first.txt
cmp -s first.txt again.txt || fail "dumped twice, the plans differ: $(diff first.txt again.txt | head -5)"

t "bad exclusions: one line naming which, exit 1 on the command line and 2 from a plan"
cp "$root"/samples/top.jpg .
run layout --area-mm 50,50 --exclude-polygon "0,0 10,10 10,0 0,10" -o d.csv; expect_status 1
expect_error "^smpsim: --exclude-polygon: 0,0 10,10 10,0 0,10: the polygon crosses itself \(edge 1 to 2 crosses edge 3 to 4\); give its outline in order$"
run layout --area-mm 50,50 --exclude-polygon "0,0 10,0 0,10 | 0,0 10,10 10,0 0,10" -o d.csv; expect_status 1
expect_error "^smpsim: --exclude-polygon: .*: exclusion 2: the polygon crosses itself \(edge 1 to 2 crosses edge 3 to 4\); give its outline in order$"
run layout --area-mm 50,50 --exclude-polygon "0,0 10,0 0,10 |" -o d.csv; expect_status 1
expect_error "^smpsim: --exclude-polygon: 0,0 10,0 0,10 \|: exclusion 2: needs at least 3 points X,Y$"
run layout --area-mm 50,50 --exclude-polygon "5,5 6,6 7,7 | 0,0 10,0 0,10" -o d.csv; expect_status 1
expect_error ": exclusion 1: the polygon has no area$"
run layout --area-mm 50,50 --exclude-polygon "0,0 10,0 0,x" -o d.csv; expect_status 1
expect_error "^smpsim: --exclude-polygon: 0,0 10,0 0,x: expected X,Y$"
printf '[area]\narea-mm = 50,50\nexclude-polygon = 0,0 10,0 0,10 |\n    0,0 10,10 10,0 0,10\n' >bad.smp
run layout bad.smp -o d.csv; expect_status 2
expect_error "^smpsim: bad\.smp:3: exclude-polygon: .*: exclusion 2: the polygon crosses itself"
expect_only_files top.jpg bad.smp
