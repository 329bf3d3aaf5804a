#!/usr/bin/env bash
# `npm start`: Nocoflo in a real VS Code (code-server 1.100.3, served on 127.0.0.1) with a sample database
# generated on the spot. Open the printed URL in a browser. Ctrl+C stops everything.
#
#   PORT=8080 npm start          choose the port (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
port=${PORT:-8080}

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-system-deps.sh
code_server=$(bash scripts/install-code-server.sh | tail -n 1)

node esbuild.mjs --production
npx --no-install vsce package --no-dependencies --no-rewrite-relative-links --out dist/nocoflo.vsix >/dev/null

workspace="$root/.tmp/sample"
mkdir -p "$workspace/.vscode"
node scripts/make-sample-db.mjs "$workspace/shop.sqlite"
# The sample is declared in workspace settings, the way a team shares connections (no secrets in there).
cat >"$workspace/.vscode/settings.json" <<JSON
{
  "nocoflo.connections": [{ "name": "Sample shop", "type": "sqlite", "config": { "path": "shop.sqlite" } }]
}
JSON

state="$root/.tmp/run"
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

echo "Nocoflo is running in VS Code at: http://127.0.0.1:$port/?folder=$workspace"
echo "(Ctrl+C to stop)"
exec node "$code_server" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$state/user" --extensions-dir "$state/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$workspace"
