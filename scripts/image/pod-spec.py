#!/usr/bin/env python3
"""Reads the sidecar manifests and prints, as shell assignments, what the pod test needs to
run the pod they describe: the podmeta container's args, env, memory limit, user and
security settings, the app container's mounts, the probes, the emptyDir's size limit, the
pod template's labels and annotations, and the downwardAPI volume's items with the values a
kubelet would write for a simulated pod.

Usage: pod-spec.py NATIVE_SIDECAR_MANIFEST [CLASSIC_SIDECAR_MANIFEST]

With both manifests, it first checks that they describe the same podmeta container (args,
env, resources, security context, mounts, volumes) so that one run covers both; they differ
only in where the container sits (initContainers with restartPolicy: Always, or containers)
and in the startup probe. Exits 1 with a message when a manifest lacks what the test runs.
"""
import shlex
import sys

import yaml

# The simulated pod: what the kubelet would put in the env and the volume.
POD = {
    "metadata.uid": "0e2f4a10-5b7c-4d1e-9a3b-2c8d6e4f1a20",
    "status.podIP": "10.244.1.17",
    "status.podIPs": "10.244.1.17,fd00:10:244:1::11",
    "spec.nodeName": "node-1",
    "spec.serviceAccountName": "default",
    "status.hostIP": "192.168.49.2",
    "status.hostIPs": "192.168.49.2",
}
SUFFIXES = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def fail(message):
    print(f"pod-spec: {message}", file=sys.stderr)
    sys.exit(1)


def milli(quantity):
    """A quantity in thousandths (the manifests use plain forms: 500m, 1, 128Mi, 2Gi)."""
    text = str(quantity)
    if text.endswith("m"):
        return int(text[:-1])
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if suffix and text.endswith(suffix) and text[: -len(suffix)].isdigit():
            return int(text[: -len(suffix)]) * SUFFIXES[suffix] * 1000
    if text.isdigit():
        return int(text) * 1000
    fail(f"unsupported quantity {text!r}")


