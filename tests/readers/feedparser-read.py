"""What Universal Feed Parser shows of feeds: one JSON line per file given.

Usage: python3 feedparser-read.py FILE CONTENT-TYPE [FILE CONTENT-TYPE ...]
Each file is parsed as if served with that content type. Dates are given as epoch seconds
(UTC), since readers show them in the reader's own zone.
"""
import calendar
import json
import sys

import feedparser


def seconds(parsed):
    return calendar.timegm(parsed) if parsed else None


def read(path, content_type):
    with open(path, "rb") as f:
        d = feedparser.parse(f.read(), response_headers={"content-type": content_type})
    return {
        "file": path,
        "version": d.version,
        "bozo": bool(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")) or None,
        "feed": {"title": d.feed.get("title"), "link": d.feed.get("link")},
        "entries": [
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "link": e.get("link"),
                "author": e.get("author"),
                "authors": [a.get("name") for a in e.get("authors", [])],
                "published": seconds(e.get("published_parsed")),
                "updated": seconds(e.get("updated_parsed")),
            }
            for e in d.entries
        ],
    }


args = sys.argv[1:]
for i in range(0, len(args), 2):
    print(json.dumps(read(args[i], args[i + 1]), ensure_ascii=False))
