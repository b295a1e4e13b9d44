"""The production settings load and pass Django's deployment checks (CI runs check --deploy too)."""

import subprocess
import sys

from config.env import BASE_DIR


def test_production_settings_pass_the_deploy_checks():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "DJANGO_SECRET_KEY": "x" * 60 + "-not-a-real-secret-0123456789",
        "HONGFAN_ID_KEY": "test-only-id-key",
        "DJANGO_ALLOWED_HOSTS": "hongfan.example",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # the checks need no connection
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_database_connections_unless_the_url_says_otherwise():
    base = {"DJANGO_SECRET_KEY": "x" * 60, "HONGFAN_ID_KEY": "k", "DJANGO_ALLOWED_HOSTS": "hongfan.example", "PATH": "/usr/bin:/bin"}
    show = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.django.production'; django.setup(); "
            "from django.conf import settings; d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    for url, expected in [("postgres://nobody@127.0.0.1:1/none", "60 True"), ("postgres://nobody@127.0.0.1:1/none?conn_max_age=0", "0 True")]:
        result = subprocess.run([sys.executable, "-c", show], cwd=BASE_DIR, env={**base, "DATABASE_URL": url},
                                capture_output=True, text=True, timeout=120)
        assert result.stdout.split()[-2:] == expected.split(), result.stdout + result.stderr
