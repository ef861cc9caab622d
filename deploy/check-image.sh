#!/usr/bin/env bash
# Builds deploy/Dockerfile with podman on local base images made from Debian's packages (no registry is needed),
# starts the image with a model repository mounted, calls it over gRPC from outside the container (health SERVING,
# a Recommend equal to the same call against the server run directly), stops it with SIGTERM and checks that it
# exits cleanly, then reports the image's size, its largest layers, and that it holds no DJL or PyTorch file.
# Podman's settings for these machines are in ../shared/docs/containers.md. Run from anywhere; CI runs it after the
# tests (.ci/run). Environment: NCF_IMAGE_KEEP=1 keeps the image afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '==> [%3d s] %s\n' "$SECONDS" "$*"; }

if ! command -v podman > /dev/null || ! command -v debootstrap > /dev/null || ! command -v runc > /dev/null; then
  say "installing podman, runc and debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap > /dev/null
fi
work="$(mktemp -d)"
server=""
container=""
cleanup() {
  [[ -n "$container" ]] && podman "${global[@]}" rm -f "$container" > /dev/null 2>&1 || true
  [[ -n "$server" ]] && kill "$server" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
printf '[containers]\ndefault_ulimits = []\n' > "$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"
global=(--runtime runc --cgroup-manager cgroupfs)
mirror="$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2> /dev/null | awk '{print $2}' | head -1 || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

base_image() { # NAME PACKAGES: a Debian bookworm image with those packages, made once
  if podman "${global[@]}" image exists "$1"; then return; fi
  say "making base image $1 from Debian's packages ($2)"
  debootstrap --variant=minbase --include="$2" bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
  podman "${global[@]}" import "$work/rootfs.tar" "$1" > /dev/null
  rm -rf "$work/rootfs" "$work/rootfs.tar"
}
base_image localhost/ncf4j-base-jre:bookworm openjdk-17-jre-headless
base_image localhost/ncf4j-base-build:bookworm openjdk-17-jdk-headless,maven

image=localhost/ncf4j-server:check
say "building $image from deploy/Dockerfile (Maven's local repository mounted into the build stage)"
mkdir -p "$HOME/.m2"
podman "${global[@]}" build --network host -v "$HOME/.m2:/root/.m2" -f deploy/Dockerfile -t "$image" \
  --build-arg BUILD_IMAGE=localhost/ncf4j-base-build:bookworm \
  --build-arg RUNTIME_IMAGE=localhost/ncf4j-base-jre:bookworm . > "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log"; exit 1; }

say "a model repository with a small bundle of random weights"
# graph's classes with the reactor's classpath, compiled in place: nothing is installed into the local repository
bin/lib/run-java.sh graph org.ncf4j.graph.SyntheticBundles "$work/models/demo/1" neumf 300 200 8 64,32,16,8 20 \
  > /dev/null
chmod -R a+rX "$work/models"

. bin/lib/serving.sh # ncf_free_port, ncf_await_ready
port="$(ncf_free_port 52051)"; http="$(ncf_free_port 58080)"
say "starting the image: gRPC port $port, HTTP port $http, the repository mounted read-only"
# both rank with the fused kernel: with auto, each process picks by its own timing at load, and the two kernels'
# probabilities can differ in the last float digit (the items agree), where this check wants identical answers
container="$(podman "${global[@]}" run -d --network host -v "$work/models:/models:ro" -e GRPC_SERVER_PORT="$port" \
  -e HTTP_PORT="$http" -e NCF_RANKING_KERNEL=fused "$image")"
direct_port="$(ncf_free_port $(( port + 1 )))"; direct_http="$(ncf_free_port $(( http + 1 )))"
NCF_REPOSITORY="$work/models" GRPC_SERVER_PORT="$direct_port" HTTP_PORT="$direct_http" NCF_EXECUTION_PROVIDER=cpu \
  NCF_RANKING_KERNEL=fused ./bin/ncf-server > "$work/direct.log" 2>&1 &
server=$!
container_running() { [[ "$(podman "${global[@]}" inspect -f '{{.State.Running}}' "$container")" == true ]]; }
ncf_await_ready "the container" "$port" "$http" 120 container_running \
  || { podman "${global[@]}" logs "$container" 2>&1 | tail -20; exit 1; }
ncf_await_ready "the server run directly" "$direct_port" "$direct_http" 120 kill -0 "$server" \
  || { tail -20 "$work/direct.log"; exit 1; }
podman "${global[@]}" logs "$container" 2>&1 | grep " ready in " | sed 's/^.* - /container: /' || true
# the image's entry point adds the JDK's vector API where its runtime has it, as bin/ncf-server does: both must
# compute the kernel the same way
in_image="$(podman "${global[@]}" logs "$container" 2>&1 | grep -o 'fused Java kernel ([^)]*)' | head -1)"
direct="$(grep -o 'fused Java kernel ([^)]*)' "$work/direct.log" | head -1)"
echo "the container ranks with the $in_image, the server run directly with the $direct"
[[ -n "$in_image" && "$in_image" == "$direct" ]] || { echo "they do not rank the same way"; exit 1; }

./bin/ncf health --target "localhost:$port" | tee "$work/health.txt"
grep -q "server: SERVING" "$work/health.txt"
for user in u0 u7 u123; do
  a="$(./bin/ncf recommend "$user" -k 10 --json --target "localhost:$port")"
  b="$(./bin/ncf recommend "$user" -k 10 --json --target "localhost:$direct_port")"
  [[ "$a" == "$b" ]] || { echo "Recommend $user differs: container $a, direct $b"; exit 1; }
done
echo "Recommend for u0, u7 and u123 (k=10) is the same from the container and from the server run directly"

say "SIGTERM to the container"
podman "${global[@]}" stop -t 45 "$container" > /dev/null
code="$(podman "${global[@]}" inspect -f '{{.State.ExitCode}}' "$container")"
podman "${global[@]}" logs "$container" 2>&1 | grep -E "signal|stopped:" | sed 's/^.* - /container: /'
[[ "$code" == 143 ]] || { echo "the container exited with $code, expected 143"; exit 1; }
echo "exit code $code after SIGTERM"
podman "${global[@]}" rm "$container" > /dev/null
container=""

found="$(podman "${global[@]}" run --rm --network host --entrypoint bash "$image" -c \
  'find / -xdev \( -iname "*djl*" -o -iname "*torch*" \) 2> /dev/null | head -5')"
[[ -z "$found" ]] || { echo "DJL or PyTorch files in the image: $found"; exit 1; }
echo "no DJL or PyTorch file in the image"
size="$(podman "${global[@]}" image inspect -f '{{.Size}}' "$image")"
echo "image size: $(( size / 1000000 )) MB; largest layers:"
podman "${global[@]}" history --format '{{.Size}}|{{.CreatedBy}}' "$image" | awk -F '|' '{
    split($1, a, " "); f = a[2] == "GB" ? 1e3 : a[2] == "MB" ? 1 : a[2] == "kB" ? 1e-3 : 1e-6
    printf "%10.1f MB  %s\n", a[1] * f, substr($2, 1, 100) }' | sort -n -r | head -4
if [[ "${NCF_IMAGE_KEEP:-}" != 1 ]]; then podman "${global[@]}" rmi "$image" > /dev/null; fi
podman "${global[@]}" image prune -f > /dev/null # the build stage's image
say "container check passed"
