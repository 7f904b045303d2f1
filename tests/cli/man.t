# The man page documents every option that --help prints, and its examples run.

t "every long option in --help is in the man page"
man="$root/man/smpsim.1"
for cmd in layout render print batch shade analyze presets; do
  smpsim $cmd --help >help.txt
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' help.txt | sort -u); do
    esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -qE -- "$esc|$opt" "$man" || fail "$cmd: $opt is not in the man page"
  done
done

t "the man page's examples run"
cp -r "$root/samples" .
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$man" | grep -E '^smpsim ' | sed 's/\\-/-/g; s/\\(em/--/g' >examples.sh
[ "$(wc -l <examples.sh)" -ge 4 ] || fail "fewer than 4 examples"
while read -r line; do
  eval "set -- ${line#smpsim }"
  run "$@"
  [ "$status" = 0 ] || fail "example '$line' exited $status: $(head -c 200 err.txt)"
done <examples.sh
