#!/usr/bin/env zsh
# Prints, one per line, the candidates zsh's completion system offers for LINE<TAB>,
# with the completion function directory FPATH_DIR first on $fpath.
# Usage: zsh -f ops_zsh_complete.zsh FPATH_DIR LINE
# How: an interactive zsh under a pseudo-terminal (zpty) runs compinit with `compadd`
# wrapped so that every match it would add is printed; we type LINE and a TAB and
# collect what is printed between the begin/end markers of that one completion.
emulate -L zsh
local fpath_dir=$1 line=$2 out=""
local dump=${TMPDIR:-/tmp}/ec2rk-zcompdump.$$
trap 'rm -f $dump' EXIT
zmodload zsh/zpty || exit 2

zpty ec2rk_capture zsh -f -i || exit 2
# The markers are printed by functions, so the echo of what we type never matches them.
zpty -w ec2rk_capture "fpath=(${(q)fpath_dir} \$fpath)"
zpty -w ec2rk_capture 'PROMPT= RPROMPT= ; unsetopt zle_bracketed_paste 2>/dev/null'
zpty -w ec2rk_capture "autoload -Uz compinit && compinit -u -d ${(q)dump}"
zpty -w ec2rk_capture 'bindkey "^I" complete-word'
zpty -w ec2rk_capture 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
zpty -w ec2rk_capture 'ec2rk_begin() { print -r -- "@@CANDIDATES""-BEGIN@@" }'
zpty -w ec2rk_capture 'ec2rk_end() { print -r -- "@@CANDIDATES""-END@@"; exit }'
zpty -w ec2rk_capture 'compprefuncs=(ec2rk_begin); comppostfuncs=(ec2rk_end)'
zpty -w ec2rk_capture 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __hits; builtin compadd -O __hits "$@"
  local h; for h in $__hits; do print -r -- "CAND:$h"; done
}'
zpty -w ec2rk_capture 'print -r -- "@@READ""Y@@"'
zpty -r ec2rk_capture out '*@@READY@@*' || exit 2
zpty -n -w ec2rk_capture "$line"$'\t'
zpty -r ec2rk_capture out '*@@CANDIDATES-END@@*' || exit 2
zpty -d ec2rk_capture
local l
for l in ${(f)out//$'\r'/}; do
  [[ $l == CAND:* ]] && print -r -- ${l#CAND:}
done
[[ $out == *@@CANDIDATES-BEGIN@@* ]] || exit 2
exit 0
