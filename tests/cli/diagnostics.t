# The error catalogue: the messages no other file provokes, each with its
# exit status.  run.sh then checks (diagnostics.pl) that every message the
# sources can print was printed by some test and is in the man page.

t "catalogue: values on the command line (exit 1), each reason"
while IFS='|' read -r opt val why; do
  run layout --area-mm 50,50 "$opt" "$val" -o d.csv; expect_status 1
  expect_error "^smpsim: $opt: .*: $why"
done <<'LIST'
--seed|99999999999999999999999|number out of range
--area-mm|0,10|width and height must be above 0
--area-polygon|0,0 10,0 20,0|the polygon has no area
--area-polygon|10,10 -5,20 20,20|coordinates must be 0 or more
--area-polygon|10,10 1e7,20 20,20|coordinate out of range
--photo||empty file name
--ruler|1,2|expected X1,Y1,X2,Y2,MM
--ruler|0,0,10,0,0|the distance must be above 0 mm
--ruler|0,0,1,0,10|the two points must be at least 2 pixels apart
--session-shares|10,10,10,10,10,10,40|at most 6 shares
--session-shares|0,50,50|every share must be above 0
--session-shares|a,b|expected percentages A,B,C\.\.\.
--area|manual|expected auto
--face|sideways|expected down, up, left or right
--undertone|black|expected cool, neutral or warm
--mode|thick|expected normal or thinning
--paper|a3|expected a4 or letter
--match|maybe|expected auto or off
--compose|collage|expected after, side, split
--scar-width|0.1|expected mm between 0.5 and 50
--scar-density|3|expected a share between 0 and 2
--scar-darkness|2|expected a share between 0.1 and 1.5
--feather-mm|21|expected mm between 0 and 20
--sentinel-mm|31|expected mm between 0 and 30
--first-session-raise|41|expected mm between 0 and 40
--transition-mm|51|expected mm between 0 and 50
--wavelength-mm|501|expected mm between 5 and 500
--dot-mm|4|expected mm between 0.05 and 3
--depth-mm|1.5|expected mm between 0.05 and 1
--dot-variation|0.95|expected a fraction between 0 and 0.9
--healing-spread|0.95|expected a fraction between 0 and 0.9
--session-darkening|0.6|expected a fraction between 0 and 0.5
--blowout|2|expected a fraction between 0 and 1
--irregularity|2|expected a number between 0 and 1
--darkness|0|expected a number between 0.01 and 1
--max-pixels|0|expected a number of pixels between 1 and 1000000000
--scale|0|expected px per mm between 0.01 and 1000
--px-per-mm|0.1|expected px per mm between 0.5 and 100
--dilution|lots|expected water parts between 0 and 50, or auto
--pigment|black|expected #RRGGBB
--png-level|10|expected a whole number from 0 to 9
--quality|0|expected a whole number from 1 to 100
--show|fresh,healed|give one of healed, fresh and years=Y
--show|years=60|years=Y needs Y between 0 and 50
--density|400:500|density above 400 dots/cm\^2
--density|a:b|expected D or D1:D2
LIST
expect_only_files

