# Sourced by the wrk benchmarks: installs wrk when missing, builds and starts an embedded Api (Production, open) on a
# free loopback port with its data in a temporary folder, and sets $api, $work, $fixture, free_port, wait_http and the
# pids stopped on exit. gRPC is off unless the caller sets with_grpc=1 before sourcing: then the Api also serves gRPC
# (h2c) on another free port, $grpc is its address (http://127.0.0.1:PORT), and h2load (Debian's nghttp2-client) is
# installed when missing. api_args, an array the caller may set, adds settings to the Api's command line; start_api
# starts more Apis.
packages=()
command -v wrk >/dev/null || packages+=(wrk)
[ "${with_grpc:-}" = 1 ] && ! command -v h2load >/dev/null && packages+=(nghttp2-client)
if [ ${#packages[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

dotnet build Api -c Release -nologo -v q >/dev/null
# Every process the benchmarks start (the Api and the naive peer alike) runs with the gen0 budget OrleansML ships with
# (Api/Dockerfile, launchSettings, the AppHost): the GC reads it from the environment only. Override by exporting it.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

fixture=tests/fixtures/torchscript/l1000_100_10.script.dat

# start_api VAR [env(1) arguments]: starts an embedded Api with its own data folder, waits until it is ready and sets
# VAR to its address; the arguments change its environment (e.g. -u DOTNET_GCgen0size, or NAME=VALUE).
start_api() {
  local var=$1 port
  shift
  port=$(free_port)
  env "$@" ASPNETCORE_ENVIRONMENT=Production dotnet Api/bin/Release/net10.0/linux-x64/OrleansML.Api.dll --urls "http://127.0.0.1:$port" \
    --OrleansML:DataDirectory "$work/data-$var" --OrleansML:Device cpu --OrleansML:SiloPort "$(free_port)" \
    --OrleansML:GatewayPort "$(free_port)" --OrleansML:Grpc:Url "$grpc" --OrleansML:Auth:AllowAnonymous true \
    --Logging:LogLevel:Default Warning "${api_args[@]}" >"$work/api-$var.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/health/ready"
  printf -v "$var" '%s' "http://127.0.0.1:$port"
}

grpc=""
[ "${with_grpc:-}" = 1 ] && grpc="http://127.0.0.1:$(free_port)"
# A caller that starts its own Apis (bench/wrk/env-ab.sh) sets no_api=1.
[ "${no_api:-}" = 1 ] || start_api api
