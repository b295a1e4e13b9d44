"""Reads settings from the environment (django-environ); one place for every variable's default."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is read when present (development); real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

# What the processes write: the embedded PostgreSQL, the filesystem broker, uploads, static files.
# HONGFAN_VAR_DIR moves it (a second `make run` beside the first, the Ctrl-C test).
VAR_DIR = Path(env("HONGFAN_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
