#!/usr/bin/env python3
"""Webhook retry/backoff benchmark: `bench/webhook-backoff.py PODMETA [ROUNDS]`.

Runs `podmeta agent --webhook` against Tests/fixtures/flaky-webhook.py on loopback, which
answers 503 to its first requests, and measures from the server's side (CLOCK_MONOTONIC,
shared with this script): the gap before each retry against the configured backoff
(exponential, jitter takes up to half of each delay off), and the time from the kubelet
swap to the accepted delivery. A second scenario swaps the labels 20 times every 50 ms
while the server fails and checks that the last value is the one delivered last.
Prints a Markdown section for BENCHMARKS.md.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "Tests", "fixtures", "flaky-webhook.py")
PODMETA = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
FAILURES = 4
INITIAL, MAXIMUM = 0.2, 5.0


def swap(root, labels, generation):
    """The kubelet's atomic writer: a new timestamped directory, then ..data renamed onto it."""
    data = os.path.join(root, "..gen_%d" % generation)
    os.mkdir(data)
    with open(os.path.join(data, "labels"), "w") as f:
        f.write("\n".join('%s="%s"' % kv for kv in sorted(labels.items())))
    tmp = os.path.join(root, "..data_tmp")
    os.symlink(os.path.basename(data), tmp)
    os.rename(tmp, os.path.join(root, "..data"))
    link = os.path.join(root, "labels")
    if not os.path.islink(link):
        os.symlink("..data/labels", link)


def requests(log):
    if not os.path.exists(log):
        return []
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def wait(condition, limit=30):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    raise SystemExit("timed out")


def scenario(work, failures, changes, interval):
    root = os.path.join(work, "podinfo")
    os.mkdir(root)
    swap(root, {"app": "web", "version": "0"}, 0)
    log, portfile, output = (os.path.join(work, n) for n in ("requests.log", "port", "pod.json"))
    server = subprocess.Popen([sys.executable, SERVER, log, portfile, str(failures)])
    wait(lambda: os.path.exists(portfile))
    port = open(portfile).read()
    config = os.path.join(work, "podmeta.json")
    with open(config, "w") as f:
        json.dump({"hooks": [{"name": "bench", "url": "http://127.0.0.1:%s/reload" % port, "retries": 6,
                              "backoff": "%dms:%ds" % (INITIAL * 1000, MAXIMUM), "timeout": "2s"}]}, f)
    agent = subprocess.Popen([PODMETA, "agent", "--volume", root, "--item", "labels=metadata.labels",
                              "--output", output, "--config", config, "--log-level", "warning"],
                             stderr=subprocess.DEVNULL)
    try:
        wait(lambda: os.path.exists(output))
        started = time.monotonic()
        for n in range(1, changes + 1):
            swap(root, {"app": "web", "version": str(n)}, n)
            if n < changes:
                time.sleep(interval)
        last = str(changes)
        wait(lambda: any(r["status"] == 200 and r["body"]["snapshot"]["labels"]["version"] == last
                         for r in requests(log)))
        time.sleep(0.3)
        return started, requests(log)
    finally:
        agent.terminate()
        agent.wait()
        server.kill()
        server.wait()


def main():
    gaps = [[] for _ in range(FAILURES)]
    totals = []
    for _ in range(ROUNDS):
        work = tempfile.mkdtemp(prefix="podmeta-bench-webhook.", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        try:
            started, seen = scenario(work, FAILURES, 1, 0)
        finally:
            shutil.rmtree(work)
        assert [r["status"] for r in seen] == [503] * FAILURES + [200], seen
        for i in range(FAILURES):
            gaps[i].append(seen[i + 1]["time"] - seen[i]["time"])
        totals.append(seen[-1]["time"] - started)
    work = tempfile.mkdtemp(prefix="podmeta-bench-webhook.")
    try:
        started, burst = scenario(work, 3, 20, 0.05)
    finally:
        shutil.rmtree(work)
    accepted = [r for r in burst if r["status"] == 200]
    final = accepted[-1]["body"]["snapshot"]["labels"]["version"]
    first_change = next(c for c in accepted[0]["body"]["changes"] if c["key"] == "version")

    ms = lambda s: "%.0f ms" % (s * 1000)
    print("## 6. Webhook retries and backoff\n")
    binary = os.path.relpath(PODMETA)
    print("Produced by `bench/webhook-backoff.py %s %d` (not part of `bench/run.sh`;"
          " run it and replace this section). `podmeta agent --webhook` against"
          " `Tests/fixtures/flaky-webhook.py` on 127.0.0.1, which answers 503 to its first %d requests;"
          " backoff `%dms:%ds` (each delay doubles, jitter takes up to half of it off), attempt timeout 2s."
          " Times are the server's arrival times (CLOCK_MONOTONIC), %d rounds.\n"
          % (binary, ROUNDS, FAILURES, INITIAL * 1000, MAXIMUM, ROUNDS))
    print("| gap before | nominal delay | allowed (jitter) | min | median | max | within bounds (+50 ms) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for i, values in enumerate(gaps):
        nominal = min(INITIAL * 2 ** i, MAXIMUM)
        ok = all(nominal * 0.5 <= v <= nominal + 0.05 for v in values)
        print("| retry %d | %s | %s to %s | %s | %s | %s | %s |" % (
            i + 1, ms(nominal), ms(nominal * 0.5), ms(nominal), ms(min(values)), ms(statistics.median(values)),
            ms(max(values)), "yes" if ok else "**no**"))
    print("\nKubelet swap to accepted delivery (5th attempt): median %s, max %s (nominal backoff sum %s,"
          " at least %s with full jitter).\n" % (
              ms(statistics.median(totals)), ms(max(totals)), ms(sum(min(INITIAL * 2 ** i, MAXIMUM) for i in range(FAILURES))),
              ms(0.5 * sum(min(INITIAL * 2 ** i, MAXIMUM) for i in range(FAILURES)))))
    print("No lost change: 20 label swaps 50 ms apart while the server fails its first 3 requests:"
          " %d requests, %d accepted; the last accepted delivery carries version %s (the last one written: %s);"
          " the first accepted delivery reports version %s -> %s (the changes of the unacknowledged"
          " attempts are sent again).\n" % (
              len(burst), len(accepted), final, "yes" if final == "20" else "**no**", first_change["old"],
              first_change["new"]))
    print("Machine: %d CPUs, %s, load average at end %s.\n" % (
        os.cpu_count(), subprocess.run(["uname", "-sr"], capture_output=True, text=True).stdout.strip(),
        " ".join(open("/proc/loadavg").read().split()[:3])))


main()
