#!/usr/bin/env bash
# Builds the VS Code extension: installs its npm packages (exact versions from package-lock.json;
# from npm's cache when they are there, so it also works offline after a first build), runs
# the grammar test and packages nnc-<version>.vsix here. Usage: editors/vscode/build.sh
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "build.sh: npm (Node.js 20 or later) is needed" >&2; exit 2; }
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
node --test test/
version=$(node -p "require('./package.json').version")
./node_modules/.bin/vsce package --skip-license --allow-missing-repository --out "nnc-$version.vsix"
echo "built $(pwd)/nnc-$version.vsix"
