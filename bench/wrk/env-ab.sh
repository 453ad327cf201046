#!/usr/bin/env bash
# A/B of a runtime setting: two embedded Apis (the 1000-100-10 fixture, batching on), each started with its own
# environment (env(1) arguments), alternating native JSON and V2 binary rows at concurrency 64 under wrk, after a
# 10 s warm-up of each path on each Api. The gen0 budget figures in docs/benchmarks-serving.md came from:
#   bash bench/wrk/env-ab.sh 6 3 "-u DOTNET_GCgen0size" "DOTNET_GCgen0size=0x4000000"
# Usage, from the repository root: bash bench/wrk/env-ab.sh SECONDS ROUNDS "ENV_A" "ENV_B"
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=$1; rounds=$2
read -ra env_a <<<"$3"
read -ra env_b <<<"$4"
no_api=1
source bench/wrk/embedded-api.sh
source bench/wrk/rows.sh
start_api A "${env_a[@]}"
start_api B "${env_b[@]}"
bodies l1000 1000
for X in A B; do
  curl -sf -o /dev/null -F "artifact=@$fixture" "${!X}/api/models/l1000/versions"
  BODY="$work/l1000.json" CONTENT_TYPE=application/json wrk -t2 -c64 -d10s -s bench/wrk/post.lua "${!X}/api/models/l1000/predict" >/dev/null
  BODY="$work/l1000.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$(cat "$work/l1000.bin.len")" \
    wrk -t2 -c64 -d10s -s bench/wrk/post.lua "${!X}/v2/models/l1000/infer" >/dev/null
done
for _ in $(seq 1 "$rounds"); do
  for X in A B; do
    wrk_row "$X native JSON" l1000 64 "${!X}/api/models/l1000/predict" "$work/l1000.json" application/json
    wrk_row "$X V2 binary" l1000 64 "${!X}/v2/models/l1000/infer" "$work/l1000.bin" application/octet-stream "$(cat "$work/l1000.bin.len")"
  done
done
echo "A: $3"; echo "B: $4"
