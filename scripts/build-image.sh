#!/usr/bin/env bash
# Builds the container image from nothing (make image): no base image is pulled from anywhere.
#   scripts/build-image.sh <binary> <version> <revision> <source URL>
# The image holds the binary, the shared libraries it is linked against (as this machine's loader
# resolves them), the CA certificates, an /etc/passwd with the non-root user `unlatch` (uid
# 10001), and /data, a volume owned by that user where the SQLite default lives (the working
# directory is /, so DATABASE_URL's default `sqlite://data/unlatch.db` is /data/unlatch.db).
# HEALTHCHECK runs `unlatch healthcheck` (docker format: the OCI image format has no
# HEALTHCHECK). Tagged unlatch:<version> and unlatch:latest; refused above IMAGE_MAX_MB (30).
set -euo pipefail
bin=$1 version=$2 revision=$3 source=$4
max_mb=${IMAGE_MAX_MB:-30}
uid=10001
# HEALTHCHECK and the stop signal are docker-format settings.
export BUILDAH_FORMAT=docker

root=$(mktemp -d)
ctr=
cleanup() {
  rm -rf "$root"
  if [ -n "$ctr" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# The binary, without its symbol table (a panic's message does not need it), and every shared
# library it needs, at the path the loader looks for it.
install -D -m 0755 "$bin" "$root/usr/local/bin/unlatch"
strip --strip-all "$root/usr/local/bin/unlatch"
libs=$(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
[ -n "$libs" ] || { echo "image: ldd found no libraries for $bin" >&2; exit 1; }
for lib in $libs; do
  install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
done
# CA certificates (OpenSSL is pointed at them with SSL_CERT_FILE below).
install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
mkdir -p "$root/etc" "$root/data" "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nunlatch:x:%s:%s:Unlatch:/data:/sbin/nologin\n' \
  "$uid" "$uid" > "$root/etc/passwd"
printf 'root:x:0:\nunlatch:x:%s:\n' "$uid" > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
chmod 0700 "$root/data"

# One layer, owned by root but /data by the service's user, dated by the commit.
created=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime="$created" -C "$root" \
  --exclude=./data -cf "$root.tar" .
tar --numeric-owner --owner="$uid" --group="$uid" --mtime="$created" -C "$root" \
  -rf "$root.tar" ./data
trap 'cleanup; rm -f "$root.tar"' EXIT

ctr=$(buildah from scratch)
buildah add "$ctr" "$root.tar" / >/dev/null
buildah config \
  --user "$uid:$uid" \
  --workingdir / \
  --volume /data \
  --port 4242 --port 9242 \
  --env HTTP_HOST=0.0.0.0 \
  --env MANAGEMENT_HTTP_HOST=0.0.0.0 \
  --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --env LOG_FORMAT=json \
  --entrypoint '["/usr/local/bin/unlatch"]' \
  --cmd serve \
  --stop-signal SIGTERM \
  --healthcheck 'CMD /usr/local/bin/unlatch healthcheck' \
  --healthcheck-interval 10s --healthcheck-timeout 6s --healthcheck-start-period 5s \
  --healthcheck-retries 3 \
  --label org.opencontainers.image.title=Unlatch \
  --label "org.opencontainers.image.description=The password and account-recovery part of Unleash's API, self-hosted." \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.revision=$revision" \
  --label "org.opencontainers.image.source=$source" \
  --label "org.opencontainers.image.created=$created" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  "$ctr"
buildah commit --quiet --format docker --rm "$ctr" "localhost/unlatch:$version" >/dev/null
ctr=
buildah tag "localhost/unlatch:$version" localhost/unlatch:latest

size=$(podman image inspect --format '{{.Size}}' "localhost/unlatch:$version")
mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1000000 }')
echo "image: unlatch:$version and unlatch:latest, $mb MB (at most $max_mb)"
awk -v s="$size" -v m="$max_mb" 'BEGIN { exit !(s <= m * 1000000) }' \
  || { echo "image: $mb MB is over $max_mb MB" >&2; exit 1; }
