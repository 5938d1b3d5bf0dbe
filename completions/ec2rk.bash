# bash completion for ec2rk(1)                                -*- shell-script -*-
#
# Subcommands, flags and enumerated values are listed here and kept in step with the
# CLI definition by tests/docs (docs_sync). Node and resource names are read live from
# the active configuration file: --config on the command line so far, else
# $EC2RK_CONFIG, else /etc/ec2rk/ec2rk.toml — parsed with sed, ec2rk is never run.
#
# Install: /usr/share/bash-completion/completions/ec2rk (loaded on demand by
# bash-completion), or source this file from ~/.bashrc.

# The configuration file the command line being completed would use.
_ec2rk_config_file()
{
    local i w cfg=${EC2RK_CONFIG:-/etc/ec2rk/ec2rk.toml}
    for ((i = 1; i < ${#words[@]}; i++)); do
        w=${words[i]}
        # Only words before the one being completed count.
        ((i == cword)) && break
        case $w in
            --config=*) cfg=${w#--config=} ;;
            --config) ((i + 1 < cword)) && cfg=${words[i + 1]} ;;
        esac
    done
    # The word is as typed: undo the quoting and the ~ the shell would have expanded.
    cfg=${cfg#[\"\']}
    cfg=${cfg%[\"\']}
    [[ $cfg == \~/* ]] && cfg=$HOME/${cfg#\~/}
    printf '%s\n' "$cfg"
}

# Names of the [KIND.NAME] tables of the active configuration (KIND: a sed -E
# alternative such as "nodes" or "routes|eips"). Sub-tables like [routes.vip.eni] are
# not names. Quiet when the file is missing or unreadable.
_ec2rk_config_names()
{
    local cfg
    cfg=$(_ec2rk_config_file)
    [[ -r $cfg ]] || return 0
    sed -n -E 's/^[[:space:]]*\[[[:space:]]*('"$1"')[[:space:]]*\.[[:space:]]*("([^"]+)"|([A-Za-z0-9_-]+))[[:space:]]*\][[:space:]]*(#.*)?$/\3\4/p' \
        "$cfg" 2>/dev/null
}

# Profile names of the shared AWS config and credentials files.
_ec2rk_profiles()
{
    local f
    for f in "${AWS_CONFIG_FILE:-$HOME/.aws/config}" \
        "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}"; do
        [[ -r $f ]] || continue
        sed -n -E 's/^[[:space:]]*\[[[:space:]]*(profile[[:space:]]+)?([^][[:space:]]+)[[:space:]]*\].*/\2/p' "$f"
    done 2>/dev/null | sort -u
}

_ec2rk()
{
    local cur prev words cword split
    if declare -F _init_completion >/dev/null; then
        _init_completion -s || return
    else
        # Without bash-completion: whole words as bash split them.
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        split=false
        # COMP_WORDBREAKS splits "--output=js" into "--output" "=" "js".
        if [[ $cur == = ]]; then
            prev=${COMP_WORDS[COMP_CWORD - 1]}
            cur=""
        elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
            prev=${COMP_WORDS[COMP_CWORD - 2]}
        fi
    fi

    local commands="list check switchover repair init api"
    local global_opts="--config --region --profile --endpoint-url --output --debug --help"
    local root_opts="$global_opts --version"
    local regions="us-east-1 us-east-2 us-west-1 us-west-2 af-south-1 ap-east-1
        ap-south-1 ap-south-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-southeast-1
        ap-southeast-2 ap-southeast-3 ap-southeast-4 ca-central-1 ca-west-1 eu-central-1
        eu-central-2 eu-west-1 eu-west-2 eu-west-3 eu-north-1 eu-south-1 eu-south-2
        il-central-1 me-central-1 me-south-1 sa-east-1 cn-north-1 cn-northwest-1
        us-gov-east-1 us-gov-west-1"

    # Values of the flags that take one.
    case $prev in
        --config | --output-file)
            if declare -F _filedir >/dev/null; then
                _filedir
            else
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            fi
            return
            ;;
        --output)
            mapfile -t COMPREPLY < <(compgen -W "table json" -- "$cur")
            return
            ;;
        --region)
            mapfile -t COMPREPLY < <(compgen -W "$regions" -- "$cur")
            return
            ;;
        --profile)
            mapfile -t COMPREPLY < <(compgen -W "$(_ec2rk_profiles)" -- "$cur")
            return
            ;;
        --to | --expect | --node)
            mapfile -t COMPREPLY < <(compgen -W "$(_ec2rk_config_names nodes)" -- "$cur")
            return
            ;;
        --endpoint-url | --timeout)
            return # free-form
            ;;
    esac
    $split && return

    # The subcommand: the first word that is neither a flag nor a flag's value.
    local i w cmd="" cmd_index=0
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --config | --region | --profile | --endpoint-url | --output | --to | --expect | --node | \
                --timeout | --output-file)
                ((i++))
                ;;
            -*) ;;
            *)
                cmd=$w
                cmd_index=$i
                break
                ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$root_opts" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        fi
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi

    local opts="" positional=""
    case $cmd in
        list)
            positional=resources
            ;;
        check)
            opts="--expect --local --permissions"
            positional=resources
            ;;
        switchover)
            opts="--to --yes --dry-run --force --timeout"
            positional=resources
            ;;
        repair)
            opts="--local --node --fix-source-dest-check --yes --timeout"
            positional=resources
            ;;
        init)
            opts="--output-file"
            ;;
        api)
            positional=api
            ;;
        *)
            return # not a command ec2rk knows
            ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts $global_opts" -- "$cur")
        return
    fi
    case $positional in
        resources)
            mapfile -t COMPREPLY < <(compgen -W "$(_ec2rk_config_names 'routes|eips')" -- "$cur")
            ;;
        api)
            # The first positional is an EC2 action; the rest are Key=Value parameters.
            local n=0
            for ((i = cmd_index + 1; i < cword; i++)); do
                case ${words[i]} in
                    --config | --region | --profile | --endpoint-url | --output) ((i++)) ;;
                    -*) ;;
                    *) ((n++)) ;;
                esac
            done
            if ((n == 0)); then
                mapfile -t COMPREPLY < <(compgen -W "DescribeRouteTables CreateRoute ReplaceRoute
                    DescribeAddresses AssociateAddress DisassociateAddress
                    DescribeNetworkInterfaces ModifyNetworkInterfaceAttribute DescribeInstances
                    DescribeVpcs DescribeSubnets DescribeRegions" -- "$cur")
            fi
            ;;
    esac
} &&
    complete -F _ec2rk ec2rk

# ex: filetype=sh
