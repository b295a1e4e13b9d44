"""Assessment pages: overview, rubric, settings, scoring a round and finalising it, payouts and the
pay sheet. Reads go through assessment.selectors, writes through the assessment's services."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from assessment import (
    finalise,
    forms,
    levels,
    payouts,
    rubrics,
    scheme,
    scoring,
    selectors,
)
from assessment.models import PayoutBatch, RoundAssessment, RubricItem
from assessment.paysheet import pay_sheet_xlsx
from core.http import download
from core.roles import ADMIN_ONLY, PARK_STAFF, SCORERS, SECRETARY, Role
from core.tenancy.views import (
    AdminWritesMixin,
    ParkObjectMixin,
    ParkViewMixin,
    ServiceActionView,
    ServiceFormView,
    park_url,
    redirect_to,
)
from cycle.deadlines import policies_of
from cycle.models import InspectionRound
from orgs.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OverviewView(ParkViewMixin, TemplateView):
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "assessment/overview.html"

    def get_context_data(self, **kwargs):
        branches = selectors.visible_branches(park=self.park, access=self.access)
        latest = selectors.latest_levels(park=self.park, branch_ids=[b.pk for b in branches])
        return super().get_context_data(
            levels=[(b, latest.get(b.pk)) for b in branches],
            rounds=selectors.recent_rounds(park=self.park),
            batches=PayoutBatch.objects.filter(park=self.park)[:8] if self.access.sees_whole_park else [],
            initial_level=scheme.settings_of(self.park).initial_level,
            **kwargs,
        )


class RubricView(AdminWritesMixin, ServiceFormView):
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "assessment/rubric.html"
    form_class = forms.RubricForm

    def get_initial(self):
        _versions, items = selectors.current_rubric(park=self.park)
        text = rubrics.rubric_text(items or [RubricItem(**i) for i in rubrics.default_items()])
        return {"items": text, "published_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        versions, items = selectors.current_rubric(park=self.park)
        return super().get_context_data(rubrics=versions, items=items, **kwargs)

    def perform(self, form):
        items, problems = rubrics.parse_rubric_text(form.cleaned_data["items"])
        problems += rubrics.rubric_errors(items) if not problems else []
        if problems:
            raise ValidationError({"items": problems})
        return rubrics.rubric_publish(
            park=self.park, actor=self.request.user, items=items, published_on=form.cleaned_data["published_on"],
            note=form.cleaned_data["note"],
        )

    def get_success_message(self, rubric) -> str:
        return f"已发布{rubric}。"

    def get_success_url(self):
        return park_url("assessment:rubric", self.park)


class SettingsView(AdminWritesMixin, ServiceFormView):
    allowed_roles = PARK_STAFF
    template_name = "assessment/settings.html"
    form_class = forms.SettingsForm
    success_message = "考核设置已保存。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": scheme.settings_of(self.park)}

    def perform(self, form):
        return scheme.settings_update(park=self.park, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("assessment:settings", self.park)


class RoundMixin(ParkObjectMixin):
    model = InspectionRound
    allowed_roles = PARK_STAFF | SECRETARY

    def prepare(self):
        self.inspection_round = self.get_object()
        self.assessment = selectors.assessment_of(inspection_round=self.inspection_round)


class RoundView(RoundMixin, TemplateView):
    template_name = "assessment/round.html"

    def get_context_data(self, **kwargs):
        if self.assessment is None:  # not started: the page says so, and offers the admin to start it
            return super().get_context_data(round=self.inspection_round, assessment=None, rows=[], **kwargs)
        branches = selectors.visible_branches(park=self.park, access=self.access)
        self.assessment.round = self.inspection_round
        totals = selectors.round_totals(assessment=self.assessment)
        levels_set = selectors.round_levels(assessment=self.assessment)
        batch = selectors.quarter_batch(park=self.park, year=self.inspection_round.year, quarter=self.inspection_round.quarter)
        policies = policies_of(self.park)
        return super().get_context_data(
            round=self.inspection_round, assessment=self.assessment,
            rows=[(b, totals.get(b.pk, {}), levels_set.get(b.pk)) for b in branches],
            batch=batch if self.access.sees_whole_park else None,
            self_deadline=scoring.sheet_deadline(self.inspection_round, as_inspector=False, policies=policies),
            inspection_deadline=scoring.sheet_deadline(self.inspection_round, as_inspector=True, policies=policies),
            **kwargs,
        )


class RoundActionMixin(ParkObjectMixin):
    """A park admin's 定档 step on one round; done or refused, it goes back to the round's pages."""

    model = InspectionRound
    allowed_roles = ADMIN_ONLY

    def prepare(self):
        self.inspection_round = self.get_object()

    def get_success_url(self):
        return park_url("assessment:round", self.park, self.inspection_round.pk)

    def get_failure_url(self):
        return park_url("assessment:round_preview", self.park, self.inspection_round.pk)


class RoundStartView(RoundActionMixin, ServiceActionView):
    """Open a round for scoring when the cycle's job has not (a round created by hand)."""

    success_message = "已开始本轮评分。"

    def perform(self, data):
        return rubrics.round_start(inspection_round=self.inspection_round, actor=self.request.user)

    def get_failure_url(self):
        return self.get_success_url()


