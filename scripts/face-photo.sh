#!/bin/sh
# Fetches the face photo the face tests use: "astronaut.png" (Eileen
# Collins, a NASA portrait in the public domain), as Debian ships it in
# python3-skimage, to DEST.  No photo of a real client is ever used.
# Without network or apt the tests that need it skip; this says why and
# succeeds.
set -u
dest=$1
[ -s "$dest" ] && exit 0
mkdir -p "$(dirname "$dest")" || exit 0
tmp=$(mktemp -d) || exit 0
trap 'rm -rf "$tmp"' EXIT
if (cd "$tmp" && apt-get download python3-skimage >/dev/null 2>&1) &&
  dpkg-deb --fsys-tarfile "$tmp"/python3-skimage_*.deb |
  tar -xOf - ./usr/lib/python3/dist-packages/skimage/data/astronaut.png >"$tmp/astronaut.png" 2>/dev/null &&
  [ -s "$tmp/astronaut.png" ]; then
  mv "$tmp/astronaut.png" "$dest"
else
  echo "smpsim: could not fetch the face test photo (apt-get download python3-skimage); the face tests will skip" >&2
fi
exit 0
