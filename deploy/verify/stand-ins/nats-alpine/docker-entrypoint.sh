#!/bin/sh
# The official nats alpine image's entrypoint: arguments that start with a dash are
# options to nats-server (compose's `command: ["-c", ...]`).
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    set -- nats-server "$@"
fi
exec "$@"
