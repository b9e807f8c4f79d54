#!/usr/bin/env bash
# Makes a local stand-in for node:20-bookworm-slim where no public image registry can be reached: Debian bookworm
# (minbase, from Debian's mirror) plus this host's Node 20 binary, headers and npm, laid out as the official image
# lays them out (/usr/local/bin/node, /usr/local/include/node, /usr/local/lib/node_modules/npm, user `node` uid
# 1000), so the Containerfile builds the same way on either base:
#
#   scripts/container-base.sh                      # makes localhost/sweeplab-base:node20-bookworm (once)
#   scripts/container-build.sh                     # then uses it when node:20-bookworm-slim is not already here
#
# Environment: SWEEPLAB_BASE_IMAGE (the name to make), DEBIAN_MIRROR (default http://deb.debian.org/debian),
# NODE_BIN (default: `node` on PATH; must be Node 20), REBUILD=1 (make it again even if it exists).
# Needs root (debootstrap), podman and debootstrap. About a minute, most of it downloading ~40 MB of packages.
set -euo pipefail

NAME=${SWEEPLAB_BASE_IMAGE:-localhost/sweeplab-base:node20-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE_BIN=$(readlink -f "${NODE_BIN:-$(command -v node)}")

if [ "${REBUILD:-0}" != "1" ] && podman image exists "$NAME"; then
  echo "container-base: $NAME already exists (REBUILD=1 makes it again)"
  exit 0
fi

NODE_VERSION=$("$NODE_BIN" --version)
case "$NODE_VERSION" in
  v20.*) ;;
  *) echo "container-base: $NODE_BIN is $NODE_VERSION; the images need Node 20 (set NODE_BIN)" >&2; exit 1 ;;
esac
# The headers (node-gyp builds better-sqlite3 and the TensorFlow binding against them) and npm of that same Node.
NODE_PREFIX=$(dirname "$(dirname "$NODE_BIN")")
HEADERS=$NODE_PREFIX/include/node
NPM_DIR=$NODE_PREFIX/lib/node_modules/npm
for needed in "$HEADERS/node.h" "$NPM_DIR/bin/npm-cli.js"; do
  [ -e "$needed" ] || { echo "container-base: $needed is missing (Node's headers and npm must sit beside it)" >&2; exit 1; }
done

root=$(mktemp -d /var/tmp/sweeplab-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
started=$(date +%s)

debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || {
  tail -20 "$root.log" >&2
  rm -f "$root.log"
  exit 1
}
rm -f "$root.log"

# As debian:bookworm-slim: the updates and security suites, and no documentation, now or from later installs.
cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR%/debian}/debian-security bookworm-security main
EOF
cat >"$root/etc/dpkg/dpkg.cfg.d/sweeplab-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/99sweeplab-no-recommends"
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$root"/usr/share/{man,info,locale,lintian}/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
  "$root"/var/cache/apt/archives/*.deb \
  "$root"/var/cache/debconf/*-old "$root"/var/log/*.log "$root"/var/log/apt/*

# Node where the official image puts it.
install -D -m 0755 "$NODE_BIN" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/include" "$root/usr/local/lib/node_modules"
cp -a "$HEADERS" "$root/usr/local/include/node"
cp -a "$NPM_DIR" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
chroot "$root" /usr/local/bin/node --version >/dev/null

tar --numeric-owner -C "$root" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${NODE_VERSION#v}" \
  --change 'CMD ["node"]' \
  --message "Debian bookworm minbase from $MIRROR with Node $NODE_VERSION from $NODE_BIN" \
  - "$NAME" >/dev/null
echo "container-base: made $NAME (Debian bookworm + Node $NODE_VERSION) in $(($(date +%s) - started)) s," \
  "$(podman image inspect --format '{{.Size}}' "$NAME" | awk '{printf "%.0f MB", $1/1e6}')"
