"""What each park plans at 08:30 of a day, once the cycle's jobs have run: on the 1st, its month
(and its quarter, half-year or year where one begins); on fixed days, what the office does once
a year."""

from datetime import date, timedelta

from core.periods import month_end, month_in_quarter
from demo.county import (
    assessment_round,
    changes,
    enterprise_services,
    membership,
    party_dues,
    rhythm,
    yearly,
)
from demo.county.clock import Agenda
from demo.county.state import ParkWorld


def plan_day(world: ParkWorld, day: date, agenda: Agenda) -> None:
    if day.day == 1:
        plan_month(world, day, agenda)
    if day == world.instructor_leaves_on:
        changes.instructor_leaves(world)


def plan_month(world: ParkWorld, first: date, agenda: Agenda) -> None:
    park = world.park
    rhythm.plan_month(world, first, agenda)
    party_dues.plan_payments(world, first)
    membership.plan_members(world, first, agenda)
    changes.plan_changes(world, first, month_end(first), agenda)
    enterprise_services.plan_demands(world, first, agenda)
    enterprise_services.plan_notice(world, first, agenda)
    if month_in_quarter(first) == 1:
        enterprise_services.plan_visits(world, first, agenda)
    if month_in_quarter(first) == 3:
        assessment_round.plan_round(world, first, agenda)
    if first.month in party_dues.REMIT_MONTHS:
        agenda.add(first.replace(day=10), 10 * 60, park, lambda: party_dues.remit(world, first.replace(day=10)))
    if first.month == 1:
        agenda.add(first + timedelta(days=2), 10 * 60, park, lambda: party_dues.payroll(world, first + timedelta(days=2)))
        if world.plan.index % 4 == 3 and first.year == world.history_start.year + 1:
            agenda.add(first + timedelta(days=5), 11 * 60, park, lambda: assessment_round.new_rubric(world, first + timedelta(days=5)))
    if first.month == 3:
        agenda.add(first.replace(day=12), 10 * 60, park, lambda: enterprise_services.policy_bundle(world))
    if first.month == 4:
        agenda.add(first.replace(day=15), 10 * 60, park, lambda: party_dues.dues_returned(world, first.replace(day=15)))
    if first.month == 6:
        yearly.plan_nominations(world, first, agenda)
    if first.month == 12:
        yearly.plan_review(world, first, agenda)
