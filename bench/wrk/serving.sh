#!/usr/bin/env bash
# Serving benchmark under a real load generator, every row in one run: the project's naive ASP.NET peer
# (bench/NaivePeer: JSON in, forward pass per request, JSON out) against OrleansML's native JSON, KServe V2 JSON and
# V2 binary endpoints (embedded Api, batching on: max batch 64, max queue delay 2 ms), for the 1000-100-10 TorchScript
# fixture and a 1024-4096-4096-10 MLP, at concurrency 1 and 64; plus OrleansML with batching off at concurrency 1.
# wrk (Debian) is installed when missing. Usage, from the repository root:
#   bash bench/wrk/serving.sh [seconds per row, default 10]      → bench/results/serving-wrk.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
dotnet build bench/NaivePeer -c Release -nologo -v q >/dev/null
source bench/wrk/embedded-api.sh
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
curl -sf -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"heavy","architecture":{"type":"mlp","inputs":1024,"hidden":[4096,4096],"outputs":10},"seed":1}' "$api/api/models"

# Bodies: a row of 0.5s as the naive/native JSON, V2 JSON and V2 binary (JSON header + 4-byte little-endian floats).
python3 - "$work" <<'PY'
import json, struct, sys
work = sys.argv[1]
for name, width in (("l1000", 1000), ("heavy", 1024)):
    row = [0.5] * width
    open(f"{work}/{name}.json", "w").write(json.dumps({"inputs": [row]}))
    open(f"{work}/{name}.v2.json", "w").write(json.dumps({"inputs": [{"name": "input", "shape": [1, width], "datatype": "FP32", "data": row}]}))
    header = json.dumps({"inputs": [{"name": "input", "shape": [1, width], "datatype": "FP32", "parameters": {"binary_data_size": 4 * width}}],
                         "parameters": {"binary_data_output": True}}).encode()
    open(f"{work}/{name}.bin", "wb").write(header + struct.pack(f"<{width}f", *row))
    open(f"{work}/{name}.bin.len", "w").write(str(len(header)))
PY

out=bench/results/serving-wrk.md
rows="$work/rows"
: >"$rows"
run() { # label model path conc url body content-type [header-length]
  local label=$1 model=$2 conc=$3 url=$4 body=$5 type=$6 header=${7:-}
  local threads=$(( conc < 2 ? 1 : 2 ))
  BODY="$body" CONTENT_TYPE="$type" HEADER_LENGTH="$header" wrk -t1 -c"$conc" -d2s -s bench/wrk/post.lua "$url" >/dev/null
  local result
  result=$(BODY="$body" CONTENT_TYPE="$type" HEADER_LENGTH="$header" wrk -t"$threads" -c"$conc" -d"${seconds}s" -s bench/wrk/post.lua "$url" | grep '^RESULT')
  echo "$model $label $conc $result" | tee -a "$rows"
}

batching() { # model enabled
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
    -d "{\"enabled\":$2,\"maxBatchSize\":64,\"maxQueueDelayMs\":2}" "$api/api/models/$1/batching"
}

# Warm every OrleansML path of both models first (JIT tiering, replica loads), so row order does not favour later rows.
for model in l1000 heavy; do
  BODY="$work/$model.json" CONTENT_TYPE=application/json wrk -t2 -c8 -d3s -s bench/wrk/post.lua "$api/api/models/$model/predict" >/dev/null
  BODY="$work/$model.v2.json" CONTENT_TYPE=application/json wrk -t2 -c8 -d3s -s bench/wrk/post.lua "$api/v2/models/$model/infer" >/dev/null
  BODY="$work/$model.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$(cat "$work/$model.bin.len")" \
    wrk -t2 -c8 -d3s -s bench/wrk/post.lua "$api/v2/models/$model/infer" >/dev/null
done

for model in l1000 heavy; do
  peer_port=$(free_port)
  target=$fixture; [ "$model" = heavy ] && target=heavy
  dotnet bench/NaivePeer/bin/Release/net10.0/linux-x64/OrleansML.NaivePeer.dll --urls "http://127.0.0.1:$peer_port" "$target" >"$work/peer.log" 2>&1 &
  peer=$!; pids+=($peer)
  wait_http "http://127.0.0.1:$peer_port/"
  for conc in 1 64; do
    run "naive peer (JSON)" "$model" "$conc" "http://127.0.0.1:$peer_port/predict" "$work/$model.json" application/json
    run "OrleansML native JSON" "$model" "$conc" "$api/api/models/$model/predict" "$work/$model.json" application/json
    run "OrleansML V2 JSON" "$model" "$conc" "$api/v2/models/$model/infer" "$work/$model.v2.json" application/json
    run "OrleansML V2 binary" "$model" "$conc" "$api/v2/models/$model/infer" "$work/$model.bin" application/octet-stream "$(cat "$work/$model.bin.len")"
    if [ "$model" = l1000 ] && [ "$conc" = 1 ]; then
      # Right after the batching-on rows, so the two differ in the setting and nothing else.
      batching l1000 false
      run "OrleansML native JSON, batching off" l1000 1 "$api/api/models/l1000/predict" "$work/l1000.json" application/json
      run "OrleansML V2 binary, batching off" l1000 1 "$api/v2/models/l1000/infer" "$work/l1000.bin" application/octet-stream "$(cat "$work/l1000.bin.len")"
      batching l1000 true
    fi
  done
  kill "$peer"; wait "$peer" 2>/dev/null || true
done

{
  echo "| model | path | c | req/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  while read -r model rest; do
    label=${rest%% [0-9]* RESULT*}
    conc=$(echo "$rest" | sed -E 's/.* ([0-9]+) RESULT.*/\1/')
    requests=$(echo "$rest" | sed -E 's/.*requests=([0-9]+).*/\1/')
    errors=$(echo "$rest" | sed -E 's/.*errors=([0-9]+).*/\1/')
    secs=$(echo "$rest" | sed -E 's/.*seconds=([0-9.]+).*/\1/')
    p50=$(echo "$rest" | sed -E 's/.*p50_ms=([0-9.]+).*/\1/')
    p99=$(echo "$rest" | sed -E 's/.*p99_ms=([0-9.]+).*/\1/')
    rps=$(python3 -c "print(f'{$requests/$secs:,.0f}')")
    echo "| $model | $label | $conc | $rps | $p50 | $p99 | $errors |"
  done <"$rows"
} >"$out"
cat "$out"
