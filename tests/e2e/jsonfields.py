#!/usr/bin/env python3
"""jsonfields.py [--cee] FILE: check that every line of FILE is exactly one
JSON object (with --cee: after the "@cee: " cookie) and print its fields,
flattened, one per line: "LINE KEY=VALUE", VALUE as JSON ("source.port=22",
"source.ip=\"203.0.113.7\"").  Exits 1 at the first line that is not."""
import json
import sys


def reject_constant(name):
    raise ValueError("not JSON: " + name)


def flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(prefix + "." + k if prefix else k, v, out)
    else:
        out.append((prefix, value))


def main():
    args = sys.argv[1:]
    cee = args[0] == "--cee"
    if cee:
        args = args[1:]
    with open(args[0], "rb") as f:
        data = f.read()
    for n, raw in enumerate(data.split(b"\n")[:-1], 1):
        text = raw.decode("utf-8")          # strict: invalid UTF-8 fails
        if cee:
            if not text.startswith("@cee: "):
                sys.exit("line %d has no @cee: cookie: %r" % (n, text))
            text = text[6:]
        obj = json.loads(text, parse_constant=reject_constant)
        if not isinstance(obj, dict):
            sys.exit("line %d is not an object" % n)
        fields = []
        flatten("", obj, fields)
        for key, value in fields:
            print("%d %s=%s" % (n, key, json.dumps(value, ensure_ascii=False,
                                                    separators=(",", ":"))))


if __name__ == "__main__":
    main()