t "catalogue: combinations on the command line (exit 1)"
cp "$root"/samples/top.jpg top.jpg; cp "$root"/tests/cli/data/black16.png black16.png
run layout -o d.csv; expect_status 1; expect_error "^smpsim: no treatment area: give --area-mm W,H, --area-polygon or --area-mask$"
run layout --area-mm 50,50 --area-mask black16.png --area-polygon "0,0 10,0 10,10" --scale 4 -o d.csv; expect_status 1
expect_error "give --area-mask or --area-polygon, not both$"
run render top.jpg --scale 4 --area auto --area-polygon "0,0 100,0 100,100" -o a.png; expect_status 1
expect_error "give auto, --area-polygon or --area-mask, one of them$"
run render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --anchors 190,610:400,700:610,610 --hairline-points "10,10 20,20" -o a.png; expect_status 1
expect_error "give --anchors or --hairline-points, not both$"
run render top.jpg --anchors 190,610:700,700:610,610 -o a.png; expect_status 1
expect_error "the front midpoint must lie between the temple points$"
run layout --area-mm 50,50 --exclude-mask black16.png -o d.csv; expect_status 1
expect_error "^smpsim: --exclude-mask needs --scale PX_PER_MM or a photo$"
run layout --area-mm 50,50 --scar-mask black16.png -o d.csv; expect_status 1; expect_error "^smpsim: --scar-mask needs a photo or --scale$"
run layout --area-mm 50,50 --patch-mask black16.png -o d.csv; expect_status 1; expect_error "^smpsim: --patch-mask needs a photo or --scale$"
run layout --area-mm 50,50 --save-area a.png -o d.csv; expect_status 1; expect_error "--save-area needs a photo$"
run render top.jpg --scale 4 --save-area a.png -o a.png; expect_status 1; expect_error "^smpsim: a\.png: named for both -o and --save-area$"
# The same file by another name, before either exists.
mkdir -p sub
run render top.jpg --scale 4 --area-polygon "100,100 700,100 700,700" --save-area ./sub/../o.png -o o.png; expect_status 1
expect_error "^smpsim: \./sub/\.\./o\.png: named for both -o and --save-area$"
[ ! -e o.png ] || fail "o.png written"
rmdir sub
run layout --area-mm 50,50 -o - --json; expect_status 1; expect_error "-o - and --json both write to stdout; choose one"
printf '[area]\narea-mm = 50,50\n' >p.smp
run layout p.smp --plan p.smp -o d.csv; expect_status 1; expect_error "give the plan once, as an argument or with --plan"
printf 'x_mm,y_mm,diameter_mm,darkness,session\n' >dots.csv
run analyze dots.csv --area-mm 10,10 --area-polygon "0,0 5,0 5,5"; expect_status 1; expect_error "give the rectangle with --area-mm W,H"
run batch a.csv b.csv; expect_status 1; expect_error "unexpected argument 'b\.csv'"
run print --area-mm 50,50 -o m.pdf; expect_status 1; expect_error "^smpsim: print needs a photo: give PHOTO or --photo$"
run render --area-mm 50,50 -o m.png; expect_status 1; expect_error "^smpsim: render needs a photo: give PHOTO or --photo$"
run render top.jpg --ruler 0,0,2,0,1000 -o a.png; expect_status 1; expect_error "top\.jpg: a scale of 0\.002 px/mm is not plausible$"
expect_only_files top.jpg black16.png p.smp dots.csv

t "catalogue: files (exit 2)"
cp "$root"/tests/cli/data/cmyk.jpg cmyk.jpg; cp "$root"/tests/cli/data/black16.png black16.png
run render cmyk.jpg --scale 4 -o a.png; expect_status 2; expect_error "^smpsim: cmyk\.jpg: CMYK JPEG is not supported; save it as RGB$"
# The IHDR's checksum spoiled: libpng refuses it.
{ head -c 29 black16.png; printf '\000\000\000\000'; tail -c +34 black16.png; } >bad.png
run layout --area-mask bad.png --scale 4 -o d.csv; expect_status 2; expect_error "^smpsim: bad\.png: unreadable PNG: "
run layout --area-mask black16.png --scale 4 -o d.csv; expect_status 2
expect_error "^smpsim: black16\.png: the mask has no white pixels: nothing to treat$"
smpsim layout --area-mm 4,4 --px-per-mm 4 -o p16.png
run render p16.png --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --patch-mask black16.png -o a.png; expect_status 2; expect_error "^smpsim: black16\.png: the mask has no white pixels$"
run render p16.png --scale 4 --area-polygon "160,160 640,160 640,640 160,640" --scar-dots --scar-mask p16.png -o a.png; expect_status 1
expect_error "give --scar-dots or --scar-mask, not both$"
smpsim layout --area-mm 1000,0.25 --px-per-mm 4 -o wide.png
run layout --area-mask wide.png --scale 0.1 -o d.csv; expect_status 2; expect_error "^smpsim: wide\.png: at this scale the mask spans more than 20000 mm$"
run layout --area-mm 100,100 --area-polygon "0,0 25000,0 25000,100" -o d.csv; expect_status 2
expect_error "^smpsim: --area-polygon: spans more than 20000 mm$"
mkdir folder
run layout --plan folder -o d.csv; expect_status 2; expect_error "^smpsim: folder: not a regular file$"
run analyze folder --area-mm 10,10; expect_status 2; expect_error "^smpsim: folder: read error$"
run render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o a.png; expect_status 2; expect_error "^smpsim: top\.jpg: cannot open: No such file or directory$"
run layout --area-mask nothere.png --scale 4 -o d.csv; expect_status 2; expect_error "^smpsim: nothere\.png: cannot open: No such file or directory$"
cp "$root"/samples/top.jpg top.jpg
run render top.jpg --scale 4 --area-polygon "0,0 800,0 800,800 0,800" --save-area a.jpg -o b.png; expect_status 1
expect_error "^smpsim: a\.jpg: the area is saved as a PNG$"

