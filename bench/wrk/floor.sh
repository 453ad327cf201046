#!/usr/bin/env bash
# The HTTP floor against the small model's rows, at concurrency 64 under wrk: the naive peer in its "floor" mode (reads
# the body, answers a fixed 10-float JSON output, no parsing, no model) with the JSON and the V2 binary bodies, the
# naive peer itself, OrleansML's native JSON and V2 binary paths, and the V2 binary body POSTed to the Api's
# /health/live (its whole middleware chain and a body, no model). Rounds alternate the rows. From the repository root:
#   bash bench/wrk/floor.sh [seconds per row, default 8] [rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-8}"; rounds="${2:-2}"
dotnet build bench/NaivePeer -c Release -nologo -v q >/dev/null
with_grpc=1
source bench/wrk/embedded-api.sh
source bench/wrk/rows.sh
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
bodies l1000 1000
warm l1000 native
peer_dll=bench/NaivePeer/bin/Release/net10.0/linux-x64/OrleansML.NaivePeer.dll
floor_port=$(free_port); peer_port=$(free_port)
dotnet "$peer_dll" --urls "http://127.0.0.1:$floor_port" floor >"$work/floor.log" 2>&1 & pids+=($!)
dotnet "$peer_dll" --urls "http://127.0.0.1:$peer_port" "$fixture" >"$work/peer.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$floor_port/"; wait_http "http://127.0.0.1:$peer_port/"
# The peer's JIT tiering needs longer than the 2-second run before each row.
BODY="$work/l1000.json" CONTENT_TYPE=application/json wrk -t2 -c64 -d10s -s bench/wrk/post.lua "http://127.0.0.1:$peer_port/predict" >/dev/null
for _ in $(seq 1 "$rounds"); do
  wrk_row "HTTP floor, JSON body" l1000 64 "http://127.0.0.1:$floor_port/predict" "$work/l1000.json" application/json
  wrk_row "HTTP floor, V2 binary body" l1000 64 "http://127.0.0.1:$floor_port/predict" "$work/l1000.bin" application/octet-stream
  wrk_row "naive peer (JSON)" l1000 64 "http://127.0.0.1:$peer_port/predict" "$work/l1000.json" application/json
  wrk_row "OrleansML native JSON" l1000 64 "$api/api/models/l1000/predict" "$work/l1000.json" application/json
  wrk_row "OrleansML V2 binary" l1000 64 "$api/v2/models/l1000/infer" "$work/l1000.bin" application/octet-stream "$(cat "$work/l1000.bin.len")"
  wrk_row "OrleansML POST /health/live, V2 binary body" l1000 64 "$api/health/live" "$work/l1000.bin" application/octet-stream
done
write_table bench/results/floor-wrk.md
cat bench/results/floor-wrk.md
