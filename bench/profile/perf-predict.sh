#!/usr/bin/env bash
# Where a small model's prediction spends its CPU under load: the 1000-100-10 TorchScript fixture in the embedded Api
# (batching on), V2 binary predictions under wrk at concurrency 64; after a 45 s warm-up (tiered JIT done), `perf` samples
# the Api process for 12 s with call stacks (JIT-compiled frames named through DOTNET_PerfMapEnabled), and the script
# prints the share of the process's samples inside each stage of the path (inclusive, so nested stages overlap).
# Needs perf (Debian's linux-perf) and wrk. From the repository root:
#   bash bench/profile/perf-predict.sh      → bench/results/profile-predict.md
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
source bench/wrk/embedded-api.sh
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
python3 - "$work" <<'PY'
import json, struct, sys
header = json.dumps({"inputs": [{"name": "input", "shape": [1, 1000], "datatype": "FP32", "parameters": {"binary_data_size": 4000}}],
                     "parameters": {"binary_data_output": True}}).encode()
open(f"{sys.argv[1]}/body.bin", "wb").write(header + struct.pack("<1000f", *([0.5] * 1000)))
open(f"{sys.argv[1]}/body.len", "w").write(str(len(header)))
PY
pid=$(pgrep -f "OrleansML.Api.dll --urls $api ")
load() { BODY="$work/body.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$(cat "$work/body.len")" \
  wrk -t2 -c64 -d"$1" -s bench/wrk/post.lua "$api/v2/models/l1000/infer" | grep '^RESULT'; }
load 45s >/dev/null
load 20s >"$work/result" &
loader=$!
sleep 4
perf record -F 499 -g -p "$pid" -o "$work/perf.data" -- sleep 12 >/dev/null 2>&1
wait "$loader"
perf script -i "$work/perf.data" 2>/dev/null >"$work/perf.txt"
out=bench/results/profile-predict.md
python3 - "$work/perf.txt" "$(cat "$work/result")" >"$out" <<'PY'
import re, sys
stages = [
    ("Kestrel: a request, end to end", "HttpProtocol+<ProcessRequests>"),
    ("  middleware: authentication (and all after it)", "AuthenticationMiddleware+<Invoke>"),
    ("  middleware: rate limiting (and all after it)", "RateLimitingMiddleware+<InvokeInternal>"),
    ("  OpenTelemetry ASP.NET Core instrumentation", "OpenTelemetry.Instrumentation.AspNetCore"),
    ("  V2 endpoint handler", "KServeEndpoints+<>c+<<MapModel>"),
    ("    V2 request parsing (InferRequestReader.Read)", "InferRequestReader::Read("),
    ("    V2 response writing (InferResult.ExecuteAsync)", "InferResult+<ExecuteAsync>"),
    ("    predictor client (embedded: the local predictor; cluster: Polly hedging + grain call)", "PredictorClient+<PredictAsync>"),
    ("      LocalPredictor.PredictAsync (route, checks, replica, and what its continuation runs)", "LocalPredictor+<PredictAsync>"),
    ("      Polly hedging pipeline", "Polly.Hedging"),
    ("      Orleans outgoing call", "OutgoingCallInvoker`1+<Invoke>"),
    ("Orleans scheduler: grain turns", "WorkItemGroup::Execute"),
    ("Batcher loop", "DynamicBatcher+<RunAsync>"),
    ("  Replica.Execute (stack, forward, split)", "Replica::Execute"),
    ("    TorchRunner.Run (the forward pass)", "TorchRunner::Run"),
    ("OpenTelemetry metric updates", "OpenTelemetry.Metrics.AggregatorStore::Update"),
    ("kernel: system calls (sockets, futex)", "entry_SYSCALL_64"),
    ("kernel: page faults", "exc_page_fault"),
    ("libc memset (zeroing new memory)", "__memset_"),
]
samples = [s for s in open(sys.argv[1]).read().split("\n\n") if s.strip()]
hits = {label: 0 for label, _ in stages}
for sample in samples:
    for label, needle in stages:
        if needle in sample:
            hits[label] += 1
print(f"wrk while sampled: {sys.argv[2]}; {len(samples)} samples\n")
print("| stage | share of the Api process's CPU samples |")
print("|---|---:|")
for label, _ in stages:
    print(f"| {label.replace('  ', '&nbsp;&nbsp;')} | {100 * hits[label] / len(samples):.1f} % |")
PY
cat "$out"
