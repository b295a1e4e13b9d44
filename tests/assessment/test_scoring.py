"""Scoring a branch in a round: each item's points within its range."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import rubrics, scoring
from assessment.models import ItemScore, RubricItem
from tests.assessment.helpers import items, open_round, score

pytestmark = pytest.mark.django_db


class TestScoring:
    def test_scores_out_of_range_are_refused(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        with pytest.raises(ValidationError) as exc:
            score(assessment, world.branch, {"三会一课": 61})
        assert exc.value.messages == ["“三会一课”的得分应在0到60之间。"]

    def test_a_sheet_is_saved_in_a_fixed_number_of_queries_and_saved_again_in_place(self, world, in_park):
        many = [{"dimension": "维度", "title": f"项目{n}", "max_points": Decimal("5"), "is_veto": False, "measure": ""} for n in range(20)]
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=many, published_on=date(2026, 1, 1))
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        sheet = {item: (Decimal("4"), "", False, None) for item in RubricItem.objects.filter(rubric=assessment.rubric)}
        with CaptureQueriesContext(connection) as first:
            scoring.scores_save(assessment=assessment, branch=world.branch, actor=world.inspector, entries=sheet, as_inspector=True,
                                today=date(2026, 9, 1))
        scoring.scores_save(assessment=assessment, branch=world.branch, actor=world.secretary, entries={i: (Decimal("5"), "", False, None) for i in sheet},
                            as_inspector=False, today=date(2026, 9, 1))
        assert len(first.captured_queries) <= len(sheet) + 10  # one per item, not two or three (+2: the round and its deadline rule)
        rows = ItemScore.objects.filter(assessment=assessment, branch=world.branch)
        assert rows.count() == 20
        assert {(r.points, r.self_points, r.scored_by_id) for r in rows} == {(Decimal("4"), Decimal("5"), world.inspector.pk)}


class TestEvidence:
    def test_evidence_goes_through_the_upload_checker_and_a_replaced_file_leaves_the_disk(self, world, in_park, settings, tmp_path,
                                                                                         django_capture_on_commit_callbacks):
        settings.MEDIA_ROOT = tmp_path
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(veto=False), published_on=date(2026, 1, 1))
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        item = RubricItem.objects.get(rubric=assessment.rubric, title="三会一课")

        def save(evidence):
            scoring.scores_save(assessment=assessment, branch=world.branch, actor=world.inspector, as_inspector=True,
                                entries={item: (Decimal("50"), "", False, evidence)}, today=date(2026, 9, 1))

        with pytest.raises(ValidationError) as refused:
            save(SimpleUploadedFile("佐证.pdf", b"<html><script>alert(1)</script></html>"))
        assert refused.value.messages == ["“佐证.pdf”的内容与扩展名不符。"]
        oversized = SimpleUploadedFile("佐证大.pdf", b"%PDF-1.4 " + b"0" * (20 * 1024 * 1024))  # one byte past 20 MB
        with pytest.raises(ValidationError) as refused:
            save(oversized)
        assert refused.value.messages == ["“佐证大.pdf”超过20MB。"]
        assert not ItemScore.objects.filter(assessment=assessment, branch=world.branch, item=item).exists()  # nothing half-written
        with django_capture_on_commit_callbacks(execute=True):
            save(SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 first"))
        first = ItemScore.objects.get(assessment=assessment, branch=world.branch, item=item).evidence
        assert (tmp_path / first.name).exists()
        with django_capture_on_commit_callbacks(execute=True):
            save(SimpleUploadedFile("佐证2.pdf", b"%PDF-1.4 second"))
        second = ItemScore.objects.get(assessment=assessment, branch=world.branch, item=item).evidence
        assert (tmp_path / second.name).read_bytes() == b"%PDF-1.4 second" and not (tmp_path / first.name).exists()
