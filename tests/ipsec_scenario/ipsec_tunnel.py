"""A hospital's charon brings an IPsec SA up with its PC certificate; the service answers
through it, an address outside the service networks does not; `nanbyoctl connections` lists
the SA with the PC's hospital and terminal and `nanbyoctl disconnect` ends it (S-10, issue 16).
"""

import os
import sys

from ipsec_harness import OTHER_IP, IpsecScenario, check, check_eq, note, step, wait_until

NANBYOCTL = os.path.abspath(sys.argv[3])

with IpsecScenario("ipsec-tunnel") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.vpn_bus = s.start_private_bus()
    s.start_service()
    s.start_ipsec()

    step("the PC's charon brings the SA up with its certificate")
    mark = s.audit_mark()
    seconds, _ = s.initiate(pc)
    note(f"swanctl --initiate to CHILD SA up: {seconds * 1000:.0f} ms")
    up = s.wait_audit("ipsec-up", after=mark, actor=pc.serial)
    check_eq("1310000001", up["detail"]["hospital"], "the audit names the hospital")
    check_eq("pc01", up["detail"]["terminal"], "and the terminal")
    answer = s.wait_audit("ipsec-ocsp", after=mark, actor=pc.serial)
    check_eq("allow", answer["outcome"],
             "charon asked the gateway's OCSP responder inside authentication: good")
    check(answer["seq"] < up["seq"], "the OCSP answer came before the SA was up")
    child = s.wait_audit("ipsec-child-up", after=mark)
    check_eq("10.10.0.0/24", child["detail"]["local-ts"], "the CHILD SA carries the service network only")
    sas = s.pc_sas()
    check("10.10.0.0/24" in sas and "0.0.0.0/0" not in sas,
          f"the server narrowed the PC's selectors to the service network:\n{sas[-800:]}")

    step("the service answers through the SA; another address does not")
    code, body = s.curl_from_pc(s.service_url())
    check_eq(0, code, "curl to the service through IPsec")
    check("nanbyo service" in body, "the service's page")
    vip = up["detail"]["address"]
    code = s.in_pc(["curl", "-s", "--max-time", "2", "--interface", vip,
                    f"http://{OTHER_IP}:8080/hello.txt"], check_ok=False).returncode
    check(code != 0, f"{OTHER_IP} is not reachable from the virtual IP {vip}")

    # The expiry gauge covers IPsec's server certificate and CAs too (issue 17, O-2).
    metrics = s.metrics_text() or ""
    for role in ("server", "ca"):
        check(f'nanbyo_gateway_certificate_expiry_timestamp_seconds{{role="{role}",listener="ipsec"'
              in metrics, f"the IPsec {role} certificate's expiry is a metric")

    step("a reload that changes charon's connection keeps the SA that it does not concern")
    mark = s.audit_mark()
    s.ipsec_changes = {"dpd_s": 45, "allowed_hospitals": ["1310000001", "1310000002"]}
    s.reload()
    s.wait_audit("ipsec-config", after=mark)
    check(s.pc_has_sa(), "the PC's SA is still up")
    check_eq(0, s.curl_from_pc(s.service_url())[0], "and still carries the service")
    check(s.find_audit("ipsec-down", after=mark) == [], "no SA went down")

    step("nanbyoctl lists the SA; nanbyoctl disconnect ends it")
    listed = s.ipsec_connections(NANBYOCTL)
    check_eq(1, len(listed), "one IPsec SA listed")
    check_eq(pc.serial, listed[0]["serial"], "with the PC's serial")
    check_eq("pc01", listed[0]["terminal"], "and terminal")
    # charon counts the SA's bytes; the gateway lists them within its refresh (5 s).
    wait_until(lambda: all(c["bytes_in"] > 0 and c["bytes_out"] > 0
                           for c in s.ipsec_connections(NANBYOCTL)), 8,
               "the SA's byte counts in the list")
    listed = s.ipsec_connections(NANBYOCTL)
    note(f"listed: {listed[0]['bytes_in']} bytes in, {listed[0]['bytes_out']} bytes out")
    s.run([NANBYOCTL, "--bus", s.vpn_bus, "disconnect", str(listed[0]["id"])])
    gone = s.wait_sa_gone()
    note(f"nanbyoctl disconnect to the PC's SA gone: {gone * 1000:.0f} ms")
    s.wait_audit("ipsec-down", after=mark, actor=pc.serial)
    check_eq([], s.ipsec_connections(NANBYOCTL), "the list is empty again")

    step("charon restarts: the gateway loads it again, and the SA list follows charon")
    s.initiate(pc)
    mark = s.audit_mark()
    s.stop(s.gw_charon)
    s.gw_charon, s.gw_socket, _ = s._start_charon("gw", s.gw_ns)
    s.wait_charon_loaded(mark)
    s.wait_audit("ipsec-down", after=mark, actor=pc.serial)
    check_eq([], s.ipsec_connections(NANBYOCTL), "the old SA left the list")
    s.initiate(pc)
    s.wait_audit("ipsec-up", after=mark, actor=pc.serial)
    check_eq(1, len(s.ipsec_connections(NANBYOCTL)), "the new SA is listed")
    check_eq(0, s.curl_from_pc(s.service_url())[0], "and carries the service")

