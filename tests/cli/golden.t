# Reviewed expected outputs: exit status, stdout and stderr of the cases in
# tests/golden/cases.txt, and the images they write (within a tolerance).
# SMPSIM_GOLDEN_UPDATE=1 (make golden) writes the expected files instead.

golden=$root/tests/golden
gold_ap=${SMPSIM_APPEARANCE:-$root/build/appearance}

# The case folder: the samples, a bad plan, a cut photo, a dots CSV and a
# manifest with a good and a failing job.
gold_setup() {
  cp "$root"/samples/*.smp "$root"/samples/*.jpg "$root"/samples/*.png .
  printf '[area]\nbogus = 1\n' >bad.smp
  head -c 3000 top.jpg >cut.jpg
  "$bin" layout --area-mm 100,80 -o dots.csv 2>/dev/null
  printf 'plan,output,seed\ntop.smp,b1.png,1\nnothere.smp,b2.png,2\n' >m.csv
}

# Timings vary from run to run.
gold_scrub() { sed -E 's/"seconds":[0-9.e-]+/"seconds":T/g; s/in [0-9]+\.[0-9]+ s/in T s/g'; }

while IFS='|' read -r name args; do
  name=$(echo "$name" | tr -d ' ')
  case $name in ''|\#*) continue ;; esac
  t "golden: $name"
  gold_setup
  # shellcheck disable=SC2086
  eval "run $args"
  { echo "status $status"; echo "--- stdout"; gold_scrub <out.txt; echo "--- stderr"; gold_scrub <err.txt; } >"$name.out"
  if [ "${SMPSIM_GOLDEN_UPDATE:-}" = 1 ]; then
    cp "$name.out" "$golden/$name.out"
    [ -f "$name.png" ] && cp "$name.png" "$golden/$name.png"
    continue
  fi
  if [ ! -f "$golden/$name.out" ]; then fail "no $golden/$name.out (make golden)"; continue; fi
  diff -u "$golden/$name.out" "$name.out" >diff.txt || fail "differs from tests/golden/$name.out: $(head -c 600 diff.txt)"
  if [ -f "$golden/$name.png" ]; then
    if [ ! -f "$name.png" ]; then fail "$name.png not written"; continue; fi
    [ "$(png_size "$name.png")" = "$(png_size "$golden/$name.png")" ] || { fail "$name.png is $(png_size "$name.png"), expected $(png_size "$golden/$name.png")"; continue; }
    "$gold_ap" diff "$golden/$name.png" "$name.png" >fig.txt 2>&1 || { fail "appearance diff: $(cat fig.txt)"; continue; }
    px=$(awk '$1 == "diff_pixels" {print $2}' fig.txt) max=$(awk '$1 == "diff_max" {print $2}' fig.txt)
    mean=$(awk '$1 == "diff_mean" {print $2}' fig.txt)
    size=$(png_size "$name.png"); all=$(( ${size%x*} * ${size#*x} ))
    # Rounding (another CPU's vector width, other fonts' hinting) moves a
    # few pixels or a few levels; a wrong picture moves the mean.
    awk -v m="$mean" 'BEGIN {exit !(m <= 0.25)}' && { [ "$max" -le 8 ] || [ $((px * 200)) -le "$all" ]; } ||
      fail "$name.png: $px of $all pixels differ, by up to $max levels, $mean on average (tests/golden/$name.png)"
  fi
done <"$golden/cases.txt"
