# smpsim print: the patient mock-up.  Needs poppler-utils (pdfinfo, pdftotext, pdftoppm).

args_top="top.jpg --scale 4 --area-mm 200,200 --hairline rounded --anchors 190,610:400,700:610,610"

t "three pages on A4 or Letter"
cp "$root"/samples/* .
run print top.smp --client "J. Doe" -o a4.pdf; expect_status 0; expect_quiet_err
pdfinfo a4.pdf >info.txt
grep -q '^Pages: *3$' info.txt || fail "pages: $(grep Pages info.txt)"
grep -q '^Page size: *595.276 x 841.89 pts' info.txt || fail "A4: $(grep 'Page size' info.txt)"
run print top.smp --paper letter --date 2027-03-14 --session-dates 2027-04-01,2027-05-02,2027-06-03 -o letter.pdf
expect_status 0
pdftotext -f 1 -l 1 letter.pdf - | grep -q "2027-03-14" || fail "page 1 lacks the --date"
pdftotext -f 2 -l 2 letter.pdf - | tr '\n' ' ' | grep -q "Session 2, 2027-05-02" || fail "page 2 lacks the session dates"
pdfinfo letter.pdf | grep -q '^Page size: *612 x 792 pts' || fail "Letter: $(pdfinfo letter.pdf | grep 'Page size')"

t "names and notes in any script are in the text"
cp "$root"/samples/* .
for name in "José Müller-Ødegård" "محمد" "王小明" "さくら"; do
  run print top.smp --client "$name" --clinic "Clinique Étoile" -o n.pdf; expect_status 0
  # Right-to-left text comes out of pdftotext in pieces: compare without spaces.
  pdftotext -f 1 -l 1 n.pdf - | tr -d ' ' | grep -q "$(printf '%s' "$name" | tr -d ' ')" || fail "page 1 lacks '$name'"
done
printf 'Schedule session 2 in four weeks. Avoid sun for ten days; the scalp heals lighter at first, then settles.\nÅse prefers a soft line.\n' >notes.txt
run print top.smp --notes notes.txt -o notes.pdf; expect_status 0
pdftotext -f 1 -l 1 notes.pdf - | tr '\n' ' ' | grep -q "Avoid sun for ten days" || fail "notes missing"
pdftotext -f 1 -l 1 notes.pdf - | grep -q "Åse prefers" || fail "UTF-8 notes missing"
pdftotext notes.pdf - | grep -qi "simulation, not a guarantee" || fail "no statement"

t "page 3: the ruler's centimetre marks are 10 mm apart at true size"
cp "$root"/samples/* .
run print top.smp -o m.pdf; expect_status 0
pdftoppm -r 254 -f 3 -l 3 -gray m.pdf p
f=$(ls p-*.pgm)
W=$(head -c 20 "$f" | sed -n 2p | cut -d' ' -f1)
hl=$(head -n 3 "$f" | wc -c)
# At 254 dpi a mm is 10 px: find the ruler's baseline (a dark run of 90 mm
# or more), then 4 mm below it, where only the centimetre ticks reach.
tail -c +$((hl + 1)) "$f" | od -An -tu1 -v -w"$W" | awk '
  { run = 0; best = 0
    for (i = 1; i <= NF; i++) if ($i < 128) { run++; if (run > best) best = run } else run = 0
    row[NR] = $0; if (!base && best > 900) base = NR }
  END { if (!base) exit 1
    n = split(row[base + 40], v, " "); k = 0; inrun = 0
    for (i = 1; i <= n; i++) { d = v[i] < 128; if (d && !inrun) s = i; if (!d && inrun) c[++k] = (s + i - 1) / 2; inrun = d }
    bad = 0; for (j = 2; j <= k; j++) { g = c[j] - c[j - 1]; if (g < 99 || g > 101) bad++ }
    exit (bad > 0 || k < 10) }' || fail "ruler ticks are not 10 mm apart"

t "the practitioner sheet lists the plan and seed, the client's mock-up no file or setting; the same plan makes the same dots"
cp "$root"/samples/top.jpg .
# shellcheck disable=SC2086
run print $args_top --seed 77 --practitioner-sheet sheet.pdf -o m.pdf; expect_status 0
pdftotext sheet.pdf - >last.txt
grep -q "Seed 77" last.txt || fail "no seed"
pdftotext m.pdf - >client.txt
! grep -qiE "top\.jpg|/tmp/|seed|dilution = |\[plan\]" client.txt || fail "the mock-up names a file or a setting: $(grep -iE 'top\.jpg|/tmp/|seed' client.txt | head -3)"
grep -q "simulation, not a guarantee" client.txt || fail "the mock-up lacks the statement"
run print $args_top --practitioner-sheet m.pdf -o m.pdf; expect_status 1
expect_error "^smpsim: m\.pdf: named for both -o and --practitioner-sheet$"
printf 'See you in May.\n' >notes.pdf
run print $args_top --notes notes.pdf --practitioner-sheet notes.pdf -o n.pdf; expect_status 2
expect_error "notes\.pdf: the output would overwrite an input"
run print $args_top --practitioner-sheet s.png -o n.pdf; expect_status 1
expect_error "^smpsim: --practitioner-sheet: s\.png: expected a \.pdf file"
[ ! -e n.pdf ] || fail "the mock-up was written"
run print $args_top --practitioner-sheet nodir/s.pdf -o n.pdf; expect_status 2; expect_error "nodir/s\.pdf: cannot create"
[ ! -e n.pdf ] || fail "the mock-up was written without its sheet"
sed -n '/^\[plan\]/,$p' last.txt | grep -E '^\[|^[a-z-]+ = ' >again.smp
run layout again.smp -o a.csv; expect_status 0
# shellcheck disable=SC2086
run layout $args_top --seed 77 -o b.csv; expect_status 0
cmp -s a.csv b.csv || fail "the printed plan does not make the same dots"

t "long notes and a long plan go on over further pages; every page of the mock-up says it is a simulation"
cp "$root"/samples/top.smp "$root"/samples/top.jpg .
for i in $(seq 1 70); do echo "Note line $i: check the left temple and the crown blend."; done >notes.txt
run print top.smp --notes notes.txt -o m.pdf --json; expect_status 0
pages=$(pdfinfo m.pdf | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 4 ] || fail "70 lines of notes on $pages pages"
expect_out "\"pages\":$pages[,}]"
for p in $(seq 1 "$pages"); do
  pdftotext -f "$p" -l "$p" m.pdf - | grep -q "not a guarantee" || fail "page $p does not say it is a simulation"
done
pdftotext m.pdf - | grep -q "Note line 70:" || fail "the last line of the notes is missing"
pdftotext -f "$pages" -l "$pages" m.pdf - | tr '\n' ' ' | grep -q "This is a simulation, not a guarantee" || fail "no closing statement"
poly=$(awk 'BEGIN {for (i = 0; i < 1500; i++) printf "%s%.1f,%.1f", i ? " " : "", 400 + 300 * cos(6.2831853 * i / 1500), 400 + 300 * sin(6.2831853 * i / 1500)}')
run print top.jpg --scale 4 --area-polygon "$poly" --practitioner-sheet sheet.pdf -o m2.pdf; expect_status 0
[ "$(pdfinfo sheet.pdf | awk '/^Pages:/ {print $2}')" -ge 2 ] || fail "a 1,500-point polygon fits one sheet page?"
pdftotext sheet.pdf - | grep -q "^px-per-mm = 10" || fail "the sheet's last setting is missing"

t "print: missing logo or notes, wrong output type, no photo"
cp "$root"/samples/* .
run print top.smp --logo nologo.png -o m.pdf; expect_status 2; expect_error "nologo\.png: cannot open"
run print top.smp --notes nonotes.txt -o m.pdf; expect_status 2; expect_error "nonotes\.txt: cannot open"
printf '\377\376bad' >bad.txt
run print top.smp --notes bad.txt -o m.pdf; expect_status 2; expect_error "bad\.txt: not UTF-8"
run print top.smp -o m.png; expect_status 1; expect_error "mock-up is a PDF"
run print top.smp --paper a3 -o m.pdf; expect_status 1; expect_error "--paper"
[ ! -e m.pdf ] || fail "m.pdf written"
smpsim layout --area-mm 40,20 --px-per-mm 4 -o logo.png
run print top.smp --logo logo.png -o m.pdf; expect_status 0
