#!/usr/bin/env python3
"""Send hostile datagrams to linklog, each followed by a valid trap.

Usage: malformed.py PORT
Prints one line per case: "NAME VALID_ID", where VALID_ID is the number
carried by the valid trap sent right after it (its source is 10.0.0.ID).
Datagrams go to 127.0.0.1 only.
"""
import socket
import sys
import time

from ber import OID_MSG, integer, octets, tlv, v1_trap


def v2c(strings, pdu_tag=0xa7):
    varbinds = b"".join(tlv(0x30, OID_MSG + octets(s)) for s in strings)
    pdu = integer(1) + integer(0) + integer(0) + tlv(0x30, varbinds)
    return tlv(0x30, integer(1) + octets(b"public") + tlv(pdu_tag, pdu))


def valid(i):
    return v1_trap([b"@in TCP from 10.0.%d.%d:1 to 192.168.1.20:22" %
                    (i >> 8, i & 255)])


good = valid(0)
snmpv3 = bytes.fromhex(
    "303e020103301102041234567802030" "0ffe304010402010304103"
    "00e0400020100020100040004000400301304000400a00d020101020100020100"
    "3002300000")
big_message = b"A" * 65000 + b" @in TCP from 10.77.77.77:7 to 192.168.1.20:22"
many = b" ".join(b"@in TCP from 10.2.%d.%d:1 to 1.1.1.1:2" % (i >> 8, i & 255)
                 for i in range(1600))
cases = [
    ("truncated", good[:len(good) // 2]),
    ("truncated-by-one", good[:-1]),
    ("overlong-length", b"\x30\x84\x7f\xff\xff\xff" + good[2:]),
    ("length-past-end", b"\x30\x82\xff\xff" + good[2:]),
    ("wrong-outer-tag", b"\x31" + good[1:]),
    ("wrong-pdu-tag", v1_trap([b"@in TCP from 1.1.1.1:1 to 2.2.2.2:2"], pdu_tag=0x05)),
    ("zero-length", b""),
    ("junk-65507", bytes((i * 7) & 255 for i in range(65507))),
    ("snmpv3", snmpv3),
    ("getrequest", v2c([b"@in TCP from 1.1.1.1:1 to 2.2.2.2:2"], pdu_tag=0xa0)),
    ("v1-version-with-v2-pdu", v1_trap([b"x"], pdu_tag=0xa7)),
    ("nul", v1_trap([b"a\x00b\x00c"])),
    ("newlines", v1_trap([b"line1\nline2\r\nline3"])),
    ("ansi", v1_trap([b"\x1b[31mred\x1b[0m \x1b]0;title\x07"])),
    ("invalid-utf8", v1_trap([b"\xff\xfe\xc3\x28 \xe2\x82"])),
    ("octet-over-255", v1_trap([b"@in TCP from 1.1.1.256:1 to 2.2.2.2:2"])),
    ("port-over-65535", v1_trap([b"@in TCP from 1.1.1.1:65536 to 2.2.2.2:2"])),
    ("name-with-newline", v1_trap([b"@in TCP from evil\nname(1.1.1.1):1 to 2.2.2.2:2"])),
    ("big-65k-trap", v1_trap([big_message])),
    ("1600-messages", v1_trap([many])),
]

port = int(sys.argv[1])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i, (name, data) in enumerate(cases, start=1):
    sock.sendto(data, ("127.0.0.1", port))
    sock.sendto(valid(i), ("127.0.0.1", port))
    print(name, i, len(data))
    time.sleep(0.005)
