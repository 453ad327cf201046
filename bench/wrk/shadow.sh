#!/usr/bin/env bash
# Does a shadow cost the primary anything? The 1000-100-10 TorchScript fixture as version 1 (stable) and version 2,
# native JSON predictions under wrk at concurrency 1 and 16, alternating no shadow / version 2 shadowing 50 % / 100 %
# twice over (A B C A B C), so the spread between the repeats of one setting shows the machine's noise beside the
# difference between settings. Embedded Api, batching on. wrk (Debian) is installed when missing. From the repository root:
#   bash bench/wrk/shadow.sh [seconds per row, default 10]      → bench/results/shadow-wrk.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
source bench/wrk/embedded-api.sh
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
