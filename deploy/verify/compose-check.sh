#!/usr/bin/env bash
# Checks a compose file of peerwork for real under podman: validates it, builds the
# peerwork image, starts everything, waits until every container is healthy, runs the
# end-to-end check (e2e-check.sh) and tears it all down, volumes too, also on failure.
# With two registry replicas (--cluster), it then kills the one that relays and checks
# that the other takes over: a registration made afterwards still reaches reporting.
#
# Usage: compose-check.sh [--cluster] [-f EXTRA_COMPOSE_FILE]... [--env-file FILE] [--keep]
#   --cluster   check deploy/cluster/docker-compose.yml instead of docker-compose.yml, with
#               cluster-ports.override.yml (podman-compose cannot share out a port range)
#   -f          compose files added after that one (overrides)
#   --env-file  variables for the compose file; default: .env.example with every
#               *PASSWORD*, *TOKEN*, *SECRET*, *KEY* value replaced by a fresh random one made
#               as .env.example says (hex ones stopped NATS: see deploy/nats/README.md), and
#               every *_PORT moved up by PORT_OFFSET (10000), clear of services a
#               developer runs on the default ports, and further up if that one is taken
#   --keep      leave the containers running, even on failure (then tear down with --down)
#   --down      only tear down what a --keep run left (with --cluster for that one)
# Needs host-setup.sh and build-stand-ins.sh to have run once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${PEERWORK_VERIFY_CACHE:-/var/tmp/peerwork-verify}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-240}
base=$repo/docker-compose.yml
extra=() env_file='' keep=0 down_only=0 cluster=0
while [ $# -gt 0 ]; do
    case "$1" in
        --cluster) cluster=1; base=$repo/deploy/cluster/docker-compose.yml
                   extra+=(-f "$here/cluster-ports.override.yml"); shift ;;
        -f) extra+=(-f "$(realpath "$2")"); shift 2 ;;
        --env-file) env_file=$(realpath "$2"); shift 2 ;;
        --keep) keep=1; shift ;;
        --down) down_only=1; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

files=(-f "$base" "${extra[@]}")
if [ "$cluster" = 1 ]; then PROJECT=${PROJECT:-peerwork-verify-cluster}; fi
PROJECT=${PROJECT:-peerwork-verify}

work=$(mktemp -d /var/tmp/peerwork-verify-run.XXXXXX)
log() { printf '\n=== %s\n' "$*"; }

# The first port from $1 up that nothing listens on: others run test servers at the
# same offset (a nats-server on 14222 was seen), and podman would fail to bind.
free_port() {
    python3 -c '
import socket, sys
port = int(sys.argv[1])
while True:
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
            break
        except OSError:
            port += 1
print(port)' "$1"
}

# The env file: never the work tree's .env, which is an operator's.
if [ -z "$env_file" ]; then
    env_file=$work/env
    if [ -f "$repo/.env.example" ]; then
        while IFS= read -r line; do
            if [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*(PASSWORD|TOKEN|SECRET|KEY)[A-Za-z0-9_]*)= ]]; then
                line="${BASH_REMATCH[1]}=$(python3 -c "import secrets; print('s' + secrets.token_urlsafe(32))")"
            elif [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*_PORT)=([0-9]+)$ ]]; then
                line="${BASH_REMATCH[1]}=$(free_port $((BASH_REMATCH[2] + ${PORT_OFFSET:-10000})))"
            fi
            printf '%s\n' "$line"
        done < "$repo/.env.example" > "$env_file"
    else
        : > "$env_file"
    fi
fi

cd "$repo"
compose=("$CACHE/tools/bin/podman-compose" --env-file "$env_file" -p "$PROJECT" "${files[@]}")

containers() { podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}'; }

teardown() {
    "${compose[@]}" down -v --remove-orphans > "$work/down.log" 2>&1 \
        || { echo 'teardown failed:'; tail -n 20 "$work/down.log"; }
    # down can miss a container that never started; the label finds it.
    containers | xargs -r podman rm -f > /dev/null 2>&1 || true
}

if [ "$down_only" = 1 ]; then teardown; rm -rf "$work"; echo 'torn down'; exit 0; fi

