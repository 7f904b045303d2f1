#!/bin/sh
# Installs smpsim's build dependencies when pkg-config cannot find them.
# Usage: scripts/deps.sh [--tests]   (--tests adds Check and poppler-utils)
# As root it runs apt-get; otherwise it prints the command to run and fails.
set -eu
mods="cairo cairo-svg cairo-pdf libpng libjpeg libexif inih pangocairo"
# Fonts for names in any script: DejaVu (Latin, Greek, Cyrillic, Arabic),
# WenQuanYi Micro Hei (Chinese, Japanese).
debs="pkg-config libcairo2-dev libpng-dev libjpeg-dev libexif-dev libinih-dev libpango1.0-dev fonts-dejavu-core fonts-wqy-microhei"
if [ "${1:-}" = "--tests" ]; then
  mods="$mods check"
  debs="$debs check poppler-utils libimage-exiftool-perl"
fi
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
if [ -z "$missing" ]; then
  for m in $mods; do
    pkg-config --exists "$m" 2>/dev/null || missing="$missing $m"
  done
fi
command -v cc >/dev/null 2>&1 || { missing="$missing cc"; debs="$debs gcc make"; }
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing="$missing fonts"
if [ "${1:-}" = "--tests" ]; then
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v exiftool >/dev/null 2>&1 || missing="$missing exiftool"
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
