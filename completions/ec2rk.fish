# fish completion for ec2rk(1).
#
# Subcommands, flags and enumerated values are listed here and kept in step with the
# CLI definition by tests/docs (docs_sync). Node and resource names are read live from
# the active configuration file: --config on the command line so far, else
# $EC2RK_CONFIG, else /etc/ec2rk/ec2rk.toml — parsed with sed, ec2rk is never run.
#
# Install: /usr/share/fish/vendor_completions.d/ec2rk.fish

# The configuration file the command line being completed would use.
function __ec2rk_config_file
    set -l tokens (commandline -opc)
    set -l cfg /etc/ec2rk/ec2rk.toml
    set -q EC2RK_CONFIG; and test -n "$EC2RK_CONFIG"; and set cfg $EC2RK_CONFIG
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case '--config=*'
                set cfg (string replace -- '--config=' '' $tokens[$i])
            case --config
                if test $i -lt $n
                    set cfg $tokens[(math $i + 1)]
                end
        end
    end
    string replace -r -- '^~/' "$HOME/" $cfg
end

# Names of the [KIND.NAME] tables of the active configuration (KIND: a sed -E
# alternative such as "nodes" or "routes|eips"); sub-tables like [routes.vip.eni] are
# not names.
function __ec2rk_config_names -a kind
    set -l cfg (__ec2rk_config_file)
    test -r "$cfg"; or return 0
    sed -n -E 's/^[[:space:]]*\[[[:space:]]*('$kind')[[:space:]]*\.[[:space:]]*("([^"]+)"|([A-Za-z0-9_-]+))[[:space:]]*\][[:space:]]*(#.*)?$/\3\4/p' \
        $cfg 2>/dev/null
end

function __ec2rk_nodes
    __ec2rk_config_names nodes
end

function __ec2rk_resources
    for name in (__ec2rk_config_names routes)
        printf '%s\t%s\n' $name 'route resource'
    end
    for name in (__ec2rk_config_names eips)
        printf '%s\t%s\n' $name 'Elastic IP resource'
    end
end

function __ec2rk_profiles
    set -l files $HOME/.aws/config $HOME/.aws/credentials
    set -q AWS_CONFIG_FILE; and set files[1] $AWS_CONFIG_FILE
    set -q AWS_SHARED_CREDENTIALS_FILE; and set files[2] $AWS_SHARED_CREDENTIALS_FILE
    for f in $files
        test -r "$f"; or continue
        sed -n -E 's/^[[:space:]]*\[[[:space:]]*(profile[[:space:]]+)?([^][[:space:]]+)[[:space:]]*\].*/\2/p' $f
    end 2>/dev/null | sort -u
end

# The subcommand on the line so far (the first word that is neither a flag nor a
# flag's value); prints nothing before one is typed.
function __ec2rk_subcommand
    set -l tokens (commandline -opc)
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case --config --region --profile --endpoint-url --output --to --expect --node --timeout \
                --output-file
                set skip 1
            case '-*'
            case '*'
                echo $t
                return 0
        end
    end
    return 1
end

function __ec2rk_needs_command
    not __ec2rk_subcommand >/dev/null
end

function __ec2rk_using
    contains -- (__ec2rk_subcommand) $argv
end

# How many positional arguments follow the subcommand so far (for `api`'s ACTION).
function __ec2rk_api_needs_action
    __ec2rk_using api; or return 1
    set -l tokens (commandline -opc)
    set -l seen_cmd 0
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case --config --region --profile --endpoint-url --output
                set skip 1
            case '-*'
            case '*'
                if test $seen_cmd -eq 1
                    return 1
                end
                set seen_cmd 1
        end
    end
    return 0
end

complete -c ec2rk -f

