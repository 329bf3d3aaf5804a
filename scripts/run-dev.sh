#!/usr/bin/env bash
# `npm start`: Nocoflo in a real VS Code (code-server 1.100.3, served on 127.0.0.1) with a sample database
# generated on the spot. Prints the URL once VS Code answers on it. Ctrl+C stops everything.
#
#   PORT=8080 npm start                        choose the port (default 8080)
#   NOCOFLO_SAMPLE_DIR=/some/folder npm start  where the sample workspace goes (default ~/.cache/nocoflo/sample)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
port=${PORT:-8080}
# Outside the repository: a folder inside its git tree makes VS Code offer the repository's changes ("git
# repository found") instead of showing a plain sample workspace.
workspace=${NOCOFLO_SAMPLE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nocoflo/sample}

step() { echo "[$1/5] $2"; }
[ -f .cache/code-server/.installed-4.100.3 ] || echo "The first run installs VS Code (code-server) and Chromium's libraries: about 2 minutes. Later runs start in about 20 seconds."

step 1 "Dependencies"
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-system-deps.sh

step 2 "VS Code (code-server)"
code_server=$(bash scripts/install-code-server.sh | tail -n 1)

step 3 "Building and packaging the extension"
node esbuild.mjs --production >/dev/null
npx --no-install vsce package --no-dependencies --no-rewrite-relative-links --out dist/nocoflo.vsix >/dev/null

step 4 "Sample database in $workspace"
mkdir -p "$workspace/.vscode"
node scripts/make-sample-db.mjs "$workspace/shop.sqlite"
# The sample is declared in workspace settings, the way a team shares connections (no secrets in there).
cat >"$workspace/.vscode/settings.json" <<JSON
{
  "nocoflo.connections": [{ "name": "Sample shop", "type": "sqlite", "config": { "path": "shop.sqlite" } }]
}
JSON

state=${NOCOFLO_RUN_DIR:-$root/.tmp/run}
mkdir -p "$state/user/User" "$state/extensions"
cat >"$state/user/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off"
}
JSON
node "$code_server" --extensions-dir "$state/extensions" --user-data-dir "$state/user" --install-extension dist/nocoflo.vsix --force >/dev/null

step 5 "Starting VS Code on 127.0.0.1:$port"
node "$code_server" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$state/user" --extensions-dir "$state/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$workspace" >"$state/code-server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
# The URL is printed only when it works: code-server answers /healthz once it listens.
for _ in $(seq 1 600); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "VS Code (code-server) stopped while starting. Its log ($state/code-server.log) ends with:" >&2
    tail -n 20 "$state/code-server.log" >&2
    exit 1
  fi
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 || { echo "VS Code did not answer on port $port within 2 minutes; see $state/code-server.log" >&2; exit 1; }

echo
echo "Nocoflo is running in VS Code at: http://127.0.0.1:$port/?folder=$workspace"
echo "(Ctrl+C to stop)"
wait "$server"