t "catalogue: plan files and presets (exit 2, with the line)"
printf '[area]\narea-mm = 50,50\nnot a key\n' >a.smp
run layout a.smp -o d.csv; expect_status 2; expect_error "^smpsim: a\.smp:3: not a key = value line or \[section\]$"
printf '[hairline]\narea-mm = 50,50\n' >b.smp
run layout b.smp -o d.csv; expect_status 2; expect_error "^smpsim: b\.smp:2: key 'area-mm' belongs in section \[area\], not \[hairline\]$"
printf '[plan]\npreset = natural-buzz\n    more\n' >c.smp
run layout c.smp -o d.csv; expect_status 2; expect_error "^smpsim: c\.smp:3: an indented line continues only a key's value$"
printf '[area]\narea-mm = 50,50\n[plan]\npreset = natural-buzz\n' >d.smp
run layout d.smp -o d.csv; expect_status 2; expect_error "^smpsim: d\.smp:4: preset must be the first key of the plan$"
mkdir presets
printf '[plan]\npreset = loop\n' >presets/loop.smp
printf '[area]\narea-mm = 50,50\n[hairline]\nshape = round\n' >presets/broken.smp
run layout --preset loop -o d.csv; expect_status 2; expect_error "presets nest more than 4 deep$"
printf '[plan]\npreset = broken\n' >e.smp
run layout e.smp -o d.csv; expect_status 2; expect_error "^smpsim: e\.smp:2: in preset 'broken': presets/broken\.smp:4: unknown key 'shape'$"
printf '[density]\nclustering = maybe\n' >f.smp
run layout f.smp --area-mm 50,50 -o d.csv; expect_status 2; expect_error "^smpsim: f\.smp:2: clustering: maybe: expected yes or no$"
rm -r presets
run presets nothere; expect_status 1; expect_error "unknown preset 'nothere'"
# A copy of the program with no presets beside it, run where there are none.
cp "$bin" ./lone-smpsim
SMPSIM_PRESETS=/nonexistent ${SMPSIM_WRAP:-} ./lone-smpsim presets >out.txt 2>err.txt; status=$?
cat err.txt >>"$stderr_log"
# Only where smpsim is not installed: the share folder would have them.
if [ "$status" = 2 ] || [ "$status" = 1 ]; then
  expect_error "no presets found \(looked in \./presets, \\\$SMPSIM_PRESETS, beside the program and the share folder\)"
fi
rm -f lone-smpsim

t "catalogue: the photo (exit 2)"
cp "$root"/samples/top.jpg top.jpg
"${SMPSIM_APPEARANCE:-$root/build/appearance}" mkflat white.png 160 160 ffffff || fail "mkflat"
# Patches on an even white photo: no hair around them to match.
run render white.png --scale 4 --density auto --patch-polygon "40,40 120,40 120,120 40,120" -o a.png; expect_status 2
expect_error "^smpsim: white\.png: the skin around the patches is no darker than inside them: no hair to match; give --density$"
run render white.png --scale 4 --density auto --patch-polygon "0,0 160,0 160,160 0,160" -o a.png; expect_status 2
expect_error "^smpsim: white\.png: too little of the photo around the patches to match the hair there$"
run shade top.jpg --scale 4 --area-polygon "1,1 3,1 3,3"; expect_status 2
expect_error "^smpsim: top\.jpg: too little of the treatment area to measure the skin$"
run render white.png --scale 4 --mode thinning -o a.png; expect_status 2
expect_error "^smpsim: white\.png: no scalp area could be told apart in the photo; give --area-polygon or --area-mask$"