# Global flags, accepted before or after the subcommand.
complete -c ec2rk -l config -r -F -d 'Configuration file'
complete -c ec2rk -l region -x -d 'AWS region' -a 'us-east-1 us-east-2 us-west-1 us-west-2
    af-south-1 ap-east-1 ap-south-1 ap-south-2 ap-northeast-1 ap-northeast-2 ap-northeast-3
    ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ca-central-1 ca-west-1
    eu-central-1 eu-central-2 eu-west-1 eu-west-2 eu-west-3 eu-north-1 eu-south-1 eu-south-2
    il-central-1 me-central-1 me-south-1 sa-east-1 cn-north-1 cn-northwest-1 us-gov-east-1
    us-gov-west-1'
complete -c ec2rk -l profile -x -d 'Profile of the shared AWS config/credentials files' -a '(__ec2rk_profiles)'
complete -c ec2rk -l endpoint-url -x -d 'EC2 endpoint URL (VPC endpoint, ec2rk-sim)'
complete -c ec2rk -l output -x -d 'Output format' -a 'table json'
complete -c ec2rk -l debug -d 'Trace requests on stderr (secrets redacted)'
complete -c ec2rk -s h -l help -d 'Show help and exit'
complete -c ec2rk -n __ec2rk_needs_command -l version -d 'Print the version and exit'

# Subcommands.
complete -c ec2rk -n __ec2rk_needs_command -a list -d 'Show where each route and Elastic IP points'
complete -c ec2rk -n __ec2rk_needs_command -a check -d 'Verify the resources are held by the expected node'
complete -c ec2rk -n __ec2rk_needs_command -a switchover -d 'Move routes and Elastic IPs to a node'
complete -c ec2rk -n __ec2rk_needs_command -a repair -d "Re-assert a node's claim on anything that drifted"
complete -c ec2rk -n __ec2rk_needs_command -a init -d 'Discover the cluster and write the configuration file'
complete -c ec2rk -n __ec2rk_needs_command -a api -d 'Sign and send any EC2 Query action; print the response'

# check
complete -c ec2rk -n '__ec2rk_using check' -l expect -x -a '(__ec2rk_nodes)' -d 'Healthy means held by this node'
complete -c ec2rk -n '__ec2rk_using check' -l local -d 'Expect this instance (from instance metadata)'
complete -c ec2rk -n '__ec2rk_using check' -l permissions -d "Check with DryRun that a switchover's calls are allowed"

# switchover
complete -c ec2rk -n '__ec2rk_using switchover' -l to -x -a '(__ec2rk_nodes)' -d 'Node to move the resources to'
complete -c ec2rk -n '__ec2rk_using switchover repair' -s y -l yes -d 'Do not ask for confirmation'
complete -c ec2rk -n '__ec2rk_using switchover' -l dry-run -d 'Show the plan and check permissions; change nothing'
complete -c ec2rk -n '__ec2rk_using switchover' -l force -d 'Overwrite targets of neither node, create missing routes'
complete -c ec2rk -n '__ec2rk_using switchover repair' -l timeout -x -d 'Seconds to keep retrying and verifying (default 60)'

# repair
complete -c ec2rk -n '__ec2rk_using repair' -l local -d 'Repair for this instance (from instance metadata)'
complete -c ec2rk -n '__ec2rk_using repair' -l node -x -a '(__ec2rk_nodes)' -d 'Node whose claim to re-assert'
complete -c ec2rk -n '__ec2rk_using repair' -l fix-source-dest-check -d 'Also disable source/destination check'

# init
complete -c ec2rk -n '__ec2rk_using init' -l output-file -r -F -d 'Where to write the configuration'

# Resource names for the commands that take them.
complete -c ec2rk -n '__ec2rk_using list check switchover repair' -a '(__ec2rk_resources)'

# api ACTION [Key=Value ...]
complete -c ec2rk -n __ec2rk_api_needs_action -a 'DescribeRouteTables CreateRoute ReplaceRoute
    DescribeAddresses AssociateAddress DisassociateAddress DescribeNetworkInterfaces
    ModifyNetworkInterfaceAttribute DescribeInstances DescribeVpcs DescribeSubnets
    DescribeRegions' -d 'EC2 action'
