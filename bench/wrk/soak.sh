#!/usr/bin/env bash
# Is resident memory flat under sustained load? The embedded Api (batching on) serves V2 binary predictions under wrk
# at concurrency 64 for the given minutes (default 10) while the Api's RSS (VmRSS, /proc) is sampled every 10 s.
# Model: the 1000-100-10 TorchScript fixture, or an ONNX file given as the second argument (any float32 model with one
# input "input" of shape [-1, N]). From the repository root:
#   bash bench/wrk/soak.sh [minutes, default 10] [model.onnx]      → bench/results/soak-<model>.md
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes="${1:-10}"
# The steady figures start after the first minute (replicas loaded, JIT tiered, pools grown): a run needs two.
if ! [ "$minutes" -ge 2 ] 2>/dev/null; then
  echo "soak.sh: minutes must be a whole number of at least 2 (the first minute is warm-up), got '$minutes'" >&2
  exit 2
fi
onnx="${2:-}"
source bench/wrk/embedded-api.sh
if [ -n "$onnx" ]; then
  name=onnx
  curl -sf -o /dev/null -F "artifact=@$onnx" "$api/api/models/$name/versions"
else
  name=l1000
  curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/$name/versions"
fi
width=$(curl -sf "$api/v2/models/$name" | python3 -c 'import json, sys; print(json.load(sys.stdin)["inputs"][0]["shape"][-1])')
input=$(curl -sf "$api/v2/models/$name" | python3 -c 'import json, sys; print(json.load(sys.stdin)["inputs"][0]["name"])')
python3 - "$work" "$width" "$input" <<'PY'
import json, struct, sys
work, width, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
header = json.dumps({"inputs": [{"name": name, "shape": [1, width], "datatype": "FP32", "parameters": {"binary_data_size": 4 * width}}],
                     "parameters": {"binary_data_output": True}}).encode()
open(f"{work}/body.bin", "wb").write(header + struct.pack(f"<{width}f", *([0.5] * width)))
open(f"{work}/body.len", "w").write(str(len(header)))
PY
pid=$(pgrep -f "OrleansML.Api.dll --urls $api ")
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
samples="$work/rss"
: >"$samples"
BODY="$work/body.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$(cat "$work/body.len")" \
  wrk -t2 -c64 -d"${minutes}m" -s bench/wrk/post.lua "$api/v2/models/$name/infer" | grep '^RESULT' >"$work/result" &
loader=$!
started=$(date +%s)
while kill -0 "$loader" 2>/dev/null; do
  echo "$(( $(date +%s) - started )) $(rss)" >>"$samples"
  sleep 10
done
wait "$loader"
out="bench/results/soak-$name.md"
python3 - "$samples" "$(cat "$work/result")" "$minutes" >"$out" <<'PY'
import sys
rows = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if len(line.split()) == 2]
steady = [kib for t, kib in rows if t >= 60]   # after the first minute: replicas loaded, JIT tiered, pools grown
first, last = steady[0], steady[-1]
print(f"wrk: {sys.argv[2]}\n")
print(f"RSS after 1 minute {first / 1024:.0f} MiB, at the end {last / 1024:.0f} MiB ({100 * (last - first) / first:+.1f} %), "
      f"min {min(steady) / 1024:.0f} MiB, max {max(steady) / 1024:.0f} MiB ({100 * (max(steady) - first) / first:+.1f} % over the 1-minute figure), "
      f"{len(rows)} samples every 10 s over {sys.argv[3]} minutes\n")
print("| s | RSS MiB |")
print("|---:|---:|")
for t, kib in rows[::6]:
    print(f"| {t} | {kib / 1024:.0f} |")
PY
cat "$out"
