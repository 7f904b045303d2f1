# smpsim layout: outputs, determinism, presets and plans.

t "layout help and version"
run layout --help; expect_status 0; expect_out '^Usage: smpsim layout'; expect_out '--hairline SHAPE'
run layout --version; expect_status 0; expect_out '^smpsim [0-9]+\.[0-9]+'
run --help; expect_status 0; expect_out 'layout'
run; expect_status 1

t "csv has the contract's columns and the expected count"
run layout --area-mm 100,100 --density 80 -o d.csv; expect_status 0; expect_quiet_err; expect_no_out
[ "$(head -1 d.csv | cut -d, -f1-5)" = "x_mm,y_mm,diameter_mm,darkness,session" ] || fail "header: $(head -1 d.csv)"
n=$(($(wc -l <d.csv) - 1))
[ $n -ge 7840 ] && [ $n -le 8160 ] || fail "$n dots for 8000 expected"
awk -F, 'NR>1 && ($1<0 || $1>=100 || $2<0 || $2>=100 || $3<=0 || $4<=0 || $4>1 || $5<1 || $5>3) {bad++} END {exit bad>0}' d.csv ||
  fail "a dot out of range"

t "same seed gives the same bytes, another seed another layout"
run layout --area-mm 80,60 --hairline mature --clustering --seed 7 -o a.csv; expect_status 0
run layout --area-mm 80,60 --hairline mature --clustering --seed 7 -o b.csv; expect_status 0
run layout --area-mm 80,60 --hairline mature --clustering --seed 8 -o c.csv; expect_status 0
cmp -s a.csv b.csv || fail "same seed differs"
cmp -s a.csv c.csv && fail "different seeds give the same layout"
run layout --area-mm 80,60 --hairline mature --seed 7 --px-per-mm 5 -o a.png; expect_status 0
run layout --area-mm 80,60 --hairline mature --seed 7 --px-per-mm 5 -o b.png; expect_status 0
cmp -s a.png b.png || fail "same seed gives different PNGs"

t "json summary, json file, svg at true size, png"
run layout --area-mm 120,80 --density 40:100 --json; expect_status 0
expect_out '"dots":[0-9]+'; expect_out '"area_cm2":96[,}]'; expect_out '"expected_dots":6720[,}]'; expect_out '"seed":1'
expect_out '"seconds":\{"scene"'; expect_json --lines out.txt
run layout --area-mm 30,20 -o d.json; expect_status 0; grep -q '"summary":{"dots":' d.json || fail "json file"
expect_json d.json
grep -q '"kind":"regular"' d.json || fail "json dots"
run layout --area-mm 30,20 -o d.svg; expect_status 0
grep -q 'width="30mm"' d.svg && grep -q 'height="20mm"' d.svg || fail "svg size: $(head -c 300 d.svg)"
run layout --area-mm 30,20 --px-per-mm 8 -o d.png; expect_status 0
[ "$(head -c 8 d.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "not a PNG"
run layout --area-mm 30,20 -o -; expect_status 0; expect_out '^x_mm,y_mm,diameter_mm,darkness,session'
expect_only_files d.json d.svg d.png

t "every shape in every face direction"
for shape in straight rounded widows-peak mature m-shape boxed broken female; do
  for face in down up left right; do
    run layout --area-mm 150,150 --hairline $shape --face $face --json
    expect_status 0
    grep -qE '"dots":[1-9][0-9]{3,}' out.txt || fail "$shape/$face: $(cat out.txt)"
  done
done
run layout --area-mm 150,100 --hairline mature --anchors 15,80:75,40:135,80 --json; expect_status 0
run layout --area-mm 150,100 --hairline-points "10,70 40,50 75,45 110,50 140,70" --json; expect_status 0

t "presets and plan files; options override them"
run presets; expect_status 0
[ "$(wc -l <out.txt)" -ge 6 ] || fail "fewer than 6 presets"
run presets edge-up; expect_status 0; expect_out '^hairline = straight'
run layout --preset edge-up --density 50 --dump-plan; expect_status 0
expect_out '^hairline = straight'; expect_out '^density = 50$'
cat >p.smp <<'PLAN'
[plan]
preset = mature-receded
seed = 5

[area]
area-mm = 90,60
PLAN
run layout p.smp --dump-plan; expect_status 0; expect_out '^hairline = mature'; expect_out '^area-mm = 90,60'; expect_out '^seed = 5'
run layout p.smp -o p.csv; expect_status 0; expect_file p.csv
run layout --plan p.smp --seed 6 -o q.csv; expect_status 0
cmp -s p.csv q.csv && fail "--seed did not override the plan"
cp "$root"/samples/top.jpg .
for name in $(smpsim presets | cut -d' ' -f1); do
  run layout --preset "$name" top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --json; expect_status 0
done

t "analyze says the reference ramp meets the bar"
run layout --area-mm 300,300 --density 40:100 -o r.csv; expect_status 0
run analyze r.csv --area-mm 300,300 --density 40:100; expect_status 0
expect_out '^count ratio .* ok$'; expect_out '^rho p5 .* ok'
grep -q FAIL out.txt && fail "analyze reports a failure: $(grep FAIL out.txt)"
run analyze r.csv --area-mm 300,300 --density 40:100 --json; expect_status 0; expect_out '"rho_p5":0\.[6-9]'
run analyze --area-mm 300,300; expect_status 1; expect_error 'no dots CSV'
run analyze nothere.csv --area-mm 10,10; expect_status 2; expect_error 'nothere.csv: cannot open'

t "presets are found beside a program that is not installed, from any folder"
SMPSIM_PRESETS= run presets; expect_status 0; expect_out "^widows-peak "
SMPSIM_PRESETS= run layout --preset widows-peak -o d.csv; expect_status 0; expect_file d.csv

t "plan files as editors save them: a byte-order mark, CR LF and lone CR line endings"
printf '[area]\narea-mm = 50,40\n[density]\ndensity = 12\n' >lf.smp
printf '\357\273\277[area]\narea-mm = 50,40\n[density]\ndensity = 12\n' >bom.smp
printf '[area]\r\narea-mm = 50,40\r\n[density]\r\ndensity = 12\r\n' >crlf.smp
printf '[area]\rarea-mm = 50,40\r[density]\rdensity = 12\r' >cr.smp
run layout lf.smp -o lf.csv; expect_status 0
for p in bom crlf cr; do
  run layout $p.smp -o $p.csv; expect_status 0
  cmp -s lf.csv $p.csv || fail "$p.smp gives other dots than lf.smp"
done
printf '[area]\rarea-mm = 50,40\r[density]\rdensity = x\r' >bad.smp
run layout bad.smp -o x.csv; expect_status 2; expect_err_has "^smpsim: bad\.smp:4: "
