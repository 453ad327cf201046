#!/usr/bin/env bash
# What batching costs a lone request: the 1000-100-10 TorchScript fixture in the embedded Api at concurrency 1 (wrk),
# native JSON and V2 binary, with batching on (max batch 64, max queue delay 2 ms) and off, alternated for the given
# rounds so that neither setting always runs first or warmer (serving.sh's one on/off pair takes "off" after "on").
# From the repository root:
#   bash bench/wrk/batching-c1.sh [seconds per row, default 6] [rounds, default 3]      → bench/results/batching-c1.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-6}"
rounds="${2:-3}"
source bench/wrk/embedded-api.sh
source bench/wrk/rows.sh
curl -sf -o /dev/null -F "artifact=@$fixture" "$api/api/models/l1000/versions"
bodies l1000 1000
batching() { # enabled
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
    -d "{\"enabled\":$1,\"maxBatchSize\":64,\"maxQueueDelayMs\":2}" "$api/api/models/l1000/batching"
}
BODY="$work/l1000.json" CONTENT_TYPE=application/json wrk -t2 -c8 -d5s -s bench/wrk/post.lua "$api/api/models/l1000/predict" >/dev/null
for round in $(seq 1 "$rounds"); do
  order="true false"; [ $((round % 2)) = 0 ] && order="false true"
  for enabled in $order; do
    batching "$enabled"
    wrk_row "native JSON, batching $enabled" l1000 1 "$api/api/models/l1000/predict" "$work/l1000.json" application/json
    wrk_row "V2 binary, batching $enabled" l1000 1 "$api/v2/models/l1000/infer" "$work/l1000.bin" application/octet-stream "$(cat "$work/l1000.bin.len")"
  done
done
out=bench/results/batching-c1.md
write_table "$out"
python3 - "$rows" <<'PY' | tee -a "$out"
import re, statistics, sys
p50 = {}
for line in open(sys.argv[1]):
    m = re.search(r"^l1000 (.+), batching (true|false) 1 RESULT .*p50_ms=([0-9.]+)", line)
    if m:
        p50.setdefault((m.group(1), m.group(2)), []).append(float(m.group(3)))
print("\n| path | p50 on (median of rounds) | p50 off | on ÷ off |\n|---|---:|---:|---:|")
for path in ("native JSON", "V2 binary"):
    on, off = statistics.median(p50[(path, "true")]), statistics.median(p50[(path, "false")])
    print(f"| {path} | {on:.3f} ms | {off:.3f} ms | {on / off:.2f}x |")
PY
