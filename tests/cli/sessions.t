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

# fig NAME: a figure from the appearance tool's last output (fig.txt).
fig() { awk -v k="$1" '$1 == k {print $2}' fig.txt; }
# panels IMAGE N: the mean colours of its N panels' middles into fig.txt.
panels() { "${SMPSIM_APPEARANCE:-$root/build/appearance}" panels "$1" "$2" >fig.txt 2>&1 || fail "appearance panels $1: $(cat fig.txt)"; }
# below A B: A < B - 0.3 (a visible step, not noise).
below() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a < b - 0.3)}'; }

t "strips show the right state in each panel: sessions build up, healing goes lighter to darker, fresh is larger and redder"
cp "$root"/samples/top.smp "$root"/samples/top.jpg .
run render top.smp --compose sessions -o strip.png; expect_status 0
panels strip.png 4
for k in 1 2 3; do
  below "$(fig panel$((k + 1))_L)" "$(fig panel${k}_L)" || fail "sessions panel $((k + 1)) is not darker than panel $k: $(tr '\n' ' ' <fig.txt)"
done
run render top.smp --compose healing-range -o range.png; expect_status 0
panels range.png 3
below "$(fig panel2_L)" "$(fig panel1_L)" && below "$(fig panel3_L)" "$(fig panel2_L)" ||
  fail "healing range is not lighter / expected / darker: $(tr '\n' ' ' <fig.txt)"
run render top.smp --compose after -o healed.png; expect_status 0
run render top.smp --compose after --show fresh -o fresh.png; expect_status 0
panels healed.png 1; healed_a=$(fig panel1_a) healed_L=$(fig panel1_L)
panels fresh.png 1
below "$healed_a" "$(fig panel1_a)" || fail "fresh is not redder: a* $healed_a healed, $(fig panel1_a) fresh"
below "$(fig panel1_L)" "$healed_L" || fail "fresh is not darker: L* $healed_L healed, $(fig panel1_L) fresh"
run layout top.smp -o healed.csv; expect_status 0
run layout top.smp --show fresh -o fresh.csv; expect_status 0
# The last session's impressions are the fresh ones.
awk -F, 'FNR > 1 && $5 == 3 {s[FILENAME] += $3; n[FILENAME]++} END {r = (s["fresh.csv"] / n["fresh.csv"]) / (s["healed.csv"] / n["healed.csv"]); exit !(r > 1.5 && r < 1.7)}' healed.csv fresh.csv ||
  fail "fresh impressions of the last session are not 1.6x the healed diameter"

t "--undertone: a pigment with brown in it reads warmer than carbon black for as much ink"
"${SMPSIM_APPEARANCE:-$root/build/appearance}" mkflat flat.png 400 400 d2aa96
for u in cool neutral warm; do
  run render flat.png --scale 4 --area-polygon "20,20 380,20 380,380 20,380" --undertone $u --compose side -o $u.png
  expect_status 0
  panels $u.png 2
  eval "${u}_a=\$(fig panel2_a) ${u}_b=\$(fig panel2_b) ${u}_L=\$(fig panel2_L)"
done
below "$cool_a" "$neutral_a" && below "$neutral_a" "$warm_a" && below "$cool_b" "$neutral_b" && below "$neutral_b" "$warm_b" ||
  fail "not warmer in turn: a* $cool_a $neutral_a $warm_a, b* $cool_b $neutral_b $warm_b"
awk -v l="$warm_L" -v s="$(fig panel1_L)" 'BEGIN {exit !(s - l > 4)}' || fail "the warm pigment darkens by less than L* 4: $warm_L against $(fig panel1_L)"
run render flat.png --scale 4 --area-polygon "20,20 380,20 380,380 20,380" --undertone black -o x.png; expect_status 1
expect_error "^smpsim: --undertone: black: expected cool, neutral or warm$"
run render flat.png --scale 4 --area-polygon "20,20 380,20 380,380 20,380" --pigment '#404040' --undertone warm --compose side -o p1.png
panels p1.png 2; p1=$(fig panel2_a)
run render flat.png --scale 4 --area-polygon "20,20 380,20 380,380 20,380" --pigment '#404040' --compose side -o p2.png
panels p2.png 2
[ "$p1" = "$(fig panel2_a)" ] || fail "--pigment did not override the undertone: a* $p1 against $(fig panel2_a)"

t "--match auto's choice of undertone is the pigment the preview draws"
# The crown sample's match takes a neutral undertone.  Its after must read
# as its dots drawn with that choice given outright: the preview once drew
# the plan's carbon black instead, 1.4 b* cooler (a grey oval in the
# stubble at arm's length).
cp "$root"/samples/crown.smp "$root"/samples/crown.jpg .
run render crown.smp --json --compose after --no-labels -o m.png; expect_status 0
expect_out '"undertone":"neutral"'
chosen=$(sed -n 's/.*"match":{.*"density":\([0-9.]*\),"dot_mm":\([0-9.]*\),"depth_mm":\([0-9.]*\),.*/--density \1 --dot-mm \2 --depth-mm \3/p' out.txt)
[ -n "$chosen" ] || fail "no density, dot_mm and depth_mm in the match's JSON"
panels m.png 1; m_a=$(fig panel1_a) m_b=$(fig panel1_b)
# shellcheck disable=SC2086
run render crown.smp --match off $chosen --undertone neutral --compose after --no-labels -o n.png; expect_status 0
panels n.png 1
awk -v a="$m_a" -v b="$m_b" -v A="$(fig panel1_a)" -v B="$(fig panel1_b)" 'BEGIN {exit !((a - A) ^ 2 < 0.25 && (b - B) ^ 2 < 0.25)}' ||
  fail "the match's after is not drawn with its undertone: a* $m_a, b* $m_b against $(fig panel1_a), $(fig panel1_b)"

