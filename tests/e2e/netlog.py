#!/usr/bin/env python3
"""netlog.py FILE: the requests a page made, from chromium's --log-net-log
file: one URL a line, each URL_REQUEST_START_JOB with an initiator (the
page's origin; "null" for a file:// page) that is not a file: URL.  The
browser's own requests (updates, time: initiator "not an origin") are
not the page's and are left out; the test sends those to a proxy on
loopback, so none leaves the machine."""
import json
import sys

d = json.load(open(sys.argv[1]))
start = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
for e in d["events"]:
    p = e.get("params") or {}
    if e["type"] != start or "url" not in p:
        continue
    if p.get("initiator", "not an origin") == "not an origin":
        continue
    if not p["url"].startswith("file:"):
        print(p["url"])
