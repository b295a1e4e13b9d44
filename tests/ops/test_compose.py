"""docker-compose.yml as the operations section describes it, and the health checks it runs."""

import io
import os
import time

import yaml
from django_celery_beat.schedulers import DatabaseScheduler

from config import healthcheck
from config.beat import Scheduler
from config.celery import app
from config.env import BASE_DIR

COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_the_keys_are_required_and_the_readme_command_sets_them():
    environment = SERVICES["web"]["environment"]
    assert environment["HONGFAN_ID_KEY"].startswith("${HONGFAN_ID_KEY:?")
    assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    readme = (BASE_DIR / "README.md").read_text()
    command = next(line for line in readme.splitlines() if "docker compose up" in line and "HONGFAN_ID_KEY" in line)
    assert "DJANGO_SECRET_KEY" in command


def test_uploads_live_in_a_volume_every_app_container_mounts():
    assert "media" in COMPOSE["volumes"]
    for name in ("web", "worker", "beat"):
        assert "media:/app/var/media" in SERVICES[name]["volumes"]
        assert SERVICES[name]["environment"]["MEDIA_ROOT"] == "/app/var/media"


def test_gunicorn_is_pid_1_and_migrations_run_once_before_web_worker_and_beat():
    assert SERVICES["web"]["command"][0] == "gunicorn"  # exec form: no shell in front of it
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert isinstance(SERVICES[name]["command"], list)
        assert "migrate" not in " ".join(SERVICES[name]["command"])


def test_every_long_running_service_has_a_health_check_that_can_fail():
    checks = {name: " ".join(SERVICES[name]["healthcheck"]["test"]) for name in ("web", "worker", "beat", "db", "redis")}
    assert "config.healthcheck web" in checks["web"]
    assert "config.healthcheck beat" in checks["beat"]
    assert "inspect ping" in checks["worker"]
    assert "/proc/1/cmdline" not in checks["beat"]  # the old check: true as long as the container runs


def test_beat_ticks_touch_the_heartbeat_and_a_stale_one_is_unhealthy(tmp_path, monkeypatch):
    heartbeat = tmp_path / "beat-heartbeat"
    monkeypatch.setattr(healthcheck, "BEAT_HEARTBEAT", heartbeat)
    monkeypatch.setattr("config.beat.BEAT_HEARTBEAT", heartbeat)
    assert "no heartbeat" in healthcheck.beat()

    monkeypatch.setattr(DatabaseScheduler, "tick", lambda self, *args, **kwargs: 5.0)
    assert Scheduler(app=app, lazy=True).tick() == 5.0
    assert healthcheck.beat() is None

    stale = time.time() - healthcheck.BEAT_STALE_SECONDS - 5
    os.utime(heartbeat, (stale, stale))
    assert "ago" in healthcheck.beat()


def test_a_tick_that_fails_leaves_the_heartbeat_alone(tmp_path, monkeypatch):
    heartbeat = tmp_path / "beat-heartbeat"
    monkeypatch.setattr("config.beat.BEAT_HEARTBEAT", heartbeat)

    def broken(self, *args, **kwargs):
        raise ConnectionError("database gone")

    monkeypatch.setattr(DatabaseScheduler, "tick", broken)
    try:
        Scheduler(app=app, lazy=True).tick()
    except ConnectionError:
        pass
    assert not heartbeat.exists()


def test_the_web_check_asks_as_the_proxy_would_and_needs_an_ok(monkeypatch):
    asked = []

    def answer(body):
        def urlopen(request, timeout):
            asked.append(request)
            return io.BytesIO(body)
        return urlopen

    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "hongfan.example,localhost")
    monkeypatch.setattr(healthcheck.urllib.request, "urlopen", answer(b'{"status": "ok"}'))
    assert healthcheck.web() is None
    assert asked[0].get_header("Host") == "hongfan.example"  # allowed: no 400
    assert asked[0].get_header("X-forwarded-proto") == "https"  # no redirect to HTTPS
    monkeypatch.setattr(healthcheck.urllib.request, "urlopen", answer(b'{"status": "error", "database": "OperationalError"}'))
    assert "OperationalError" in healthcheck.web()
