# Shared by the HTTP benchmarks (bench/api-compare, bench/telemetry-overhead): start the release
# binary, seed customers through the API, run wrk and read its figures. Source it after
# scripts/lib/servers.sh; set $binary and $work first. $server_pid holds the running server.

# serve DATABASE_URL [ENV=VALUE...]: starts the service on a free port ($port) with the given extra
# environment (default: fresh tables under a new prefix), waits until it is ready.
serve() {
    local url=$1; shift
    port=$(free_port)
    env CUSTOMERFLOW_LOG_LEVEL=error CUSTOMERFLOW_DATABASE_TABLE_PREFIX="b$(date +%s%N | tail -c 7)_" "$@" \
        "$binary" serve --port "$port" --database-url "$url" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$work/server.log" >&2
    return 1
}

# stop_server: stops the service started by serve.
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}

# seed N: registers N customers through the API and writes their ids to $work/ids.
seed() {
    python3 - "$port" "$1" "$work/ids" <<'PY'
import http.client, json, sys, uuid
port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
connection = http.client.HTTPConnection("127.0.0.1", port)
ids = []
for index in range(count):
    body = json.dumps({"name": f"Seed {index}", "email": f"seed-{uuid.uuid4().hex}@example.com", "addresses": [
        {"street": "Rua A", "number": "1", "city": "Recife", "postalCode": "50000-000", "country": "BR"}]})
    connection.request("POST", "/v1/customers", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    if response.status != 201:
        sys.exit(f"seeding failed: {response.status} {payload[:200]}")
    ids.append(json.loads(payload)["id"])
open(path, "w").write("\n".join(ids) + "\n")
PY
}

# load NAME ARGS...: runs wrk (2 threads, 64 keep-alive connections, $seconds s) and prints
# "NAME requests_per_second p50_ms p99_ms"; fails when any response was not 2xx.
load() {
    local name=$1; shift
    local output
    output=$(BENCH_IDS="$work/ids" wrk -t2 -c64 -d"${seconds}s" --latency "$@")
    if echo "$output" | grep -q "Non-2xx or 3xx responses"; then
        echo "$output" >&2
        echo "$name: some responses were not 2xx" >&2
        return 1
    fi
    echo "$output" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(sys.argv[1], round(rps), round(ms("50%"), 2), round(ms("99%"), 2))
' "$name"
}

# build_release: the release binary with the traits MySQL and RabbitMQ, in $binary — the same build
# as deploy/'s Dockerfile runs.
build_release() {
    local scratch=.build-release-traits
    echo "== release build (traits MySQL,RabbitMQ)"
    swift build -c release --product customerflow --traits MySQL,RabbitMQ --static-swift-stdlib --scratch-path "$scratch" 2>&1 | { grep -E "error|Build" || true; } | tail -3
    binary="$scratch/release/customerflow"
}
