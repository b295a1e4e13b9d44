"""The crawler shared by the navigation and hostile-input tests: a role's pages from its start page,
within two clicks, a few links per URL pattern; each page's links, post forms (with their fields)
and visible text."""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

PARK, COUNTY = "yutai", "demo"
ROLES = ["yutai_admin", "yutai_inspector", "yutai_secretary", "yutai_instructor", "yutai_handler", "county"]
PER_PATTERN = 2  # links fetched per URL pattern
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout", "/api/")
# Words offices write as they are; anything else in Latin letters is a leftover code or English.
ALLOWED = {"Excel", "CSV", "PDF", "API", "Word", "ID", "WPS", "xlsx", "csv", "docx", "pdf", "doc", "txt", "JPG", "JPEG", "PNG", "WEBP",
           "PPT", "jpg", "png", "webp", "zip", "Token", "KB", "MB", "Ctrl"}


class Page(HTMLParser):
    """The links of a page, its post forms (action and fields: name → input type, "select" or
    "textarea") and its visible text (script, style and hidden parts left out)."""

    HIDDEN = {"script", "style", "template", "noscript"}  # and <code>: placeholders users type as they are

    def __init__(self):
        super().__init__()
        self.links, self.forms, self.text, self._skip = [], [], [], 0
        self.post_forms: list[tuple[str, dict[str, str]]] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            if attrs.get("action"):
                self.forms.append(attrs["action"])  # reached (the form's page opens by GET), not followed
            self._form = {}
            self.post_forms.append((attrs.get("action") or "", self._form))
        if self._form is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else tag
            if kind not in ("submit", "button", "hidden") and attrs["name"] != "csrfmiddlewaretoken":
                self._form.setdefault(attrs["name"], kind)
        if tag == "code":
            self._skip += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if (tag in self.HIDDEN or tag == "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parsed(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def internal(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return href


def pattern_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


class Crawl:
    def __init__(self, client):
        self.client = client
        self.fetched: dict[str, int] = {}
        self.pages: dict[str, Page] = {}
        self.per_pattern = defaultdict(int)
        self.reached: set[str] = set()  # view names reached within two clicks
        self.bad: list[str] = []

    def get(self, url: str, source: str):
        if url in self.fetched:
            return self.pages.get(url)
        response = self.client.get(url)
        self.fetched[url] = response.status_code
        if response.status_code in (403, 404):
            self.bad.append(f"{source} → {url}: {response.status_code}")
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            self.pages[url] = parsed(response)
        return self.pages.get(url)

    def links(self, page: Page) -> list[str]:
        return [u for u in (internal(h) for h in page.links) if u]

    def run(self, start: str):
        home = self.get(start, "start")
        assert home is not None, start
        self.reached.add(pattern_of(start))
        self.reached.update(pattern_of(u) for u in home.forms)
        level_one = []
        for url in self.links(home):
            name = pattern_of(url)
            self.reached.add(name)
            if url in self.pages:
                level_one.append((url, self.pages[url]))
            elif self.per_pattern[name] < PER_PATTERN and url not in self.fetched:
                self.per_pattern[name] += 1
                if page := self.get(url, start):
                    level_one.append((url, page))
        for source, page in level_one:
            self.reached.update(pattern_of(u) for u in page.forms)
            for url in self.links(page):
                name = pattern_of(url)
                self.reached.add(name)
                if self.per_pattern[name] < PER_PATTERN and url not in self.fetched:
                    self.per_pattern[name] += 1
                    self.get(url, source)


def plain_pages() -> list[tuple[str, str]]:
    """(view name, URL) of every page that needs no object: the park's and the county's."""
    found = []

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                route = prefix + str(p.pattern)
                params = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
                name = f"{namespace}:{p.name}" if namespace else p.name
                if params == {"park"}:
                    found.append((name, reverse(name, args=[PARK])))
                elif params == {"county"}:
                    found.append((name, reverse(name, args=[COUNTY])))
    walk(get_resolver().url_patterns)
    return [(n, u) for n, u in found if not u.startswith(SKIP_PREFIXES)]


def english(text: str) -> set[str]:
    """Runs of Latin letters that are not part of a code with digits (a credit code, a file name's
    number) and not an allowed word."""
    words = {w for w in re.findall(r"[A-Za-z0-9_]+", text) if not any(c.isdigit() for c in w) and len(w) > 1}
    return {w for w in words if w not in ALLOWED}


