"""The synthetic county's time: a clock the platform reads as "now", and an agenda of what happens when.

The services date what they record by django.utils.timezone.now() (created_at, published_at,
completed_at, the audit entries, "today" in their rules). Running them on the history's days with
the clock set to that day and hour makes every record carry the time it would have carried, and
makes the generator's output the same on every run with the same seed: nothing reads the wall clock.
"""

import heapq
import itertools
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone


class Clock:
    """Stands in for timezone.now() while `running()`; set to a day and a minute of it."""

    def __init__(self, day: date):
        self.at(day, 9 * 60)

    def at(self, day: date, minute: int) -> None:
        self.day, self.minute = day, minute
        self.moment = timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))

    def now(self) -> datetime:
        return self.moment

    @contextmanager
    def running(self):
        with mock.patch("django.utils.timezone.now", self.now):
            yield self


@dataclass(order=True)
class Event:
    day: date
    minute: int
    seq: int
    run: Callable[[], object] = field(compare=False)
    park: object = field(compare=False)


class Agenda:
    """What is to happen, in time order (ties: in the order it was planned). Events after the last
    day of the history never happen: the history ends with whatever is still open."""

    def __init__(self, last_day: date):
        self.last_day = last_day
        self.heap: list[Event] = []
        self.counter = itertools.count()
        self.now = (date.min, 0)

    def add(self, day: date, minute: int, park, run: Callable[[], object]) -> None:
        if day > self.last_day:
            return
        if (day, minute) < self.now:  # planned for a moment already past today: as soon as possible
            day, minute = self.now
        heapq.heappush(self.heap, Event(day, minute, next(self.counter), run, park))

    def due(self, day: date):
        """The events of the day, in order, including those added while the day runs."""
        while self.heap and self.heap[0].day <= day:
            event = heapq.heappop(self.heap)
            self.now = (event.day, event.minute)
            yield event


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
