"""The dashboards at county scale: the county dashboard, the big screen's data and a park dashboard,
rendered on synthetic counties of 2, 20 and 200 parks (generate_county), each compared with the
bare SQL it runs.

    .venv/bin/python benchmarks/dashboard_bench.py                 # 2 and 20 parks
    .venv/bin/python benchmarks/dashboard_bench.py --sizes 2,20,200 --runs 5

One line per page and size:
    dashboard=<name> parks=<N> queries=<Q> render_ms=<median> sql_ms=<bare SQL median> ratio=<render/sql>

`render_ms` is the whole request through Django's test client (middleware, the figures computed with
the cache emptied before each run, the template); `sql_ms` replays the same SQL statements on a raw
cursor, right after each render, so that the shared machine's noise weighs on both alike. Queries
must be the same at every size; the bar is render at most 2× the bare SQL at 20 parks. A county of N parks is built once into `hongfan_dash_<N>` and reused while it exists (pass
--rebuild to build it again).
"""

import argparse
import statistics
import sys
import time

from common import ROOT  # noqa: F401  (puts the project on sys.path, selects the bench settings)


def build(parks: int, rebuild: bool) -> str:
    from django.core.management import call_command

    from core import databases

    name = f"hongfan_dash_{parks}"
    if rebuild or not databases.exists(name):
        # The per-park size shrinks with the county: 200 parks stand for a province's number of parks,
        # and each park's history is built day by day (about an hour at this size on two cores).
        per_park = {"enterprises": 60, "members": 400, "years": 3} if parks <= 20 else {"enterprises": 10, "members": 40, "years": 1}
        call_command("generate_county", "--parks", str(parks), "--enterprises-per-park", str(per_park["enterprises"]),
                     "--members-per-park", str(per_park["members"]), "--years", str(per_park["years"]),
                     "--seed", "1", "--database", name)
    return name


def measure(client, url: str, runs: int) -> tuple[int, float, float]:
    """Median render and median bare-SQL time over `runs`, the two taken in turn within each run so
    that whatever else the shared machine is doing weighs on both alike."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def render() -> float:
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return took

    def replay(statements) -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    with CaptureQueriesContext(connection) as captured:
        render()  # warms the connection and the templates, and names the statements
    statements = [q["sql"] for q in captured.captured_queries]
    renders, bare = [], []
    for _ in range(runs):
        renders.append(render())
        bare.append(replay(statements))
    return len(statements), statistics.median(renders), statistics.median(bare)


def run(size: int, runs: int, rebuild: bool) -> list[str]:
    from django.test import Client
    from django_scopes import scopes_disabled

    from accounts.models import RoleAssignment, User
    from core import databases
    from core.roles import Role
    from orgs.models import County, Park

    name = build(size, rebuild)
    lines = []
    with databases.database(name), scopes_disabled():
        county = County.objects.order_by("pk").first()
        park = Park.objects.filter(county=county).order_by("pk").first()
        viewer, _ = User.objects.get_or_create(username="bench_county")
        RoleAssignment.objects.get_or_create(user=viewer, role=Role.COUNTY_VIEWER, county=county)
        client = Client()
        client.force_login(viewer)
        pages = {
            "county": f"/county/{county.code}/",
            "screen_data": f"/county/{county.code}/screen/data/",
            "park": f"/p/{park.code}/",
        }
        for page, url in pages.items():
            queries, render_ms, sql_ms = measure(client, url, runs)
            lines.append(f"dashboard={page} parks={size} queries={queries} render_ms={render_ms:.1f} "
                         f"sql_ms={sql_ms:.1f} ratio={render_ms / sql_ms:.2f}")
            print(lines[-1], flush=True)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,20", help="numbers of parks, comma-separated (default 2,20)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        for line in run(size, args.runs, args.rebuild):
            fields = dict(part.split("=") for part in line.split())
            results[(fields["dashboard"], size)] = fields
    by_page = {}
    for (page, _size), fields in results.items():
        by_page.setdefault(page, set()).add(fields["queries"])
    same = all(len(counts) == 1 for counts in by_page.values())
    print(f"queries the same at every size: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
