# bash completion for threadlens: subcommands, their options, PIDs of running processes.
# Commands and options are read from the program's own --help, so they never drift from it.
_threadlens_help_words()
{
    # $1: the threadlens being completed; $2: a subcommand or empty
    if [ -n "$2" ]; then
        "$1" "$2" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
    else
        "$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ {print $1}'
    fi
}

_threadlens()
{
    local cur prev prog cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    prog=${COMP_WORDS[0]}
    [[ $prog == */* && -x $prog ]] || prog=threadlens
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$(_threadlens_help_words "$prog" "") --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
        -o | --output)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --max-frames | --interval | --listen | -d | --delay | -n | --iterations)
            return ;;   # a value of the user's choosing
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_threadlens_help_words "$prog" "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
        help | demo) return ;;
    esac
    local pids
    pids=$(cd /proc 2>/dev/null && compgen -G '[0-9]*')
    COMPREPLY=($(compgen -W "$pids" -- "$cur"))
}
complete -F _threadlens threadlens
