# smpsim batch: manifests, failures, parallelism, shards, resume, Ctrl-C; plans round-trip.

t "a manifest mixing good jobs with a missing photo, a corrupt photo and a bad plan"
cp "$root"/samples/* .
head -c 3000 top.jpg >cut.jpg
printf '[area]\nbogus = 1\n' >bad.smp
cat >m.csv <<'CSV'
photo,plan,output,seed,compose
,top.smp,a.png,1,after
,frontal.smp,b.png,2,
nothere.jpg,,c.png,3,
cut.jpg,,d.png,4,
,bad.smp,e.png,5,
,top.smp,f.csv,6,
CSV
run batch m.csv -j 2; expect_status 2
for f in a.png b.png f.csv; do expect_file $f; done
for f in c.png d.png e.png; do [ ! -e $f ] || fail "$f written by a failed job"; done
[ "$(grep -c '"status":"ok"' out.txt)" = 3 ] || fail "ok lines: $(cat out.txt)"
grep -q '"line":4,"status":"failed".*nothere.jpg: cannot open' out.txt || fail "missing photo not reported"
grep -q '"line":5,"status":"failed".*cut.jpg: truncated or corrupt JPEG' out.txt || fail "corrupt photo not reported"
grep -q '"line":6,"status":"failed".*bad.smp:2: unknown key' out.txt || fail "bad plan not reported"
grep -q '^smpsim batch: 6 jobs: 3 ok, 3 failed, 0 skipped' err.txt || fail "summary: $(cat err.txt)"
ls -A | grep -q '^\.' && fail "temporary files left: $(ls -A | grep '^\.')"
true

t "outputs do not depend on -j or shards; resume skips what is done"
cp "$root"/samples/* .
printf 'plan,output,seed,show\n' >m.csv
for i in 1 2 3 4 5 6; do printf 'top.smp,out/%d.png,%d,%s\n' $i $i "$([ $i = 3 ] && echo fresh)" >>m.csv; done
printf 'top.smp,out/7.csv,7,\n' >>m.csv
mkdir out
run batch m.csv -j 1 -q; expect_status 0; expect_quiet_err; mv out one; mkdir out
run batch m.csv -j 2 --report r.jsonl; expect_status 0; expect_no_out; mv out two; mkdir out
[ "$(wc -l <r.jsonl)" = 7 ] || fail "report has $(wc -l <r.jsonl) lines"
run batch m.csv --shard 1/2; expect_status 0; run batch m.csv --shard 2/2; expect_status 0
[ "$(grep -c '"status"' out.txt)" = 3 ] || fail "shard 2/2 ran $(grep -c '"status"' out.txt) jobs"
for f in 1.png 2.png 3.png 4.png 5.png 6.png 7.csv; do
  cmp -s one/$f two/$f || fail "$f differs between -j 1 and -j 2"
  cmp -s one/$f out/$f || fail "$f differs between -j 1 and shards"
done
run batch m.csv --resume; expect_status 0
[ "$(grep -c '"status":"skipped"' out.txt)" = 7 ] || fail "resume did not skip: $(head -c 300 out.txt)"
touch top.smp
run batch m.csv --resume; expect_status 0
[ "$(grep -c '"status":"ok"' out.txt)" = 7 ] || fail "resume skipped jobs whose plan changed"
# A file the plan names (the photo, a mask) changed: the job runs again.
touch top.jpg
run batch m.csv --resume; expect_status 0
[ "$(grep -c '"status":"ok"' out.txt)" = 7 ] || fail "resume skipped jobs whose photo changed: $(head -c 300 out.txt)"
smpsim layout --area-mm 200,200 --density 1 --px-per-mm 4 -o mask.png
{ cat top.smp; printf '[area]\nexclude-mask = mask.png\n'; } >masked.smp
printf 'plan,output\nmasked.smp,out/m.png\n' >mm.csv
run batch mm.csv; expect_status 0
run batch mm.csv --resume; expect_status 0; grep -q '"status":"skipped"' out.txt || fail "resume did not skip the masked job"
touch mask.png
run batch mm.csv --resume; expect_status 0
grep -q '"status":"ok"' out.txt || fail "resume skipped a job whose mask changed: $(head -c 300 out.txt)"

t "a plain list of plan files renders each beside its plan"
cp "$root"/samples/* .
printf 'top.smp\n# a comment\n\nfrontal.smp\n' >list.txt
run batch list.txt; expect_status 0
expect_file top.png; expect_file frontal.png

t "Ctrl-C stops the workers, leaves no partial files and reports what finished"
cp "$root"/samples/* .
printf 'plan,output,seed\n' >m.csv
for i in $(seq 1 40); do printf 'top.smp,o%d.png,%d\n' $i $i >>m.csv; done
"$bin" batch m.csv -j 2 >out.txt 2>err.txt &
pid=$!
sleep 0.6
kill -INT $pid
wait $pid; status=$?
expect_status 130
grep -q 'interrupted' err.txt || fail "no interruption summary: $(cat err.txt)"
ls -A | grep -q '^\.' && fail "temporary files left: $(ls -A | grep '^\.')"
n=$(ls o*.png 2>/dev/null | wc -l)
[ "$n" -lt 40 ] || fail "all 40 finished before the interrupt"
[ "$(grep -c '"status":"ok"' out.txt)" = "$n" ] || fail "report does not match the files: $n files"

t "interrupted at any moment, the report lists every file there is"
# A worker stopped just after its output went into place once reported
# it interrupted, the file left behind (seen under the sanitizers): many
# short jobs, stopped at a dozen moments.
cp "$root"/samples/* .
printf 'command,plan,output,seed\n' >m.csv
for i in $(seq 1 200); do printf 'layout,top.smp,o%d.csv,%d\n' $i $i >>m.csv; done
# Under valgrind (SMPSIM_WRAP) each worker takes seconds to start: four.
bt_moments="0.15 0.2 0.25 0.3 0.35 0.4 0.45 0.5 0.55 0.6 0.65 0.7"
[ -z "${SMPSIM_WRAP:-}" ] || bt_moments="0.5 1 1.5 2"
for d in $bt_moments; do
  rm -f o*.csv
  "$bin" batch m.csv -j 2 >out.txt 2>err.txt &
  pid=$!
  sleep $d
  kill -INT $pid 2>/dev/null
  wait $pid
  n=$(ls o*.csv 2>/dev/null | wc -l)
  [ "$(grep -c '"status":"ok"' out.txt)" = "$n" ] || fail "stopped after $d s: $n files, $(grep -c '"status":"ok"' out.txt) reported"
done

t "SIGHUP to the batch alone: the workers stop with it and the report keeps what finished"
cp "$root"/samples/* .
printf 'plan,output,seed\n' >m.csv
for i in $(seq 1 40); do printf 'top.smp,o%d.png,%d\n' $i $i >>m.csv; done
"$bin" batch m.csv -j 2 --report rep.jsonl >out.txt 2>err.txt &
pid=$!
sleep 0.6
kill -HUP $pid
wait $pid; status=$?
expect_status 130
# A worker left running would go on writing outputs after the batch ended.
n0=$(ls o*.png 2>/dev/null | wc -l); sleep 1
[ "$(ls o*.png 2>/dev/null | wc -l)" = "$n0" ] || fail "workers went on after the batch ended"
ls -A | grep -q '^\.' && fail "temporary files left: $(ls -A | grep '^\.')"
[ -s rep.jsonl ] || fail "the report was discarded"
n=$(ls o*.png 2>/dev/null | wc -l)
[ "$(grep -c '"status":"ok"' rep.jsonl)" = "$n" ] || fail "report does not match the files: $n files"

t "batch usage errors"
run batch; expect_status 1; expect_error "no manifest"
run batch m.csv --shard 3/2; expect_status 1; expect_error "--shard"
run batch m.csv -j 0; expect_status 1; expect_error "--jobs"
run batch nothere.csv; expect_status 2; expect_error "nothere\.csv: cannot open"
printf 'photo,output,frobnicate\nx.jpg,y.png,1\n' >u.csv
run batch u.csv; expect_status 2; expect_error "u\.csv:1: unknown column 'frobnicate'"

t "--dump-plan round-trips: the dumped plan renders the same picture"
cp "$root"/samples/* .
mkdir elsewhere
run render top.smp --seed 9 --hairline mature --dump-plan; expect_status 0
cp out.txt elsewhere/dumped.smp
run render top.smp --seed 9 --hairline mature -o a.png; expect_status 0
run render elsewhere/dumped.smp -o b.png; expect_status 0
cmp -s a.png b.png || fail "the dumped plan renders differently"

t "--dump-plan round-trips odd names: semicolons, quotes, spaces, long paths and long text"
cp "$root"/samples/top.jpg .
dir=$(printf 'p%.0s' $(seq 1 120))/$(printf 'q%.0s' $(seq 1 120))
mkdir -p "$dir"; cp top.jpg "$dir/my  photo; 1.jpg"
clinic=$(printf '日本%.0s' $(seq 1 32))
run render "$dir/my  photo; 1.jpg" --scale 4 --area-polygon "100,100 700,100 700,700" --client 'J. Doe ; VIP' \
  --clinic "$clinic" --description ' "quoted" back\slash  two  spaces ' --dump-plan
expect_status 0; cp out.txt one.smp
awk 'length($0) > 199 {exit 1}' one.smp || fail "a dumped line is longer than 199 bytes"
run render one.smp --dump-plan; expect_status 0; cp out.txt two.smp
cmp -s one.smp two.smp || fail "the plan changed on the way back: $(diff one.smp two.smp | head -c 400)"
grep -qF 'client = "J. Doe \; VIP"' one.smp || fail "client: $(grep client one.smp)"
run render one.smp -o a.png; expect_status 0
printf '[print]\nclient = "unterminated\n' >bad.smp
run render bad.smp --dump-plan; expect_status 2; expect_error 'bad\.smp:2: client: a quoted value must end in an unescaped quote'

t "bash completion offers subcommands, options and presets"
# shellcheck disable=SC1091
PATH="$(dirname "$bin"):$PATH"
. "$root/completions/smpsim.bash"
COMP_WORDS=(smpsim re); COMP_CWORD=1; _smpsim
[ "${COMPREPLY[*]}" = "render" ] || fail "subcommand: ${COMPREPLY[*]}"
COMP_WORDS=(smpsim render --hair); COMP_CWORD=2; _smpsim
printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- '--hairline' || fail "option: ${COMPREPLY[*]}"
COMP_WORDS=(smpsim layout --preset wid); COMP_CWORD=3; _smpsim
[ "${COMPREPLY[*]}" = "widows-peak" ] || fail "preset: ${COMPREPLY[*]}"

t "a preset column: the named plan under the plan file and the other columns"
cp "$root"/samples/top.jpg .
printf 'photo,output,preset,scale,area-polygon,seed\ntop.jpg,a.csv,widows-peak,4,"160,160 640,160 640,640 160,640",3\ntop.jpg,b.csv,nothere,4,"100,100 700,100 700,700",3\n' >m.csv
printf 'photo,output,command,preset,scale,area-polygon\ntop.jpg,c.csv,layout,widows-peak,4,"160,160 640,160 640,640 160,640"\n' >n.csv
run batch n.csv -q; expect_status 0; expect_file c.csv
run layout top.jpg --preset widows-peak --scale 4 --area-polygon "160,160 640,160 640,640 160,640" -o d.csv; expect_status 0
cmp -s c.csv d.csv || fail "the preset column did not make the dots --preset makes"
run batch m.csv -q; expect_status 2
grep -q "\"error\":\"unknown preset 'nothere'" out.txt || fail "the bad preset is not reported: $(cat out.txt)"

t "a job's warning reaches the report and -v, and the job is still ok"
cp "$root"/samples/* .
printf 'plan,output,face\ntop.smp,a.png,left\ntop.smp,b.png,\n' >m.csv
run batch m.csv -v; expect_status 0
grep -q '"line":2,"status":"ok".*"warnings":\["--face left runs along the temple points' out.txt || fail "warning not reported: $(cat out.txt)"
grep -q '"line":3,"status":"ok".*"warnings":\[\],"error":null' out.txt || fail "empty warnings not reported: $(cat out.txt)"
expect_err_has "^smpsim: line 2: warning: --face left runs along the temple points"
[ "$(grep -c warning err.txt)" = 1 ] || fail "warnings on stderr: $(cat err.txt)"
# Two notes on one job: each its own warning (the second was lost).
printf 'plan,output,face,shave\nfrontal.smp,c.png,left,true\n' >m2.csv
run batch m2.csv -v; expect_status 0
grep -q '"warnings":\["--face left runs along the temple points[^"]*","--shave: hair goes on past' out.txt ||
  fail "two warnings not reported: $(cat out.txt)"
[ "$(grep -c 'line 2: warning' err.txt)" = 2 ] || fail "warnings on stderr: $(cat err.txt)"

t "a job never replaces its inputs: the photo its plan names, a mask, the manifest, the report"
cp "$root"/samples/* .
cp top.jpg keep.jpg; cp patches-mask.png keep-mask.png
printf 'plan,output\ntop.smp,top.jpg\n' >photo.csv
printf 'plan,output,exclude-mask\ntop.smp,patches-mask.png,patches-mask.png\n' >mask.csv
printf 'plan,output\ntop.smp,self.csv\n' >self.csv
printf 'plan,output\ntop.smp,rep.json\n' >rep.csv
echo '{}' >rep.json
run batch photo.csv -q; expect_status 2
grep -q '"line":2,"status":"failed".*"error":"[^"]*top\.jpg: the output would overwrite an input"' out.txt ||
  fail "the plan's photo is not protected: $(cat out.txt)"
cmp -s top.jpg keep.jpg || fail "the client's photo was replaced"
run batch mask.csv -q; expect_status 2
cmp -s patches-mask.png keep-mask.png || fail "the mask was replaced"
cp self.csv keep.csv
run batch self.csv -q; expect_status 2
cmp -s self.csv keep.csv || fail "the manifest was replaced"
run batch rep.csv -q --report rep.json; expect_status 2
grep -q 'rep\.json: the output would overwrite an input' rep.json || fail "the report does not say why: $(cat rep.json)"

t "workers that cannot be started are a failure of every job left, with the reason"
# A process limit of 1 for an unprivileged user: the batch cannot fork.
# (Root ignores the limit, so the run is as nobody; skipped without root or
# setpriv.)
# Not under ASan or valgrind: their own helpers need processes too.
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1 || [ -n "${SMPSIM_SANITIZED:-}${SMPSIM_WRAP:-}" ]; then
  echo "skipped: needs root and setpriv, and a plain build"
  echo '^cannot start a worker: @; @ of @ jobs not run$   # skipped here' >>"$stderr_log.skip"
else
  np=$(mktemp -d /tmp/smpsim-nproc-XXXXXX); chmod 777 "$np"
  cp "$root"/samples/top.smp "$root"/samples/top.jpg "$np"/; chmod 644 "$np"/*
  printf 'plan,output\ntop.smp,a.png\ntop.smp,b.png\n' >"$np"/m.csv; chmod 644 "$np"/m.csv
  (cd "$np" && setpriv --reuid 65534 --regid 65534 --clear-groups bash -c "ulimit -u 1; exec $bin batch m.csv -q") \
    >out.txt 2>err.txt; status=$?
  cat err.txt >>"$stderr_log"
  expect_status 2
  expect_error "^smpsim batch: cannot start a worker: Resource temporarily unavailable; 2 of 2 jobs not run$"
  [ ! -e "$np"/a.png ] || fail "a job ran"
  rm -rf "$np"
fi
