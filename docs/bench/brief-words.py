#!/usr/bin/env python3
"""Words, bytes, sections and citations of an HTML briefing.

    python3 docs/bench/brief-words.py brief-l1.html

Words are the text outside tags, `<style>` and `<svg>` (the charts),
split on whitespace (a link's `title` is not a word on the page); a
citation is a `class="cite"` span, linked when it opens with `<a href`. Each `<h2>` section's words are listed, so a change
of caps shows where the length went.
"""
import html
import re
import sys


def words(fragment):
    text = re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", fragment, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return len(text.split())


def main(path):
    page = open(path, encoding="utf-8").read()
    print(f"{path}: {len(page.encode()):,} bytes, {words(page):,} words")
    parts = re.split(r"(?=<h2>)", page)
    for part in parts:
        m = re.match(r"<h2>(.*?)</h2>", part)
        name = html.unescape(m.group(1)) if m else "(heading)"
        print(f"  {words(part):6,}  {name}")
    cites = re.findall(r'<span class="cite">(.{0,8})', page)
    linked = [c for c in cites if c.startswith("<a href")]
    urls = set(re.findall(r'<span class="cite"><a href="([^"]+)"', page))
    print(f"citations: {len(cites)}, linked: {len(linked)}, distinct addresses: {len(urls)}")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        main(p)
