#!/usr/bin/env bash
# Shows that the release binary (Swift runtime linked in) serves from a minimal Debian root without a Swift toolchain:
# the runtime of the Dockerfile's last stage, made with debootstrap from Debian's packages, since no Docker engine
# runs here. Builds the binary as the Dockerfile does, starts it in the root (chroot, as the image's non-root user),
# and asks it from outside for readiness, a token, bearer and PSK calls, the sign-in page and a data page. Needs root (debootstrap, chroot).
#   scripts/minimal-root.sh [ROOT_DIR]    (default /tmp/nexusone-minimal-root; reused when present)
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/tmp/nexusone-minimal-root}
scratch=.build-static
port=${NEXUSONE_MINIMAL_ROOT_PORT:-18480}

# The same packages as the Dockerfile's runtime stage (its `runtime-packages:` line), so the two cannot drift apart.
packages=$(sed -n 's/^# runtime-packages: //p' Dockerfile)
[ -n "$packages" ] || { echo "Dockerfile has no runtime-packages line" >&2; exit 1; }

command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
if [ ! -x "$root/usr/bin/apt-get" ]; then
    echo "== debootstrap (minbase + ${packages})"
    debootstrap --variant=minbase --include="${packages// /,}" bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
if ! chroot "$root" id nexusone >/dev/null 2>&1; then  # as the Dockerfile
    chroot "$root" groupadd --system --gid 10001 nexusone
    chroot "$root" useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/nexusone --create-home nexusone
fi

echo "== swift build -c release --static-swift-stdlib"
swift build -c release --static-swift-stdlib --product nexusone --scratch-path "$scratch"
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
rm -rf "$root/usr/local/lib/nexusone"
mkdir -p "$root/usr/local/lib/nexusone"
strip -o "$root/usr/local/lib/nexusone/nexusone" "$bin/nexusone"  # as the Dockerfile: debug info is half the size
cp -R "$bin"/*.resources "$root/usr/local/lib/nexusone/"

echo "== what the binary needs from the root"
ldd "$bin/nexusone" | sed 's/^/   /'
if ldd "$bin/nexusone" | grep -q libswift; then echo "FAIL: the binary still needs the Swift runtime" >&2; exit 1; fi
if ls "$root"/usr/lib/swift "$root"/opt/swift >/dev/null 2>&1; then echo "FAIL: the root holds a Swift toolchain" >&2; exit 1; fi

# The build tree is moved out of the way: resources must come from next to the binary, as in the image.
mv "$bin" "$bin.away"
trap 'mv "$bin.away" "$bin" 2>/dev/null || true; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; umount "$root/proc" 2>/dev/null || true' EXIT
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
rm -rf "$root/var/lib/nexusone/data"
echo "== serve in the root (uid 10001)"
chroot --userspec=10001:10001 "$root" env HOME=/var/lib/nexusone \
    /usr/local/lib/nexusone/nexusone serve --port "$port" --data-dir /var/lib/nexusone/data \
    --admin-password minimal-root-admin >"$root/tmp/stdout.txt" 2>"$root/tmp/stderr.txt" &
pid=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && break
    sleep 0.2
done
base="http://127.0.0.1:$port"
field() { sed -n "s/^ *$1: *//p" "$root/tmp/stdout.txt" | head -1; }
realm=$(field Realm) client_id=$(field "Client ID") client_secret=$(field "Client secret") psk=$(field PSK)
check() { echo "   $1: $2"; [ "$2" = "$3" ] || { echo "FAIL: expected $3" >&2; cat "$root/tmp/stderr.txt" >&2; exit 1; }; }
check "readiness" "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" 200
token=$(curl -s "$base/realms/$realm/protocol/openid-connect/token" -d grant_type=client_credentials \
    -d "client_id=$client_id" -d "client_secret=$client_secret" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
check "token issued" "$([ -n "$token" ] && echo yes || echo no)" yes
check "bearer call" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/user/me")" 200
check "PSK call" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization-PSK: $psk" "$base/api/user/me")" 200
check "sign-in page (templates from the resources)" "$(curl -sL "$base/portal/$realm/login" | grep -q '<form' && echo yes || echo no)" yes
key=$(curl -s -X POST "$base/api/dataproduct" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"root_view","role_name":"nx1_ask","query":"SELECT order_id, total_amount FROM orders"}' |
    sed -n 's/.*"preshared_key":"\([^"]*\)".*/\1/p')
check "data page (the warehouse sandbox on the root's SQLite)" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/data/root_view?limit=100&psk=$key")" 200
kill -TERM "$pid"
wait "$pid" && status=0 || status=$?
check "exit status after SIGTERM" "$status" 0
pid=""
umount "$root/proc"
echo "== the release binary serves from a minimal root: $(du -sh "$root" | cut -f1) root, $(du -h "$root/usr/local/lib/nexusone/nexusone" | cut -f1) binary"
