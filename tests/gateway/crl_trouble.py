#!/usr/bin/env python3
"""Scenario: a bad or expired crl.pem (S-1, S-8; docs/pki.md "crl").

A crl.pem that holds no CRL is refused (audit crl-reload, outcome deny) and
the gateway keeps the last good one: PCs are still served. An expired CRL is
read, and then every handshake is refused (tls-reject, crl-unavailable):
without a current CRL nobody can be checked, so nobody gets in. Once the
operator publishes a fresh CRL, PCs are served again.
"""
import os

from harness import Scenario, check, check_eq, step

with Scenario("crl-trouble") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway()
    crl = s.path("ca", "crl.pem")

    def publish(text):
        """Replaces crl.pem atomically, as nanbyo-pki does."""
        with open(crl + ".new", "w") as f:
            f.write(text)
        os.replace(crl + ".new", crl)

    step("a crl.pem without a CRL is refused; the last good CRL stays")
    good = open(crl).read()
    mark = s.audit_mark()
    publish("-----BEGIN X509 CRL-----\nnot a CRL\n-----END X509 CRL-----\n")
    check_eq("deny", s.wait_audit("crl-reload", after=mark)["outcome"], "crl-reload outcome")
    check_eq(200, s.curl(pc, "/api/x").status, "a PC's request with the last good CRL")

    step("an expired issuing-CA CRL (nextUpdate 2024-01-08) refuses every PC")
    s.sign_with_issuing_ca("unused", "/CN=unused")  # sets up the openssl ca directory
    s.run(["openssl", "ca", "-gencrl", "-config", s.path("openssl-ca", "openssl.cnf"),
           "-cert", s.path("ca", "issuing-ca.crt"), "-keyfile", s.path("ca", "private", "issuing-ca.key"),
           "-crl_lastupdate", "20240101000000Z", "-crl_nextupdate", "20240108000000Z",
           "-out", s.path("expired.crl")])
    root_crl = good[good.index("-----END X509 CRL-----") + len("-----END X509 CRL-----\n"):]
    mark = s.audit_mark()
    publish(open(s.path("expired.crl")).read() + root_crl)
    s.wait_audit("crl-reload", after=mark)
    reply = s.curl(pc, "/api/x")
    check(reply.status is None, f"a PC got HTTP {reply.status} with an expired CRL")
    s.wait_audit("tls-reject", check="crl-unavailable", after=mark)

    step("a fresh CRL from nanbyo-pki serves PCs again")
    mark = s.audit_mark()
    s.pki("crl")
    s.wait_audit("crl-reload", after=mark)
    check_eq(200, s.curl(pc, "/api/x").status, "a PC's request with a fresh CRL")
