# Bad input: one line on stderr naming what is wrong, no output file,
# exit 1 for usage errors and 2 for everything else.

t "malformed numbers and bad values are usage errors"
for bad in "--density abc" "--density 0" "--density -5" "--density 40:" "--area-mm 100" "--seed x" \
           "--transition-mm -1" "--px-per-mm 0" "--wavelength-mm 2" "--sentinel-share 1.5" "--width 3"; do
  # shellcheck disable=SC2086
  run layout --area-mm 50,50 $bad -o d.csv
  expect_status 1; expect_error "^smpsim: ${bad%% *}: "
done
run layout --area-mm 50,50 --density 0 -o d.csv; expect_error 'density must be above 0'
expect_only_files

t "unknown shape, option, preset; anchors that make no hairline"
run layout --area-mm 50,50 --hairline zigzag -o d.csv; expect_status 1; expect_error "unknown shape"
run layout --area-mm 50,50 --frobnicate -o d.csv; expect_status 1; expect_error "unknown option '--frobnicate'"
# A word that starts with a dash is named, not the word before it.
run render -x.jpg; expect_status 1; expect_error "^smpsim render: unknown option '-x' in '-x\.jpg' \(see 'smpsim render --help'\)$"
run layout --area-mm 50,50 -Z -o d.csv; expect_status 1; expect_error "^smpsim layout: unknown option '-Z' "
run layout --preset nosuchlook -o d.csv; expect_status 1; expect_error "unknown preset 'nosuchlook'"
run presets nosuchlook; expect_status 1; expect_error "unknown preset 'nosuchlook'"
run layout --area-mm 100,100 --anchors 50,50:50,40:52,50 -o d.csv; expect_status 1; expect_error "temple points"
run layout --area-mm 100,100 --anchors 1,2:3 -o d.csv; expect_status 1; expect_error "--anchors"
run layout --area-mm 100,100 -o d.txt; expect_status 1; expect_error "unknown output type"
run layout --area-mm 100,100; expect_status 1; expect_error "no output"
run layout --area-mm 10,10 --density; expect_status 1; expect_error "needs a value"
run bogus; expect_status 1; expect_error "unknown command 'bogus'"
expect_only_files

t "masks: unreadable, not a PNG, empty, without a scale"
run layout --area-mask nothere.png --scale 4 -o d.csv; expect_status 2; expect_error "nothere.png: cannot open"
echo "not an image" >fake.png
run layout --area-mask fake.png --scale 4 -o d.csv; expect_status 2; expect_error "fake.png: not a PNG"
run layout --area-mm 10,10 --density-map fake.png -o d.csv; expect_status 2; expect_error "fake.png: not a PNG"
run layout --area-mask fake.png -o d.csv; expect_status 1; expect_error "needs --scale"
expect_only_files fake.png

t "plan files: unknown key, bad value, duplicate, with the line"
printf '[area]\narea-mm = 50,50\n[hairline]\nshape = round\n' >a.smp
run layout a.smp -o d.csv; expect_status 2; expect_error "a\.smp:4: unknown key 'shape'"
printf '[area]\narea-mm = 50,50\n\n[density]\ndensity = -3\n' >b.smp
run layout b.smp -o d.csv; expect_status 2; expect_error "b\.smp:5: density: -3: density must be above 0"
printf '[density]\ndensity = 50\ndensity = 60\n' >c.smp
run layout c.smp -o d.csv; expect_status 2; expect_error "c\.smp:3: duplicate key 'density'"
run layout nothere.smp -o d.csv; expect_status 2; expect_error "nothere\.smp: cannot open"
expect_only_files a.smp b.smp c.smp

t "outputs: missing folder, overwriting the plan, too many dots"
run layout --area-mm 50,50 -o nodir/d.csv; expect_status 2; expect_error "nodir/d\.csv: cannot create: No such file"
printf '[area]\narea-mm = 50,50\n' >p.csv
run layout --plan p.csv -o p.csv; expect_status 2; expect_error "would overwrite an input"
run layout --area-mm 20000,20000 --density 80 -o d.csv; expect_status 2; expect_error "would make about 320000000 dots"
expect_only_files p.csv

t "odd values that once slipped through: a signed seed, a signed colour, text that is not UTF-8, a folder as notes"
cp "$root"/samples/* .
run layout --area-mm 10,10 --seed " -1" -o x.csv; expect_status 1
expect_error "^smpsim: --seed:  -1: expected a whole number 0 or more$"
run layout --area-mm 10,10 --pigment "#-1-1-1" -o x.csv; expect_status 1
expect_error "^smpsim: --pigment: #-1-1-1: expected #RRGGBB$"
run print top.smp --clinic "$(printf 'Clinic \377')" -o m.pdf; expect_status 1; expect_err_has "^smpsim: --clinic: Clinic "; expect_err_has ": not UTF-8 text$"
[ "$(wc -l <err.txt)" = 1 ] || fail "more than one line: $(cat err.txt)"
run print top.smp --notes / -o m.pdf; expect_status 2; expect_error "^smpsim: /: cannot read: Is a directory$"
expect_only_files $(ls "$root"/samples)

t "a polygon that crosses itself is refused, with where"
run layout --area-polygon "0,0 100,100 100,0 0,100" -o x.csv; expect_status 1
expect_error "^smpsim: --area-polygon: 0,0 100,100 100,0 0,100: the polygon crosses itself \(edge 1 to 2 crosses edge 3 to 4\); give its outline in order$"
run layout --area-polygon "0,0 200,0 200,100 100,100 100,-50" -o x.csv; expect_status 1; expect_err_has "crosses itself"
run layout --area-mm 100,100 --patch-polygon "10,10 60,60 60,10 10,60" -o x.csv; expect_status 1
expect_err_has "^smpsim: --patch-polygon: .*crosses itself \(edge 1 to 2 crosses edge 3 to 4\)"
expect_only_files
