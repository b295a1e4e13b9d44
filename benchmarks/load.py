"""Load: gunicorn on a synthetic county, four park pages under 32 concurrent signed-in users for 30 s.

    make load                                         # = the line below, after installing locust
    .venv/bin/python benchmarks/load.py               # 4 parks × 40 enterprises × 200 members × 2 years
    .venv/bin/python benchmarks/load.py --users 64 --seconds 60 --workers 5 --rebuild

It builds the county once with generate_county into hongfan_load_<parks>x<enterprises>x<members>x<years>
on the configured PostgreSQL server (reused while it exists; --rebuild builds it again), signs in
every park's admin and the secretary of its largest branch (sessions made with the test client's
force_login, in that database), collects the static files, and starts gunicorn
(config.wsgi:application, sync workers) on 127.0.0.1 and a free port with benchmarks/load_settings.py:
DEBUG off, production's HTTPS-behind-a-proxy settings, whitenoise, the cache in Redis. Every page
is fetched once and must answer 200 with its marker; then locust (benchmarks/locustfile.py, headless)
runs --users simulated users for --seconds, each opening its pages one after another without pause:
an admin the park dashboard, the member list, the demand list and the task list; a secretary the
last three. One line per page and a total:

    page=<name> requests=<n> rps=<r> p50_ms=<> p99_ms=<> errors=<e>

and then the CPU time gunicorn's processes used during the load, per request, and the rows the
database saw written meanwhile (pg_stat_database):

    gunicorn_cpu_s=<s> cpu_ms_per_request=<ms> rows_written=<n>

Any answer but 200 is an error. The exit status is 1 when there is one, or when a row was written,
since a GET never writes. gunicorn is stopped with SIGTERM (a graceful shutdown) at the end, on an
error and on Ctrl-C.
"""

