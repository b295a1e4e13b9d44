"""Star-level recalculation and 红星津贴 drafting for a county: python benchmarks/star_bench.py [--branches N]

Builds a county of N branches (in 10 parks), each covering an enterprise with a secretary, and a
30-item rubric scored for every branch; then times finalise_rounds (scores → star levels for every
branch) and draft_payouts (one batch per park). Ends with one line:
branches=N queries=Q recalc_s=… payout_s=…   — Q must not depend on N.
"""

import argparse
import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import fresh_database, timed  # noqa: E402

PARKS = 10
ITEMS = 30


def build(branches: int):
    from django.db import connection
    from django_scopes import scopes_disabled

    from assessment.models import ItemScore, RoundAssessment, Rubric, RubricItem
    from core.crypto import encrypt_id, id_hash
    from core.validators import credit_code_check_char, id_check_char
    from cycle.models import InspectionRound
    from members.models import Member, PostTerm
    from orgs.models import County, Coverage, Enterprise, Organisation, Park

    rng = random.Random(11)
    with scopes_disabled():
        county = County.objects.create(code="bench", name="基准县")
        parks = Park.objects.bulk_create([Park(county=county, code=f"p{k}", name=f"基准园区{k}") for k in range(PARKS)])
        tops = Organisation.objects.bulk_create([Organisation(park=p, name=f"{p.name}党工委", kind="work_committee") for p in parks])
        per_park = [branches // PARKS + (1 if k < branches % PARKS else 0) for k in range(PARKS)]
        orgs, units = [], []
        for park, top, count in zip(parks, tops, per_park):
            for n in range(count):
                body = f"9137{park.pk % 100:02d}27{n:09d}"
                units.append(Enterprise(park=park, name=f"企业{park.pk}-{n}", credit_code=body + credit_code_check_char(body)))
                orgs.append(Organisation(park=park, parent=top, name=f"支部{park.pk}-{n}", kind="branch", formation="single"))
        Enterprise.objects.bulk_create(units, batch_size=5000)
        Organisation.objects.bulk_create(orgs, batch_size=5000)
        Coverage.objects.bulk_create([Coverage(park_id=o.park_id, organisation=o, enterprise=e) for o, e in zip(orgs, units)], batch_size=5000)
        members = []
        for n, org in enumerate(orgs):
            body = f"370827{1970 + n % 30}0101{n % 1000:03d}"
            number = body + id_check_char(body)
            members.append(Member(park_id=org.park_id, branch=org, name=f"书记{n}", gender="M", id_cipher=encrypt_id(number),
                                  id_hash=id_hash(f"{n}-{number}"), birth_date=date(1970 + n % 30, 1, 1), stage="full",
                                  joined_on=date(2000, 7, 1), full_on=date(2001, 7, 1), post="secretary"))
        Member.objects.bulk_create(members, batch_size=5000)
        PostTerm.objects.bulk_create(
            [PostTerm(park_id=m.park_id, member=m, branch_id=m.branch_id, post="secretary",
                      started_on=date(2026, 8, 17) if n % 7 == 0 else None) for n, m in enumerate(members)],
            batch_size=5000,
        )
        assessments, scores = [], []
        for park in parks:
            rubric = Rubric.objects.create(park=park, version=1, published_on=date(2026, 1, 1))
            items = RubricItem.objects.bulk_create(
                [RubricItem(park=park, rubric=rubric, position=k, dimension="维度", title=f"项目{k}",
                            max_points=Decimal("3") if k < ITEMS - 2 else Decimal("8"), is_veto=k == ITEMS - 1) for k in range(ITEMS)]
            )
            inspection_round = InspectionRound.objects.create(park=park, year=2026, quarter=3, opens_on=date(2026, 9, 1),
                                                              self_assessment_due=date(2026, 9, 15), inspection_due=date(2026, 9, 30))
            assessment = RoundAssessment.objects.create(park=park, round=inspection_round, rubric=rubric)
            assessments.append(assessment)
            park_orgs = [o for o in orgs if o.park_id == park.pk]
            for org in park_orgs:
                for item in items:
                    if item.is_veto:
                        if rng.random() < 0.02:
                            scores.append(ItemScore(park=park, assessment=assessment, branch=org, item=item, vetoed=True))
                    else:
                        scores.append(ItemScore(park=park, assessment=assessment, branch=org, item=item,
                                                points=(item.max_points * Decimal(rng.randint(5, 10)) / 10).quantize(Decimal("0.1"))))
        ItemScore.objects.bulk_create(scores, batch_size=10000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return list(RoundAssessment.objects.select_related("round").filter(pk__in=[a.pk for a in assessments]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=10_000)
    args = parser.parse_args()
    fresh_database()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from assessment.levels import finalise_rounds
    from assessment.models import PayoutLine, StarLevel
    from assessment.payouts import draft_payouts

    assessments, build_s = timed(build, args.branches)
    print(f"built {args.branches} branches × {ITEMS} items in {PARKS} parks in {build_s:.1f}s")
    with scopes_disabled(), CaptureQueriesContext(connection) as ctx:
        finalised, recalc_s = timed(finalise_rounds, assessments=assessments, actor=None)
        recalc_queries = len(ctx.captured_queries)
        _, payout_s = timed(draft_payouts, assessments=finalised.assessments, actor=None)
    with scopes_disabled():
        levels, lines = StarLevel.objects.count(), PayoutLine.objects.count()
    print(f"star levels written: {levels}; payout lines: {lines}; queries: recalculation {recalc_queries}, "
          f"payouts {len(ctx.captured_queries) - recalc_queries}")
    print(f"branches={args.branches} queries={len(ctx.captured_queries)} recalc_s={recalc_s:.2f} payout_s={payout_s:.2f}")


if __name__ == "__main__":
    main()
