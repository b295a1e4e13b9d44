"""The locust side of benchmarks/load.py: run by it as `locust -f benchmarks/locustfile.py --headless …`.

It reads the plan load.py wrote (the file named by HONGFAN_LOAD_PLAN): one session per signed-in
user and the pages each may open. Every simulated user takes the next identity of the plan in turn
and opens its pages one after the other without pause, so each holds one connection busy all the
time. Any answer but 200 (a redirect to the sign-in page included) and any connection error is a
failure. Every request's time goes into the results file (HONGFAN_LOAD_RESULTS), which load.py reads
for exact percentiles; locust's own tables round them.
"""

import itertools
import json
import os
import time
from collections import defaultdict

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["HONGFAN_LOAD_PLAN"], encoding="utf-8").read()) if "HONGFAN_LOAD_PLAN" in os.environ else None
_next_identity = itertools.count()
_times = defaultdict(list)  # page name → milliseconds of every request, failed ones included
_errors = defaultdict(int)
_examples = {}  # page name → the first failure's message
_clock = {}


@events.request.add_listener
def _record(name, response_time, exception=None, **kwargs):
    _times[name].append(response_time)
    if exception is not None:
        _errors[name] += 1
        _examples.setdefault(name, str(exception)[:300])


@events.test_start.add_listener
def _started(**kwargs):
    _clock["start"] = time.time()


@events.test_stop.add_listener
def _stopped(**kwargs):
    _clock["stop"] = time.time()


@events.quitting.add_listener
def _write(**kwargs):
    path = os.environ.get("HONGFAN_LOAD_RESULTS")
    if not path:
        return
    stop = _clock.get("stop", time.time())
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"seconds": stop - _clock.get("start", stop), "times": _times, "errors": _errors, "examples": _examples}, out)


class SignedInUser(FastHttpUser):
    """One of the plan's users (a park admin or a branch secretary), opening its pages in turn."""

    wait_time = constant(0)

    def on_start(self):
        if PLAN is None:
            raise StopUser()
        identity = PLAN["users"][next(_next_identity) % len(PLAN["users"])]
        self.pages = itertools.cycle(identity["pages"])
        self.headers = {"Cookie": f"{PLAN['cookie_name']}={identity['session']}", "X-Forwarded-Proto": "https"}

    @task
    def open_next_page(self):
        name, path = next(self.pages)
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} for {path}")
