"""A hand-driven OpenConnect client for the scenarios that need what openconnect never
sends: malformed CSTP frames, or a client that stops reading. It logs in and opens the
tunnel exactly as openconnect does (XML POST, then CONNECT with the webvpn cookie)."""

import re
import socket
import ssl
import struct

INIT = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<config-auth client="vpn" type="init" aggregate-auth-version="2">'
        b'<version who="vpn">raw-test</version><device-id>linux-64</device-id>'
        b'<group-access>https://gateway/</group-access></config-auth>')


def frame(kind, payload=b"", magic=b"STF\x01", length=None):
    size = len(payload) if length is None else length
    return magic + struct.pack(">HBB", size, kind, 0) + payload


class RawTunnel:
    def __init__(self, host, port, cafile, cert, key):
        self.ctx = ssl.create_default_context(cafile=cafile)
        self.ctx.load_cert_chain(cert, key)
        self.host, self.port = host, port

    def _tls(self):
        raw = socket.create_connection((self.host, self.port), timeout=10)
        return self.ctx.wrap_socket(raw, server_hostname=self.host)

    @staticmethod
    def _head(sock):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    def login(self):
        with self._tls() as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: gateway\r\nX-Aggregate-Auth: 1\r\n"
                      b"X-Transcend-Version: 1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      + f"Content-Length: {len(INIT)}\r\n\r\n".encode() + INIT)
            head = self._head(s).decode(errors="replace")
        cookie = re.search(r"webvpn=([A-Za-z0-9_-]+)", head)
        if not cookie:
            raise RuntimeError(f"no webvpn cookie in the login answer:\n{head}")
        return cookie.group(1)

    def open(self, cookie):
        """The TLS socket after `200 CONNECTED`, and the answer's headers."""
        s = self._tls()
        s.sendall(b"CONNECT /CSCOSSLC/tunnel HTTP/1.1\r\nHost: gateway\r\n"
                  + f"Cookie: webvpn={cookie}\r\n".encode()
                  + b"X-CSTP-Version: 1\r\nX-CSTP-Hostname: raw\r\nX-CSTP-MTU: 1400\r\n"
                    b"X-CSTP-Base-MTU: 1500\r\nX-CSTP-Address-Type: IPv4\r\n\r\n")
        head = self._head(s).decode(errors="replace")
        if not head.startswith("HTTP/1.1 200"):
            s.close()
            raise RuntimeError(f"tunnel refused:\n{head}")
        return s, head
