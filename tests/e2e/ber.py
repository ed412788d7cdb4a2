"""BER encoding for the tests' hand-built SNMP datagrams.

Shared by malformed.py, senders.py and sources.py, which build traps
byte by byte (to send what net-snmp's tools will not: broken, spoofed or
unusual datagrams).  Only what those scripts need.
"""


def tlv(tag, body):
    """Tag, definite length (short or long form) and body."""
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    elif n < 0x10000:
        length = bytes([0x82, n >> 8, n & 0xff])
    else:
        length = bytes([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff])
    return bytes([tag]) + length + body


def integer(v, size=1):
    """An INTEGER of size bytes (signed when wider than one)."""
    return tlv(0x02, v.to_bytes(size, "big", signed=size > 1))


def octets(s):
    return tlv(0x04, s)


OID_LINKSYS = tlv(0x06, bytes([0x2b, 6, 1, 4, 1, 0x9e, 0x73]))
OID_MSG = tlv(0x06, bytes([0x2b, 6, 1, 4, 1, 0x9e, 0x73, 1, 1]))


def v1_trap(strings, community=b"public", pdu_tag=0xa4, version=0):
    """An SNMPv1 Trap-PDU from agent 127.0.0.1, one varbind a string."""
    varbinds = b"".join(tlv(0x30, OID_MSG + octets(s)) for s in strings)
    pdu = (OID_LINKSYS + tlv(0x40, bytes([127, 0, 0, 1])) + integer(6) +
           integer(1) + tlv(0x43, bytes([1])) + tlv(0x30, varbinds))
    return tlv(0x30, integer(version) + octets(community) + tlv(pdu_tag, pdu))
