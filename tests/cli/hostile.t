# Small hostile inputs, each under 2 GB of address space and 60 s: a clean
# refusal (exit 1 or 2, one line naming the problem) or a bounded run
# (exit 0), never a crash, a hang or gigabytes of output.  Each of these
# once ran for minutes or gigabytes (issue 16); limits.t checks each one's
# exact answer, this file that none of them needs more than the bounds.
# Not under ASan or valgrind (they reserve far more address space and are
# far slower): CI runs it in make check.

# bounded LABEL ARGS...: runs smpsim under the bounds.
bounded() {
  local label=$1; shift
  (ulimit -v 2000000; timeout 60 "$bin" "$@" >out.txt 2>err.txt; echo $? >status.txt)
  status=$(cat status.txt)
  case $status in
    0) ;;
    1|2) expect_error "." ;;
    124) fail "$label: still running after 60 s" ;;
    *) fail "$label: exit $status (stderr: $(head -c 300 err.txt))" ;;
  esac
  find . -name '*.csv' -size +200M | grep -q . && fail "$label: wrote more than 200 MB"
  true
}

t "hostile inputs: each refused cleanly or run within 2 GB and 60 s"
if [ -n "${SMPSIM_SANITIZED:-}${SMPSIM_WRAP:-}" ]; then
  echo "hostile.t: skipped under a sanitizer or valgrind" >&2
else
  cp "$root"/tests/cli/data/stripes-density.png "$root"/samples/top.jpg .
  bounded "striped density map" layout --area-mm 6000,6000 --density-map stripes-density.png --scale 0.0666667 --density 120 -o a.csv
  printf '[area]\narea-mm = 100,100\n[hairline]\nhairline-points = -1000000,50 50,40 1000000,50\n' >far.smp
  bounded "hairline points at 1e6 mm" layout far.smp -o b.csv
  bounded "a triangle in a 20 m frame" layout --area-mm 20000,20000 --area-polygon "0,0 10,0 0,10" --density 400 -o c.csv
  bounded "a 20 m square at 400 dots/cm^2" layout --area-mm 20000,20000 --density 400 -o d.csv
  { echo 'x_mm,y_mm,diameter_mm,darkness,session'; yes '5,5,0.5,1,1' | head -200000; } >pile.csv
  bounded "200,000 coincident dots" analyze pile.csv --area-mm 10,10
  echo 'x_mm,y_mm,diameter_mm,darkness,session' >far.csv; echo '3e10,5,0.5,1,1' >>far.csv
  bounded "a dot at x = 3e10" analyze far.csv --area-mm 10,10
  # A 10,000 x 10,000 px PNG of a few hundred kB.
  "$bin" layout --area-mm 1000,1000 --density 0.01 --px-per-mm 10 -o huge.png 2>/dev/null || fail "could not make huge.png"
  bounded "print of a 100-megapixel photo" print huge.png --scale 10 --area-polygon "4000,4000 6000,4000 6000,6000 4000,6000" -o h.pdf
  [ ! -e h.pdf ] || [ "$(wc -c <h.pdf)" -lt 20000000 ] || fail "the mock-up of huge.png is $(wc -c <h.pdf) bytes"
  bounded "SVG of a 100-megapixel photo at 40 px/mm" render huge.png --scale 40 --area-polygon "4000,4000 6000,4000 6000,6000 4000,6000" -o h.svg
  [ ! -e h.svg ] || [ "$(wc -c <h.svg)" -lt 20000000 ] || fail "the SVG of huge.png is $(wc -c <h.svg) bytes"
  bounded "a 20000 x 1200000 px preview" render top.jpg --scale 4 -q --area-polygon "160,160 640,160 640,640 160,640" --compose stack --width 20000 -o w.png
fi
