#!/usr/bin/env bash
# Storage benchmark (issue #18): for each artifact store (file, Redis, S3 on moto, Azure Blob on Azurite), the
# upload and download throughput of a 500 MiB artifact through the store's IArtifactStore (bench/StorageBench:
# WriteAsync from a file stream, OpenReadAsync drained) against plain tools moving the same bytes to the same server
# (cp, redis-cli, curl), and the time to first prediction of a ~503 MB native MLP on a fresh embedded Api process
# reading that store. Starts redis-server, moto (python3 -m moto.server) and Azurite (azurite-blob) on free loopback
# ports, stops them and deletes every temporary file on exit. Runs the whole set N times (default 2).
# Usage, from the repository root:
#   bash bench/storage.sh [runs, default 2]      → bench/results/storage.md (and storage.jsonl, every measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-2}"
for tool in redis-server redis-cli azurite-blob curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/storage.sh: $tool is missing (tests/run-all.sh installs what the storage tests need)." >&2; exit 1; }
done
python3 -c 'import moto.server' 2>/dev/null || { echo "bench/storage.sh: moto's server is missing: pip install 'moto[server]'." >&2; exit 1; }

dotnet build Api -c Release -nologo -v q >/dev/null
dotnet build bench/StorageBench -c Release -nologo -v q >/dev/null
api_dll=Api/bin/Release/net10.0/linux-x64/OrleansML.Api.dll
bench() { dotnet bench/StorageBench/bin/Release/net10.0/linux-x64/OrleansML.StorageBench.dll "$@"; }

work="$(mktemp -d)"
pids=()
redis_port=""
cleanup() {
  [ -n "$redis_port" ] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

redis_port=$(free_port)
mkdir -p "$work/redis"
# No snapshots or AOF: the benchmark measures the network path, not Redis persisting 1 GB to disk.
redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --dir "$work/redis" --pidfile "$work/redis/redis.pid" \
  --logfile "$work/redis/redis.log" --save "" --appendonly no >/dev/null
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

moto_port=$(free_port)
python3 -m moto.server -p "$moto_port" -H 127.0.0.1 >"$work/moto.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$moto_port/"

azurite_port=$(free_port)
mkdir -p "$work/azurite"
azurite-blob --blobHost 127.0.0.1 --blobPort "$azurite_port" --location "$work/azurite" --skipApiVersionCheck --loose --silent >"$work/azurite.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$azurite_port/devstoreaccount1?comp=list"
# Azurite's well-known development account key (public, documented by Microsoft).
azure_cs="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"

s3_url="http://127.0.0.1:$moto_port"
# curl signs its S3 requests itself (SigV4, moto's placeholder credentials), as the SDK does.
s3_curl=(curl -sf -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 --user testing:testing)
"${s3_curl[@]}" -X PUT "$s3_url/bench"
sas=$(bench azure-sas "$azure_cs" bench baseline.bin)

results="$work/results.jsonl"
timed() { # run store step tool command... → one JSON line with the command's wall time
  local run=$1 store=$2 step=$3 tool=$4; shift 4
  local start end
  start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
  python3 -c 'import json, sys; r, s, st, t, b, a, e = sys.argv[1:]; print(json.dumps({"run": int(r), "store": s, "step": st, "tool": t, "bytes": int(b), "seconds": float(e) - float(a)}))' \
    "$run" "$store" "$step" "$tool" "$bytes" "$start" "$end" >>"$results"
}
tag() { python3 -c 'import json, sys; run = int(sys.argv[1])
for line in sys.stdin:
    print(json.dumps({"run": run, **json.loads(line)}))' "$1" >>"$results"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
# The model every store serves: created once through the Api (file store), its weights file is also the artifact of
# the throughput rows, and its grain state (a few KB) is copied for each fresh process.
bench create "$api_dll" "$work/seed-data" big --OrleansML:Storage:Artifacts:Kind File --OrleansML:Storage:Artifacts:Path "$work/seed-store" | tag 0
artifact=$(find "$work/seed-store" -type f ! -name '.ready-*')
[ "$(echo "$artifact" | wc -l)" = 1 ] || { echo "expected one artifact in the seed store, found: $artifact" >&2; exit 1; }
key=${artifact#"$work/seed-store/"}
bytes=$(stat -c %s "$artifact")

settings() { # store → the platform's own configuration keys for that store
  local a=--OrleansML:Storage:Artifacts
  case "$1" in
    File) echo "$a:Kind File $a:Path $work/file-store" ;;
    Redis) echo "$a:Kind Redis --OrleansML:Redis 127.0.0.1:$redis_port" ;;
    S3) echo "$a:Kind S3 $a:S3:ServiceUrl $s3_url $a:S3:Region us-east-1 $a:S3:ForcePathStyle true $a:S3:Bucket bench $a:S3:AccessKey testing $a:S3:SecretKey testing" ;;
    AzureBlob) echo "$a:Kind AzureBlob $a:AzureBlob:Container bench $a:AzureBlob:ConnectionString $azure_cs" ;;
  esac
}

