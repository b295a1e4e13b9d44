"""benchmarks/load.py's arguments and report, without starting gunicorn or locust (the load itself is a
benchmark: `make load`, figures in benchmarks/README.md)."""

import pytest

from benchmarks import load


def test_defaults_are_the_issues_load():
    args = load.parse_args([])
    assert (args.users, args.seconds, args.workers) == (32, 30, 3)
    assert load.database_name(args) == "hongfan_load_4x40x200x2"
    assert not args.rebuild


def test_flags_change_users_duration_and_the_county():
    args = load.parse_args(["--users", "64", "--seconds", "5", "--workers", "5", "--parks", "2", "--years", "1", "--rebuild"])
    assert (args.users, args.seconds, args.workers, args.rebuild) == (64, 5, 5, True)
    assert load.database_name(args) == "hongfan_load_2x40x200x1"


@pytest.mark.parametrize("flag", ["--users", "--seconds", "--workers", "--parks"])
def test_a_count_below_one_is_refused(flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        load.parse_args([flag, "0"])
    assert exit_info.value.code == 2
    assert f"{flag} must be at least 1" in capsys.readouterr().err


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]  # 100 … 1, unordered on purpose
    assert load.percentile(values, 0.50) == 50.0
    assert load.percentile(values, 0.99) == 99.0
    assert load.percentile([7.0], 0.99) == 7.0
    assert load.percentile(values + [1000.0], 0.99) == 100.0


def test_summary_has_a_line_per_page_in_order_and_a_total():
    results = {
        "seconds": 10.0,
        "times": {"tasks.secretary": [30.0] * 10, "members": [10.0] * 99 + [500.0], "park_dashboard": [20.0, 40.0]},
        "errors": {"members": 2},
    }
    lines, errors = load.summary_lines(results)
    assert lines == [
        "page=park_dashboard requests=2 rps=0.2 p50_ms=20 p99_ms=40 errors=0",
        "page=members requests=100 rps=10.0 p50_ms=10 p99_ms=10 errors=2",
        "page=tasks.secretary requests=10 rps=1.0 p50_ms=30 p99_ms=30 errors=0",
        "page=total requests=112 rps=11.2 p50_ms=10 p99_ms=40 errors=2",
    ]
    assert errors == 2


def test_no_errors_no_failure():
    lines, errors = load.summary_lines({"seconds": 2.0, "times": {"demands": [12.4, 12.6]}, "errors": {}})
    assert errors == 0
    assert lines[-1] == "page=total requests=2 rps=1.0 p50_ms=12 p99_ms=13 errors=0"