status=1 ticker=''
finish() {
    [ -n "$ticker" ] && kill "$ticker" 2> /dev/null
    if [ "$status" != 0 ]; then
        log 'FAILED: containers'
        podman ps -a --filter "label=io.podman.compose.project=$PROJECT" \
            --format '{{.Names}}\t{{.Status}}' || true
        for c in $(containers); do
            state=$(podman inspect "$c" --format '{{.State.Status}} {{or .State.Healthcheck.Status "none"}} {{.State.ExitCode}}')
            if [[ ! $state =~ ^(running\ (healthy|none)\ [0-9]+|exited\ none\ 0)$ ]]; then
                log "logs of $c ($state)"
                podman logs --tail 40 "$c" 2>&1 || true
                echo "--- last healthcheck output of $c:"
                podman inspect "$c" --format \
                    '{{range .State.Healthcheck.Log}}{{.ExitCode}}: {{.Output}}{{println}}{{end}}' \
                    2> /dev/null | grep -v '^$' | tail -n 1 || true
            fi
        done
    fi
    if [ "$keep" = 1 ]; then
        log "left running (project $PROJECT); tear down with: $0 $([ "$cluster" = 1 ] && echo '--cluster ')--down"
    else
        log 'tearing down'; teardown
    fi
    log "$([ "$status" = 0 ] && echo 'COMPOSE CHECK PASSED' || echo 'COMPOSE CHECK FAILED')"
    rm -rf "$work"
}
trap finish EXIT

log "(a) validate: ${files[*]} with $env_file"
"${compose[@]}" config > "$work/config.yml"
echo "podman-compose config: OK ($(grep -c '^  [a-z]' "$work/config.yml" || true) top-level entries)"
if docker compose version > /dev/null 2>&1; then
    docker compose --env-file "$env_file" -p "$PROJECT" "${files[@]}" config -q
    echo "docker compose config: OK ($(docker compose version --short))"
fi

