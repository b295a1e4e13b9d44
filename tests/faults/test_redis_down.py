"""Redis down: the pages keep answering, and the jobs catch up when it is back.

A redis-server of the test's own on a spare port is the cache (and, for the jobs, the broker); the
test SIGKILLs it and starts it again. It needs Redis installed, so it runs in CI's second pass.
"""

import logging
import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from config.env import BASE_DIR
from cycle.models import InspectionRound, MonthlyMeeting, Notification
from tests.faults.support import RedisServer, needs_redis
from tests.orgs.factories import EnterpriseFactory

pytestmark = [needs_redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


def county_enterprises(client, county) -> int:
    response = client.get(reverse("county_dashboard", args=[county.code]))
    assert response.status_code == 200
    return sum(figures.enterprises for _park, figures in response.context["rows"])


def test_pages_answer_while_the_cache_is_down_and_use_it_again_when_it_is_back(
    client, settings, redis_server, world, county_viewer, caplog
):
    caplog.set_level(logging.WARNING, logger="core.cache")  # whatever an earlier test left the root logger's level at
    # The platform's cache backend (config/django/base.py with REDIS_URL), on the private server.
    settings.CACHES = {"default": {"BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": redis_server.url}}
    park_home = reverse("dashboards:park_home", args=[world.park.code])
    api_list = reverse("api:organisation-list", args=[world.park.code])
    client.force_login(county_viewer)
    assert county_enterprises(client, world.park.county) == 0
    assert redis_server.client().keys("*dashboards*")  # the figures went to this server

    redis_server.kill()
    assert county_enterprises(client, world.park.county) == 0  # the county dashboard, computed without the cache
    client.force_login(world.admin)
    assert client.get(park_home).status_code == 200  # the park's dashboard
    assert client.get(reverse("orgs:enterprise_list", args=[world.park.code])).status_code == 200
    assert client.get(api_list).status_code == 200  # the API's throttles count in the cache
    client.logout()
    signed_in = client.post(reverse("accounts:login"), {"username": world.secretary.username, "password": "pw-for-tests"})
    assert signed_in.status_code == 302
    assert client.get(reverse("dashboards:start", args=[world.park.code])).status_code == 200  # the secretary's start page
    with scopes_disabled():
        EnterpriseFactory(park=world.park)  # a write: its cache invalidation cannot reach Redis
    assert "cache unavailable" in caplog.text  # the pages did try the cache, and went on without it

    redis_server.start()  # the same port, empty: the web process reconnects by itself
    client.force_login(county_viewer)
    assert county_enterprises(client, world.park.county) == 1  # the write made while it was down shows
    assert redis_server.client().keys("*dashboards*")  # and the figures are cached again


def platform(code: str, redis_url: str, stdin=None) -> subprocess.Popen:
    """A Python process of the platform's own settings, on the test database and this Redis."""
    db = django_settings.DATABASES["default"]
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.django.base", "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}
    return subprocess.Popen([sys.executable, "-c", code], cwd=BASE_DIR, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


# What beat does at 00:10 (cycle_all_parks.delay), once for each day, each time the test says so.
ENQUEUE = """
import sys, time, django
django.setup()
from cycle.tasks import cycle_all_parks
for day in sys.stdin:
    start = time.monotonic()
    try:
        cycle_all_parks.delay(day.strip())
        outcome = "sent"
    except Exception as exc:
        outcome = type(exc).__name__
    print(outcome, round(time.monotonic() - start, 1), flush=True)
"""


def records(world, other) -> dict:
    with scopes_disabled():
        return {
            "meetings": sorted(MonthlyMeeting.objects.values_list("park_id", "month")),
            "rounds": sorted(InspectionRound.objects.values_list("park_id", "year", "quarter")),
            "announced": sorted(Notification.objects.filter(key__startswith="round-open:").values_list("park_id", "user_id")),
        }


def test_what_beat_sends_while_redis_is_down_is_caught_up_by_run_cycle(redis_server, world, other):
    beat = platform(ENQUEUE, redis_server.url)

    def send(day: str) -> tuple[str, float]:
        beat.stdin.write(day + "\n")
        beat.stdin.flush()
        outcome, seconds = beat.stdout.readline().split()
        return outcome, float(seconds)

    assert send("2027-03-01")[0] == "sent"  # queued, with no worker running yet
    assert redis_server.client().llen("celery") == 1
    redis_server.kill()  # the queue had no persistence: the 1 March message is gone
    outcome, seconds = send("2027-04-01")
    assert outcome == "OperationalError" and seconds < 5  # the send fails, quickly, and the sender lives on
    redis_server.start()
    assert redis_server.client().llen("celery") == 0  # lost
    assert send("2027-05-01")[0] == "sent"  # the same process sends again once Redis is back: no restart
    assert redis_server.client().llen("celery") == 1  # and that one waits for a worker
    beat.stdin.close()
    assert beat.wait(timeout=30) == 0
    assert records(world, other)["meetings"] == []  # nothing of 1 March or 1 April ran

    def catch_up():  # the operator, for the days the downtime took
        for day in ("2027-03-01", "2027-04-01"):
            call_command("run_cycle", "--date", day, stdout=open(os.devnull, "w"))

    catch_up()
    caught_up = records(world, other)
    parks = sorted([world.park.pk, other.park.pk])
    assert caught_up["meetings"] == sorted((p, date(2027, m, 1)) for p in parks for m in (3, 4))
    assert caught_up["rounds"] == [(p, 2027, 1) for p in parks]  # opened on 1 March, the quarter's last month
    assert caught_up["announced"] == sorted((w.park.pk, w.secretary.pk) for w in (world, other))
    catch_up()
    assert records(world, other) == caught_up  # run again (or the lost message found after all): nothing twice
