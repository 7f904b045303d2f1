# The man page documents every option that --help prints, and its examples run.

t "every long option in --help is in the man page"
man="$root/man/smpsim.1"
for cmd in layout render print batch shade analyze presets studio; do
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

t "the bash completion offers the values --help lists"
comp="$root/completions/smpsim.bash"
smpsim render --help >help.txt
# words OPT: the values the completion offers after OPT, sorted.
words() { sed -n "s/^ *$1) COMPREPLY=(\$(compgen -W \"\([^\"]*\)\".*/\1/p" "$comp" | tr ' ' '\n' | sort | tr '\n' ' '; }
# listed OPT: the values --help names for OPT (a list "a, b or c", or "a|b").
listed() {
  grep -E -- "^  $1 " help.txt | sed -E "s/^  $1 [^ ]+ +//; s/ \[[^]]*\]$//" | sed -E 's/(,| or ) */\n/g' | sort | tr '\n' ' '
}
for opt in --hairline --compose; do
  [ "$(words "$opt")" = "$(listed "$opt")" ] || fail "$opt: completion offers '$(words "$opt")', --help lists '$(listed "$opt")'"
done
for opt in --face --paper; do
  want=$(grep -E -- "^  $opt " help.txt | awk '{print $2}' | tr '|' '\n' | sort | tr '\n' ' ')
  [ "$(words "$opt")" = "$want" ] || fail "$opt: completion offers '$(words "$opt")', --help lists '$want'"
done
