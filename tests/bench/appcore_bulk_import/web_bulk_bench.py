#!/usr/bin/env python3
"""ID-2 through the web layer: the same file as the core benchmark, uploaded to
a running nanbyo-appcore (its HTTP server on a UNIX socket, as behind the
gateway) the way the upload page does: POST /api/imports with the file as the
body, then poll the job until it is done. Prints the wall time from the first
byte sent to the job's end, rows/s and the server's CPU time and peak RSS.

usage: web_bulk_bench.py <build dir> <rows>
"""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "appcore_web"))
from unix_api import UnixConnection, remember_cookies  # noqa: E402


# What the gateway adds to every request (appcore trusts only its socket).
GATEWAY_HEADERS = {
    "X-Nanbyo-Listener": "bench",
    "X-Request-Id": "bench",
    "X-Forwarded-For": "127.0.0.1",
    "X-Forwarded-Proto": "https",
    "X-Nanbyo-Cert-Serial": "01",
    "X-Nanbyo-Hospital": "",
    "X-Nanbyo-Terminal": "bench-pc",
}


class Client:
    """One user at one PC: `terminal` is its certificate (appcore binds sessions
    and throttles failed logins per certificate)."""

    def __init__(self, path, terminal="01"):
        self.path, self.cookies, self.csrf = path, {}, ""
        self.terminal = {"X-Nanbyo-Cert-Serial": terminal, "X-Nanbyo-Terminal": "bench-" + terminal}

    def call(self, method, target, body=b"", content_type="application/json"):
        conn = UnixConnection(self.path, timeout=600)
        headers = dict(GATEWAY_HEADERS, **self.terminal, **{"Content-Type": content_type})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        conn.request(method, target, body=body or None, headers=headers)
        r = conn.getresponse()
        data = r.read()
        remember_cookies(self.cookies, r)
        conn.close()
        if r.status >= 400:
            sys.exit(f"{method} {target}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else {}


def cpu_and_rss(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    return cpu, rss / 1024


def start_server(build, work, workers):
    """nanbyo-appcore serve on the appliance in `work`; returns (process, socket path)."""
    sock = os.path.join(work, "web.sock")
    server = subprocess.Popen(
        [os.path.join(build, "appcore/web/nanbyo-appcore"), "serve",
         "--database", os.path.join(work, "appcore.db"),
         "--master-key", os.path.join(work, "master.key"),
         "--audit-log", os.path.join(work, "audit.jsonl"),
         "--form-definitions", os.path.join(HERE, "../../../appcore/forms/definitions"),
         "--control-bus", "none", "--listen", f"unix:{sock}", "--workers", workers],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 20
    while not os.path.exists(sock):
        if server.poll() is not None or time.time() > deadline:
            server.kill()
            sys.exit(f"nanbyo-appcore did not start: {server.stderr.read().decode()}")
        time.sleep(0.05)
    return server, sock


@contextlib.contextmanager
def running_appliance(build, rows, workers):
    """A prepared appliance (appcore_bulk_import --prepare) served by nanbyo-appcore
    in a temp dir, removed afterwards; yields (prepared JSON, server, socket, dir)."""
    work = tempfile.mkdtemp(prefix="appcore-web-bench-")
    server = None
    try:
        prepared = json.loads(subprocess.run(
            [os.path.join(build, "tests/bench/appcore_bulk_import/appcore_bulk_import"),
             "--prepare", work, str(rows)], check=True, capture_output=True, text=True).stdout)
        server, sock = start_server(build, work, workers)
        yield prepared, server, sock, work
    finally:
        if server:
            server.terminate()
            server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def main():
    build, rows = sys.argv[1], int(sys.argv[2])
    with running_appliance(build, rows, "2") as (admin, server, sock, work):
        c = Client(sock)
        login = c.call("POST", "/api/login",
                       json.dumps({"user_id": admin["admin"], "password": admin["password"]}))
        c.csrf = login["csrf_token"]
        body = open(os.path.join(work, "doctors.csv"), "rb").read()
        for attempt in ("first upload", "same file again"):
            cpu0, _ = cpu_and_rss(server.pid)
            start = time.monotonic()
            job = c.call("POST", "/api/imports", body, "text/csv")["job_id"]
            while True:
                state = c.call("GET", f"/api/imports/{job}")
                if state["state"] != "running":
                    break
                time.sleep(0.02)
            wall = time.monotonic() - start
            cpu1, rss = cpu_and_rss(server.pid)
            if state["state"] != "done" or state["invalid"] != 0:
                sys.exit(f"unexpected job outcome: {state}")
            print(f"web {attempt}: {wall:.2f} s wall, {rows / wall:.0f} rows/s, server CPU "
                  f"{cpu1 - cpu0:.2f} s, issued {state['issued']}, designation added "
                  f"{state['designation_added']}, already registered {state['already_registered']}, "
                  f"server peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
