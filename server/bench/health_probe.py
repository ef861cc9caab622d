"""Probes a server while a load test runs: gRPC health Check and HTTP /health every INTERVAL seconds, each on its
own (a probe waits for its answer, up to 1 s), and the server's resident memory; prints, when stopped (SIGTERM or
SIGINT), the latency percentiles of each probe, the failures, and the resident memory's range.
Usage: health_probe.py GRPC_PORT HTTP_PORT SERVER_PID [INTERVAL=0.1]. Needs python3-grpcio (no generated code:
the Check request is the empty message and SERVING is the bytes 08 01)."""
import signal
import sys
import time
import urllib.request

import grpc

grpc_port, http_port, pid = sys.argv[1], sys.argv[2], sys.argv[3]
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
channel = grpc.insecure_channel(f"localhost:{grpc_port}")
check = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=lambda b: b,
                            response_deserializer=lambda b: b)
times = {"grpc": [], "http": []}
failures = {"grpc": 0, "http": 0}
rss = []
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def rss_mib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


while running:
    t0 = time.perf_counter()
    try:
        ok = check(b"", timeout=1.0) == b"\x08\x01"
    except grpc.RpcError:
        ok = False
    times["grpc"].append(time.perf_counter() - t0)
    failures["grpc"] += not ok
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(f"http://localhost:{http_port}/health", timeout=1.0) as r:
            ok = r.status == 200
    except OSError:
        ok = False
    times["http"].append(time.perf_counter() - t0)
    failures["http"] += not ok
    try:
        rss.append(rss_mib())
    except OSError:
        pass
    time.sleep(max(0.0, interval - (time.perf_counter() - t0)))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1e3 if values else float("nan")


for name in ("grpc", "http"):
    v = times[name]
    print(f"{name}-health probes {len(v)} p50 {pct(v, 50):.1f} ms p99 {pct(v, 99):.1f} ms max {pct(v, 100):.1f} ms "
          f"failed {failures[name]}")
if rss:
    print(f"server resident MiB min {min(rss):.0f} max {max(rss):.0f}")
