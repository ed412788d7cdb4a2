#!/usr/bin/env python3
"""Datagrams for tests/e2e/accounting.sh (127.0.0.1 only, bounded).

  accounting.py strings PORT N K
      N SNMPv1 traps at once, each of K strings that hold no message
      ("junk i.j"), from one socket.
  accounting.py blobs PORT N SIZE
      N SNMPv1 traps at once, each of one string of SIZE bytes of 0xff.
  accounting.py inform PORT REQID K TRIES
      One SNMPv2c InformRequest of K messages ("@in TCP from
      10.7.REQID.j:1 to 192.168.1.1:22"), sent again every second until
      a Response comes, TRIES times at most, as a router does; prints
      "answered after N" (the number of copies sent) or "unanswered".
  accounting.py pairs PORT N
      N SNMPv1 traps at once, each of 25 distinct messages, each twice
      in a row (a repeat of each, with --repeats).
  accounting.py scans PORT N
      N SNMPv1 traps at once, each a 15-port scan from its own source.
  accounting.py mixed PORT
      One of each: a trap of 3 messages and 1 junk string, a malformed
      datagram, an SNMPv3 one, a trap with community "private", an inform
      of 2 messages sent twice (a retransmission), a GetRequest, then 12
      traps of one message at once.
"""
import socket
import sys

from ber import OID_LINKSYS, OID_MSG, octets, tlv, v1_trap
from ber import integer as ber_integer

TARGET = "127.0.0.1"
OID_UPTIME = tlv(0x06, bytes([0x2b, 6, 1, 2, 1, 1, 3, 0]))
OID_TRAPOID = tlv(0x06, bytes([0x2b, 6, 1, 6, 3, 1, 1, 4, 1, 0]))


def integer(v):
    return ber_integer(v, 4)


def inform(texts, reqid, community=b"public", tag=0xa6):
    varbinds = (tlv(0x30, OID_UPTIME + tlv(0x43, bytes([7]))) +
                tlv(0x30, OID_TRAPOID + OID_LINKSYS) +
                b"".join(tlv(0x30, OID_MSG + octets(t)) for t in texts))
    pdu = integer(reqid) + integer(0) + integer(0) + tlv(0x30, varbinds)
    return tlv(0x30, integer(1) + octets(community) + tlv(tag, pdu))


def send_inform(s, port, reqid, k, tries):
    texts = [b"@in TCP from 10.7.%d.%d:1 to 192.168.1.1:22" % (reqid, j)
             for j in range(1, k + 1)]
    dgram = inform(texts, reqid)
    s.settimeout(1.0)
    for n in range(1, tries + 1):
        s.sendto(dgram, (TARGET, port))
        try:
            s.recv(65536)
            return "answered after %d" % n
        except socket.timeout:
            continue
    return "unanswered"


def mixed(s, port):
    s.sendto(v1_trap([b"@in TCP from 10.8.0.1:1 to 192.168.1.1:22 "
                      b"@in TCP from 10.8.0.2:1 to 192.168.1.1:23 "
                      b"@in UDP from 10.8.0.3:1 to 192.168.1.1:53",
                      b"just a line of text"]), (TARGET, port))
    s.sendto(b"\x30\x03\x02\x01", (TARGET, port))
    v3 = tlv(0x30, ber_integer(3) + tlv(0x30, ber_integer(1)))
    s.sendto(v3, (TARGET, port))
    s.sendto(v1_trap([b"@in TCP from 10.8.0.9:1 to 192.168.1.1:22"],
                     community=b"private"), (TARGET, port))
    dgram = inform([b"@out TCP from 192.168.1.5:1 to 10.8.1.1:443",
                    b"@out TCP from 192.168.1.5:2 to 10.8.1.2:443"], 77)
    s.settimeout(1.0)
    for _ in range(2):
        s.sendto(dgram, (TARGET, port))
        try:
            s.recv(65536)
        except socket.timeout:
            pass
    s.sendto(inform([b"x"], 78, tag=0xa0), (TARGET, port))
    for i in range(12):
        s.sendto(v1_trap([b"@in TCP from 10.8.2.%d:1 to 192.168.1.1:80" % i]),
                 (TARGET, port))


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if cmd == "strings":
        n, k = int(sys.argv[3]), int(sys.argv[4])
        for i in range(n):
            strings = [b"junk %d.%d" % (i, j) for j in range(k)]
            s.sendto(v1_trap(strings), (TARGET, port))
    elif cmd == "blobs":
        n, size = int(sys.argv[3]), int(sys.argv[4])
        for i in range(n):
            s.sendto(v1_trap([b"\xff" * size]), (TARGET, port))
    elif cmd == "inform":
        print(send_inform(s, port, int(sys.argv[3]), int(sys.argv[4]),
                          int(sys.argv[5])))
    elif cmd == "pairs":
        for i in range(int(sys.argv[3])):
            msgs = []
            for j in range(25):
                m = b"@in TCP from 10.9.%d.%d:1 to 192.168.1.1:22" % (i, j)
                msgs += [m, m]
            s.sendto(v1_trap([b" ".join(msgs)]), (TARGET, port))
    elif cmd == "scans":
        for i in range(int(sys.argv[3])):
            msgs = [b"@in TCP from 11.1.%d.%d:1 to 192.168.1.1:%d" %
                    (i // 200, i % 200 + 1, p) for p in range(1, 16)]
            s.sendto(v1_trap([b" ".join(msgs)]), (TARGET, port))
    elif cmd == "mixed":
        mixed(s, port)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
