# JSON: every --json output, layout's JSON file and batch reports are valid
# JSON (checked with jansson's parser) whatever the names in them.

t "every --json output is valid JSON"
cp "$root"/samples/top.smp "$root"/samples/top.jpg .
run render top.smp -o r.png --json; expect_status 0; expect_json --lines out.txt
run layout top.smp -o d.csv --json; expect_status 0; expect_json --lines out.txt
run print top.smp -o m.pdf --json; expect_status 0; expect_json --lines out.txt; expect_out '"pages":3'
run shade top.smp --json; expect_status 0; expect_json --lines out.txt; expect_out '"pigment_rgb":"#[0-9a-f]{6}"'
run analyze d.csv --area-mm 300,200 --json; expect_status 0; expect_json --lines out.txt
run presets --json; expect_status 0; expect_json out.txt; expect_out '"name":"mature-receded"'
run layout top.smp -o d.json; expect_status 0; expect_json d.json

t "quotes, backslashes and invalid UTF-8 in file names are escaped or replaced"
cp "$root"/samples/top.smp "$root"/samples/top.jpg .
run print top.smp -o 'a"b\c.pdf' --json; expect_status 0; expect_json --lines out.txt
expect_out '"output":"a\\"b\\\\c\.pdf"'
bad=$(printf 'x\377\376y.csv')
run layout top.smp -o "$bad" --json; expect_status 0; expect_json --lines out.txt; expect_file "$bad"
LC_ALL=C grep -qF "$(printf '"output":"x\357\277\275\357\277\275y.csv"')" out.txt || fail "invalid bytes not replaced: $(head -c 300 out.txt)"
printf 'plan,output\ntop.smp,"q""uote.png"\ntop.smp,%s\nnothere.smp,"bad\\name.png"\n' "$(printf 'z\377.png')" >m.csv
run batch m.csv --report r.jsonl; expect_status 2; expect_json --lines r.jsonl
[ "$(wc -l <r.jsonl)" = 3 ] || fail "report lines: $(cat r.jsonl)"
grep -qF '"output":"q\"uote.png"' r.jsonl || fail "quote in the report: $(cat r.jsonl)"

t "seeds JSON can carry: up to 2^63 - 1"
run layout --area-mm 20,20 --seed 9223372036854775807 --json; expect_status 0; expect_out '"seed":9223372036854775807[,}]'
expect_json --lines out.txt
run layout --area-mm 20,20 --seed 9223372036854775808 --json; expect_status 1
expect_error 'number out of range \(0 to 9223372036854775807\)'