baseline() { # run store
  case "$2" in
    File)
      mkdir -p "$work/cp"
      timed "$1" File upload cp cp "$artifact" "$work/cp/artifact.bin"
      timed "$1" File download "cp to /dev/null" cp "$work/cp/artifact.bin" /dev/null
      rm -f "$work/cp/artifact.bin" ;;
    Redis)
      timed "$1" Redis upload "redis-cli -x SET" sh -c "redis-cli -p $redis_port -x SET bench:baseline <'$artifact' >/dev/null"
      timed "$1" Redis download "redis-cli GET" sh -c "redis-cli -p $redis_port --raw GET bench:baseline >/dev/null"
      redis-cli -p "$redis_port" DEL bench:baseline >/dev/null ;;
    S3)
      timed "$1" S3 upload "curl -T (one PUT, SigV4)" "${s3_curl[@]}" -T "$artifact" "$s3_url/bench/baseline.bin"
      timed "$1" S3 download "curl -o /dev/null (SigV4)" "${s3_curl[@]}" "$s3_url/bench/baseline.bin"
      "${s3_curl[@]}" -X DELETE "$s3_url/bench/baseline.bin" ;;
    AzureBlob)
      timed "$1" AzureBlob upload "curl -T (one PUT Blob, SAS)" curl -sf -o /dev/null -T "$artifact" -H 'x-ms-blob-type: BlockBlob' "$sas"
      timed "$1" AzureBlob download "curl -o /dev/null (SAS)" curl -sf -o /dev/null "$sas"
      curl -sf -o /dev/null -X DELETE "$sas" ;;
  esac
}

for run in $(seq 1 "$runs"); do
  run_start=$(date +%s)
  for store in File Redis S3 AzureBlob; do
    echo "run $run: $store" >&2
    read -ra store_settings <<<"$(settings "$store")"
    baseline "$run" "$store"
    bench transfer "$artifact" "$key" "${store_settings[@]}" | tag "$run"
    cp -r "$work/seed-data" "$work/data-$run"
    bench cold-start "$api_dll" "$work/data-$run" big "${store_settings[@]}" | tag "$run"
    bench delete "$key" "${store_settings[@]}"
    rm -rf "$work/data-$run" "$work/file-store"
  done
  redis-cli -p "$redis_port" FLUSHALL >/dev/null
  echo "{\"run\": $run, \"store\": \"all\", \"step\": \"run\", \"bytes\": 0, \"seconds\": $(( $(date +%s) - run_start ))}" >>"$results"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

out=bench/results/storage.md
{
  echo "Run of $started, commit $(git rev-parse --short HEAD), \`bash bench/storage.sh $runs\`, $(nproc) cores, load average" \
    "before $load_before, after $load_after. Artifact: the weights of the model (mlp 1024 → 10240 → 10240 → 1024 → 10, native), $bytes bytes."
  echo
  python3 bench/storage-table.py "$results"
} | tee "$out"
cp "$results" bench/results/storage.jsonl
