"""The embedded PostgreSQL used when no DATABASE_URL is set (pgserver ships the server in its wheel).

Every process that loads the settings (web, worker, beat, manage.py, pytest) attaches to the same
data directory; pgserver counts the attached processes and stops the server when the last exits.
"""

import logging
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "hongfan"
_server = None  # the handle must live as long as the process, or pgserver may stop the server


def embedded_database_settings(data_dir: Path) -> dict:
    global _server
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every start and stop
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs, harmless
    import pgserver

    if _server is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        _server = pgserver.get_server(data_dir)
        found = _server.psql(f"SELECT 'present' FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "present" not in found:
            _server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    uri = urlparse(_server.get_uri())
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": parse_qs(uri.query)["host"][0],  # the Unix socket directory
        "PORT": "",
        "CONN_MAX_AGE": 0,
    }
