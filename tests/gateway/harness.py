"""Shared setup for the nanbyo-gateway scenario tests in this folder.

A scenario script reads like the story it tells:

    from harness import Scenario, step, check, check_eq

    with Scenario("access-control") as s:          # argv: nanbyo-gateway nanbyo-pki
        pc = s.issue_client("1310000001", "pc01")  # CA, server certificate made on first use
        s.start_upstream()
        s.start_gateway(routes=[s.route("/api")])
        step("a valid PC reaches the upstream")
        check_eq(200, s.curl(pc, "/api/x").status, "status")
        s.wait_audit("connect", actor=pc.serial)

Everything lives in one temporary directory, removed at the end. Every process
is started through spawn(), remembered by its Popen (its PID) and stopped by
that PID only; children also get SIGTERM if this script dies (PR_SET_PDEATHSIG).
Ports are chosen at random among free ones and the start is retried on a
collision. Only Python's standard library is used; the peers are the real
curl, openssl s_client and Python's ssl module.

Leaving the `with` block without a failure also checks that the gateway stops
cleanly on SIGTERM and that its audit log's hash chain verifies. A failure
prints the processes' logs and the last audit records, and exits 1.
"""

import ctypes
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
GENESIS = "0" * 64


class ScenarioFailure(Exception):
    """A behaviour the scenario expected did not happen."""


def step(text):
    print(f"--- {text}", flush=True)


def note(text):
    print(f"    {text}", flush=True)


def check(condition, what):
    if not condition:
        raise ScenarioFailure(what)


def check_eq(expected, actual, what):
    if expected != actual:
        raise ScenarioFailure(f"{what}: expected {expected!r}, got {actual!r}")


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate() until it returns something truthy; returns that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ScenarioFailure(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# ----------------------------------------------------------------- ports

_given_ports = set()


def free_port():
    """A random 127.0.0.1 port nobody is bound to now (a bind probe, no SO_REUSEADDR)."""
    for _ in range(200):
        port = random.randint(20000, 59999)
        if port in _given_ports:
            continue
        probe = socket.socket()
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            probe.close()
        _given_ports.add(port)
        return port
    raise ScenarioFailure("no free port found")


# ------------------------------------------------------------ audit chain

_HASH_MEMBER = re.compile(r',"hash":"([0-9a-f]{64})"\}$')


def verify_audit_chain(path):
    """Checks an audit log the way pki/audit/audit_record.h defines it.

    Each line's `hash` is the SHA-256 of the line without its `,"hash":".."`
    member (the closing brace kept), `prev` is the previous line's hash (64
    zeros first) and `seq` counts up by one from 1. A file after a rotation
    starts with an audit-rotate record that continues the previous file's chain
    (its prev and seq are taken as they are). Returns (ok, message).
    """
    prev, expected_seq = GENESIS, 1
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, 1):
        where = f"{path} line {number}"
        try:
            line = raw.decode("ascii")
            record = json.loads(line)
        except (UnicodeDecodeError, ValueError):
            return False, f"{where}: not one ASCII JSON record"
        found = _HASH_MEMBER.search(line)
        if not found or record.get("hash") != found.group(1):
            return False, f"{where}: no hash member at the end"
        body = line[: found.start()] + "}"
        if hashlib.sha256(body.encode("ascii")).hexdigest() != found.group(1):
            return False, f"{where}: record edited (hash mismatch)"
        if number == 1 and record.get("event") == "audit-rotate":
            prev, expected_seq = record.get("prev"), record.get("seq")
        if record.get("prev") != prev:
            return False, f"{where}: chain broken (prev is not the previous record's hash)"
        if record.get("seq") != expected_seq:
            return False, f"{where}: seq {record.get('seq')}, expected {expected_seq}"
        prev, expected_seq = found.group(1), expected_seq + 1
    return True, f"{len(lines)} records, chain intact"


# ---------------------------------------------------------------- policy

