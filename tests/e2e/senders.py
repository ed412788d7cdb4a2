#!/usr/bin/env python3
"""Datagrams real tools cannot be made to send, for tests/e2e/senders.sh.

  senders.py inform-twice PORT COMMUNITY TEXT
      One SNMPv2c InformRequest sent twice from the same socket (a
      retransmission); prints "responses=N" and, per Response, whether its
      request-id matches: "match" or "mismatch".  Waits 2 s at most each.
  senders.py inform-reuse PORT TEXT1 TEXT2
      Two different SNMPv2c InformRequests with the same request-id from
      one socket (firmware that reuses ids, a rebooted router); prints
      "responses=N".
  senders.py inform-to ADDR PORT TEXT
      One SNMPv2c InformRequest from a socket connected to ADDR:PORT, which
      accepts an answer from that address only; prints "answered" or
      "timeout" (1 s).
  senders.py inform-flood PORT N same|distinct
      N SNMPv2c InformRequests from one socket at once, with one request-id
      (a sender retransmitting, or a reflector spoofing one victim) or N
      of them (request-id i carries "@in TCP from 10.9.0.i:1 to ...", the
      copies 10.9.1.1):
      then prints, one a line, the request-id of every Response that comes
      within 2 s of the one before.
  senders.py junk-from PORT N
      One datagram that is not SNMP from each of N addresses, 127.0.1.1,
      127.0.1.2, ... (as spoofed sources would be).
  senders.py v1-lenient PORT TEXT
      An SNMPv1 trap whose time-stamp is a Gauge32 and whose agent-addr is
      an OCTET STRING (192.0.2.77), which net-snmp accepts.
Datagrams go to 127.0.0.1 only.
"""
import socket
import sys

from ber import OID_LINKSYS, OID_MSG, octets, tlv
from ber import integer as ber_integer


def integer(v):
    return ber_integer(v, 4)


OID_UPTIME = tlv(0x06, bytes([0x2b, 6, 1, 2, 1, 1, 3, 0]))
OID_TRAPOID = tlv(0x06, bytes([0x2b, 6, 1, 6, 3, 1, 1, 4, 1, 0]))


def inform(community, text, reqid):
    varbinds = (tlv(0x30, OID_UPTIME + tlv(0x43, bytes([7]))) +
                tlv(0x30, OID_TRAPOID + OID_LINKSYS) +
                tlv(0x30, OID_MSG + octets(text)))
    pdu = integer(reqid) + integer(0) + integer(0) + tlv(0x30, varbinds)
    return tlv(0x30, integer(1) + octets(community) + tlv(0xa6, pdu))


def v1_lenient(text):
    varbinds = tlv(0x30, OID_MSG + octets(text))
    pdu = (OID_LINKSYS + octets(bytes([192, 0, 2, 77])) + integer(6) +
           integer(1) + tlv(0x42, bytes([1, 2])) + tlv(0x30, varbinds))
    return tlv(0x30, integer(0) + octets(b"public") + tlv(0xa4, pdu))


def request_id(resp):
    """The request-id of a v2c Response, or None."""
    def header(b, i):
        tag, n = b[i], b[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7f
            n = int.from_bytes(b[i:i + k], "big")
            i += k
        return tag, n, i
    try:
        _, _, i = header(resp, 0)               # message
        _, n, i = header(resp, i)               # version
        i += n
        _, n, i = header(resp, i)               # community
        i += n
        tag, _, i = header(resp, i)             # PDU
        if tag != 0xa2:
            return None
        _, n, i = header(resp, i)               # request-id
        return int.from_bytes(resp[i:i + n], "big", signed=True)
    except IndexError:
        return None


def main():
    cmd = sys.argv[1]
    port = int(sys.argv[2]) if cmd != "inform-to" else 0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    if cmd == "inform-twice":
        reqid = 0x2468ace
        dgram = inform(sys.argv[3].encode(), sys.argv[4].encode(), reqid)
        got = []
        for _ in range(2):
            s.sendto(dgram, ("127.0.0.1", port))
            try:
                got.append(s.recv(65536))
            except socket.timeout:
                pass
        print("responses=%d" % len(got))
        for r in got:
            print("match" if request_id(r) == reqid else "mismatch")
    elif cmd == "inform-reuse":
        n = 0
        for text in sys.argv[3:5]:
            s.sendto(inform(b"public", text.encode(), 0), ("127.0.0.1", port))
            try:
                n += request_id(s.recv(65536)) == 0
            except socket.timeout:
                pass
        print("responses=%d" % n)
    elif cmd == "inform-to":
        addr = sys.argv[2]
        port = int(sys.argv[3])
        s.connect((addr, port))
        s.settimeout(1)
        s.send(inform(b"public", sys.argv[4].encode(), 4242))
        try:
            r = s.recv(65536)
            print("answered" if request_id(r) == 4242 else "mismatch")
        except socket.timeout:
            print("timeout")
    elif cmd == "inform-flood":
        n, same = int(sys.argv[3]), sys.argv[4] == "same"
        for i in range(1, n + 1):
            rid = 1 if same else i
            text = "@in TCP from 10.9.%d.%d:1 to 10.5.5.5:5" % (same, rid)
            s.sendto(inform(b"public", text.encode(), rid),
                     ("127.0.0.1", port))
        s.settimeout(2)
        try:
            while True:
                print(request_id(s.recv(65536)))
        except socket.timeout:
            pass
    elif cmd == "junk-from":
        for i in range(1, int(sys.argv[3]) + 1):
            j = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            j.bind(("127.0.1.%d" % i, 0))
            j.sendto(b"not snmp", ("127.0.0.1", port))
            j.close()
    elif cmd == "v1-lenient":
        s.sendto(v1_lenient(sys.argv[3].encode()), ("127.0.0.1", port))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