import argparse
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks.load_settings"
# (page name, URL name, marker the page must contain): an admin opens all four, a secretary the last three.
PAGES = [
    ("park_dashboard", "dashboards:park_home", "党建概览"),
    ("members", "members:list", "党员花名册"),
    ("demands", "services:demands", "红色代办"),
    ("tasks", "cycle:tasks", "月工作清单"),
]
SECRETARY_PAGES = ("members", "demands", "tasks")
HEADERS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds in production


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32, help="concurrent simulated users, one connection each (default 32)")
    parser.add_argument("--seconds", type=int, default=30, help="how long the load runs (default 30)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3, as the Dockerfile)")
    parser.add_argument("--parks", type=int, default=4)
    parser.add_argument("--enterprises-per-park", type=int, default=40)
    parser.add_argument("--members-per-park", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="build the county again even if its database exists")
    args = parser.parse_args(argv)
    for name in ("users", "seconds", "workers", "parks", "enterprises_per_park", "members_per_park", "years"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def database_name(args: argparse.Namespace) -> str:
    return f"hongfan_load_{args.parks}x{args.enterprises_per_park}x{args.members_per_park}x{args.years}"


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def page_line(name: str, times: list[float], errors: int, seconds: float) -> str:
    p50 = percentile(times, 0.50) if times else 0.0
    p99 = percentile(times, 0.99) if times else 0.0
    return (f"page={name} requests={len(times)} rps={len(times) / seconds:.1f} p50_ms={p50:.0f} p99_ms={p99:.0f} "
            f"errors={errors}")


def summary_lines(results: dict) -> tuple[list[str], int]:
    """One line per page (in the order of PAGES, an admin's before a secretary's) and a total, from the
    results the locustfile wrote; and the number of errors."""
    seconds = results["seconds"] or 1.0
    times, errors = results["times"], results["errors"]
    order = [name for name, _, _ in PAGES] + [f"{name}.secretary" for name in SECRETARY_PAGES]
    names = [n for n in order if n in times] + sorted(n for n in times if n not in order)
    lines = [page_line(name, times[name], errors.get(name, 0), seconds) for name in names]
    total_errors = sum(errors.values())
    lines.append(page_line("total", [t for name in names for t in times[name]], total_errors, seconds))
    return lines, total_errors


# --- the county, the users and their sessions ---------------------------------------------------------


def build(args: argparse.Namespace) -> str:
    from django.core.management import call_command

    from core import databases

    name = database_name(args)
    if args.rebuild or not databases.exists(name):
        print(f"building {name} (generate_county; a few minutes)", flush=True)
        call_command("generate_county", "--parks", str(args.parks), "--enterprises-per-park", str(args.enterprises_per_park),
                     "--members-per-park", str(args.members_per_park), "--years", str(args.years), "--seed", "1",
                     "--database", name)
    return name


def make_plan(name: str) -> dict:
    """Every park's admin and the secretary of its largest branch, each with a session and its pages."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from accounts.models import RoleAssignment
    from core import databases
    from core.roles import Role
    from members.models import Member
    from orgs.models import Park

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    users = []
    with databases.database(name), scopes_disabled():
        for park in Park.objects.order_by("pk"):
            urls = {page: reverse(url_name, kwargs={"park": park.code}) for page, url_name, _ in PAGES}
            admin = RoleAssignment.objects.filter(park=park, role=Role.PARK_ADMIN, user__is_active=True).order_by("pk").first()
            secretaries = {ra.organisation_id: ra.user for ra in RoleAssignment.objects.filter(
                park=park, role=Role.BRANCH_SECRETARY, user__is_active=True).select_related("user").order_by("pk")}
            largest = (Member.objects.filter(park=park, branch_id__in=secretaries).values("branch_id")
                       .annotate(n=Count("pk")).order_by("-n", "branch_id").first())
            if admin is None or largest is None:
                raise SystemExit(f"load: park {park.code} in {name} has no park admin or no branch secretary with members "
                                 "(a build cut short? --rebuild)")
            users.append({"role": "admin", "park": park.code, "username": admin.user.username, "session": session(admin.user),
                          "pages": [(page, urls[page]) for page, _, _ in PAGES]})
            secretary = secretaries[largest["branch_id"]]
            users.append({"role": "secretary", "park": park.code, "username": secretary.username, "session": session(secretary),
                          "pages": [(f"{page}.secretary", urls[page]) for page in SECRETARY_PAGES]})
    if not users:
        raise SystemExit(f"load: {name} holds no park (a build cut short? --rebuild)")
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "users": users}


def collect_static() -> None:
    """collectstatic, as the Dockerfile runs it (hashed names, compressed copies), unless the manifest
    is newer than every static file: post-processing them all takes about a minute here."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        newest = max(os.path.getmtime(storage.path(path)) for finder in get_finders() for path, storage in finder.list([]))
        if newest < manifest.stat().st_mtime:
            return
    print("collecting static files (about a minute)", flush=True)
    call_command("collectstatic", "--noinput", verbosity=0)


def rows_written(name: str) -> int:
    """Rows inserted, updated and deleted in the database so far (pg_stat_database): the pages are
    GETs, and a GET never writes, so the count must not move while they are loaded."""
    from core import databases

    with databases.database(name) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = %s", [name])
        return cursor.fetchone()[0]


def empty_cache() -> None:
    """Delete this benchmark's keys (and no one else's) from Redis: each run starts cold."""
    import redis
    from django.conf import settings

    cache = settings.CACHES["default"]
    client = redis.Redis.from_url(cache["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{cache['KEY_PREFIX']}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# --- gunicorn -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(name: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "HONGFAN_LOAD_DB": name}
    with open(log, "w") as out:
        # A session of its own: a Ctrl-C reaches this script, which then stops gunicorn gracefully.
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--graceful-timeout", "10"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers and exits
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user + system) gunicorn's master and workers have used so far, from /proc (Linux)."""
    pids = [process.pid]
    try:
        pids += [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    except OSError:
        return float("nan")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that has just exited
        total += int(fields[11]) + int(fields[12])  # utime, stime (the 14th and 15th fields)
    return total / os.sysconf("SC_CLK_TCK")


def fetch(url: str, session: str | None = None, cookie_name: str = "sessionid") -> tuple[int, str]:
    headers = dict(HEADERS, **({"Cookie": f"{cookie_name}={session}"} if session else {}))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_ready(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"load: gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if fetch(base + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"load: gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


def check_pages(base: str, plan: dict) -> None:
    """Each user's every page once: 200 and its marker (the member list: a roster of at least one)."""
    markers = {page: marker for page, _, marker in PAGES}
    for user in plan["users"]:
        for page, path in user["pages"]:
            status, body = fetch(base + path, user["session"], plan["cookie_name"])
            marker = markers[page.split(".")[0]]
            if status != 200 or marker not in body:
                raise SystemExit(f"load: {user['role']} {user['username']} {path} answered {status} "
                                 f"{'without' if status == 200 else 'and'} “{marker}”; see the gunicorn log")
            if page.startswith("members") and not re.search(r"共 [1-9]\d* 人", body):
                raise SystemExit(f"load: {user['role']} {user['username']} sees an empty roster at {path}")


def run_locust(base: str, args: argparse.Namespace, plan_path: Path, results_path: Path, log: Path) -> dict:
    env = {**os.environ, "HONGFAN_LOAD_PLAN": str(plan_path), "HONGFAN_LOAD_RESULTS": str(results_path)}
    results_path.unlink(missing_ok=True)
    with open(log, "w") as out:
        subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
             "--users", str(args.users), "--spawn-rate", str(args.users), "--run-time", f"{args.seconds}s",
             "--host", base, "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if not results_path.exists():
        raise SystemExit(f"load: locust wrote no results:\n{log.read_text()[-3000:]}")
    return json.loads(results_path.read_text())


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.pop("HONGFAN_LOAD_DB", None)  # this process works from the configured database
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per sign-in from django-axes
    import django

    django.setup()
    work = ROOT / "var" / "load"
    work.mkdir(parents=True, exist_ok=True)
    name = build(args)
    plan = make_plan(name)
    plan_path = work / "plan.json"
    plan_path.write_text(json.dumps(plan))
    collect_static()
    empty_cache()

    written_before = rows_written(name)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn_log = work / "gunicorn.log"
    process = start_gunicorn(name, port, args.workers, gunicorn_log)
    try:
        wait_ready(base, process, gunicorn_log)
        check_pages(base, plan)
        load = os.getloadavg()
        print(f"database={name} parks={args.parks} users={args.users} seconds={args.seconds} workers={args.workers} "
              f"identities={len(plan['users'])} cpus={os.cpu_count()} loadavg={load[0]:.2f},{load[1]:.2f},{load[2]:.2f}",
              flush=True)
        cpu_before = cpu_seconds(process)
        results = run_locust(base, args, plan_path, work / "results.json", work / "locust.log")
        server_cpu = cpu_seconds(process) - cpu_before
    finally:
        stop_gunicorn(process)
    time.sleep(1)  # the last backends report their counts as they exit
    written = rows_written(name) - written_before
    lines, errors = summary_lines(results)
    print("\n".join(lines))
    requests = sum(len(times) for times in results["times"].values())
    # Robuster than rps on a shared machine: what a request cost the workers, whatever else ran.
    print(f"gunicorn_cpu_s={server_cpu:.1f} cpu_ms_per_request={1000 * server_cpu / max(requests, 1):.1f} rows_written={written}")
    for page, message in sorted(results.get("examples", {}).items()):
        print(f"first error on {page}: {message}")
    if errors:
        print(f"load: {errors} errors; the gunicorn log is {gunicorn_log}", file=sys.stderr)
    if written:
        print(f"load: the pages wrote {written} rows, but a GET never writes", file=sys.stderr)
    return 1 if errors or written else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # main() has stopped gunicorn on the way out
        print("load: interrupted; gunicorn stopped", file=sys.stderr)
        sys.exit(130)
