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

import pytest
from django.urls import reverse

from accounts.models import User
from tests.crawl import PARK, ROLES, Crawl, english, plain_pages

pytestmark = pytest.mark.django_db


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
