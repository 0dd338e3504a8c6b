"""A tiny DNS server for the VPN scenarios: answers A queries over UDP for the names given
on the command line, NXDOMAIN for other names, an empty answer for other types.

    python3 dns_answerer.py 10.10.0.53 service.nanbyo.test=10.10.0.10

Prints "serving" once bound. Standard library only; one question per query."""

import socket
import struct
import sys

TYPE_A, CLASS_IN = 1, 1


def read_name(query, at):
    labels = []
    while True:
        length = query[at]
        at += 1
        if length == 0:
            return ".".join(labels).lower(), at
        if length > 63:
            raise ValueError("compressed or oversized label")
        labels.append(query[at:at + length].decode("ascii", errors="replace"))
        at += length


def answer(query, names):
    ident, _flags, qdcount = struct.unpack("!HHH", query[:6])
    if qdcount != 1:
        raise ValueError("one question expected")
    name, end = read_name(query, 12)
    qtype, qclass = struct.unpack("!HH", query[end:end + 4])
    question = query[12:end + 4]
    address = names.get(name)
    if address is None:
        return struct.pack("!HHHHHH", ident, 0x8183, 1, 0, 0, 0) + question  # NXDOMAIN
    if qtype != TYPE_A or qclass != CLASS_IN:
        return struct.pack("!HHHHHH", ident, 0x8180, 1, 0, 0, 0) + question  # no such record
    record = struct.pack("!HHHIH", 0xC00C, TYPE_A, CLASS_IN, 60, 4) + socket.inet_aton(address)
    return struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + question + record


def main():
    bind_ip = sys.argv[1]
    names = dict(arg.lower().split("=", 1) for arg in sys.argv[2:])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind_ip, 53))
    print("serving", flush=True)
    while True:
        query, peer = sock.recvfrom(512)
        try:
            sock.sendto(answer(query, names), peer)
            print(f"answered {peer[0]}", flush=True)
        except (ValueError, IndexError, struct.error) as e:
            print(f"ignored a query from {peer[0]}: {e}", flush=True)


if __name__ == "__main__":
    main()
