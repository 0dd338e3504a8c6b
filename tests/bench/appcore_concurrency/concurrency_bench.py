#!/usr/bin/env python3
"""Issue 12: does one user's work make another user wait? Starts
nanbyo-appcore on a prepared appliance (appcore_bulk_import --prepare: a
municipal administrator, five staff users with Argon2id passwords, a CSV of
ROWS doctors) and measures another user's GET /api/me latency
  (a) alone,
  (b) while four users log in back to back (logins/s too),
  (c) while the administrator's bulk import of the CSV runs (its wall time too).
The observer sends one request every 10 ms (a user, not a flood), each on a new
connection to the UNIX socket, as the gateway does per request burst.

usage: concurrency_bench.py <build dir> <rows> <seconds> <workers>
"""
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../appcore_bulk_import"))
from web_bulk_bench import Client, running_appliance  # noqa: E402  (one client of the contract)

PASSWORD = "Bench-Password-2026"


def login(client, user_id):
    r = client.call("POST", "/api/login", json.dumps({"user_id": user_id, "password": PASSWORD}))
    client.csrf = r["csrf_token"]


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


class Observer:
    """GET /api/me every 10 ms until stop is set; latencies in ms."""

    def __init__(self, sock, user_id):
        self.client = Client(sock)
        login(self.client, user_id)

    def run(self, stop):
        samples = []
        while not stop.is_set():
            start = time.perf_counter()
            self.client.call("GET", "/api/me")
            samples.append((time.perf_counter() - start) * 1000)
            time.sleep(0.01)
        return samples


def observe_while(observer, load, seconds=None):
    """Runs `load(stop)` in threads beside the observer; returns (samples, load results)."""
    stop = threading.Event()
    results = []
    threads = [threading.Thread(target=lambda f=f: results.append(f(stop))) for f in load]
    for t in threads:
        t.start()
    timer = None
    if seconds is not None:
        timer = threading.Timer(seconds, stop.set)
        timer.start()
    samples = observer.run(stop)
    for t in threads:
        t.join()
    if timer:
        timer.cancel()
    return samples, results


def main():
    build, rows, seconds, workers = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    sys.setswitchinterval(0.0005)  # the loaders' Python must not delay the observer's
    with running_appliance(build, rows, workers) as (prepared, _, sock, work):
        observer = Observer(sock, prepared["staff"][0])
        table = []

        alone, _ = observe_while(observer, [], seconds)
        table.append(("(a) alone", alone, ""))

        def logins(user_id):
            def run(stop):
                c, n = Client(sock, terminal="login-" + user_id), 0  # each at his own PC
                while not stop.is_set():
                    login(c, user_id)
                    n += 1
                return n
            return run
        start = time.monotonic()
        during_logins, counts = observe_while(
            observer, [logins(u) for u in prepared["staff"][1:5]], seconds)
        rate = sum(counts) / (time.monotonic() - start)
        table.append(("(b) 4 users logging in", during_logins, f"{rate:.1f} logins/s"))

        admin = Client(sock)
        login(admin, prepared["admin"])
        body = open(os.path.join(work, "doctors.csv"), "rb").read()
        wall = []

        def import_file(stop):
            start = time.monotonic()
            job = admin.call("POST", "/api/imports", body, "text/csv")["job_id"]
            while admin.call("GET", f"/api/imports/{job}")["state"] == "running":
                time.sleep(0.1)
            wall.append(time.monotonic() - start)
            stop.set()
            return job
        during_import, _ = observe_while(observer, [import_file])
        table.append((f"(c) import of {rows:,} rows", during_import,
                      f"import {wall[0]:.2f} s wall"))

        print(f"GET /api/me of another user, nanbyo-appcore --workers {workers}:")
        print(f"{'while':<28} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  other")
        for name, s, other in table:
            print(f"{name:<28} {len(s):>8} {percentile(s, 50):>8.2f} {percentile(s, 99):>8.2f} "
                  f"{max(s):>8.2f}  {other}")


if __name__ == "__main__":
    main()
