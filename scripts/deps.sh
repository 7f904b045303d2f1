#!/bin/sh
# Installs smpsim's build dependencies when pkg-config cannot find them.
# Usage: scripts/deps.sh [--tests] [--valgrind] [--clang]
#   --tests adds Check, poppler-utils, exiftool, curl and the browser tests'
#   chromium, chromedriver and Selenium; --valgrind and --clang
#   the tools of make valgrind and make fuzz.
# As root it runs apt-get; otherwise it prints the command to run and fails.
set -eu
mods="cairo cairo-svg cairo-pdf libpng libjpeg libexif inih pangocairo jansson libmicrohttpd dlib-1"
# Fonts for names in any script: DejaVu (Latin, Greek, Cyrillic, Arabic),
# WenQuanYi Micro Hei (Chinese, Japanese).
# dlib finds faces (face.cpp); libdlib-data has its 68-point landmark model.
debs="pkg-config libcairo2-dev libpng-dev libjpeg-dev libexif-dev libinih-dev libpango1.0-dev libjansson-dev libmicrohttpd-dev fonts-dejavu-core fonts-wqy-microhei libdlib-dev libdlib-data libblas-dev liblapack-dev"
tests=0 tools=""
for a in "$@"; do
  case $a in
  --tests) tests=1 ;;
  --valgrind) tools="$tools valgrind" ;;
  --clang) tools="$tools clang" ;;
  *) echo "scripts/deps.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
if [ $tests = 1 ]; then
  mods="$mods check"
  debs="$debs check poppler-utils libimage-exiftool-perl curl chromium chromium-driver python3-selenium"
fi
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
if [ -z "$missing" ]; then
  for m in $mods; do
    pkg-config --exists "$m" 2>/dev/null || missing="$missing $m"
  done
fi
command -v cc >/dev/null 2>&1 || { missing="$missing cc"; debs="$debs gcc make"; }
command -v c++ >/dev/null 2>&1 || { missing="$missing c++"; debs="$debs g++"; }
[ -s /usr/share/dlib/shape_predictor_68_face_landmarks.dat ] || missing="$missing libdlib-data"
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing="$missing fonts"
for t in $tools; do
  command -v "$t" >/dev/null 2>&1 || { missing="$missing $t"; debs="$debs $t"; }
done
# libFuzzer comes with clang's runtime libraries, only recommended by clang.
case $tools in *clang*)
  ls "$(clang -print-resource-dir 2>/dev/null)"/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
    { missing="$missing libFuzzer"; debs="$debs clang libclang-rt-dev"; } ;;
esac
if [ $tests = 1 ]; then
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v exiftool >/dev/null 2>&1 || missing="$missing exiftool"
  command -v curl >/dev/null 2>&1 || missing="$missing curl"
  # The studio's page in a browser (tests/cli/browser.t): Debian's python3
  # with Selenium, and a chromedriver matching the chromium.
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v chromedriver >/dev/null 2>&1 || missing="$missing chromedriver"
  { python3 -c 'import selenium' || /usr/bin/python3 -c 'import selenium'; } >/dev/null 2>&1 || missing="$missing python3-selenium"
fi
[ -z "$missing" ] && exit 0
echo "smpsim: missing build dependencies:$missing" >&2
cmd="apt-get update && apt-get install -y --no-install-recommends $debs"
if [ "$(id -u)" -ne 0 ]; then
  echo "smpsim: run as root:  $cmd" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "smpsim: no apt-get here; install the equivalents of: $debs" >&2
  exit 1
fi
echo "smpsim: installing: $debs" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $debs >&2
