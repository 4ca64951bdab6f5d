#!/usr/bin/env bash
# Builds the Rust cdylib in release mode and copies it to target/classes/native/<os>-<arch>/.
# Called by the Maven build (exec-maven-plugin). Cargo's target directory lives outside the clone,
# keyed by the hash of Cargo.lock, so every clone on this machine shares one build and cargo only
# recompiles when sources change. With --test it runs the crate's Rust tests instead.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$(uname -s)" in Linux) OS=linux; LIB=libgraft_native.so ;; Darwin) OS=macos; LIB=libgraft_native.dylib ;; *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;; esac
case "$(uname -m)" in x86_64|amd64) ARCH=x86_64 ;; aarch64|arm64) ARCH=aarch64 ;; *) echo "unsupported arch $(uname -m)" >&2; exit 1 ;; esac
OUT="${1:-$HERE/target/classes}"
HASH="$(sha256sum "$HERE/Cargo.lock" | cut -c1-16)"
export CARGO_TARGET_DIR="${GRAFT_CACHE:-$HOME/.cache/graft}/cargo-$HASH"
if [ "${1:-}" = "--test" ]; then
  exec cargo test --release --locked --manifest-path "$HERE/Cargo.toml"
fi
cargo build --release --locked --manifest-path "$HERE/Cargo.toml"
mkdir -p "$OUT/native/$OS-$ARCH"
cp "$CARGO_TARGET_DIR/release/$LIB" "$OUT/native/$OS-$ARCH/$LIB"
