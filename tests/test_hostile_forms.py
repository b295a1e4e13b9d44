"""Hostile input at every form: each role's pages are crawled on the demo data (tests/crawl.py) and
every post form found is sent hostile values — NUL and bidi-override characters, markup, overlong
text, NaN and infinities, years 1 and 9999, ids that are not numbers or name nothing, a file that
is HTML in disguise. Whatever the form, the answer is a page or a redirect with a Chinese message,
never a 500 (Django's test client raises the server's exception, which is caught and listed).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from tests.crawl import ROLES, Crawl, pattern_of

pytestmark = pytest.mark.django_db

# One value a field type per round; every form gets every round.
ROUNDS = [
    {"text": "\x00<script>alert(1)</script>\u202e'; DROP TABLE x; --", "number": "NaN", "date": "0001-01-01",
     "select": "\x00", "month": "0000-00"},
    {"text": "长" * 5000, "number": "1e309", "date": "9999-12-31", "select": "99999999999999999999", "month": "9999-99"},
    {"text": "", "number": "-1", "date": "2026-02-30", "select": "abc", "month": "2026-13"},
    {"text": " \u3000\t", "number": "１２３", "date": "二〇二六年", "select": "-1", "month": "x"},
]
SKIP = {"accounts:logout"}  # signs the crawler out


def hostile(fields: dict[str, str], values: dict[str, str]) -> dict:
    data = {}
    for name, kind in fields.items():
        if kind == "file":
            data[name] = SimpleUploadedFile("名单.xlsx", b"<html><script>alert(1)</script></html>", "application/vnd.ms-excel")
        elif kind in ("checkbox", "radio"):
            data[name] = values["select"]
        elif kind in ("number", "date", "month", "select"):
            data[name] = values[kind]
        else:  # text, textarea, email, tel, search, password…
            data[name] = values["text"]
    return data


def test_no_form_answers_hostile_input_with_a_500(demo, client):
    failures, tried = [], 0
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        start = client.get(reverse("home"), follow=True)
        crawl = Crawl(client)
        crawl.run(start.request["PATH_INFO"])
        seen = set()
        for url, page in list(crawl.pages.items()):
            for action, fields in page.post_forms:
                target = action or url
                name = pattern_of(target)
                if name is None or name in SKIP or name in seen or not fields:
                    continue  # a form with no field (a button: publish, unlock…) has nothing to be hostile about
                seen.add(name)  # one form of each kind a role
                for values in ROUNDS:
                    tried += 1
                    try:
                        response = client.post(target, hostile(fields, values))
                    except Exception as error:  # noqa: BLE001  (the server's exception: a 500)
                        failures.append(f"{username} {target} {sorted(fields)}: {type(error).__name__}: {str(error)[:160]}")
                        continue
                    if response.status_code >= 500:
                        failures.append(f"{username} {target}: {response.status_code}")
        client.logout()
    assert tried > 100, tried  # the crawl found the forms
    assert failures == [], "\n".join(failures)
