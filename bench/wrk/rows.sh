# Sourced by serving.sh and onnx.sh after embedded-api.sh: the bodies, the warm-up, and one measured row per call,
# appended to $rows as "model label c RESULT requests=… errors=… seconds=… p50_ms=… p99_ms=…" (a label holds no
# space followed by a digit), and write_table turning them into the markdown table (model | path | c | req/s |
# p50 | p99 | errors). $seconds is the length of a row.
rows="$work/rows"
: >"$rows"

# A row of width 0.5s for model as every path's body: $work/MODEL.json (native JSON and the naive peer), .v2.json
# (KServe V2 JSON), .bin and .bin.len (V2 binary: JSON header + 4-byte little-endian floats, and the header's length)
# and .grpc (a framed V2 gRPC ModelInferRequest). The input is "input" [1, width] FP32.
bodies() { # model width
  python3 - "$work/$1" "$2" <<'PY'
import json, struct, sys
base, width = sys.argv[1], int(sys.argv[2])
row = [0.5] * width
open(f"{base}.json", "w").write(json.dumps({"inputs": [row]}))
open(f"{base}.v2.json", "w").write(json.dumps({"inputs": [{"name": "input", "shape": [1, width], "datatype": "FP32", "data": row}]}))
header = json.dumps({"inputs": [{"name": "input", "shape": [1, width], "datatype": "FP32", "parameters": {"binary_data_size": 4 * width}}],
                     "parameters": {"binary_data_output": True}}).encode()
open(f"{base}.bin", "wb").write(header + struct.pack(f"<{width}f", *row))
open(f"{base}.bin.len", "w").write(str(len(header)))
PY
  grpc_body "$1" "$2" "$work/$1.grpc"
}

# 3 seconds at concurrency 8 on each OrleansML path of model (native JSON too when asked): JIT tiering and replica
# loads happen here, not in the first measured row.
warm() { # model [native]
  if [ "${2:-}" = native ]; then
    BODY="$work/$1.json" CONTENT_TYPE=application/json wrk -t2 -c8 -d3s -s bench/wrk/post.lua "$api/api/models/$1/predict" >/dev/null
  fi
  BODY="$work/$1.v2.json" CONTENT_TYPE=application/json wrk -t2 -c8 -d3s -s bench/wrk/post.lua "$api/v2/models/$1/infer" >/dev/null
  BODY="$work/$1.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$(cat "$work/$1.bin.len")" \
    wrk -t2 -c8 -d3s -s bench/wrk/post.lua "$api/v2/models/$1/infer" >/dev/null
  h2load -c8 -m1 -t2 -D 3 -d "$work/$1.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    "$grpc/inference.GRPCInferenceService/ModelInfer" >/dev/null
}

# wrk, HTTP/1.1, c connections (2 threads from c=2): a 2-second run first, unmeasured, then the row.
wrk_row() { # label model conc url body content-type [header-length]
  local label=$1 model=$2 conc=$3 url=$4 body=$5 type=$6 header=${7:-}
  local threads=$(( conc < 2 ? 1 : 2 ))
  BODY="$body" CONTENT_TYPE="$type" HEADER_LENGTH="$header" wrk -t1 -c"$conc" -d2s -s bench/wrk/post.lua "$url" >/dev/null
  local result
  result=$(BODY="$body" CONTENT_TYPE="$type" HEADER_LENGTH="$header" wrk -t"$threads" -c"$conc" -d"${seconds}s" -s bench/wrk/post.lua "$url" | grep '^RESULT')
  echo "$model $label $conc $result" | tee -a "$rows"
}

# A KServe V2 gRPC ModelInferRequest for model, one FP32 input "input" of shape [1, width] with every value 0.5 in
# raw_input_contents (4-byte little-endian floats), framed for the wire: the 5-byte gRPC prefix (not compressed, the
# message's length big-endian), then the protobuf. Field numbers from Api/Grpc/Protos/grpc_service.proto:
# ModelInferRequest model_name 1, inputs 5, raw_input_contents 7; InferInputTensor name 1, datatype 2, shape 3 (packed).
grpc_body() { # model width file
  python3 - "$@" <<'PY'
import struct, sys
model, width, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    return bytes(out + bytes([n]))
def field(number, payload):  # a length-delimited field (wire type 2)
    return varint(number << 3 | 2) + varint(len(payload)) + payload
tensor = field(1, b"input") + field(2, b"FP32") + field(3, varint(1) + varint(width))
request = field(1, model.encode()) + field(5, tensor) + field(7, struct.pack(f"<{width}f", *([0.5] * width)))
open(path, "wb").write(b"\0" + struct.pack(">I", len(request)) + request)
PY
}

