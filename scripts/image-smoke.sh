#!/usr/bin/env bash
# Build the Dockerfile and run the image, without a Docker engine or a registry.
#
#   sudo ./scripts/image-smoke.sh
#
# 1. debootstrap a Debian bookworm base (minbase + python3, venv, pip, CA certificates, tzdata),
#    cached in $IMAGE_SMOKE_DIR (default /var/tmp/privacy-bot-image-smoke), and `podman import`
#    it as localhost/bookworm-python3:smoke;
# 2. `buildah bud` the production image and the smoke stage FROM that base (chroot isolation,
#    vfs storage: works inside an unprivileged container);
# 3. `buildah run` checks in the production image (user, no tests/, time zones, the health
#    check, `content check`) and the end-to-end /start and heartbeat tests in the smoke stage,
#    against the fake Bot API on loopback inside the container.
#
# Needs root, network access to the Debian mirror and PyPI, and the Debian packages buildah,
# podman and debootstrap. Without them it prints SKIPPED and exits 0; any failed check exits 1.
# Not part of scripts/test.sh: the first run takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
    echo "SKIPPED image smoke test: $*"
    exit 0
}
for tool in buildah podman debootstrap; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install -y buildah podman debootstrap)"
done
[ "$(id -u)" -eq 0 ] || skip "debootstrap and buildah's chroot isolation need root"

cache="${IMAGE_SMOKE_DIR:-/var/tmp/privacy-bot-image-smoke}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base=localhost/bookworm-python3:smoke
buildah=(buildah --storage-driver vfs)
podman=(podman --storage-driver vfs)
step() { printf '\n== %s\n' "$*"; }
failures=0
verdict() {  # verdict OK DESCRIPTION [DETAIL]
    if [ "$1" = yes ]; then echo "PASS $2${3:+  ($3)}"; else echo "FAIL $2${3:+  ($3)}"; failures=$((failures + 1)); fi
}
check() {  # check DESCRIPTION COMMAND...: succeeds, or its output is shown
    local description=$1 output
    shift
    if output=$("$@" 2>&1); then verdict yes "$description" "$(tail -n 1 <<<"$output")"; else
        printf '%s\n' "$output"
        verdict no "$description"
    fi
}
expect_exit() {  # expect_exit STATUS DESCRIPTION COMMAND...: exits with STATUS
    local status=$1 description=$2 output actual=0
    shift 2
    output=$("$@" 2>&1) || actual=$?
    if [ "$actual" -eq "$status" ]; then verdict yes "$description" "$(head -n 1 <<<"$output")"; else
        printf '%s\n' "$output"
        verdict no "$description" "exit $actual, expected $status"
    fi
}
mkdir -p "$cache"
if [ ! -f "$cache/base.tar" ]; then
    step "debootstrap bookworm (minbase + python3) into $cache/rootfs"
    rm -rf "$cache/rootfs"
    debootstrap --variant=minbase \
        --include=python3,python3-venv,python3-pip,ca-certificates,tzdata \
        bookworm "$cache/rootfs" "$mirror" >"$cache/debootstrap.log"
    rm -rf "$cache"/rootfs/var/cache/apt/archives/*.deb "$cache"/rootfs/var/lib/apt/lists/*
    tar -C "$cache/rootfs" -cf "$cache/base.tar.partial" .
    mv "$cache/base.tar.partial" "$cache/base.tar"
fi
if ! "${podman[@]}" image exists "$base"; then
    step "podman import $base"
    "${podman[@]}" import "$cache/base.tar" "$base" >/dev/null
fi

# A proxy that re-signs TLS (PIP_CERT on the host) reaches pip in the build as a secret.
secrets=()
if [ -n "${PIP_CERT:-}" ] && [ -s "$PIP_CERT" ]; then secrets=(--secret "id=pip_ca,src=$PIP_CERT"); fi
build() {  # build TAG [--target STAGE]
    local tag=$1
    shift
    "${buildah[@]}" bud "${secrets[@]}" --isolation chroot --layers --format docker --quiet \
        --build-arg BASE="$base" "$@" -t "$tag" . >/dev/null
}
step "buildah bud: production (default target) and smoke"
start=$SECONDS
build localhost/privacy-bot:latest
build localhost/privacy-bot:smoke --target smoke
echo "built in $((SECONDS - start)) s"

containers=()
cleanup() { for c in "${containers[@]}"; do "${buildah[@]}" rm "$c" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
container_of() { "${buildah[@]}" from --quiet "$1"; }
in_image() { "${buildah[@]}" run --isolation chroot "$@"; }

step "production image"
production=$(container_of localhost/privacy-bot:latest)
containers+=("$production")
config() { "${buildah[@]}" inspect --type image --format "$1" localhost/privacy-bot:latest; }
check "runs as the non-root user bot" test "$(in_image "$production" -- id -un)" = bot
check "default command is python -m bot run" \
    test "$(config '{{.Docker.Config.Entrypoint}} {{.Docker.Config.Cmd}}')" = "[python -m bot] [run]"
check "HEALTHCHECK runs python -m bot health" \
    grep -q "python -m bot health" <<<"$(config '{{.Docker.Config.Healthcheck}}')"
check "data volume /data, DATABASE_URL points there" \
    grep -q "sqlite:////data/bot.sqlite3" <<<"$(config '{{.Docker.Config.Env}}')"
check "no tests/, no .env, no .git in /app" \
    in_image "$production" -- sh -c '! test -e tests && ! test -e .env && ! test -e .git'
check "zoneinfo from the tzdata wheel alone (PYTHONTZPATH empty)" \
    in_image "$production" -- env PYTHONTZPATH= \
    python -c "import zoneinfo; assert not zoneinfo.TZPATH; print(zoneinfo.ZoneInfo('Asia/Tokyo'))"
check "content check passes" in_image "$production" -- python -m bot content check
expect_exit 1 "health fails while no bot runs" in_image "$production" -- python -m bot health
expect_exit 2 "run without a token explains and exits 2" \
    in_image "$production" -- python -m bot run

step "smoke stage: /start end to end and the heartbeat, against the fake Bot API"
smoke=$(container_of localhost/privacy-bot:smoke)
containers+=("$smoke")
check "end-to-end /start and health beside a polling bot" in_image "$smoke" -- \
    python -m pytest -q \
    tests/integration/test_end_to_end.py::test_start_over_real_polling_in_a_subprocess \
    tests/integration/test_heartbeat_process.py

step "result"
if [ "$failures" -ne 0 ]; then
    echo "image smoke test: $failures check(s) FAILED"
    exit 1
fi
echo "image smoke test: every check passed"
