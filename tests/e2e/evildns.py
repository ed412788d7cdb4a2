#!/usr/bin/env python3
"""A hostile DNS server for the tests, on a loopback UDP port only.

Answers every PTR query with a name chosen by the queried address's last
octet: 1 -> a label with a newline and an escape sequence, 2 -> a name of
about 300 bytes (built with compression pointers, beyond DNS's limit),
3 -> a valid name, 4 -> no answer at all (silence), 5 to 8 -> names that
pose as addresses ("10.0.0.1", "12345", "0x7f000001", "host.123").  Any
other -> NXDOMAIN.
Usage: evildns.py PORT   (exits after 60 s or on SIGTERM)
"""
import signal
import socket
import struct
import sys


def label(data):
    return bytes([len(data)]) + data


def answer(query, rrs, rcode=0):
    qid = query[:2]
    flags = 0x8180 | rcode
    # The question section: copy it from the query.
    end = 12
    while query[end] != 0:
        end += 1 + query[end]
    question = query[12:end + 5]
    header = qid + struct.pack(">HHHHH", flags, 1, len(rrs), 0, 0)
    msg = header + question
    for rdata in rrs:
        msg += b"\xc0\x0c" + struct.pack(">HHIH", 12, 1, 3600, len(rdata))
        msg += rdata
    return msg


FORGED = {b"5": b"10.0.0.1", b"6": b"12345", b"7": b"0x7f000001",
          b"8": b"host.123"}


def main():
    port = int(sys.argv[1])
    signal.alarm(60)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    while True:
        query, peer = sock.recvfrom(512)
        if len(query) < 17:
            continue
        last = query[13:13 + query[12]]  # first label: the last octet
        if last == b"1":
            rdata = label(b"evil\nname\x1b[31m") + label(b"example") + b"\0"
            reply = answer(query, [rdata])
        elif last == b"2":
            # 5 x 60-byte labels: 305 bytes when expanded.
            rdata = b"".join(label(b"x" * 60) for _ in range(5)) + b"\0"
            reply = answer(query, [rdata])
        elif last == b"3":
            reply = answer(query, [label(b"good") + label(b"example") + b"\0"])
        elif last == b"4":
            continue
        elif last in FORGED:
            rdata = b"".join(label(x) for x in FORGED[last].split(b".")) + b"\0"
            reply = answer(query, [rdata])
        else:
            reply = answer(query, [], rcode=3)
        sock.sendto(reply, peer)


main()
