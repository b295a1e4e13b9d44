"""Container health checks (docker-compose.yml), without loading Django: quick, every few seconds.

    python -m config.healthcheck web    # /healthz answers 200 {"status": "ok"}: gunicorn serves, the database answers
    python -m config.healthcheck beat   # beat's loop ticked within the last BEAT_STALE_SECONDS (config/beat.py)

Exit status 0 when healthy, 1 otherwise (with the reason on stderr).
"""

import json
import os
import sys
import time
import urllib.request
from pathlib import Path

from config.env import VAR_DIR, env

BEAT_HEARTBEAT = Path(env("HONGFAN_BEAT_HEARTBEAT", default=str(VAR_DIR / "beat-heartbeat")))
BEAT_STALE_SECONDS = 60


def web() -> str | None:
    # The Host the settings allow (the first of DJANGO_ALLOWED_HOSTS) and the proxy's HTTPS header:
    # otherwise a production host list answers 400 and SECURE_SSL_REDIRECT a redirect.
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    request = urllib.request.Request(
        "http://127.0.0.1:8000/healthz",
        headers={"Host": "localhost" if host in ("", "*") else host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = json.load(response)
    except Exception as exc:  # any failure to get a 200 means unhealthy
        return f"/healthz: {exc}"
    return None if body.get("status") == "ok" else f"/healthz: {body}"


def beat() -> str | None:
    try:
        age = time.time() - BEAT_HEARTBEAT.stat().st_mtime
    except FileNotFoundError:
        return f"no heartbeat yet ({BEAT_HEARTBEAT})"
    return None if age <= BEAT_STALE_SECONDS else f"beat last ticked {age:.0f}s ago"


if __name__ == "__main__":
    problem = {"web": web, "beat": beat}[sys.argv[1]]()
    if problem:
        print(problem, file=sys.stderr)
    sys.exit(1 if problem else 0)
