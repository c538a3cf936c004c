#!/usr/bin/env bash
# `make check-api`: schemathesis (PyPI) against a running `marelle serve` with the demo
# association, over every operation of Sources/MarelleWeb/Public/openapi.json: no 5xx and every
# answer as the document says (status, content type, body schema). Once with the direction's
# bearer token, once with a parent's (each side's operations answer 403 to the other), then
# the logout alone (it revokes the token it is called with). CONTRACT_EXAMPLES (default 25)
# and CONTRACT_SEED (default 1, so that CI is repeatable) tune it.
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" contract debug
python_tools "schemathesis==4.32.5"
serve_demo
base="http://127.0.0.1:$MARELLE_HTTP_PORT"
token() {
    curl -sf -H "Host: demo.localhost" -H "Content-Type: application/json" -d "{\"email\":\"$1\",\"password\":\"$2\"}" \
        "$base/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
run() {
    "$dir/venv/bin/st" run "$root/Sources/MarelleWeb/Public/openapi.json" --url "$base/api/v1" \
        -H "Host: demo.localhost" -H "Authorization: Bearer $1" "${@:2}" \
        --checks not_a_server_error,response_schema_conformance --phases examples,coverage,fuzzing \
        --max-examples "${CONTRACT_EXAMPLES:-25}" --seed "${CONTRACT_SEED:-1}" --workers 2
}
echo "== as the direction"
run "$(token direction@lespetitsmalins.fr 'un soleil sur la marelle')" --exclude-path /auth/session
echo "== as a parent"
run "$(token famille.martin@exemple.fr 'vive les vacances de printemps')" --exclude-path /auth/session
echo "== logout"
run "$(token famille.martin@exemple.fr 'vive les vacances de printemps')" --include-path /auth/session
