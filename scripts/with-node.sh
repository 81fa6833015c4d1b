#!/usr/bin/env bash
# Runs a command with Node.js MAJOR first on PATH, on this checkout's node_modules:
#   scripts/with-node.sh 24 npx vitest run
# Node comes from the npm registry's node-<platform>-<arch>@MAJOR package (the binary and its
# include/node headers), installed once under node_modules/.cache/. better-sqlite3 12.x is a
# V8-API addon tied to one Node ABI (process.versions.modules), so it is built from source against
# that package's headers (no download) and kept beside the one `npm ci` built, each in the
# ABI-keyed directory its loader (`bindings`) looks in: lib/binding/node-v<ABI>-<platform>-<arch>/.
# Every Node on the machine then loads its own addon from the one node_modules. docs/install.md.
set -euo pipefail

major=${1:?usage: scripts/with-node.sh MAJOR COMMAND...}
shift
[ "$#" -gt 0 ] || set -- node --version
root=$(cd "$(dirname "$0")/.." && pwd)
addon_pkg=$root/node_modules/better-sqlite3
[ -d "$addon_pkg" ] || { echo "with-node: run \`npm ci\` first" >&2; exit 1; }
host_node=$(command -v node)
platform=$("$host_node" -p 'process.platform + "-" + process.arch')

# The registry's Node, once per checkout.
prefix=$root/node_modules/.cache/rdbscope-node/$major
nodedir=$prefix/node_modules/node-$platform
node=$nodedir/bin/node
if [ ! -x "$node" ]; then
  echo "with-node: installing node-$platform@$major from the npm registry" >&2
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-$platform@$major" >&2
fi
version=$("$node" --version)
abi=$("$node" -p process.versions.modules)
case "$version" in "v$major."*) ;; *) echo "with-node: $node is $version, not $major.x" >&2; exit 1 ;; esac

loads() { # loads NODE ADDON: true when NODE can load the addon (its ABI matches)
  "$1" -e 'process.dlopen({ exports: {} }, process.argv[1])' "$2" 2>/dev/null
}
abi_dir() { echo "$addon_pkg/lib/binding/node-v$1-$platform"; }

# `npm ci` leaves its addon in build/Release, which `bindings` tries before the ABI-keyed
# directories and which refuses to load under another ABI: move it to its own ABI's directory,
# found by which Node loads it.
built=$addon_pkg/build/Release/better_sqlite3.node
if [ -f "$built" ]; then
  owner=
  for candidate in "$node" "$host_node"; do
    if loads "$candidate" "$built"; then owner=$candidate; break; fi
  done
  if [ -z "$owner" ]; then
    echo "with-node: $built loads in neither $version nor $("$host_node" --version);" \
      "rebuild it for the machine's Node (npm rebuild better-sqlite3, docs/install.md)" >&2
    exit 1
  fi
  dest=$(abi_dir "$("$owner" -p process.versions.modules)")
  mkdir -p "$dest"
  mv "$built" "$dest/better_sqlite3.node"
fi

# The addon for this Node: node-gyp in a copy of the package (so the other build stays as it is),
# against the registry package's headers. node-gyp lets npm_config_* in the environment override
# its flags (and `npm run` exports the npmrc's nodedir), so the headers are given there.
target=$(abi_dir "$abi")/better_sqlite3.node
if [ ! -f "$target" ]; then
  echo "with-node: building better-sqlite3 for Node $version (ABI $abi)" >&2
  work=$(mktemp -d)
  tar -C "$addon_pkg" --exclude=./build --exclude=./lib/binding -cf - . | tar -C "$work" -xf -
  node_gyp=$(npm config get node-gyp)
  gyp() { (cd "$work" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" "$node" "$node_gyp" "$@" >>build.log 2>&1); }
  # SQLite (deps/sqlite3.c, ~90% of the compile time) is C that includes no Node header: its archive
  # is byte-identical whichever Node's headers configure the build (Node 20's and Node 24's
  # sqlite3.a compared with cmp), so the one `npm ci` built is reused and only the binding is
  # compiled; make's -o keeps it from being remade for the changed include paths. The addon made
  # this way is byte-identical to a full build's. Without that archive, or if this fails: full build.
  sqlite_a=$addon_pkg/build/Release/obj.target/deps/sqlite3.a
  built_new=
  if gyp configure --release && [ -f "$sqlite_a" ]; then
    mkdir -p "$work/build/Release/obj.target/deps"
    cp "$sqlite_a" "$work/build/Release/obj.target/deps/sqlite3.a"
    cp "$sqlite_a" "$work/build/Release/sqlite3.a"
    (cd "$work" && PATH="$nodedir/bin:$PATH" make -C build BUILDTYPE=Release \
      -o Release/obj.target/deps/sqlite3.a -o Release/sqlite3.a better_sqlite3 >>build.log 2>&1) && built_new=1
  fi
  if [ -z "$built_new" ] && ! gyp rebuild --release; then
    tail -40 "$work/build.log" >&2
    echo "with-node: the better-sqlite3 build for Node $version failed" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$target")"
  cp "$work/build/Release/better_sqlite3.node" "$target"
  rm -rf "$work"
fi
loads "$node" "$target" || { echo "with-node: $target does not load in Node $version" >&2; exit 1; }

# `node` on PATH is this Node for the command and everything it starts (npx, vitest, bin/rdbscope).
export PATH="$nodedir/bin:$PATH"
export RDBSCOPE_TEST_NODE_MAJOR=$major
exec "$@"
