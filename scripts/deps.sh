#!/bin/sh
# Install the Debian 12 packages lianfang needs to build, test and run.
# As root: installs what is missing with apt-get. Otherwise: prints the exact command.
# Usage: scripts/deps.sh [build|test]   (test adds the fuzzing/test tools)
set -eu
PKGS="build-essential cmake pkg-config zlib1g-dev libcmocka-dev python3 libutf8proc-dev libopencc-dev libopencc-data libexpat1-dev libsqlite3-dev libmicrohttpd-dev libargon2-dev libcurl4-openssl-dev"
if [ "${1:-build}" = "test" ]; then
  PKGS="$PKGS clang libclang-rt-14-dev python3-aiosmtpd"
  # the web dashboard's browser test: Debian's chromium (never a downloaded build), CJK
  # fonts for readable screenshots, and node + npm for playwright-core when node is missing
  PKGS="$PKGS chromium fonts-noto-cjk"
  # the real nft checks the nftables blocklist lianfang writes (nft -c, nothing applied)
  PKGS="$PKGS nftables"
  # tests/integration/test_taxii_interop.py also runs when pip packages taxii2-client and medallion are installed (not in Debian)
  command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
  command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
fi
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "deps: installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "deps: missing Debian packages:$missing"
  echo "deps: run:  sudo apt-get install -y$missing"
  exit 1
fi
