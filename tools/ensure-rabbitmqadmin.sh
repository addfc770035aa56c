#!/usr/bin/env bash
# Makes sure RabbitMQ's rabbitmqadmin (shipped by Debian's rabbitmq-server package) is on the PATH, installing the
# package when it is not. The compatibility test calls this; only the CLI is used, never the RabbitMQ server.
# Prints the path of rabbitmqadmin on success.
set -euo pipefail

if ! command -v rabbitmqadmin >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "rabbitmqadmin is missing and installing it needs root: run 'sudo apt-get install rabbitmq-server'" >&2
        exit 1
    fi
    echo "installing Debian's rabbitmq-server package for rabbitmqadmin" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends rabbitmq-server python3 >&2
fi
command -v rabbitmqadmin