log '(b) build the peerwork image (deploy/Dockerfile)'
# Every service with a build section makes the same image; podman-compose would build it
# once per service, all at the same time: build it through the first one only.
builder=$("$CACHE/tools/bin/python" -c '
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
print(next(name for name, spec in services.items() if "build" in spec))' "$work/config.yml")
"${compose[@]}" build "$builder" > "$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
grep -E '^(Successfully tagged|COMMIT)' "$work/build.log" | sort -u

# Without systemd, podman never runs healthchecks by itself: this loop plays the timer.
(while sleep 3; do
    for c in $(containers); do
        podman healthcheck run "$c" > /dev/null 2>&1 || true
    done
done) &
ticker=$!

# Every container up and healthy, or exited 0; a one-shot (what another service waits
# for with service_completed_successfully) only once exited 0. One that exited otherwise
# and will not be restarted fails the check at once.
wait_ready() {
    local waited pending c state health exit_code restart service
    for ((waited = 0; ; waited += 2)); do
        pending=''
        for c in $(containers); do
            read -r state health exit_code restart service < <(podman inspect "$c" --format \
                '{{.State.Status}} {{or .State.Healthcheck.Status "none"}} {{.State.ExitCode}} {{or .HostConfig.RestartPolicy.Name "no"}} {{index .Config.Labels "com.docker.compose.service"}}')
            case "$state/$health" in
                running/healthy) ;;
                running/none)
                    if grep -qxF "$service" "$work/one-shots"; then pending+=" $c(running one-shot)"; fi ;;
                exited/* | stopped/*)
                    if [ "$exit_code" != 0 ]; then
                        case "$restart" in
                            no) echo "$c exited with $exit_code"; return 1 ;;
                            *) pending+=" $c(exited $exit_code, restarting)" ;;
                        esac
                    fi ;;
                *) pending+=" $c($state/$health)" ;;
            esac
        done
        [ -z "$pending" ] && break
        if [ "$waited" -ge "$HEALTH_TIMEOUT" ]; then echo "not ready after ${waited}s:$pending"; return 1; fi
        sleep 2
    done
    echo "  ready after ${waited}s: $*"
}

log '(c) up -d, in the order of depends_on'
# Podman 4.3 has no `podman wait --condition=healthy`, so podman-compose ignores
# `condition: service_healthy` (with a warning) and starts everything at once. Docker
# honours it: start the services wave by wave, each once what it depends on is ready.
"$CACHE/tools/bin/python" -c '
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
with open(sys.argv[2], "w") as one_shots:
    for name in {dep for spec in services.values() for dep, how in (spec.get("depends_on") or {}).items()
                 if isinstance(how, dict) and how.get("condition") == "service_completed_successfully"}:
        print(name, file=one_shots)
started = set()
while len(started) < len(services):
    wave = [name for name, spec in services.items()
            if name not in started and set(spec.get("depends_on") or ()) <= started]
    if not wave:
        sys.exit("depends_on has a cycle")
    print(" ".join(wave))
    started.update(wave)' "$work/config.yml" "$work/one-shots" > "$work/waves"
while read -r -a wave; do
    "${compose[@]}" up -d --no-deps "${wave[@]}" >> "$work/up.log" 2>&1 \
        || { tail -n 40 "$work/up.log"; exit 1; }
    wait_ready "${wave[@]}"
done < "$work/waves"
# A restart means a container failed and its restart policy hid it: worth reading its logs.
listing() {
    for c in $(containers); do
        podman inspect "$c" --format '  {{.Name}}  {{.State.Status}} {{or .State.Healthcheck.Status ""}} (exit {{.State.ExitCode}}, restarts {{.RestartCount}})'
    done
}
echo "all ready:"
listing
if [ "$cluster" = 1 ]; then
    echo 'streams, as nats-1 sees them:'
    podman exec "$(podman ps --filter "label=io.podman.compose.project=$PROJECT" \
            --filter label=com.docker.compose.service=nats-1 --format '{{.Names}}')" \
        wget -qO- 'http://127.0.0.1:8222/jsz?streams=true&config=true' | python3 -c '
import json, sys
streams = [s for a in json.load(sys.stdin)["account_details"] for s in a["stream_detail"]]
for s in streams:
    print("  %s: %d replicas, leader %s" % (s["name"], s["config"]["num_replicas"], s["cluster"]["leader"]))
sys.exit(0 if streams and all(s["config"]["num_replicas"] == 3 for s in streams) else "not 3 replicas")'
fi

log '(d) end to end'
replicas() { podman ps -a --filter "label=io.podman.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | sort; }
service() { replicas "$1" | head -n 1; }
published() { podman port "$1" "$2" | head -n 1 | sed 's/^0\.0\.0\.0:/127.0.0.1:/'; }
reporting=$(published "$(service reporting)" 8003)
# Issued inside the container, with the secret it has from .env (REPORTING_AUTH_JWT_SECRET).
TOKEN=$(podman exec "$(service reporting)" python -m peerwork_common.security.tokens \
    --subject compose-check --role staff --role analyst --hours 1)
ADMIN_TOKEN=$(podman exec "$(service reporting)" python -m peerwork_common.security.tokens \
    --subject compose-check-admin --role admin --hours 1)
export TOKEN ADMIN_TOKEN
mapfile -t registries < <(replicas registry)
for r in "${registries[@]}"; do
    echo "-- through $r ($(published "$r" 8001))"
    "$here/e2e-check.sh" "http://$(published "$r" 8001)" "http://$reporting"
done

if [ "${#registries[@]}" -ge 2 ]; then
    log '(e) relay takeover: kill the registry replica that relays'
    leads() { podman logs "$1" 2>&1 | grep -c 'relay registry: this replica leads' || true; }
    leader=''
    for r in "${registries[@]}"; do
        [ "$(leads "$r")" -gt 0 ] && leader=$r
    done
    [ -n "$leader" ] || { echo 'no registry replica says "relay registry: this replica leads"'; exit 1; }
    echo "$leader leads:"
    podman logs "$leader" 2>&1 | grep 'relay registry: this replica leads' | tail -n 1
    for r in "${registries[@]}"; do
        [ "$r" = "$leader" ] || { survivor=$r; break; }
    done
    before=$(leads "$survivor")
    # SIGKILL, as a crash: no shutdown code runs, the lock goes with the dead connection.
    killed_at=$(date -u +%FT%TZ)
    podman kill --signal KILL "$leader" > /dev/null
    echo "killed $leader (SIGKILL)"
    for ((waited = 0; waited <= 60; waited++)); do
        [ "$(leads "$survivor")" -gt "$before" ] && break
        [ "$waited" = 60 ] && { echo "$survivor did not take over within 60s"; exit 1; }
        sleep 1
    done
    echo "after ${waited}s, $survivor:"
    podman logs "$survivor" 2>&1 | grep 'relay registry: this replica leads' | tail -n 1
    echo "-- a registration through $survivor, relayed by it alone"
    "$here/e2e-check.sh" "http://$(published "$survivor" 8001)" "http://$reporting"
    # Like `docker kill`, `podman kill` counts as a manual stop: the restart policy does not
    # bring it back. Started again as an operator would, it must stand by, not lead.
    echo "-- $leader after the kill: $(podman inspect "$leader" --format '{{.State.Status}}, exit {{.State.ExitCode}}, restarts {{.RestartCount}}'); podman start"
    # (podman complains it has no systemd to run healthchecks with: the ticker does that.)
    podman start "$leader" 2>&1 > /dev/null | grep -v 'unable to get systemd connection' || true
    wait_ready "$leader"
    podman logs --since "$killed_at" "$leader" 2>&1 | grep -E 'relay .*(leads|waiting to take over)' || true
    if podman logs --since "$killed_at" "$leader" 2>&1 | grep -q 'relay registry: this replica leads'; then
        echo "$leader leads again though $survivor holds the lock"; exit 1
    fi
    echo "-- a registration through $leader, which now stands by: $survivor relays it"
    "$here/e2e-check.sh" "http://$(published "$leader" 8001)" "http://$reporting"
    echo 'containers at the end:'
    listing
fi

status=0
