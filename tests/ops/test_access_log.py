"""The security review found whole 身份证号 in the web server's access log: the member search was a
GET form. Here a real gunicorn, logging every request as production does (`--access-logfile -`),
serves a park admin who signs in and searches by a whole ID number through the search box; neither
its access log nor its error log holds the number, and the search finds the member."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse

from config.env import BASE_DIR
from tests.members.factories import MemberFactory, valid_id_number
from tests.support import free_port

pytestmark = pytest.mark.django_db(transaction=True)  # the server is another process: the rows must be committed


def database_url() -> str:
    """The test database as a DATABASE_URL for another process (the embedded server's socket
    directory goes in the query string, which psycopg2 receives as its `host`)."""
    db = settings.DATABASES["default"]
    if (db["HOST"] or "").startswith("/"):
        return f"postgres://{db['USER']}@:{db['PORT'] or 5432}/{db['NAME']}?host={urllib.parse.quote(db['HOST'])}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.django.test", "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)  # the local cache: nothing here needs Redis
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--access-logfile", "-", "--error-logfile", "-", "--graceful-timeout", "2"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + reverse("accounts:login"), timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start:\n" + log.read_text(errors="replace")[-2000:])
            time.sleep(0.2)

    def stopped_log() -> str:
        """The whole log once the server has stopped. Gunicorn writes a request's access line after
        the response has gone out, so a client can hold the page before its line is written: read
        the log only after the worker has exited."""
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
        return log.read_text(errors="replace")

    try:
        yield base, stopped_log
    finally:
        print(stopped_log()[-3000:])  # shown when the test fails


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_search_by_whole_id_number_leaves_no_number_in_the_access_log(gunicorn, world):
    base, stopped_log = gunicorn
    number = valid_id_number()
    MemberFactory(park=world.park, branch=world.branch, name="李建国", id_number=number)
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(path: str, data: dict):
        token = csrf_token(browser.open(base + path).read().decode())
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
        return browser.open(request)  # a redirect after the post is followed, as a browser does

    post(reverse("accounts:login"), {"username": world.admin.username, "password": "pw-for-tests"})
    found = post(reverse("members:list", args=[world.park.code]), {"q": number})
    page = found.read().decode()
    assert "idh=" in found.url and "李建国" in page and "已按身份证号查找" in page

    written = stopped_log()
    assert f'"POST {reverse("members:list", args=[world.park.code])} HTTP/1.1" 302' in written  # the log is on
    assert "idh=" in written  # the page it was sent on to, by the number's keyed hash
    assert number not in written and number.lower() not in written and number[6:14] not in written