def downward_value(containers, ref):
    """The integer the kubelet writes for a resourceFieldRef: ceil(quantity / divisor)."""
    container = containers.get(ref["containerName"])
    if container is None:
        fail(f"resourceFieldRef names an unknown container {ref['containerName']!r}")
    bound, resource = ref["resource"].split(".", 1)
    value = milli(container["resources"][bound][resource])
    divisor = milli(ref.get("divisor", "1"))
    return str(-(-value // divisor))


def load(path):
    with open(path) as handle:
        documents = [d for d in yaml.safe_load_all(handle) if d]
    deployments = [d for d in documents if d.get("kind") == "Deployment"]
    if len(deployments) != 1:
        fail(f"{path}: expected one Deployment")
    return deployments[0]


def podmeta_container(spec, path):
    found = [c for c in spec.get("initContainers", []) + spec.get("containers", []) if c["name"] == "podmeta"]
    if len(found) != 1:
        fail(f"{path}: expected one container named podmeta")
    return found[0]


def comparable(container):
    keys = ("image", "args", "env", "resources", "securityContext", "volumeMounts", "livenessProbe", "readinessProbe")
    return {key: container.get(key) for key in keys}


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: pod-spec.py NATIVE_SIDECAR_MANIFEST [CLASSIC_SIDECAR_MANIFEST]")
    native_path = sys.argv[1]
    deployment = load(native_path)
    template = deployment["spec"]["template"]
    spec = template["spec"]
    podmeta = podmeta_container(spec, native_path)
    if podmeta.get("restartPolicy") != "Always" or podmeta not in spec.get("initContainers", []):
        fail(f"{native_path}: podmeta is not a native sidecar (an init container with restartPolicy: Always)")
    if len(sys.argv) == 3:
        classic_path = sys.argv[2]
        classic = load(classic_path)
        other = podmeta_container(classic["spec"]["template"]["spec"], classic_path)
        if comparable(other) != comparable(podmeta):
            fail(f"{native_path} and {classic_path} describe different podmeta containers")
        if classic["spec"]["template"]["spec"].get("volumes") != spec.get("volumes"):
            fail(f"{native_path} and {classic_path} have different volumes")
    containers = {c["name"]: c for c in spec.get("initContainers", []) + spec["containers"]}
    apps = [c for c in spec["containers"] if c["name"] != "podmeta"]
    if len(apps) != 1:
        fail(f"{native_path}: expected one app container")
    app = apps[0]

    pod_security = spec.get("securityContext", {})
    security = {**pod_security, **podmeta.get("securityContext", {})}
    if security.get("readOnlyRootFilesystem") is not True:
        fail("podmeta must run with readOnlyRootFilesystem: true")
    if security.get("allowPrivilegeEscalation") is not False:
        fail("podmeta must run with allowPrivilegeEscalation: false")
    if security.get("capabilities", {}).get("drop") != ["ALL"]:
        fail("podmeta must drop ALL capabilities")

    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m for m in podmeta["volumeMounts"]}
    podinfo, run = mounts.get("/etc/podinfo"), mounts.get("/run/podmeta")
    if podinfo is None or "downwardAPI" not in volumes[podinfo["name"]] or not podinfo.get("readOnly"):
        fail("podmeta must mount a downwardAPI volume read-only at /etc/podinfo")
    if run is None or "emptyDir" not in volumes[run["name"]]:
        fail("podmeta must mount an emptyDir at /run/podmeta")
    app_run = [m for m in app.get("volumeMounts", []) if m["name"] == run["name"]]
    if not app_run or not app_run[0].get("readOnly"):
        fail("the app must mount podmeta's emptyDir read-only")

    name = deployment["metadata"]["name"] + "-7d4b9c-x2v9q"
    namespace = deployment["metadata"].get("namespace", "default")
    fields = {**POD, "metadata.name": name, "metadata.namespace": namespace}
    env = []
    for variable in podmeta.get("env", []):
        source = variable.get("valueFrom", {})
        if "fieldRef" in source:
            value = fields[source["fieldRef"]["fieldPath"]]
        elif "resourceFieldRef" in source:
            value = downward_value(containers, source["resourceFieldRef"])
        else:
            value = variable["value"]
        env.append(f"{variable['name']}={value}")
    items = []
    for item in volumes[podinfo["name"]]["downwardAPI"]["items"]:
        if "fieldRef" in item:
            field = item["fieldRef"]["fieldPath"]
            if field in ("metadata.labels", "metadata.annotations"):
                if item["path"] != field.split(".")[1]:
                    fail(f"the test writes {field} as {field.split('.')[1]}, the manifest as {item['path']}")
                continue
            items.append(f"{item['path']}={fields[field]}")
        else:
            items.append(f"{item['path']}={downward_value(containers, item['resourceFieldRef'])}")

    labels = [f"{k}={v}" for k, v in template["metadata"].get("labels", {}).items()]
    annotations = [f"{k}={v}" for k, v in template["metadata"].get("annotations", {}).items()]
    startup = podmeta.get("startupProbe")
    if startup is None:
        fail("the native sidecar needs a startupProbe")
    metrics = [p["containerPort"] for p in podmeta.get("ports", []) if p.get("name") == "metrics"]
    scrape_port = template["metadata"].get("annotations", {}).get("prometheus.io/port")
    if metrics and scrape_port is not None and scrape_port != str(metrics[0]):
        fail(f"prometheus.io/port {scrape_port} is not the metrics port {metrics[0]}")
    if metrics and not any(a.endswith(f":{metrics[0]}") for a in podmeta.get("args", []) if a.startswith("--metrics-address")):
        fail(f"the metrics port {metrics[0]} is not the one --metrics-address listens on")
    size_limit = volumes[run["name"]]["emptyDir"].get("sizeLimit")
    if size_limit is None:
        fail("the emptyDir needs a sizeLimit")

    def array(name, values):
        print(f"{name}=({' '.join(shlex.quote(str(v)) for v in values)})")

    def scalar(name, value):
        print(f"{name}={shlex.quote(str(value))}")

    array("PODMETA_ARGS", podmeta.get("args", []))
    array("PODMETA_ENV", env)
    scalar("PODMETA_USER", f"{security['runAsUser']}:{security.get('runAsGroup', security['runAsUser'])}")
    scalar("PODMETA_MEMORY", milli(podmeta["resources"]["limits"]["memory"]) // 1000)
    array("STARTUP_PROBE", startup["exec"]["command"])
    scalar("STARTUP_PERIOD", startup.get("periodSeconds", 10))
    scalar("STARTUP_FAILURES", startup.get("failureThreshold", 3))
    scalar("STARTUP_TIMEOUT", startup.get("timeoutSeconds", 1))
    scalar("RUN_SIZE_LIMIT", milli(size_limit) // 1000)
    scalar("METRICS_PORT", metrics[0] if metrics else "")
    scalar("POD_NAME", name)
    array("POD_LABELS", labels)
    array("POD_ANNOTATIONS", annotations)
    array("VOLUME_ITEMS", items)


main()
