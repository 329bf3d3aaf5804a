#!/usr/bin/env bash
# Debian packages the tests and `npm start` need. Installs only what is missing; safe with CI=true and no stdin.
#   chromium      the browser that drives VS Code (code-server) in UI tests
#   libkrb5-dev   needed to rebuild code-server's kerberos module
#   curl          `npm start` asks code-server whether it is listening before it prints the URL
#   ripgrep       VS Code's search binary (code-server's postinstall would download it; we copy Debian's)
#   with NOCOFLO_DB_SERVERS=1 (integration tests): postgresql, mariadb-server (+ galera-4, rsync, iproute2 (ss) and procps (ps) for the 3-node
#   Galera cluster), pgbouncer (transaction pooling), openssl (TLS test certificates)
set -euo pipefail
packages=(chromium curl libkrb5-dev ripgrep)
[ "${NOCOFLO_DB_SERVERS:-0}" = 1 ] && packages+=(postgresql mariadb-server openssl pgbouncer galera-4 rsync iproute2 procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
