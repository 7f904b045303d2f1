# bash completion for smpsim: subcommands, options (read from each
# subcommand's --help, so they never drift), presets and file types.
_smpsim()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "render layout print batch presets shade analyze studio --help --version" -- "$cur"))
        return
    fi
    case $prev in
        --preset) COMPREPLY=($(compgen -W "$(smpsim presets 2>/dev/null | cut -d' ' -f1)" -- "$cur")); return ;;
        presets) [ "$cmd" = presets ] && COMPREPLY=($(compgen -W "$(smpsim presets 2>/dev/null | cut -d' ' -f1)" -- "$cur")); return ;;
        --hairline) COMPREPLY=($(compgen -W "straight rounded widows-peak mature m-shape boxed broken female none" -- "$cur")); return ;;
        --face) COMPREPLY=($(compgen -W "down up left right" -- "$cur")); return ;;
        --compose) COMPREPLY=($(compgen -W "after side split stack overlay sessions healing-range guides" -- "$cur")); return ;;
        --show) COMPREPLY=($(compgen -W "healed fresh years= session=" -- "$cur")); return ;;
        --undertone) COMPREPLY=($(compgen -W "cool neutral warm" -- "$cur")); return ;;
        --paper) COMPREPLY=($(compgen -W "a4 letter" -- "$cur")); return ;;
        --clustering|--no-labels|--json|--dump-plan|--force|--resume|--open|-q|-v|--quiet|--verbose) ;;
        -o|--output|--report) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --plan) COMPREPLY=($(compgen -f -X '!*.smp' -- "$cur")); return ;;
        --photo|--logo) COMPREPLY=($(compgen -f -X '!*.@(jpg|jpeg|png|JPG|JPEG|PNG)' -- "$cur")); return ;;
        --area-mask|--exclude-mask|--density-map) COMPREPLY=($(compgen -f -X '!*.png' -- "$cur")); return ;;
        --notes) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    if [[ $prev == --* ]] && smpsim "$cmd" --help 2>/dev/null | grep -qE -- "^  $prev [A-Z#]"; then
        return # the option takes a value we cannot guess
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(smpsim "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
        return
    fi
    case $cmd in
        analyze) COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur")) ;;
        batch) COMPREPLY=($(compgen -f -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -X '!*.@(jpg|jpeg|png|smp|JPG|JPEG|PNG)' -- "$cur")) ;;
    esac
}
shopt -s extglob 2>/dev/null
complete -o filenames -F _smpsim smpsim
