#!/usr/bin/env bash
# Builds the solution and runs every test project, then prints one closing line: "N passed, N failed, N skipped".
# Installs what the tests need when it can (redis-server, prometheus and chromium through apt-get on Debian/Ubuntu as root); otherwise it
# stops and says what is missing. Exits non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."

need() { echo "tests/run-all.sh: $1" >&2; echo "0 passed, 1 failed"; exit 1; }

command -v dotnet >/dev/null || need "the .NET 10 SDK is missing (https://dot.net/download)."
# The storage contract tests start moto's S3 server (python3 -m moto.server) and Azurite's blob service themselves;
# moto ships in the machine image's python3 (pip is the fallback elsewhere); Azurite comes from npm (it warns that it
# wants Node 22, and runs on Node 20).
if ! python3 -c "import moto.server" 2>/dev/null; then
  echo "Installing moto's S3 server (the S3 artifact-store tests run against it on a free loopback port)..."
  python3 -m pip install -q "moto[server]==5.2.1" >/dev/null 2>&1 \
    || need "moto's S3 server is missing and pip could not install it: python3 -m pip install 'moto[server]'."
fi
if ! command -v azurite-blob >/dev/null; then
  command -v npm >/dev/null || need "azurite-blob is missing and so is npm: install Node.js, then npm install -g azurite."
  echo "Installing Azurite (the Azure Blob artifact-store tests run against it on a free loopback port)..."
  npm install -g --silent azurite@3.37.0 >/dev/null 2>&1 || need "npm could not install azurite."
fi

if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing redis-server (the Redis tests start their own server on a free loopback port)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
      || need "apt-get could not install redis-server."
  else
    need "redis-server is missing: install it (sudo apt-get install redis-server, brew install redis) and run again."
  fi
fi

if ! command -v prometheus >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing prometheus (the metrics acceptance test starts its own server on a free loopback port)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null) \
      || need "apt-get could not install prometheus."
  else
    need "prometheus is missing: install it (sudo apt-get install prometheus, brew install prometheus) and run again."
  fi
fi

# The web console's end-to-end tests drive the system's Chromium through Playwright (no browser download):
# ORLEANSML_CHROMIUM names another binary.
chromium="${ORLEANSML_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -z "${ORLEANSML_CHROMIUM:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium (the web console tests drive it through Playwright)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || need "apt-get could not install chromium."
  else
    need "chromium is missing at $chromium: install it (sudo apt-get install chromium) or set ORLEANSML_CHROMIUM to a Chromium binary, and run again."
  fi
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet build OrleansML.sln -c Release -nologo -v q || need "the build failed."

status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
