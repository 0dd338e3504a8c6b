#!/usr/bin/env python3
"""Scenario: an upload with `Expect: 100-continue` gets its own answer, and nobody else's.

Real clients send `Expect: 100-continue` before a request body (curl when
asked or for large uploads, .NET's HttpClient and Java's by option). The
upstream then answers with an interim "100 Continue" and, after the body, the
final response. The gateway must give the PC the final response and must
never hand a response to the wrong request. With one pooled upstream
connection (one worker thread, pool_size 1) the next request, from a PC of
another hospital, must get the answer to its own request.
"""
from harness import Scenario, check, note, step

# The upstream stores the form for 100 ms before its final response, as an
# application would: the interim 100 and the final 200 come separately.
UPLOAD = "/slow?ms=100&upload-of=1310000001"


def echoed_request(reply):
    """(path, hospital) of the request the upstream answered, or None."""
    try:
        echo = reply.json()
        hospital = [v for k, v in echo["headers"] if k.lower() == "x-nanbyo-hospital"]
        return echo["path"], hospital[0] if hospital else None
    except (ValueError, KeyError, TypeError):
        return None


with Scenario("expect-continue") as s:
    uploader = s.issue_client("1310000001", "pc01")
    neighbour = s.issue_client("2710000002", "osaka01")
    s.start_upstream()
    s.start_gateway(threads=1, upstream={"pool_size": 1})

    step("PC pc01 of hospital 1310000001 uploads a form with curl and Expect: 100-continue")
    upload = s.curl(uploader, UPLOAD, "-H", "Expect: 100-continue",
                    "--data-binary", "form data of a patient", timeout=4)
    note(f"curl: HTTP {upload.status}, exit {upload.exit_code}, answered {echoed_request(upload)}")

    step("then a PC of hospital 2710000002 asks for its own page")
    conn = s.connect(neighbour, timeout=5)
    page = s.ask(conn, "/api/page-of-2710000002")
    conn.close()
    answered = echoed_request(page)
    note(f"hospital 2710000002 got HTTP {page.status}, the answer to {answered}")
    check(answered == ("/api/page-of-2710000002", "2710000002"),
          f"hospital 2710000002 received the response to another request: {answered} "
          "(the upstream's final response to the Expect request was left in the pooled connection)")
    check(upload.status == 200 and echoed_request(upload) == (UPLOAD, "1310000001"),
          f"the uploader got HTTP {upload.status} (curl exit {upload.exit_code}: {upload.stderr.strip()}) "
          "instead of the final response to its upload")
