#!/usr/bin/env python3
"""reportdom.py DOM: what a browser made of a linklog-report page (the
DOM chromium --dump-dom wrote), as one JSON object: the totals' numbers
(the elements total-*), the rows of each table (by id), the chart
elements, and every element or attribute that the page's own markup
does not use (script, img, iframe, object, embed, link, style outside
the head, an svg without the charts' ids, any on* attribute, any
src/href/xlink:href attribute) - which a hostile name would have made."""
import json
import sys
from html.parser import HTMLParser

FOREIGN = {"script", "img", "iframe", "object", "embed", "link", "image",
           "use", "foreignobject", "audio", "video", "form", "input", "base"}


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.totals, self.rows, self.foreign = {}, {}, []
        self.table, self.in_body, self.total, self.charts = None, False, None, []
        self.rects, self.tbody = 0, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.in_body = True
        if tag in FOREIGN or (tag == "style" and self.in_body):
            self.foreign.append(tag)
        if tag == "meta" and self.in_body:
            self.foreign.append("meta in body")
        for k, _ in attrs:
            if k.startswith("on") or k in ("src", "href", "xlink:href", "srcdoc"):
                self.foreign.append("%s[%s]" % (tag, k))
        if tag == "svg":
            if a.get("id") not in ("timeline", "heatmap", "heatmap-hosts"):
                self.foreign.append("svg without a chart's id")
            else:
                self.charts.append(a["id"])
        if tag == "rect":
            self.rects += 1
        if tag == "table":
            self.table = a.get("id")
            self.rows[self.table] = 0
        if tag == "tbody":
            self.tbody = True
        if tag == "tr" and self.table is not None and self.tbody:
            self.rows[self.table] += 1
        if (a.get("id") or "").startswith("total-"):
            self.total = a["id"][6:]

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        if tag == "tbody":
            self.tbody = False

    def handle_data(self, data):
        if self.total is not None:
            self.totals[self.total] = int(data)
            self.total = None


d = Dom()
d.feed(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"totals": d.totals, "rows": d.rows, "charts": d.charts,
                  "rects": d.rects, "foreign": d.foreign}, sort_keys=True))
