"""Ctrl-C on `make run` stops web, worker, beat and the embedded PostgreSQL, leaving nothing behind.

The run gets a var/ of its own (HONGFAN_VAR_DIR: its own embedded server) and a free port. Its
database is this test database restored into it (`manage.py restore`'s function), so `make run`'s migrate has
nothing to do; the demo is skipped. A dead process's pid is left on pgserver's list of attached
processes first, as a killed run used to leave it: the server must stop all the same.

About 20 s on an idle machine (a restore into a fresh embedded server, then `make run` starting
migrate, worker, beat and runserver with its autoreloader, and stopping them all; the worker alone
needs a few seconds for its warm shutdown), so it runs when asked: CI's second pass sets
HONGFAN_CTRL_C_TEST=1, and so can you:
    HONGFAN_CTRL_C_TEST=1 .venv/bin/python -m pytest tests/ops/test_run.py
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.core.management import call_command

from config import backup
from config.embedded_db import DATABASE_NAME, connection_settings, hold, release
from config.env import BASE_DIR
from tests.support import free_port

UP_SECONDS = 180  # migrate, worker, beat and runserver starting on a busy machine
STOP_SECONDS = 40  # the supervisor's 20 s grace, and then some


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def postmaster(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except FileNotFoundError:
        return None


@pytest.mark.skipif(
    not (os.environ.get("HONGFAN_CTRL_C_TEST") or os.environ.get("HONGFAN_SLOW_TESTS")),
    reason="starts make run (about 20 s): runs in CI's second pass, or with HONGFAN_CTRL_C_TEST=1",
)
@pytest.mark.django_db
def test_ctrl_c_on_make_run_stops_every_process_and_the_database(tmp_path):
    var = tmp_path / "var"
    pgdata = var / "pgdata"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "HONGFAN_TEST_DB")}
    env.update(HONGFAN_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="config.django.base", PYTHONUNBUFFERED="1")

    archive = tmp_path / "migrated.tar"
    call_command("backup", output=str(archive))  # this test database: migrated, as `make run` needs it
    # Restored into a fresh embedded server under the run's var/, by `manage.py restore`'s own function
    # (in this process: a Django start-up less), which then stops again as the last one attached.
    server = hold(pgdata)
    try:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
        backup.restore(database=connection_settings(server), archive_path=archive, media_root=var / "media")
    finally:
        release(server, pgdata)
    assert postmaster(pgdata) is None
    (pgdata / ".handle_pids.json").write_text(json.dumps([dead_pid()]))  # a run killed long ago

    log = (tmp_path / "run.log").open("w")
    port = free_port()
    run = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"PORT={port}", "RUN_ARGS=--no-demo"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    started = []
    try:
        deadline = time.monotonic() + UP_SECONDS
        while not healthy(port):
            assert run.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, "make run did not answer /healthz in time"
            time.sleep(0.5)
        # Every child up: the web answers; the worker has forked its two pool processes (it is past
        # its start-up, so Ctrl-C meets a running consumer); beat runs; the database is the embedded one.
        while True:
            started = psutil.Process(run.pid).children(recursive=True)
            commands = [" ".join(process.cmdline()) for process in started]
            if sum("celery -A config worker" in command for command in commands) == 3:  # main + --concurrency=2
                break
            assert time.monotonic() < deadline, commands
            time.sleep(0.2)
        assert any("celery -A config beat" in command for command in commands), commands
        assert sum("runserver" in command for command in commands) == 2, commands  # the autoreloader and its server
        server = postmaster(pgdata)
        assert server is not None
        started.append(psutil.Process(server))

        os.killpg(run.pid, signal.SIGINT)  # the terminal's Ctrl-C: make and the supervisor
        run.wait(timeout=STOP_SECONDS)
        gone, alive = psutil.wait_procs(started, timeout=5)
        assert alive == [], [process.cmdline() for process in alive]
        assert postmaster(pgdata) is None  # nothing that would block the next start
        assert json.loads((pgdata / ".handle_pids.json").read_text()) == []
    finally:  # a failed run leaves nothing running either
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for process in started:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        log.close()
