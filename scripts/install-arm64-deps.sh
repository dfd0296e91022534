#!/usr/bin/env bash
# Installs what the arm64 cross-build and its qemu-system tests need (Debian), when missing;
# the same for every foreign architecture: scripts/install-cross-deps.sh.
exec "$(dirname "$0")/install-cross-deps.sh" arm64
