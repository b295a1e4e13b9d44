#!/usr/bin/env python
"""`make run`: migrate, the demo data, then the web server, the Celery worker and beat, as children
of this one process; Ctrl-C (SIGINT) or SIGTERM stops them all, then the embedded PostgreSQL.

    .venv/bin/python scripts/run.py [--host 127.0.0.1] [--port 8000] [--no-demo] [--noreload]

Why a supervisor rather than `trap 'kill 0'` in the Makefile: `kill 0` sends SIGTERM to every
process of the group at once — the worker's pool processes, the autoreloader and the server it
runs — while each is still handling the terminal's SIGINT; Python exits on SIGTERM without its exit
handlers, so the processes never detached from the embedded PostgreSQL, which then never stopped.
Here each child runs in a session of its own (the terminal's Ctrl-C reaches only this process),
is told to stop the way it expects (runserver SIGINT, Celery SIGTERM: a warm shutdown), is given
STOP_SECONDS, then killed with its process group; the embedded server is held by this process from
before the first child starts and released after the last has gone, so it stops last, every time.
Children also get SIGTERM if this process dies (Linux's parent-death signal).
"""

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from config.env import VAR_DIR, env  # noqa: E402

STOP_SECONDS = 20
PR_SET_PDEATHSIG = 1


def say(message: str) -> None:
    print(f"[run] {message}", file=sys.stderr, flush=True)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Child:
    def __init__(self, name: str, args: list[str], stop_signal: int, whole_group: bool):
        self.name, self.args, self.stop_signal, self.whole_group = name, args, stop_signal, whole_group
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, cwd=BASE_DIR, start_new_session=True, preexec_fn=_die_with_parent)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, number: int, group: bool) -> None:
        try:
            if group:
                os.killpg(self.process.pid, number)  # its session's process group: pgid == its pid
            else:
                self.process.send_signal(number)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        if self.running():
            self.signal(self.stop_signal, self.whole_group)

    def kill(self) -> None:
        if self.process is not None:
            self.signal(signal.SIGKILL, group=True)  # what is left of it too: pool processes, the reloaded server


class Supervisor:
    def __init__(self):
        self.children: list[Child] = []
        self.signals = 0
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, number, frame) -> None:
        self.signals += 1
        if self.signals == 1:
            say("stopping (Ctrl-C again to kill at once)")
            for child in self.children:
                child.stop()
        else:
            for child in self.children:
                child.kill()

    def start(self, child: Child) -> Child:
        self.children.append(child)
        child.start()
        if self.signals:  # a signal came while it was starting
            child.stop()
        return child

    def run_step(self, child: Child) -> bool:
        """A setup step (migrate, seed_demo): True when it finished well and no stop was asked for."""
        self.start(child)
        while child.running():
            time.sleep(0.2)
        self.children.remove(child)
        return not self.signals and child.process.returncode == 0

    def serve(self) -> int:
        """Until a signal, or until a service exits by itself (then the others are stopped too)."""
        while not self.signals:
            for child in self.children:
                if not child.running():
                    say(f"{child.name} exited (status {child.process.returncode}); stopping the others")
                    for other in self.children:
                        other.stop()
                    self.stop_all()
                    return 1
            time.sleep(0.2)
        self.stop_all()
        return 0

    def stop_all(self) -> None:
        deadline = time.monotonic() + STOP_SECONDS
        while any(child.running() for child in self.children) and time.monotonic() < deadline:
            time.sleep(0.1)
        for child in self.children:
            if child.running():
                say(f"{child.name} did not stop within {STOP_SECONDS}s; killing it")
            child.kill()  # the group too, whether its leader stopped or not: nothing of it outlives us
        for child in self.children:
            child.process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--no-demo", action="store_true", help="do not run seed_demo")
    parser.add_argument("--noreload", action="store_true", help="runserver without its autoreloader")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # the development server on this machine, asked for by name
    os.environ["PYTHONUNBUFFERED"] = "1"
    python = sys.executable
    supervisor = Supervisor()

    server = data_dir = None
    if not env("DATABASE_URL", default=""):
        from config.embedded_db import hold

        data_dir = VAR_DIR / "pgdata"
        server = hold(data_dir)
    try:
        steps = [Child("migrate", [python, "manage.py", "migrate", "--noinput"], signal.SIGINT, True)]
        if not options.no_demo:
            steps.append(Child("seed_demo", [python, "manage.py", "seed_demo"], signal.SIGINT, True))
        for step in steps:
            if not supervisor.run_step(step):
                return 0 if supervisor.signals else 1
        celery = [python, "-m", "celery", "-A", "config"]
        supervisor.start(Child("worker", [*celery, "worker", "--loglevel=warning", "--concurrency=2"], signal.SIGTERM, False))
        supervisor.start(Child("beat", [*celery, "beat", "--loglevel=warning"], signal.SIGTERM, False))
        web = [python, "manage.py", "runserver", f"{options.host}:{options.port}", *(["--noreload"] if options.noreload else [])]
        supervisor.start(Child("web", web, signal.SIGINT, True))  # the autoreloader and the server it runs
        say(f"红帆 http://{options.host}:{options.port}/  (Ctrl-C stops the web server, the worker, beat and the database)")
        return supervisor.serve()
    finally:
        if server is not None:
            from config.embedded_db import release

            others = release(server, data_dir)
            if others:
                say(f"the embedded PostgreSQL stays up for processes still attached: {others}")
            else:
                say("stopped")


if __name__ == "__main__":
    sys.exit(main())
