#!/usr/bin/env bash
# End-to-end check of a running peerwork: registers a partner structure and a peer
# worker at the registry, then polls reporting's exact national figures until both are
# counted, i.e. until they went registry -> NATS -> reporting. TOKEN must carry the roles
# staff (to register) and analyst (exact figures), e.g. from inside the reporting container:
#   python -m peerwork_common.security.tokens --subject e2e-check --role staff --role analyst --hours 1
# With ADMIN_TOKEN (role admin) too, it then checks a retried registration (the same
# Idempotency-Key twice: one id) and the erasure of the peer worker (204, then 410).
# Usage: TOKEN=... [ADMIN_TOKEN=...] e2e-check.sh [REGISTRY_URL] [REPORTING_URL]
set -euo pipefail

registry=${1:-http://127.0.0.1:8001}
reporting=${2:-http://127.0.0.1:8003}
: "${TOKEN:?set TOKEN to a token with the roles staff and analyst (python -m peerwork_common.security.tokens)}"
timeout=${E2E_TIMEOUT:-60}
# Without as_of: today in France, the day the registrations below take effect (a UTC date
# lags it for an hour or two around midnight).
stats="$reporting/stats/national?exact=true"

national() {  # prints "peer_workers partner_structures" of the exact national figures
    curl -sSf -H "Authorization: Bearer $TOKEN" "$stats" \
        | python3 -c 'import json,sys; f=json.load(sys.stdin); print(f["peer_workers"], f["partner_structures"])'
}

post() {  # post PATH JSON [HEADER]: prints the response body, fails on an HTTP error
    curl -sS --fail-with-body -X POST "$registry$1" -H 'content-type: application/json' \
        -H "Authorization: Bearer $TOKEN" ${3:+-H "$3"} -d "$2"
}

erasure() {  # registers a peer worker twice under one Idempotency-Key, then erases them
    local key body first again id
    key="Idempotency-Key: e2e-check-$(date +%s%N)"
    body='{"legal_basis": {"basis": "explicit_consent", "consent_given_on": "2026-01-05", "consent_given_how": "signed_form"}, "display_name": "Verification erasure", "departement": "38", "domains": ["addiction"]}'
    first=$(post /peer-workers "$body" "$key") again=$(post /peer-workers "$body" "$key")
    [ "$first" = "$again" ] || { echo "E2E FAILED: a retry answered $again, not $first" >&2; return 1; }
    id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$first")
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$registry/peer-workers/$id" \
        -H "Authorization: Bearer $ADMIN_TOKEN")
    [ "$code" = 204 ] || { echo "E2E FAILED: DELETE /peer-workers/$id answered $code" >&2; return 1; }
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$registry/peer-workers/$id" -H "Authorization: Bearer $TOKEN")
    [ "$code" = 410 ] || { echo "E2E FAILED: the erased record answered $code, not 410" >&2; return 1; }
    echo "E2E OK: one registration for a retried key ($id), erased (204), then 410"
}

read -r workers_before structures_before < <(national)
echo "before: peer_workers=$workers_before partner_structures=$structures_before ($stats)"

echo "POST /structures:   $(post /structures \
    '{"name": "Verification structure", "departement": "38", "sector": "addiction"}')"
echo "POST /peer-workers: $(post /peer-workers \
    '{"legal_basis": {"basis": "explicit_consent", "consent_given_on": "2026-01-05", "consent_given_how": "signed_form"}, "display_name": "Verification", "departement": "38", "domains": ["addiction"]}')"

for ((waited = 0; waited <= timeout; waited++)); do
    read -r workers structures < <(national)
    if [ "$workers" -ge $((workers_before + 1)) ] && [ "$structures" -ge $((structures_before + 1)) ]; then
        echo "after ${waited}s: peer_workers=$workers partner_structures=$structures"
        curl -sSf -H "Authorization: Bearer $TOKEN" "$stats"; echo
        echo 'E2E OK: registry -> NATS -> reporting'
        if [ -n "${ADMIN_TOKEN:-}" ]; then erasure; fi
        exit 0
    fi
    sleep 1
done
echo "E2E FAILED: after ${timeout}s reporting shows peer_workers=$workers partner_structures=$structures" >&2
exit 1
