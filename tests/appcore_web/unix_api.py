"""nanbyo-appcore's HTTP on its UNIX socket, as the gateway reaches it: the connection class
and the cookie jar the Python tests and benchmarks share (upgrade test, bulk benchmarks)."""
import http.client
import socket


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


def remember_cookies(cookies, response):
    """Stores each Set-Cookie of `response` (name=value only) in the dict `cookies`."""
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            k, v = value.split(";", 1)[0].split("=", 1)
            cookies[k] = v
