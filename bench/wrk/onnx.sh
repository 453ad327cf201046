#!/usr/bin/env bash
# ONNX benchmark, every row in one run: two MLPs written by bench/OnnxBench at bench time (small 1000-100-10:
# Gemm, Relu, Gemm; heavy 1024-4096-4096-10, the shape of serving.sh's heavy TorchScript MLP, about 84 MB; input
# "input" [batch, n] FP32, fixed-seed weights), each measured as
#   - the in-process floor: InferenceSession.Run on one thread, one row per run at c=1 and one 64-row batch per run
#     at c=64 (rows counted as requests: the rate batching can approach; each run's time as the latency);
#   - the naive peer (bench/NaivePeer with the .onnx file: ASP.NET + one ONNX Runtime session with its default
#     options, JSON in, a Run per request, JSON out) under wrk;
#   - OrleansML (embedded Api, batching on: max batch 64, max queue delay 2 ms) over KServe V2 JSON and V2 binary
#     under wrk, and V2 gRPC (ModelInfer, raw_input_contents) under h2load,
# at concurrency 1 and 64 (c connections for every HTTP row; rows.sh says how each is taken). The Api's ONNX sessions
# get every core (OrleansML:Serving:OnnxIntraOpThreads = nproc) as the floor's and the peer's do: by default the second
# model loaded on a silo would get a share of them. wrk and h2load (Debian) are installed when missing. From the
# repository root:
#   bash bench/wrk/onnx.sh [seconds per row, default 10]      → bench/results/onnx-wrk.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
dotnet build bench/NaivePeer -c Release -nologo -v q >/dev/null
dotnet build bench/OnnxBench -c Release -nologo -v q >/dev/null
with_grpc=1
api_args=(--OrleansML:Serving:OnnxIntraOpThreads "$(nproc)")
source bench/wrk/embedded-api.sh
source bench/wrk/rows.sh
onnx_bench() { dotnet bench/OnnxBench/bin/Release/net10.0/linux-x64/OrleansML.OnnxBench.dll "$@"; }

onnx_bench models "$work"
for model in small heavy; do
  width=1000; [ "$model" = heavy ] && width=1024
  curl -sf -o /dev/null -F "artifact=@$work/$model.onnx" "$api/api/models/onnx-$model/versions"
  bodies "onnx-$model" "$width"
  grpc_check "onnx-$model" "$work/onnx-$model.grpc" 10
done

# Warm every OrleansML path of both models first (JIT tiering, replica loads), so row order does not favour later rows.
for model in onnx-small onnx-heavy; do
  warm "$model"
done

for model in small heavy; do
  name=onnx-$model
  for conc in 1 64; do
    echo "$name in-process floor (ONNX Runtime, c rows a run) $conc $(onnx_bench floor "$work/$model.onnx" "$conc" "$seconds")" | tee -a "$rows"
  done
  peer_port=$(free_port)
  dotnet bench/NaivePeer/bin/Release/net10.0/linux-x64/OrleansML.NaivePeer.dll --urls "http://127.0.0.1:$peer_port" "$work/$model.onnx" >"$work/peer.log" 2>&1 &
  peer=$!; pids+=($peer)
  wait_http "http://127.0.0.1:$peer_port/"
  for conc in 1 64; do
    wrk_row "naive peer (JSON)" "$name" "$conc" "http://127.0.0.1:$peer_port/predict" "$work/$name.json" application/json
    wrk_row "OrleansML V2 JSON" "$name" "$conc" "$api/v2/models/$name/infer" "$work/$name.v2.json" application/json
    wrk_row "OrleansML V2 binary" "$name" "$conc" "$api/v2/models/$name/infer" "$work/$name.bin" application/octet-stream "$(cat "$work/$name.bin.len")"
    h2load_row "OrleansML V2 gRPC (h2load)" "$name" "$conc" "$work/$name.grpc"
  done
  kill "$peer"; wait "$peer" 2>/dev/null || true
done

out=bench/results/onnx-wrk.md
write_table "$out"
{
  echo
  python3 bench/wrk/targets.py "$rows" <<'TARGETS'
small, c=1: V2 JSON p50 ≤ 1.2x the naive peer's | onnx-small | 1 | OrleansML V2 JSON | naive peer (JSON) | p50 | 1.2
small, c=1: V2 binary p50 ≤ 1.2x the naive peer's | onnx-small | 1 | OrleansML V2 binary | naive peer (JSON) | p50 | 1.2
small, c=1: V2 gRPC p50 ≤ 1.2x the naive peer's | onnx-small | 1 | OrleansML V2 gRPC (h2load) | naive peer (JSON) | p50 | 1.2
heavy, c=1: V2 JSON p50 ≤ 1.2x the naive peer's | onnx-heavy | 1 | OrleansML V2 JSON | naive peer (JSON) | p50 | 1.2
heavy, c=1: V2 binary p50 ≤ 1.2x the naive peer's | onnx-heavy | 1 | OrleansML V2 binary | naive peer (JSON) | p50 | 1.2
heavy, c=1: V2 gRPC p50 ≤ 1.2x the naive peer's | onnx-heavy | 1 | OrleansML V2 gRPC (h2load) | naive peer (JSON) | p50 | 1.2
small, c=64: V2 binary ≥ 3x the naive peer's throughput | onnx-small | 64 | OrleansML V2 binary | naive peer (JSON) | req/s | 3
small, c=64: V2 gRPC ≥ 3x the naive peer's throughput | onnx-small | 64 | OrleansML V2 gRPC (h2load) | naive peer (JSON) | req/s | 3
heavy, c=64: V2 binary ≥ 4x the naive peer's throughput | onnx-heavy | 64 | OrleansML V2 binary | naive peer (JSON) | req/s | 4
heavy, c=64: V2 gRPC ≥ 4x the naive peer's throughput | onnx-heavy | 64 | OrleansML V2 gRPC (h2load) | naive peer (JSON) | req/s | 4
TARGETS
} | tee -a "$out"
