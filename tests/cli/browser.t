# The studio's page in a real browser (tests/browser/studio_test.py):
# Debian's chromium, headless, driven by Selenium.  Skipped, with a message,
# where chromium, chromedriver or python3-selenium are missing
# (scripts/deps.sh --tests installs them).  Screenshots at 1280x800,
# 1366x768 and 1920x1080 go to $SMPSIM_SHOTS (default: browser/ beside the
# binary).

# browser_python: a python3 that has Selenium (Debian's is /usr/bin/python3,
# which another python3 on PATH may hide); empty when there is none.
browser_python() {
  local py
  for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 && "$py" -c 'import selenium' 2>/dev/null && { echo "$py"; return; }
  done
}

t "browser: open a photo, tap and drag the hairline, undo, save, screenshots"
py=$(browser_python)
if [ -z "$py" ]; then
  echo "browser.t: skipped: no python3-selenium (scripts/deps.sh --tests)" >&2
elif ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "browser.t: skipped: no chromium or chromedriver (scripts/deps.sh --tests)" >&2
else
  shots=${SMPSIM_SHOTS:-$(dirname "$bin")/browser}
  "$py" "$root/tests/browser/studio_test.py" test "$bin" "$root/samples" "$shots" >browser.out 2>&1; s=$?
  if [ $s = 77 ]; then
    echo "browser.t: skipped: $(grep '^SKIP' browser.out)" >&2
  elif [ $s != 0 ]; then
    fail "$(grep -m 5 -E '^FAIL|Error' browser.out | tr '\n' ' ' || tail -3 browser.out)"
  fi
  grep '^note:' browser.out | sed 's/^/browser.t: /' >&2
  [ -s "$shots/studio-1280x800.png" ] && [ -s "$shots/studio-1366x768.png" ] || fail "no screenshots in $shots"
fi