def to_yaml(value, indent=0):
    """Block-style YAML for the policy's shapes: maps, lists of maps, lists of scalars."""
    pad = "  " * indent
    out = []
    for key, item in value.items():
        if item is None or item == {}:
            continue
        if isinstance(item, dict):
            out.append(f"{pad}{key}:\n{to_yaml(item, indent + 1)}")
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            out.append(f"{pad}{key}:")
            for entry in item:
                text = to_yaml(entry, indent + 2)
                out.append(f"{pad}  - {text.lstrip()}")
        else:
            out.append(f"{pad}{key}: {_scalar(item)}")
    return "\n".join(out)


def _scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    text = str(v)
    if re.fullmatch(r"[A-Za-z_/][A-Za-z0-9_./:-]*|\d+\.\d+\.\d+\.\d+:\d+", text) and \
            text.lower() not in ("true", "false", "yes", "no", "on", "off", "null", "~"):
        return text
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


# ------------------------------------------------------------------- HTTP

class Reply:
    def __init__(self, status, headers, body):
        self.status = status          # int, or None when no HTTP response came
        self.headers = headers        # [(name, value)]
        self.body = body              # bytes

    def header(self, name):
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[0] if values else None

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"Reply({self.status}, {self.body[:200]!r})"


class PC:
    """A hospital PC: its certificate, key and the identity the gateway should derive."""

    def __init__(self, cert, key, serial, hospital, terminal):
        self.cert, self.key, self.serial = cert, key, serial
        self.hospital, self.terminal = hospital, terminal


def seen_headers(reply):
    """The upstream's echo of the request it received, as {lower-case name: [values]}."""
    seen = {}
    for name, value in reply.json()["headers"]:
        seen.setdefault(name.lower(), []).append(value)
    return seen


# --------------------------------------------------------------- scenario

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: no orphan outlives the test