t "catalogue: batch manifests (exit 2, the job's error on its line)"
printf 'photo,output\n"top.jpg,a.png\n' >a.csv
run batch a.csv -q; expect_status 2; expect_error "^smpsim: a\.csv:2: malformed CSV line$"
printf 'photo,"output\n' >b.csv
run batch b.csv -q; expect_status 2; expect_error "^smpsim: b\.csv:1: malformed CSV header$"
printf 'photo,dots\ntop.jpg,a.png\n' >c.csv
run batch c.csv -q; expect_status 2; expect_error "^smpsim: c\.csv:1: unknown column 'dots'$"
printf 'seed,output\n1,a.png\n' >d.csv
run batch d.csv -q; expect_status 2; expect_error "^smpsim: d\.csv:1: the header needs an output column and a photo or plan column$"
printf 'photo,output\ntop.jpg,\n' >e.csv
run batch e.csv -q; expect_status 2; expect_error "^smpsim: e\.csv:2: no output$"
printf 'photo,output\n' >f.csv
run batch f.csv -q; expect_status 2; expect_error "^smpsim: f\.csv: no jobs$"
cp "$root"/samples/top.jpg top.jpg
printf 'photo,output,command,scale,area-polygon\ntop.jpg,a.png,paint,4,"100,100 700,100 700,700"\n' >g.csv
run batch g.csv -v; expect_status 2
expect_err_has "^smpsim: line 2: unknown command 'paint' \(render, layout or print\)$"
grep -q '"error":"unknown command' out.txt || fail "the JSON line lacks the error"

t "catalogue: dot files (exit 2)"
printf 'a,b,c\n1,2,3\n' >a.csv
run analyze a.csv --area-mm 10,10; expect_status 2; expect_error "^smpsim: a\.csv:1: not a dots CSV \(expected header x_mm,y_mm,diameter_mm,darkness,session\)$"
printf 'x_mm,y_mm,diameter_mm,darkness,session\n1,2,0.3\n' >b.csv
run analyze b.csv --area-mm 10,10; expect_status 2; expect_error "^smpsim: b\.csv:2: fewer than 5 columns$"
printf 'x_mm,y_mm,diameter_mm,darkness,session\n1,x,0.3,0.8,1\n' >c.csv
run analyze c.csv --area-mm 10,10; expect_status 2; expect_error "^smpsim: c\.csv:2: column 2 is not a number$"
# A coordinate far past any frame (once a crash: a cell index overflowed).
printf 'x_mm,y_mm,diameter_mm,darkness,session\n3e10,5,0.5,1,1\n' >far.csv
run analyze far.csv --area-mm 100,100; expect_status 2
expect_error "^smpsim: far\.csv:2: column 1 is out of range \(3e\+10; at most 1e\+06\)$"
printf 'x_mm,y_mm,diameter_mm,darkness,session\n5,5,0.5,1,1e300\n' >far.csv
run analyze far.csv --area-mm 100,100; expect_status 2; expect_err_has "column 5 is out of range"

t "catalogue: what -v says (exit 0)"
run layout --area-mm 50,50 -v -o d.csv; expect_status 0
expect_error "^smpsim: [0-9]+ dots \(expected [0-9]+\) over 25\.0 cm\^2, [0-9.]+ dots/cm\^2, in [0-9.]+ s$"
cp "$root"/samples/top.jpg top.jpg
run render top.jpg --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -v -o a.png; expect_status 0
expect_err_has "^smpsim: a\.png: [0-9]+ dots at 4\.00 px/mm in [0-9.]+ s$"

t "catalogue: the batch progress bar, on a terminal only"
cp "$root"/samples/top.smp "$root"/samples/top.jpg .; printf 'top.smp\n' >list.txt
# script(1) gives the batch a terminal; what it drew joins the log.
script -qec "'$bin' batch list.txt" /dev/null >tty.txt 2>&1 </dev/null
grep -aEq 'smpsim batch \[[#. -]*\] 1/1, 0 failed' tty.txt || fail "no progress bar on a terminal: $(head -c 300 tty.txt)"
tr '\r' '\n' <tty.txt >>"$stderr_log"
run batch list.txt; expect_status 0
grep -q 'smpsim batch \[' err.txt && fail "a progress bar without a terminal"
true
