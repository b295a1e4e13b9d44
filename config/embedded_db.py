"""The embedded PostgreSQL used when no DATABASE_URL is set (pgserver ships the server in its wheel).

Every process that loads the settings (web, worker, beat, manage.py, pytest) attaches to the same
data directory; pgserver counts the attached processes (their pids, in pgdata/.handle_pids.json)
and stops the server when the last exits. A process killed before its exit handlers run (SIGKILL,
or SIGTERM, which Python does not turn into an exit) stays on that list, and the server would then
never be stopped again: each process drops the pids of exited ones when it attaches and again just
before it detaches (`forget_exited`). `make run` (scripts/run.py) holds the server itself, from
before its children start until after the last has gone.
"""

import atexit
import logging
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "hongfan"
_server = None  # the handle must live as long as the process, or pgserver may stop the server


def embedded_database_settings(data_dir: Path) -> dict:
    global _server
    if _server is None:
        _server = hold(data_dir)
        found = _server.psql(f"SELECT 'present' FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "present" not in found:
            _server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    return connection_settings(_server)


def connection_settings(server) -> dict:
    """Django's settings for the platform's database on a running embedded server."""
    uri = urlparse(server.get_uri())
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": parse_qs(uri.query)["host"][0],  # the Unix socket directory
        "PORT": "",
        "CONN_MAX_AGE": 0,
    }


def hold(data_dir: Path):
    """Attach this process to the server in data_dir, starting it if none runs; the handle detaches
    (and stops the server if this is the last process attached) when the process exits, or on
    `release`."""
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every start and stop
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs, harmless
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    forget_exited(data_dir)
    server = pgserver.get_server(data_dir)
    atexit.register(forget_exited, data_dir)  # registered after pgserver's own handler, so it runs first
    return server


def release(server, data_dir: Path) -> list[int]:
    """Detach now; stops the server unless other live processes are attached (their pids returned)."""
    forget_exited(data_dir)
    server.cleanup()
    return forget_exited(data_dir)


def forget_exited(data_dir: Path) -> list[int]:
    """Drop the pids of processes that have exited from pgserver's list; returns those that remain."""
    import psutil
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    handles = DiskList(Path(data_dir).resolve() / ".handle_pids.json")
    with PostgresServer._lock:
        pids = handles.get()
        live = [pid for pid in pids if _running(psutil, pid)]
        if live != pids:
            handles.put(live)
    return live


def _running(psutil, pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
