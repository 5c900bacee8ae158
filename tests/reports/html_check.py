#!/usr/bin/python3
"""Structural checks of a perfguard index.html that a browser would forgive but a reader
(or a screen reader) would not: usage `html_check.py FILE`, prints one line per problem and
exits 1 when there is any.

- every element that is opened is closed, in order (void elements excepted);
- ids are unique, and every in-page reference (href="#id", aria-labelledby, data-copy) names one;
- every <svg> is either decorative (aria-hidden="true") or an image (role="img") labelled by
  its own <title> and <desc>;
- every table has a caption and its header cells a scope; every button has a name;
- the page loads nothing: no src, no external href, no <link>, no url() in the style sheet,
  and exactly one (inline) script.
"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.stack = []  # (tag, attrs)
        self.ids = {}
        self.references = []  # (kind, id, line)
        self.tables = []  # dict per table: caption seen
        self.buttons = []  # [attrs, text]
        self.scripts = 0
        self.style_text = ""
        self.in_style = False
        self.html_lang = None

    def problem(self, message):
        self.problems.append(f"line {self.getpos()[0]}: {message}")

    def handle_starttag(self, tag, attrs):
        self.start(tag, dict(attrs), closes=tag in VOID)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, dict(attrs), closes=True)

    def start(self, tag, attrs, closes):
        line = self.getpos()[0]
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problem(f"duplicate id {attrs['id']!r}")
            self.ids[attrs["id"]] = tag
        for name in ("aria-labelledby", "aria-describedby"):
            for ref in (attrs.get(name) or "").split():
                self.references.append((name, ref, line))
        if "data-copy" in attrs:
            self.references.append(("data-copy", attrs["data-copy"], line))
        href = attrs.get("href")
        if href is not None:
            if href.startswith("#"):
                self.references.append(("href", href[1:], line))
            else:
                self.problem(f"<{tag}> links outside the page: {href!r}")
        if "src" in attrs:
            self.problem(f"<{tag}> loads {attrs['src']!r}")
        if tag in ("link", "iframe", "img", "object", "embed"):
            self.problem(f"<{tag}> element in a self-contained page")
        if tag == "script":
            self.scripts += 1
        if tag == "style":
            self.in_style = True
        if tag in ("title", "desc") and any(t == "svg" for t, _ in self.stack):
            svg = next(a for t, a in reversed(self.stack) if t == "svg")
            svg.setdefault("_inner", {})[tag] = attrs.get("id")
        if tag == "table":
            self.tables.append({"caption": False, "line": line})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "th" and "scope" not in attrs:
            self.problem("<th> without scope")
        if tag == "button":
            self.buttons.append([attrs, "", line])
        if not closes:
            self.stack.append((tag, attrs))
        elif tag == "svg":
            self.finish_svg(attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.problem(f"</{tag}> closes nothing")
            return
        open_tag, attrs = self.stack.pop()
        if open_tag != tag:
            self.problem(f"</{tag}> closes <{open_tag}>")
        if tag == "style":
            self.in_style = False
        if tag == "svg":
            self.finish_svg(attrs)

    def finish_svg(self, attrs):
        if attrs.get("aria-hidden") == "true":
            return
        inner = attrs.get("_inner", {})
        if attrs.get("role") != "img":
            self.problem("<svg> neither aria-hidden nor role=img")
            return
        labels = (attrs.get("aria-labelledby") or "").split()
        if not inner.get("title") or inner["title"] not in labels:
            self.problem("<svg role=img> not labelled by its own <title>")
        if not inner.get("desc") or inner["desc"] not in labels:
            self.problem("<svg role=img> not labelled by its own <desc>")

    def handle_data(self, data):
        if self.in_style:
            self.style_text += data
        if self.buttons and any(t == "button" for t, _ in self.stack):
            self.buttons[-1][1] += data


def main():
    path = sys.argv[1]
    checker = Checker()
    with open(path, encoding="utf-8") as f:
        checker.feed(f.read())
    checker.close()
    problems = checker.problems
    for tag, _ in checker.stack:
        problems.append(f"<{tag}> never closed")
    if not checker.html_lang:
        problems.append("<html> has no lang")
    for kind, ref, line in checker.references:
        if ref not in checker.ids:
            problems.append(f"line {line}: {kind} names a missing id {ref!r}")
    for table in checker.tables:
        if not table["caption"]:
            problems.append(f"line {table['line']}: <table> without a caption")
    for attrs, text, line in checker.buttons:
        if not (attrs.get("aria-label") or text.strip()):
            problems.append(f"line {line}: <button> without a name")
    if checker.scripts != 1:
        problems.append(f"{checker.scripts} scripts, expected exactly the inline one")
    if "url(" in checker.style_text or "@import" in checker.style_text:
        problems.append("the style sheet loads something")
    for p in problems:
        print(f"{path}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
