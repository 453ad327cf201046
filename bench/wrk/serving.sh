#!/usr/bin/env bash
# Serving benchmark under real load generators, every row in one run against one Api process: the project's naive
# ASP.NET peer (bench/NaivePeer: JSON in, forward pass per request, JSON out) against OrleansML's native JSON, KServe
# V2 JSON and V2 binary endpoints under wrk, and KServe V2 gRPC (ModelInfer, raw_input_contents) under h2load
# (embedded Api, batching on: max batch 64, max queue delay 2 ms), for the 1000-100-10 TorchScript fixture and a
# 1024-4096-4096-10 MLP, at concurrency 1 and 64; plus OrleansML with batching off at concurrency 1. wrk and h2load
# (Debian's wrk and nghttp2-client) are installed when missing. Concurrency c is c connections for every row: wrk's
# c connections, and for gRPC c HTTP/2 connections of one stream each (bench/wrk/rows.sh says how each row is taken).
# Usage, from the repository root:
#   bash bench/wrk/serving.sh [seconds per row, default 10]      → bench/results/serving-wrk.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
dotnet build bench/NaivePeer -c Release -nologo -v q >/dev/null
with_grpc=1
source bench/wrk/embedded-api.sh
source bench/wrk/rows.sh
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
curl -sf -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"heavy","architecture":{"type":"mlp","inputs":1024,"hidden":[4096,4096],"outputs":10},"seed":1}' "$api/api/models"

# Every path's body for each model (rows.sh); the gRPC one must answer grpc-status 0 before any row.
bodies l1000 1000
bodies heavy 1024
for model in l1000 heavy; do
  grpc_check "$model" "$work/$model.grpc" 10
done

batching() { # model enabled
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
    -d "{\"enabled\":$2,\"maxBatchSize\":64,\"maxQueueDelayMs\":2}" "$api/api/models/$1/batching"
}

# Warm every OrleansML path of both models first (JIT tiering, replica loads), so row order does not favour later rows.
for model in l1000 heavy; do
  warm "$model" native
done

for model in l1000 heavy; do
  peer_port=$(free_port)
  target=$fixture; [ "$model" = heavy ] && target=heavy
  dotnet bench/NaivePeer/bin/Release/net10.0/linux-x64/OrleansML.NaivePeer.dll --urls "http://127.0.0.1:$peer_port" "$target" >"$work/peer.log" 2>&1 &
  peer=$!; pids+=($peer)
  wait_http "http://127.0.0.1:$peer_port/"
  for conc in 1 64; do
    wrk_row "naive peer (JSON)" "$model" "$conc" "http://127.0.0.1:$peer_port/predict" "$work/$model.json" application/json
    wrk_row "OrleansML native JSON" "$model" "$conc" "$api/api/models/$model/predict" "$work/$model.json" application/json
    wrk_row "OrleansML V2 JSON" "$model" "$conc" "$api/v2/models/$model/infer" "$work/$model.v2.json" application/json
    wrk_row "OrleansML V2 binary" "$model" "$conc" "$api/v2/models/$model/infer" "$work/$model.bin" application/octet-stream "$(cat "$work/$model.bin.len")"
    h2load_row "OrleansML V2 gRPC (h2load)" "$model" "$conc" "$work/$model.grpc"
    if [ "$model" = l1000 ] && [ "$conc" = 1 ]; then
      # Right after the batching-on rows, so the two differ in the setting and nothing else.
      batching l1000 false
      wrk_row "OrleansML native JSON, batching off" l1000 1 "$api/api/models/l1000/predict" "$work/l1000.json" application/json
      wrk_row "OrleansML V2 binary, batching off" l1000 1 "$api/v2/models/l1000/infer" "$work/l1000.bin" application/octet-stream "$(cat "$work/l1000.bin.len")"
      batching l1000 true
    fi
  done
  kill "$peer"; wait "$peer" 2>/dev/null || true
done

out=bench/results/serving-wrk.md
write_table "$out"
{
  echo
  python3 bench/wrk/targets.py "$rows" <<'TARGETS'
small, c=1: native JSON p50 ≤ 1.2x the naive peer's | l1000 | 1 | OrleansML native JSON | naive peer (JSON) | p50 | 1.2
small, c=1: native JSON with batching on costs ≤ 5% against off (p50) | l1000 | 1 | OrleansML native JSON | OrleansML native JSON, batching off | p50 | 1.05
small, c=1: V2 binary with batching on costs ≤ 5% against off (p50) | l1000 | 1 | OrleansML V2 binary | OrleansML V2 binary, batching off | p50 | 1.05
small, c=64: native JSON ≥ 1.5x the naive peer's throughput | l1000 | 64 | OrleansML native JSON | naive peer (JSON) | req/s | 1.5
heavy, c=64: native JSON ≥ 4x the naive peer's throughput | heavy | 64 | OrleansML native JSON | naive peer (JSON) | req/s | 4
heavy, c=64: native JSON p99 ≤ 2x its p50 | heavy | 64 | OrleansML native JSON | OrleansML native JSON | p99/p50 | 2
heavy, c=64: V2 binary p99 ≤ 2x its p50 | heavy | 64 | OrleansML V2 binary | OrleansML V2 binary | p99/p50 | 2
small, c=64: V2 gRPC ≥ 3x the naive peer's throughput | l1000 | 64 | OrleansML V2 gRPC (h2load) | naive peer (JSON) | req/s | 3
heavy, c=64: V2 gRPC ≥ 4x the naive peer's throughput | heavy | 64 | OrleansML V2 gRPC (h2load) | naive peer (JSON) | req/s | 4
small, c=1: V2 gRPC p50 ≤ the native JSON path's | l1000 | 1 | OrleansML V2 gRPC (h2load) | OrleansML native JSON | p50 | 1
heavy, c=1: V2 gRPC p50 ≤ the native JSON path's | heavy | 1 | OrleansML V2 gRPC (h2load) | OrleansML native JSON | p50 | 1
small, c=1: V2 binary p50 ≤ 1.2x the naive peer's | l1000 | 1 | OrleansML V2 binary | naive peer (JSON) | p50 | 1.2
small, c=64: V2 binary ≥ 3x the naive peer's throughput | l1000 | 64 | OrleansML V2 binary | naive peer (JSON) | req/s | 3
heavy, c=64: V2 binary ≥ 4x the naive peer's throughput | heavy | 64 | OrleansML V2 binary | naive peer (JSON) | req/s | 4
TARGETS
} | tee -a "$out"
