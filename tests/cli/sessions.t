# Sessions, healing states and shade.

t "sessions: shares, strips, states"
cp "$root"/samples/* .
run layout --area-mm 200,200 --sessions 4 --session-shares 40,30,20,10 -o d.csv; expect_status 0
awk -F, 'NR>1 {c[$5]++; n++} END {exit !(c[4]/n > 0.08 && c[4]/n < 0.12 && c[1]/n > 0.38 && c[1]/n < 0.42)}' d.csv ||
  fail "shares off: $(awk -F, 'NR>1 {c[$5]++} END {for (k in c) printf "%s:%d ", k, c[k]}' d.csv)"
run layout --area-mm 200,200 --show session=2 -o two.csv; expect_status 0
awk -F, 'NR>1 && $5>2 {bad++} END {exit bad>0}' two.csv || fail "session 3 dots shown after session 2"
run render top.smp --compose sessions -o strip.png; expect_status 0
# Four panels of the treated area, about the photo's 640,000 pixels in all.
size=$(png_size strip.png); w=${size%x*} h=${size#*x}
[ $((w * h)) -gt 512000 ] && [ $((w * h)) -lt 672000 ] && [ "$w" -gt $((3 * h)) ] || fail "strip is $size"
run render top.smp --compose healing-range --healing-spread 0.4 -o range.png; expect_status 0
run render top.smp --show years=5 --compose after -o years.png; expect_status 0
run render top.smp --show fresh,session=1 --compose after -o fresh1.png; expect_status 0
run render top.smp --compose sessions -o strip.pdf; expect_status 0; [ "$(head -c 4 strip.pdf)" = "%PDF" ] || fail "no PDF"

t "sessions: bad values are usage errors"
for bad in "--sessions 0" "--sessions 7" "--session-shares 50,30" "--session-shares 50,30,30" \
           "--show session=9" "--show years=-1" "--show fresh,years=2" "--first-session-raise -2"; do
  # shellcheck disable=SC2086
  run layout --area-mm 50,50 $bad -o d.csv
  expect_status 1; expect_error "^smpsim: ${bad%% *}"
done
run layout --area-mm 50,50 --session-shares 60,40 -o d.csv; expect_status 1; expect_error "2 shares for 3 sessions"
run layout --area-mm 50,50 --show session=9 -o d.csv; expect_error "session=9: session=K needs K from 1 to 6"
run layout --area-mm 50,50 --show session=5 -o d.csv; expect_error "session=5, but the plan has 3 sessions"
run layout --area-mm 50,50 --session-shares 50,30,30 -o d.csv; expect_error "add up to 100"
expect_only_files

t "shade measures skin and hair and suggests a dilution; render can use it"
cp "$root"/samples/* .
run shade top.smp --json; expect_status 0
for key in skin_lab hair_lab dilution pigment_rgb reason warning; do expect_out "\"$key\":"; done
expect_out '"pigment_rgb":"#[0-9a-f]{6}"'
run shade top.jpg; expect_status 0; expect_out '^dilution +[0-9.]+ parts water'; expect_out 'starting point'
run render top.smp --dilution auto --json -o auto.png; expect_status 0; expect_out '"dilution_auto":true'
run render top.smp --dilution auto -o auto.png; expect_status 0; grep -q 'auto, a starting point' err.txt || fail "no note"
run layout --area-mm 50,50 --dilution auto -o d.csv; expect_status 1; expect_error "auto needs a photo"
run shade nothere.jpg; expect_status 2; expect_error "nothere\.jpg: cannot open"
run shade --area-mm 10,10; expect_status 1; expect_error "shade needs a photo"
