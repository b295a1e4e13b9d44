"""A synthetic county at scale, with its whole history (python manage.py generate_county).

The parks come onto the platform the day before the history starts (setup.py); then every day of
the history runs as the platform would have lived it: the cycle's jobs at 00:10 (run_jobs, as
run_cycle and the Celery schedule run them), the park's reminders at its hour, and the day's
business — each event through the service the page or API calls, with the clock set to its moment
(clock.py). Everything random comes from random.Random(seed …), so the same seed and the same last
day give the same data.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from core.periods import month_end, month_start
from core.tenancy.scoping import park_scope
from cycle.jobs import CREATES, REMINDS, job_names, run_jobs
from dashboards.survey import survey_days, take_snapshots
from demo.county import backfill, planner
from demo.county.backfill import Backlog
from demo.county.clock import Agenda, Clock, days
from demo.county.plan import plan_park
from demo.county.setup import build_park, county_viewer
from demo.county.state import PASSWORD, ParkWorld
from members.rules import add_years
from orgs.models import County
from orgs.services import organisations_dissolve_ended


@dataclass(frozen=True)
class Options:
    parks: int
    enterprises: int  # per park
    members: int  # per park
    years: int
    seed: int
    until: date

    @property
    def start(self) -> date:
        """The history's first day: the first of the month `years` before `until`."""
        return month_start(add_years(self.until, -self.years))


def generate_county(options: Options, log=print) -> list[ParkWorld]:
    """Build the county in the database the default connection points at (the caller's to choose)."""
    setup_day = options.start - timedelta(days=1)
    clock = Clock(setup_day)
    with clock.running(), autovacuum_paused(), one_transaction_a_day():
        county = County.objects.create(code="hongfan", name="红帆县")
        password = make_password(PASSWORD)
        county_viewer(county, password)
        worlds = []
        for k in range(options.parks):
            plan = plan_park(k, seed=options.seed, enterprises=options.enterprises, members=options.members,
                             start=options.start, until=options.until)
            with transaction.atomic():
                worlds.append(build_park(county, plan, seed=options.seed, password=password, today=setup_day))
        log(f"set up {len(worlds)} parks on {setup_day}")
        run_history(worlds, options.start, options.until, clock, log)
    return worlds


@contextmanager
def one_transaction_a_day():
    """Each service call is its own transaction when a page calls it; here a day's calls (and the
    cycle's jobs, each atomic in run_jobs) share the day's transaction: nested atomic blocks make
    no savepoints on this connection meanwhile, so a service call costs its own queries and no
    BEGIN/COMMIT or SAVEPOINT/RELEASE round trips — a third of all of them. Nothing is caught and
    carried on after an error (a refused call stops the generator), so no partial rollback is
    ever needed. Commits are asynchronous for this session: a crash means generating again."""
    features = connection.features
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    features.uses_savepoints = False  # this connection's features only, until the end of the run
    try:
        yield
    finally:
        del features.uses_savepoints
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


@contextmanager
def autovacuum_paused():
    """Autovacuum off for the new database's tables while it is filled, then on again and ANALYZE.

    A query without ORDER BY returns rows in the order they lie in the table, and autovacuum, which
    runs when it will, changes where updated rows go; some of the platform's writes follow such an
    order (who a reminder is written for first, say). Without it, the same run lays the same rows
    out the same way, so the same seed gives the same data, key for key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = off)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
            cursor.execute("ANALYZE")


REMINDER_DAYS = 31  # the reminder jobs run over the history's last days only (see run_history)


def run_history(worlds: list[ParkWorld], start: date, until: date, clock: Clock, log) -> None:
    """Every day: the creation jobs at 00:10, on the county's survey days the 六个清 snapshots at
    00:30, each park's plans at 08:30, the day's events in time
    order, and the branches' records written in their batch at 23:50 (backfill.py).

    The reminder jobs (compliance, overdue tasks, late reports, 换届, 发展党员 deadlines, 党费
    arrears) only notify; they run every day of the last REMINDER_DAYS, so each start page has a
    live list, and not over the years before: as seed_demo, which leaves out a backlog of old
    reminders, and because they cost more than all the rest of the cycle together."""
    agenda = Agenda(until)
    creates, reminds = job_names(CREATES), job_names(REMINDS)
    reminders_from = until - timedelta(days=REMINDER_DAYS)
    surveyed = set(survey_days(worlds[0].park.county)) if worlds else set()  # 六个清: 1 January and 1 July
    for world in worlds:
        world.agenda, world.history_start = agenda, start
        world.backlog = Backlog(last_day=until)
        world.instructor_leaves_on = start + timedelta(days=400 + 30 * world.plan.index % 200)
    for day in days(start, until):
        daily = day >= reminders_from
        for world in worlds:
            agenda.add(day, 10, world.park, lambda w=world, d=day: daily_jobs(w, d, creates))
            if (day.month, day.day) in surveyed:  # 00:30, as beat's survey_all_parks
                agenda.add(day, 30, world.park, lambda w=world, d=day: take_snapshots(parks=[w.park], day=d))
            if daily:
                agenda.add(day, world.reminder_minute, world.park, lambda w=world, d=day: run_jobs(w.park, d, reminds))
            agenda.add(day, 8 * 60 + 30, world.park, lambda w=world, d=day: planner.plan_day(w, d, agenda))
            if daily or day.day == 8 or day == month_end(day) or day == until:
                agenda.add(day, 23 * 60 + 50, world.park, lambda w=world, d=day: backfill.flush(w, d))
        with transaction.atomic():  # the day's work commits together (see one_transaction_a_day)
            for event in agenda.due(day):
                clock.at(event.day, event.minute)
                with park_scope(event.park):
                    event.run()
        if day.day == 1 and day.month in (1, 7):
            log(f"… {day}")


def daily_jobs(world: ParkWorld, day: date, names: list[str]) -> None:
    """00:10: the cycle's creation jobs, and the daily dissolution of ended temporary branches."""
    run_jobs(world.park, day, names)
    organisations_dissolve_ended(park=world.park, today=day)
