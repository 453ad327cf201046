# Sourced by the wrk benchmarks: installs wrk when missing, builds and starts an embedded Api (Production, open, no gRPC)
# on a free loopback port with its data in a temporary folder, and sets $api, $work, $fixture, free_port, wait_http
# and the pids stopped on exit.
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

dotnet build Api -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

fixture=tests/fixtures/torchscript/l1000_100_10.script.dat
api_port=$(free_port)
ASPNETCORE_ENVIRONMENT=Production dotnet Api/bin/Release/net10.0/linux-x64/OrleansML.Api.dll --urls "http://127.0.0.1:$api_port" \
  --OrleansML:DataDirectory "$work/data" --OrleansML:Device cpu --OrleansML:SiloPort "$(free_port)" \
  --OrleansML:GatewayPort "$(free_port)" --OrleansML:Grpc:Url "" --OrleansML:Auth:AllowAnonymous true \
  --Logging:LogLevel:Default Warning >"$work/api.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$api_port/health/ready"
api="http://127.0.0.1:$api_port"
