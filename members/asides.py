"""What apps above members show beside a decision of the 发展党员 procedure, registered the way the
cycle's jobs are (cycle.jobs.cycle_job): members sits below those apps and imports none of them.

points registers the activist's quarterly 积分卡 totals beside 确定发展对象: the card feeds that
choice (the seeds' 入党积极分子积分制管理), it does not make it.
"""

from collections.abc import Callable

# step code → functions (park, member) → [(label, text)]
ASIDES: dict[str, list[Callable]] = {}


def step_aside(code: str):
    """Register a function whose lines are shown beside step `code` when it is the next one due."""

    def register(show):
        ASIDES.setdefault(code, []).append(show)
        return show

    return register


def asides_for(code: str, *, park, member) -> list[tuple[str, str]]:
    return [line for show in ASIDES.get(code, ()) for line in show(park=park, member=member)]