class RoundPreviewView(RoundActionMixin, TemplateView):
    """定档, step one: every branch's level and every worker's allowance, before → after."""

    template_name = "assessment/preview.html"

    def get(self, request, *args, **kwargs):
        try:
            self.preview = finalise.round_preview(inspection_round=self.inspection_round)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect_to("assessment:round", self.park, self.inspection_round.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        config = scheme.settings_of(self.park)
        quotas = [f"{star}星不超过{percent}%" for star, percent in ((5, config.quota_star5), (4, config.quota_star4)) if percent is not None]
        return super().get_context_data(
            round=self.inspection_round, preview=self.preview,
            quota_rule=f"{'，'.join(quotas)}（按参评党支部计，向下取整）；{levels.QUOTA_TIE_RULE}" if quotas else "", **kwargs,
        )


class RoundFinaliseView(RoundActionMixin, ServiceActionView):
    """定档, step two: apply exactly what the preview with this digest showed."""

    form_class = forms.FinaliseForm

    def perform(self, data):
        return finalise.round_finalise(inspection_round=self.inspection_round, actor=self.request.user, digest=data["digest"])

    def get_success_message(self, result) -> str:
        return f"{self.inspection_round}已定档，星级已调整，红星津贴发放表已生成草稿。"


class UninspectedMarkView(RoundActionMixin, ServiceActionView):
    """未检查: a branch nobody scored keeps its level, for the reason the admin gives."""

    form_class = forms.ReasonForm

    def prepare(self):
        self.kwargs["pk"] = self.kwargs["round_pk"]
        super().prepare()
        self.branch = get_object_or_404(Organisation.objects.filter(park=self.park, kind=Organisation.Kind.BRANCH), pk=self.kwargs["branch_pk"])

    def perform(self, data):
        return finalise.mark_uninspected(inspection_round=self.inspection_round, branch=self.branch, actor=self.request.user, reason=data["reason"])

    def get_success_message(self, count) -> str:
        return f"已标记{self.branch.name}本轮未检查，保持原星级。"

    def get_success_url(self):
        return self.get_failure_url()


class UninspectedMarkRestView(RoundActionMixin, ServiceActionView):
    """未检查 for every branch not yet scored nor marked, with one reason."""

    form_class = forms.ReasonForm

    def perform(self, data):
        return finalise.mark_uninspected(inspection_round=self.inspection_round, actor=self.request.user, reason=data["reason"])

    def get_success_message(self, count) -> str:
        return f"已将{count}个未评分的党支部标记为未检查，保持原星级。"

    def get_success_url(self):
        return self.get_failure_url()


class RoundReopenView(RoundActionMixin, ServiceActionView):
    """Withdraw a 定档 while the quarter's batch is a draft."""

    form_class = forms.ReasonForm
    success_message = "已撤回本轮定档，可以重新评分。"

    def perform(self, data):
        return finalise.round_reopen(inspection_round=self.inspection_round, actor=self.request.user, reason=data["reason"])

    def get_failure_url(self):
        return self.get_success_url()


class ScoreView(RoundMixin, TemplateView):
    """One branch's scoring sheet: its secretary self-assesses, inspectors score item by item."""

    template_name = "assessment/score.html"

    def prepare(self):
        self.kwargs["pk"] = self.kwargs["round_pk"]
        super().prepare()
        if self.assessment is None:
            raise Http404  # nothing to score before the round has started
        branches = Organisation.objects.filter(park=self.park, kind=Organisation.Kind.BRANCH)
        if not self.access.sees_whole_park:
            branches = branches.filter(pk__in=self.access.organisation_ids)
        self.branch = get_object_or_404(branches, pk=self.kwargs["branch_pk"])

    def get_context_data(self, **kwargs):
        items, scores = selectors.branch_scores(assessment=self.assessment, branch=self.branch)
        as_inspector = self.access.has_any(SCORERS)
        can_self = Role.BRANCH_SECRETARY in self.access.roles
        deadline = scoring.sheet_deadline(self.inspection_round, as_inspector=as_inspector) if as_inspector or can_self else None
        is_open = self.assessment.status == RoundAssessment.Status.OPEN
        return super().get_context_data(
            round=self.inspection_round, assessment=self.assessment, branch=self.branch,
            rows=[(item, scores.get(item.pk)) for item in items],
            as_inspector=as_inspector, can_self=can_self, deadline=deadline,
            # the sheet takes input while the round is open and its deadline's rule accepts it
            open=is_open and (deadline is None or deadline.accepts), final=not is_open, **kwargs,
        )

    def post(self, request, *args, **kwargs):
        as_inspector = self.access.has_any(SCORERS)
        if not as_inspector and Role.BRANCH_SECRETARY not in self.access.roles:
            raise PermissionDenied
        items = list(RubricItem.objects.filter(park=self.park, rubric=self.assessment.rubric))
        values = {item.pk: {"points": request.POST.get(f"points_{item.pk}", ""), "note": request.POST.get(f"note_{item.pk}", ""),
                            "vetoed": request.POST.get(f"veto_{item.pk}") == "on", "evidence": request.FILES.get(f"evidence_{item.pk}")}
                  for item in items}
        entries, problems = scoring.sheet_entries(items, values)
        try:
            if problems:
                raise ValidationError(problems)
            scoring.scores_save(assessment=self.assessment, branch=self.branch, actor=request.user, entries=entries, as_inspector=as_inspector)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已保存{self.branch.name}的{'检查评分' if as_inspector else '自查评分'}。")
        return redirect_to("assessment:score", self.park, self.inspection_round.pk, self.branch.pk)


class BatchView(ParkObjectMixin, DetailView):
    model = PayoutBatch
    allowed_roles = PARK_STAFF
    template_name = "assessment/batch.html"
    context_object_name = "batch"

    def get_context_data(self, **kwargs):
        batch = self.object
        next_steps = sorted((to, step.button) for (frm, to), step in payouts.TRANSITIONS.items() if frm == batch.status)
        return super().get_context_data(
            lines=selectors.batch_lines(batch=batch), events=batch.events.select_related("actor"), next_steps=next_steps,
            **kwargs,
        )


class BatchActionMixin(ParkObjectMixin):
    model = PayoutBatch
    allowed_roles = ADMIN_ONLY

    def prepare(self):
        self.batch = self.get_object()

    def get_success_url(self):
        return park_url("assessment:batch", self.park, self.batch.pk)


class BatchTransitionView(BatchActionMixin, ServiceActionView):
    form_class = forms.BatchTransitionForm

    def perform(self, data):
        return payouts.batch_transition(batch=self.batch, actor=self.request.user, to=data["to"])

    def get_success_message(self, batch) -> str:
        return payouts.TRANSITIONS[(self.previous, batch.status)].done

    def prepare(self):
        super().prepare()
        self.previous = self.batch.status


class BatchRecomputeView(BatchActionMixin, ServiceActionView):
    success_message = "已按最新数据重新计算。"

    def perform(self, data):
        return payouts.batch_recompute(batch=self.batch, actor=self.request.user)


class PaySheetView(ParkObjectMixin, DetailView):
    model = PayoutBatch
    allowed_roles = PARK_STAFF

    def get(self, request, *args, **kwargs):
        batch = self.get_object()
        return download(pay_sheet_xlsx(batch), f"{batch.park.name}{batch}发放表.xlsx", XLSX)
