"""Every role's navigation, crawled on the demo data as each demo user:

- no link a role is shown answers 403 or 404 (a link to a page it may not use is a defect);
- every page of the URL conf the role may open (the park's and county's pages that need no object)
  is reached from its start page within two clicks;
- no page shows an English word in its visible text, outside a short list of words offices use
  as they are (Excel, PDF, API…) — choices show their labels, never their codes — nor a
  half-width colon, semicolon or comma after Chinese (labels end in "：").

The crawl samples a few links of each URL pattern (a list's rows all open the same page), so it
stays a fixed size however much data the demo holds.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from accounts.models import User

pytestmark = pytest.mark.django_db
PARK, COUNTY = "yutai", "demo"
ROLES = ["yutai_admin", "yutai_inspector", "yutai_secretary", "yutai_instructor", "yutai_handler", "county"]
PER_PATTERN = 2  # links fetched per URL pattern
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout", "/api/")
# Words offices write as they are; anything else in Latin letters is a leftover code or English.
ALLOWED = {"Excel", "CSV", "PDF", "API", "Word", "ID", "WPS", "xlsx", "csv", "docx", "pdf", "doc", "txt", "JPG", "JPEG", "PNG", "WEBP",
           "PPT", "jpg", "png", "webp", "zip", "Token", "KB", "MB", "Ctrl"}


class Page(HTMLParser):
    """The links of a page and its visible text (script, style and hidden parts left out)."""

    HIDDEN = {"script", "style", "template", "noscript"}  # and <code>: placeholders users type as they are

    def __init__(self):
        super().__init__()
        self.links, self.forms, self.text, self._skip = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and attrs.get("action") and (attrs.get("method") or "get").lower() == "post":
            self.forms.append(attrs["action"])  # reached (the form's page opens by GET), not followed
        if tag == "code":
            self._skip += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])

    def handle_endtag(self, tag):
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


@pytest.fixture(scope="function")
def crawls(demo, client):
    done = {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        start = client.get(reverse("home"), follow=True)
        assert start.status_code == 200, username
        crawl = Crawl(client)
        crawl.run(start.request["PATH_INFO"])
        if username == "county":  # in a park, the county viewer starts from the park's overview
            crawl.run(reverse("dashboards:park_home", args=[PARK]))
        may_open = []
        for name, url in plain_pages():
            if name in crawl.reached:
                continue
            response = client.get(url)
            whole_page = b"<html" in response.content[:300].lower()  # not a fragment a picker fetches
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html") and whole_page:
                may_open.append(name)
        done[username] = (crawl, may_open)
        client.logout()
    return done


def test_every_role_navigation(crawls):
    accounts = set(User.objects.values_list("username", flat=True))  # sign-in names are Latin by design
    failures = []
    for username, (crawl, unreached) in crawls.items():
        failures += [f"{username}: link {b}" for b in crawl.bad]
        failures += [f"{username}: {name} opens for this role but no link reaches it in two clicks" for name in unreached]
        for url, page in crawl.pages.items():
            text = " ".join(page.text)
            if words := english(text) - accounts:
                failures.append(f"{username}: {url} shows {sorted(words)[:8]}")
            if colons := re.findall(r"[\u4e00-\u9fff][:;,]", text):  # labels and sentences take full-width marks
                failures.append(f"{username}: {url} has half-width punctuation after Chinese: {sorted(set(colons))[:5]}")
    assert failures == [], "\n".join(failures)
