#!/usr/bin/env bash
# Does a shadow cost the primary anything? The 1000-100-10 TorchScript fixture as version 1 (stable) and version 2,
# native JSON predictions under wrk at concurrency 1 and 16, alternating no shadow / version 2 shadowing 50 % / 100 %
# twice over (A B C A B C), so the spread between the repeats of one setting shows the machine's noise beside the
# difference between settings. Embedded Api, batching on. wrk (Debian) is installed when missing. From the repository root:
#   bash bench/wrk/shadow.sh [seconds per row, default 10]      → bench/results/shadow-wrk.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

dotnet build Api -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

fixture=tests/fixtures/torchscript/l1000_100_10.script.dat
api_port=$(free_port)
ASPNETCORE_ENVIRONMENT=Production dotnet Api/bin/Release/net10.0/linux-x64/OrleansML.Api.dll --urls "http://127.0.0.1:$api_port" \
  --OrleansML:DataDirectory "$work/data" --OrleansML:Device cpu --OrleansML:SiloPort "$(free_port)" \
  --OrleansML:GatewayPort "$(free_port)" --OrleansML:Grpc:Url "" --OrleansML:Auth:AllowAnonymous true \
  --Logging:LogLevel:Default Warning >"$work/api.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$api_port/health/ready"
api="http://127.0.0.1:$api_port"
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"version":1}' "$api/api/models/l1000/labels/stable"
python3 -c "import json; print(json.dumps({'inputs': [[0.5] * 1000]}))" >"$work/body.json"

shadow() { # percent, or "off"
  if [ "$1" = off ]; then
    curl -s -o /dev/null -X DELETE "$api/api/models/l1000/shadow"
  else
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "{\"version\":2,\"percent\":$1}" "$api/api/models/l1000/shadow"
  fi
}

rows="$work/rows"
: >"$rows"
url="$api/api/models/l1000/predict"
# Warm both versions and every path (JIT tiering) before the first measured row.
shadow 100
BODY="$work/body.json" CONTENT_TYPE=application/json wrk -t2 -c8 -d5s -s bench/wrk/post.lua "$url" >/dev/null
for conc in 1 16; do
  threads=$(( conc < 2 ? 1 : 2 ))
  for round in 1 2; do
    for setting in off 50 100; do
      shadow "$setting"
      result=$(BODY="$work/body.json" CONTENT_TYPE=application/json wrk -t"$threads" -c"$conc" -d"${seconds}s" -s bench/wrk/post.lua "$url" | grep '^RESULT')
      figures=$(curl -s "$api/api/models/l1000/shadow" | python3 -c 'import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    d = {}
print("mirrored=%d dropped=%d compared=%d" % (d.get("mirrored", 0), d.get("dropped", 0), d.get("compared", 0)))')
      echo "$conc $setting $round $result $figures" | tee -a "$rows"
    done
  done
done

out=bench/results/shadow-wrk.md
{
  echo "| c | shadow | round | req/s | p50 ms | p99 ms | errors | mirrored | dropped |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  while read -r conc setting round rest; do
    value() { echo "$rest" | sed -E "s/.*$1=([0-9.]+).*/\1/"; }
    rps=$(python3 -c "print(f'{$(value requests)/$(value seconds):,.0f}')")
    label=$([ "$setting" = off ] && echo "none" || echo "$setting %")
    echo "| $conc | $label | $round | $rps | $(value p50_ms) | $(value p99_ms) | $(value errors) | $(value mirrored) | $(value dropped) |"
  done <"$rows"
} >"$out"
cat "$out"
