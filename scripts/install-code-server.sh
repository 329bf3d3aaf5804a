#!/usr/bin/env bash
# Installs code-server without network access beyond npm (its own postinstall downloads ripgrep from the internet,
# so we skip install scripts and do their work here). Idempotent; prints the path of code-server's entry script as
# its last line.
#   (no argument)  code-server 4.100.3 = VS Code 1.100.3 on this machine's Node 20, into .cache/code-server
#   --node22       code-server 4.117.0 = VS Code 1.117 on Node 22 (scripts/ensure-node22.sh), into
#                  .cache/code-server-node22: the runtime of current desktop VS Code, where the SQLite datasource
#                  uses node:sqlite; its native modules are rebuilt against Node 22's own headers.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --node22 ]; then
  version=4.117.0
  prefix=$(pwd)/.cache/code-server-node22
  node22=$(bash scripts/ensure-node22.sh | tail -n 1)
  # npm and node-gyp run on Node 22 and build against the headers its npm package carries (no download).
  export PATH="$(dirname "$node22"):$PATH"
  export npm_config_nodedir
  npm_config_nodedir=$(dirname "$(dirname "$node22")")
else
  version=4.100.3
  prefix=$(pwd)/.cache/code-server
fi
pkg=$prefix/node_modules/code-server
marker=$prefix/.installed-$version
if [ ! -f "$marker" ]; then
  echo "Installing code-server $version into $prefix (about 2 minutes)…" >&2
  command -v rg >/dev/null || { echo "ripgrep is missing: run scripts/install-system-deps.sh" >&2; exit 1; }
  rm -rf "$prefix"
  mkdir -p "$prefix"
  export npm_config_yes=true npm_config_audit=false npm_config_fund=false
  npm install --prefix "$prefix" --ignore-scripts --no-save "code-server@$version" >&2
  (
    cd "$pkg/lib/vscode"
    npm install --omit=dev --ignore-scripts >&2
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # Only the native modules this version ships (the list changes between VS Code releases).
    natives=()
    for m in kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid @vscode/native-watchdog; do
      [ -d "node_modules/$m" ] && natives+=("$m")
    done
    npm rebuild "${natives[@]}" >&2
    ln -sfn node_modules node_modules.asar
    ln -sfn code-linux.sh bin/remote-cli/code-server
    ln -sfn browser-linux.sh bin/helpers/browser.sh
  )
  # npm hoists argon2 next to code-server, so rebuild it from the prefix.
  (cd "$prefix" && npm rebuild argon2 >&2)
  touch "$marker"
fi
echo "$pkg/out/node/entry.js"
