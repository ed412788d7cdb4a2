#!/usr/bin/env python3
"""Send SNMPv1 traps to linklog from many loopback source addresses.

Usage: sources.py PORT REPEAT SOURCE...
Sends REPEAT rounds; each round one trap from each SOURCE in turn (an
address in 127.0.0.0/8, bound as the datagram's source: no root needed),
carrying "@in TCP from 10.0.a.b:1 to 192.168.1.20:22" with a.b counting
up from 0.  A SOURCE "range:N" stands for N addresses 127.1.x.y.
Only 127.0.0.1 receives; the run is bounded by the counts given.
Each trap has a socket of its own, closed once sent: linklog tells senders
apart by address, not port, and holding one socket per source would need
more descriptors than a stock soft RLIMIT_NOFILE (1024) allows.
"""
import socket
import sys

from ber import v1_trap


def sources(args):
    for a in args:
        if a.startswith("range:"):
            for i in range(int(a[6:])):
                yield "127.1.%d.%d" % (i >> 8, i & 255)
        else:
            yield a


def main():
    port, repeat = int(sys.argv[1]), int(sys.argv[2])
    addrs = list(sources(sys.argv[3:]))
    n = 0
    for _ in range(repeat):
        for a in addrs:
            msg = b"@in TCP from 10.0.%d.%d:1 to 192.168.1.20:22" % (
                (n >> 8) & 255, n & 255)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind((a, 0))
                s.sendto(v1_trap([msg]), ("127.0.0.1", port))
            n += 1


main()
