#!/usr/bin/env bash
# A/B of a runtime setting: two embedded Apis (the 1000-100-10 fixture, batching on), each started with its own
# environment, alternating native JSON and V2 binary rows at concurrency 64 under wrk after a 10 s warm-up of each.
# The gen0 budget figures in docs/benchmarks-serving.md came from:
#   bash bench/wrk/env-ab.sh 6 3 "X=1" "DOTNET_GCgen0size=0x4000000"
# Usage: bash bench/wrk/env-ab.sh seconds rounds "ENV_A" "ENV_B"
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=$1; rounds=$2; envA=$3; envB=$4
dotnet build Api -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"; pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
fixture=tests/fixtures/torchscript/l1000_100_10.script.dat
start() { # name env
  local port=$(free_port)
  env $2 ASPNETCORE_ENVIRONMENT=Production dotnet Api/bin/Release/net10.0/linux-x64/OrleansML.Api.dll --urls "http://127.0.0.1:$port" \
  --OrleansML:DataDirectory "$work/data-$1" --OrleansML:Device cpu --OrleansML:SiloPort "$(free_port)" \
  --OrleansML:GatewayPort "$(free_port)" --OrleansML:Grpc:Url "" --OrleansML:Auth:AllowAnonymous true \
  --Logging:LogLevel:Default Warning >"$work/api-$1.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/health/ready"
  curl -sf -o /dev/null -F "artifact=@$fixture" "http://127.0.0.1:$port/api/models/l1000/versions"
  echo "http://127.0.0.1:$port"
}
A=$(start a "$envA"); B=$(start b "$envB")
python3 - "$work" <<'PY'
import json, struct, sys
w=sys.argv[1]; row=[0.5]*1000
open(f"{w}/n.json","w").write(json.dumps({"inputs":[row]}))
h=json.dumps({"inputs":[{"name":"input","shape":[1,1000],"datatype":"FP32","parameters":{"binary_data_size":4000}}],"parameters":{"binary_data_output":True}}).encode()
open(f"{w}/b.bin","wb").write(h+struct.pack("<1000f",*row)); open(f"{w}/b.len","w").write(str(len(h)))
PY
row() { # label url body type header dur
  BODY="$3" CONTENT_TYPE="$4" HEADER_LENGTH="$5" wrk -t2 -c64 -d"$6" -s bench/wrk/post.lua "$2" | grep RESULT | sed "s/^/$1 /"; }
for X in A B; do u=${!X}; row warm "$u/api/models/l1000/predict" $work/n.json application/json "" 10s >/dev/null; row warm "$u/v2/models/l1000/infer" $work/b.bin application/octet-stream "$(cat $work/b.len)" 10s >/dev/null; done
for r in $(seq 1 $rounds); do
  for X in A B; do u=${!X}
    row "$X native" "$u/api/models/l1000/predict" $work/n.json application/json "" ${seconds}s
    row "$X binary" "$u/v2/models/l1000/infer" $work/b.bin application/octet-stream "$(cat $work/b.len)" ${seconds}s
  done
done
