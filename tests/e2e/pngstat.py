#!/usr/bin/env python3
"""pngstat.py FILE [RRGGBB...]: what a PNG screenshot shows, as one line:
"WIDTHxHEIGHT colors=N" and, for each colour asked for, "RRGGBB=P" (the
pixels within 24 of it in each channel).  Decodes 8-bit RGB and RGBA
PNGs (chromium's screenshots) with the standard library only."""
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def rows(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6):
        sys.exit("unsupported PNG (depth %d, colour type %d)" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev = zlib.decompress(idat), w * bpp, bytearray(w * bpp)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        prev = line
        yield w, h, [tuple(line[i:i + 3]) for i in range(0, stride, bpp)]


def main():
    want = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in sys.argv[2:]]
    near = [0] * len(want)
    colors = set()
    for w, h, line in rows(sys.argv[1]):
        for px in line:
            colors.add(px)
            for k, c in enumerate(want):
                if all(abs(px[i] - c[i]) <= 24 for i in range(3)):
                    near[k] += 1
    print("%dx%d colors=%d" % (w, h, len(colors)) + "".join(
        " %s=%d" % (sys.argv[2 + k], near[k]) for k in range(len(want))))


main()
