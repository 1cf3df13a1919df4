#!/usr/bin/env bash
# Checks a release archive as an operator receives it (make dist runs it on what it made):
#   scripts/check-dist.sh <archive.tar.gz> <version> <revision>
# the files it holds and nothing else, their SHA256SUMS, `unlatch --version` (the version, the
# git revision and openapi.yaml's info.version), and that the binary migrates a new database.
set -euo pipefail
archive=$1 version=$2 revision=$3
name=$(basename "$archive" .tar.gz)
api=$(sed -n '/^info:/,/^[a-z]/s/^  version: *//p' openapi.yaml | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expected=$(printf '%s\n' "$name/" "$name/README.md" "$name/SHA256SUMS" "$name/unlatch" \
  "$name/unlatch-sidecar.conf" "$name/unlatch.env.example" "$name/unlatch.service")
listed=$(tar -tzf "$archive" | sort)
[ "$listed" = "$expected" ] || { printf 'dist: the archive holds\n%s\nnot\n%s\n' "$listed" "$expected" >&2; exit 1; }

tar -xzf "$archive" -C "$work"
(cd "$work/$name" && sha256sum --quiet -c SHA256SUMS) || { echo "dist: SHA256SUMS does not match" >&2; exit 1; }
[ "$(wc -l < "$work/$name/SHA256SUMS")" -eq 5 ] || { echo "dist: SHA256SUMS does not list every file" >&2; exit 1; }

shown=$("$work/$name/unlatch" --version)
want="unlatch $version (revision $revision, API $api)"
[ "$shown" = "$want" ] || { echo "dist: --version says '$shown', not '$want'" >&2; exit 1; }

out=$(env -i "$work/$name/unlatch" --database-url "sqlite://$work/new.db" migrate)
[ "$out" = "database is up to date" ] || { echo "dist: the binary did not migrate: $out" >&2; exit 1; }
echo "dist: $archive holds the binary ($shown), README, the unit, its environment file, the nginx configuration and SHA256SUMS, which match"
