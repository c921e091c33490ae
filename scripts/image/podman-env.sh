# Sourced by the image scripts: a podman that works on a fresh Debian machine without
# touching the user's own podman setup. Everything lives under $IMAGE_DIR (default
# .build-image): the image store (vfs, which needs no kernel overlay support), the runtime
# state, and a private containers.conf that CONTAINERS_CONF makes the only one read.
#
# The settings are those that work on a root CI runner with a hybrid cgroup layout:
#   --runtime runc          crun cannot create containers on a hybrid (v1 + v2) layout
#   --cgroup-manager cgroupfs  no systemd session is needed
#   default_ulimits = []    podman's default nofile/nproc ulimits fail with EPERM there
# Set PODMAN to another command (e.g. "podman --remote") to use a differently set-up engine.
IMAGE_DIR=${IMAGE_DIR:-.build-image}
mkdir -p "$IMAGE_DIR"
IMAGE_DIR=$(cd "$IMAGE_DIR" && pwd)
export CONTAINERS_CONF="$IMAGE_DIR/containers.conf"
cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = []
[engine]
events_logger = "file"
CONF
: "${PODMAN:=podman --root $IMAGE_DIR/storage --runroot $IMAGE_DIR/run --storage-driver vfs --cgroup-manager cgroupfs --runtime runc --tmpdir $IMAGE_DIR/tmp}"
mkdir -p "$IMAGE_DIR/tmp"

# The image names the Dockerfile and the manifests use.
BASE_IMAGE=docker.io/library/debian:bookworm-slim
PODMETA_IMAGE=${PODMETA_IMAGE:-localhost/podmeta:dev}

pm() {
    # shellcheck disable=SC2086 # PODMAN is a command line
    $PODMAN "$@"
}