# One call with curl before the rows: h2load counts HTTP statuses only, and a gRPC error is HTTP 200 with a
# grpc-status trailer, so the body must be seen to answer grpc-status 0 with an output of width outputs.
grpc_check() { # model body outputs
  local headers="$work/grpc.headers" answer="$work/grpc.answer"
  curl -s --http2-prior-knowledge -X POST -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary "@$2" -D "$headers" -o "$answer" "$grpc/inference.GRPCInferenceService/ModelInfer"
  if ! grep -qi '^grpc-status: 0' "$headers"; then
    echo "gRPC ModelInfer on $1 did not answer grpc-status 0:" >&2; cat "$headers" >&2; exit 1
  fi
  # The answer's raw_output_contents (field 6) holds outputs floats: 4 × outputs bytes and their prefix at least.
  [ "$(stat -c %s "$answer")" -ge $(( 5 + 4 * $3 )) ] || { echo "gRPC ModelInfer on $1: a short answer" >&2; exit 1; }
}

# Failed inferences of a model so far, summed over its versions (KServe V2 statistics): a request that reaches the
# model and fails under load is HTTP 200 to h2load but counts here.
failures() { # model
  curl -sf "$api/v2/models/$1/stats" | python3 -c 'import json, sys
print(sum(s["inference_stats"]["fail"]["count"] for s in json.load(sys.stdin)["model_stats"]))'
}

# h2load, HTTP/2 (h2c) gRPC: c connections of one stream each (-m 1), so c requests are in flight as in the wrk rows
# of c connections, with 2 threads from c=2; a 2-second run first, unmeasured. h2load prints no percentiles: its
# --log-file has each request's time, from which python3 takes p50 and p99. Errors: requests h2load counts as failed,
# errored or timed out, non-2xx statuses, and the model's failed inferences over the row (grpc-status not 0).
h2load_row() { # label model conc body
  local label=$1 model=$2 conc=$3 body=$4
  local threads=$(( conc < 2 ? 1 : 2 )) url="$grpc/inference.GRPCInferenceService/ModelInfer" log="$work/h2load.log"
  local args=(-c"$conc" -m1 -t"$threads" -d "$body" -H 'content-type: application/grpc' -H 'te: trailers')
  h2load "${args[@]}" -D 2 "$url" >/dev/null
  local before after summary
  before=$(failures "$model")
  rm -f "$log"
  summary=$(h2load "${args[@]}" -D "$seconds" --log-file="$log" "$url")
  after=$(failures "$model")
  local result
  result=$(SUMMARY="$summary" python3 - "$log" "$(( after - before ))" <<'PY'
import os, re, sys
log, failed = sys.argv[1], int(sys.argv[2])
summary = os.environ["SUMMARY"]
finished = re.search(r"finished in ([0-9.]+)(m?s)", summary)
seconds = float(finished.group(1)) / (1000 if finished.group(2) == "ms" else 1)
counts = re.search(r"requests: \d+ total, \d+ started, (\d+) done, \d+ succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", summary)
statuses = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", summary)
lines = [line.split("\t") for line in open(log) if line.strip()]
times = sorted(int(columns[2]) / 1000 for columns in lines)
def percentile(p):
    return times[min(len(times) - 1, max(0, -(-len(times) * p // 100) - 1))]
errors = int(counts.group(2)) + int(counts.group(3)) + int(counts.group(4)) + sum(int(s) for s in statuses.groups()[1:]) + failed
print(f"RESULT requests={counts.group(1)} errors={errors} seconds={seconds:.3f} p50_ms={percentile(50):.3f} p99_ms={percentile(99):.3f}")
PY
)
  echo "$model $label $conc $result" | tee -a "$rows"
}

# The table, under a line saying when, at which commit, with what rows and under what load the run was taken.
write_table() { # out
  {
    echo "Run of $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)," \
      "\`bash $0 $seconds\` ($seconds s rows), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
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
  } >"$1"
  cat "$1"
}