class Scenario:
    """One scenario's world: a CA, certificates, the upstream, the gateway."""

    def __init__(self, name):
        if len(sys.argv) < 3:
            sys.exit(f"usage: {sys.argv[0]} <nanbyo-gateway> <nanbyo-pki>")
        self.name = name
        self.gateway_bin = os.path.abspath(sys.argv[1])
        self.pki_bin = os.path.abspath(sys.argv[2])
        for b in (self.gateway_bin, self.pki_bin):
            if not os.access(b, os.X_OK):
                sys.exit(f"not an executable: {b}")
        self.dir = tempfile.mkdtemp(prefix=f"nanbyo-gw-{name}.")
        self.procs = []
        self.upstream = self.gateway = None
        self.upstream_port = self.gateway_port = self.metrics_port = None
        self.policy_path = os.path.join(self.dir, "policy.yaml")
        self.audit_path = os.path.join(self.dir, "audit", "gateway.log")
        self.ca_dir = os.path.join(self.dir, "ca")
        self._ca_ready = False
        self._names = 0

    # -- lifetime --------------------------------------------------------
    def __enter__(self):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
        print(f"scenario {self.name} in {self.dir}", flush=True)
        return self

    def __exit__(self, kind, error, tb):
        if error is None:
            error = self._finish()
            kind = type(error)
        if error is not None and not isinstance(error, SystemExit):
            print(f"FAIL: {error}" if isinstance(error, ScenarioFailure) else "ERROR:", flush=True)
            if not isinstance(error, ScenarioFailure):
                traceback.print_exception(kind, error, tb)
            self._show_logs()
        for proc in list(self.procs):
            self.stop(proc)
        if os.environ.get("NANBYO_KEEP_TEST_DIR") == "1":
            print(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        if error is None:
            print(f"PASS: {self.name}", flush=True)
            return False
        if isinstance(error, SystemExit):
            return False
        sys.exit(1)

    def _finish(self):
        """After every scenario: the gateway stops cleanly on SIGTERM and its audit
        log's hash chain verifies. Returns the failure, or None."""
        try:
            if self.gateway_alive():
                gateway = self.gateway
                self.stop(gateway)
                check(gateway.returncode == 0,
                      f"nanbyo-gateway exited with status {gateway.returncode} on SIGTERM")
            if os.path.exists(self.audit_path):
                ok, message = verify_audit_chain(self.audit_path)
                check(ok, f"the audit log does not verify after the scenario: {message}")
                note(f"audit log: {message}")
        except ScenarioFailure as failure:
            return failure
        return None

    def _show_logs(self):
        logs = os.path.join(self.dir, "logs")
        for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            text = open(os.path.join(logs, name), errors="replace").read()[-3000:]
            if text.strip():
                print(f"==== {name} (tail)\n{text}")
        if os.path.exists(self.audit_path):
            lines = open(self.audit_path, errors="replace").read().splitlines()[-25:]
            print("==== audit log (last 25 records)\n" + "\n".join(lines))

    # -- processes -------------------------------------------------------
    def spawn(self, name, argv, before_exec=None, close_fds=True):
        """Starts a process with its output in logs/<name>.<n>.{out,err}; remembered by PID.
        `before_exec` runs in the child first (e.g. hand over a socket, switch user); with
        close_fds False the descriptors it makes inheritable stay open across exec."""
        logs = os.path.join(self.dir, "logs")
        os.makedirs(logs, exist_ok=True)
        self._names += 1
        base = os.path.join(logs, f"{self._names:02d}-{name}")

        def child_setup():
            if before_exec:
                before_exec()
            _die_with_parent()  # after any user switch, which would clear it

        with open(base + ".out", "wb") as out, open(base + ".err", "wb") as err:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    cwd=self.dir, preexec_fn=child_setup, close_fds=close_fds)
        proc.log_base = base
        self.procs.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM):
        """Stops one process this scenario started, by its PID, and reaps it."""
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc in self.procs:
            self.procs.remove(proc)

    def output(self, proc, stream="err"):
        with open(f"{proc.log_base}.{stream}", errors="replace") as f:
            return f.read()

    def run(self, argv, check_ok=True, timeout=30, **kw):
        result = subprocess.run(argv, cwd=self.dir, capture_output=True, timeout=timeout, **kw)
        if check_ok and result.returncode != 0:
            raise ScenarioFailure(f"{' '.join(map(str, argv))} failed ({result.returncode}):\n"
                                  f"{result.stdout.decode(errors='replace')}"
                                  f"{result.stderr.decode(errors='replace')}")
        return result

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    # -- PKI ---------------------------------------------------------------
    def pki(self, *args, ca_dir=None, check_ok=True):
        return self.run([self.pki_bin, "--dir", ca_dir or self.ca_dir, *args], check_ok=check_ok)

    def _ensure_ca(self):
        if self._ca_ready:
            return
        self._ca_ready = True
        self.pki("init")
        self.pki("issue", "server", "--ip", "127.0.0.1", "--dns", "localhost", "--out", self.path("srv"))

    def issue_client(self, hospital, terminal, ca_dir=None):
        """A PC certificate from our CA (or from the CA in ca_dir, initialised if new)."""
        self._ensure_ca()
        if ca_dir and not os.path.exists(os.path.join(ca_dir, "ca.db")):
            self.pki("init", "--name", "Some Other", ca_dir=ca_dir)
        prefix = self.path(f"{terminal}-{hospital}")
        out = self.pki("issue", "client", "--hospital", hospital, "--terminal", terminal,
                       "--out", prefix, "--password-file", prefix + ".pw", ca_dir=ca_dir)
        serial = re.search(r"issued client certificate ([0-9A-F]+)", out.stdout.decode()).group(1)
        return PC(prefix + ".crt", prefix + ".key", serial, hospital, terminal)

    def issue_expired_client(self, hospital, terminal):
        """A PC certificate signed by our issuing CA whose validity ended in 2025."""
        subject = f"/C=JP/O=Nanbyo-Shoman DB/organizationIdentifier={hospital}/CN={terminal}"
        return self.sign_with_issuing_ca(f"{terminal}-{hospital}", subject, hospital, terminal,
                                         "20240101000000Z", "20250101000000Z")

    def sign_with_issuing_ca(self, name, subject, hospital="", terminal="",
                             start="20240101000000Z", end="20991231000000Z"):
        """A client certificate nanbyo-pki would never issue (back-dated, odd subject),
        signed by `openssl ca` with our issuing CA's key and a PC's extensions."""
        self._ensure_ca()
        work = self.path("openssl-ca")
        if not os.path.isdir(work):
            os.makedirs(os.path.join(work, "new"))
            open(os.path.join(work, "index.txt"), "w").close()
            with open(os.path.join(work, "serial"), "w") as f:
                f.write(f"{random.getrandbits(64) | (1 << 63):X}\n")
            with open(os.path.join(work, "openssl.cnf"), "w") as f:
                f.write(f"""[ca]
default_ca = issuing
[issuing]
database = {work}/index.txt
new_certs_dir = {work}/new
serial = {work}/serial
default_md = sha256
policy = anything
x509_extensions = pc
unique_subject = no
[anything]
commonName = supplied
[pc]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
""")
        prefix = self.path(name)
        self.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-keyout", prefix + ".key", "-subj", subject, "-out", prefix + ".csr"])
        self.run(["openssl", "ca", "-batch", "-config", os.path.join(work, "openssl.cnf"),
                  "-cert", os.path.join(self.ca_dir, "issuing-ca.crt"),
                  "-keyfile", os.path.join(self.ca_dir, "private", "issuing-ca.key"),
                  "-preserveDN", "-notext", "-startdate", start, "-enddate", end,
                  "-in", prefix + ".csr", "-out", prefix + ".leaf"])
        with open(prefix + ".crt", "w") as out:  # leaf + issuing CA, like nanbyo-pki writes
            out.write(open(prefix + ".leaf").read())
            out.write(open(os.path.join(self.ca_dir, "issuing-ca.crt")).read())
        serial = self.run(["openssl", "x509", "-in", prefix + ".leaf", "-noout", "-serial"])
        return PC(prefix + ".crt", prefix + ".key", serial.stdout.decode().strip().split("=")[1],
                  hospital, terminal)

    def revoke(self, pc, reason="key-compromise"):
        self.pki("revoke", "--serial", pc.serial, "--reason", reason)

    # -- upstream ----------------------------------------------------------
    def start_upstream(self, port=None):
        """tests/gateway/upstream.py on a free port (or on `port`, after a stop)."""
        for _ in range(8):
            want = port or free_port()
            proc = self.spawn("upstream", [sys.executable, os.path.join(HERE, "upstream.py"), str(want)])
            try:
                wait_until(lambda: "listening" in self.output(proc, "out") or proc.poll() is not None,
                           10, "the upstream to listen")
            except ScenarioFailure:
                self.stop(proc)
                raise
            if proc.poll() is None:
                self.upstream, self.upstream_port = proc, want
                return
            self.stop(proc)
            if port:
                raise ScenarioFailure(f"upstream cannot listen on {port} again:\n{self.output(proc)}")
        raise ScenarioFailure("the upstream did not start")

    def start_private_bus(self):
        """A private dbus-daemon (session configuration) for the gateway's control
        service; returns its address, e.g. "unix:path=/tmp/.../bus"."""
        address = f"unix:path={self.path('bus')}"
        proc = self.spawn("dbus-daemon", ["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                          f"--address={address}", "--print-address=1"])
        wait_until(lambda: "unix:" in self.output(proc, "out") or proc.poll() is not None,
                   10, "dbus-daemon to listen")
        if proc.poll() is not None:
            raise ScenarioFailure(f"dbus-daemon did not start:\n{self.output(proc)}")
        return address

    def stop_upstream(self):
        self.stop(self.upstream)
        self.upstream = None

    # -- policy and gateway -------------------------------------------------
    @staticmethod
    def route(prefix, upstream="app", **options):
        return {"listener": "hospital", "path_prefix": prefix, "upstream": upstream, **options}

    def policy(self, limits=None, routes=None, upstream=None, inspection=None, ips=None,
               audit=None):
        """The test policy as a dict: listener "hospital", upstream "app" (plus `upstream`
        options), `routes` (default "/"), `limits`, and an `inspection` section when given
        (its local_rules default to the source tree's), an `ips` section when given, and
        `audit` keys beside the log's path.
        Relative paths resolve against
        policy.yaml's folder, the scenario's temp dir."""
        policy = {
            "version": 1,
            "audit": {"path": "audit/gateway.log", **(audit or {})},
            "admin": {"metrics_listen": f"127.0.0.1:{self.metrics_port}"},
            "limits": limits or {},
            "listeners": [{
                "name": "hospital",
                "listen": f"127.0.0.1:{self.gateway_port}",
                "tls": {"certificate": "srv.crt", "private_key": "srv.key",
                        "client_ca": "ca/ca-chain.crt", "crl": "ca/crl.pem", "min_version": "1.3"},
                "client_certificate": "required",
                "allowed_hospitals": ["*"],
            }],
            "upstreams": [{"name": "app", "address": f"127.0.0.1:{self.upstream_port}", **(upstream or {})}],
            "routes": routes or [self.route("/")],
        }
        if inspection is not None:
            policy["inspection"] = {"local_rules": os.path.join(
                HERE, "..", "..", "packaging", "inspection", "japanese-text.conf"), **inspection}
        if ips is not None:
            policy["ips"] = ips
        return policy

    def write_policy(self, text):
        """Replaces policy.yaml atomically (a reload never reads half a file)."""
        tmp = self.policy_path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.policy_path)

    def start_gateway(self, threads=2, control_bus="none", before_exec=None, **policy_options):
        """Writes the policy and starts nanbyo-gateway; ready once /metrics answers.

        The listeners are bound before the metrics listener, so an answer from
        /metrics means the gateway accepts. A port taken meanwhile: new ports, again.
        control_bus "none": a test gateway never claims a name on the machine's
        system bus; user_revocation.py passes its private bus."""
        self._ensure_ca()
        os.makedirs(os.path.dirname(self.audit_path), exist_ok=True)
        for _ in range(6):
            self.gateway_port, self.metrics_port = free_port(), free_port()
            self.write_policy(to_yaml(self.policy(**policy_options)) + "\n")
            proc = self.spawn("gateway", [self.gateway_bin, "--policy", self.policy_path,
                                          "--threads", str(threads), "--control-bus", control_bus],
                              before_exec=before_exec)
            deadline = time.monotonic() + 10
            while proc.poll() is None and time.monotonic() < deadline:
                if self.metrics_text(quiet=True) is not None:
                    self.gateway = proc
                    return
                time.sleep(0.05)
            said = self.output(proc)
            self.stop(proc)
            if "in use" not in said:
                raise ScenarioFailure(f"nanbyo-gateway did not start:\n{said}")
            note(f"port collision, retrying: {said.strip()}")
        raise ScenarioFailure("nanbyo-gateway did not start after 6 attempts")

    def reload(self, **policy_options):
        """A changed but valid policy, then SIGHUP."""
        self.write_policy(to_yaml(self.policy(**policy_options)) + "\n")
        self.gateway.send_signal(signal.SIGHUP)

    def gateway_alive(self):
        return self.gateway is not None and self.gateway.poll() is None

    # -- audit ----------------------------------------------------------------
    def audit_records(self):
        if not os.path.exists(self.audit_path):
            return []
        records = []
        with open(self.audit_path, "rb") as f:
            for raw in f.read().split(b"\n"):
                try:
                    records.append(json.loads(raw))
                except ValueError:
                    pass  # the line being written right now
        return records

    def audit_mark(self):
        """The last seq written: wait_audit(after=mark) looks only at what comes next."""
        time.sleep(0.05)  # records of what just happened are written by another thread
        records = self.audit_records()
        return records[-1]["seq"] if records else 0

    def find_audit(self, event, check=None, after=0, actor=None, **detail):
        found = []
        for r in self.audit_records():
            if r["seq"] <= after or r["event"] not in ((event,) if isinstance(event, str) else event):
                continue
            if check is not None and r["detail"].get("check") != check:
                continue
            if actor is not None and r["actor"] != actor:
                continue
            if any(r["detail"].get(k.replace("_", "-")) != v for k, v in detail.items()):
                continue
            found.append(r)
        return found

    def wait_audit(self, event, check=None, after=0, actor=None, timeout=5, **detail):
        """The first audit record after seq `after` with this event (a name or a tuple of
        names) and, when given, this check, actor and detail values."""
        try:
            return wait_until(lambda: self.find_audit(event, check, after, actor, **detail),
                              timeout, f"audit record {event} check={check} actor={actor}")[0]
        except ScenarioFailure:
            recent = [json.dumps({k: r[k] for k in ("seq", "event", "outcome", "actor", "detail")})
                      for r in self.audit_records() if r["seq"] > after][-10:]
            raise ScenarioFailure(f"no audit record {event!r} check={check!r} actor={actor!r} "
                                  f"after seq {after}; records since:\n" + "\n".join(recent))

    # -- clients ------------------------------------------------------------------
    def tls_context(self, pc=None):
        ctx = ssl.create_default_context(cafile=os.path.join(self.ca_dir, "ca-chain.crt"))
        if pc:
            ctx.load_cert_chain(pc.cert, pc.key)
        return ctx

    def connect(self, pc=None, timeout=10):
        """A keep-alive HTTPS connection with Python's http.client (handshake done)."""
        conn = http.client.HTTPSConnection("localhost", self.gateway_port, timeout=timeout,
                                           context=self.tls_context(pc))
        conn.connect()
        return conn

    @staticmethod
    def ask(conn, path, method="GET", headers=None):
        """One request on a kept-alive http.client connection."""
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.getheaders(), response.read())

    def tls_socket(self, pc=None, timeout=10):
        """A raw TLS socket to the gateway, for requests no library would send."""
        raw = socket.create_connection(("127.0.0.1", self.gateway_port), timeout=timeout)
        return self.tls_context(pc).wrap_socket(raw, server_hostname="localhost")

    def curl(self, pc, path, *args, timeout=15):
        """One request with the real curl; Reply.status None when curl got no HTTP response."""
        body, head = self.path(".curl-body"), self.path(".curl-head")
        argv = ["curl", "-sS", "--max-time", str(timeout), "--cacert", os.path.join(self.ca_dir, "ca-chain.crt"),
                "--resolve", f"localhost:{self.gateway_port}:127.0.0.1", "-o", body, "-D", head,
                "-w", "%{http_code}"]
        if pc:
            argv += ["--cert", pc.cert, "--key", pc.key]
        result = self.run(argv + list(args) + [f"https://localhost:{self.gateway_port}{path}"],
                          check_ok=False, timeout=timeout + 5)
        code = result.stdout.decode().strip()
        headers = []
        if os.path.exists(head):
            for line in open(head, errors="replace").read().splitlines()[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers.append((k.strip(), v.strip()))
        reply = Reply(int(code) if code.isdigit() and code != "000" else None, headers,
                      open(body, "rb").read() if os.path.exists(body) else b"")
        reply.exit_code, reply.stderr = result.returncode, result.stderr.decode(errors="replace")
        for f in (body, head):
            if os.path.exists(f):
                os.remove(f)
        return reply

    def s_client(self, pc=None, send=b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"):
        """openssl s_client sends `send`; returns (exit code, what the gateway answered, s_client's log)."""
        argv = ["openssl", "s_client", "-connect", f"127.0.0.1:{self.gateway_port}", "-quiet",
                "-CAfile", os.path.join(self.ca_dir, "ca-chain.crt"), "-verify_return_error",
                "-servername", "localhost"]
        if pc:
            argv += ["-cert", pc.cert, "-key", pc.key]
        result = self.run(argv, check_ok=False, input=send, timeout=20)
        return result.returncode, result.stdout, result.stderr.decode(errors="replace")

    def healthy(self, pc, what="a normal request", path="/api/healthy"):
        """The gateway still serves: one ordinary request through curl must succeed."""
        reply = self.curl(pc, path)
        check(reply.status == 200, f"{what} should succeed afterwards; got {reply.status}: {reply.stderr}{reply.body[:200]!r}")

    # -- metrics ---------------------------------------------------------------------
    def metrics_text(self, quiet=False):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=2) as r:
                return r.read().decode()
        except OSError:
            if quiet:
                return None
            raise

    def metrics(self):
        values = {}
        for line in self.metrics_text().splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values
