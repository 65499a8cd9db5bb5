"""Interview-step latency under 20 concurrent clients on loopback (issue 8), bounded.

Starts `yakbang serve` on a free port, then 20 threads each run interview steps (POST
/api/interview with the answers so far: the next question and the urgency) for a fixed number
of requests, and prints p50/p95/p99 and the throughput. A benchmark: it asserts nothing.

    .venv/bin/python benchmarks/web_load.py [--clients 20] [--requests 50] [--workers 1]

The Python client threads share the machine's cores with the server and inflate the figures on
a 2-core machine; Debian's wrk is lighter:

    wrk -t1 -c20 -d10s -s benchmarks/interview.lua --latency http://127.0.0.1:8000/api/interview
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BODY = {"age_months": 24, "sex": "male", "lang": "ko", "present": ["cough", "fast_breathing", "fever"]}
STEPS = [[], ["chest_indrawing"], ["chest_indrawing", "unable_to_drink"],
         ["chest_indrawing", "unable_to_drink", "convulsions"]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, body: dict[str, object]) -> float:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "YAKBANG_HOME": tempfile.mkdtemp()}
    yakbang = os.path.join(os.path.dirname(sys.executable), "yakbang")
    server = subprocess.Popen([yakbang, "serve", "--port", str(port), "--workers", str(args.workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/interview"
    try:
        for _ in range(200):
            try:
                post(url, BODY)
                break
            except OSError:
                time.sleep(0.1)
        post(url, BODY)  # warm
        times: list[float] = []
        lock = threading.Lock()

        def client(n: int) -> None:
            mine = []
            for i in range(args.requests):
                absent = STEPS[(n + i) % len(STEPS)]
                mine.append(post(url, {**BODY, "absent": absent}))
            with lock:
                times.extend(mine)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=10)
    times.sort()

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))] * 1000, 1)

    print(json.dumps({"clients": args.clients, "requests": len(times), "p50_ms": pct(0.5),
                      "p95_ms": pct(0.95), "p99_ms": pct(0.99), "per_s": round(len(times) / wall, 1)}))


if __name__ == "__main__":
    main()
