"""Assessment pages: overview, rubric, settings, scoring a round, payouts and the pay sheet, points."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, FormView, TemplateView

from accounts.models import Role
from activities.models import InspectionRound
from assessment import forms, services
from assessment.models import (
    ActivistCard,
    ItemScore,
    MemberStar,
    PayoutBatch,
    PayoutLine,
    PointEntry,
    Redemption,
    RoundAssessment,
    Rubric,
    RubricItem,
    StarLevel,
    StoreItem,
)
from assessment.paysheet import pay_sheet_xlsx
from assessment.rubrics import parse_rubric_text, rubric_errors, rubric_text
from members.models import Member
from members.services import live_branches
from orgs.models import Organisation
from services.forms import add_service_errors
from services.http import download
from services.tenancy.views import ADMIN_ONLY, PARK_STAFF, ParkObjectMixin, ParkViewMixin

SECRETARY = frozenset({Role.BRANCH_SECRETARY})
SCORERS = frozenset({Role.PARK_ADMIN, Role.INSPECTOR})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def back(name, park, *args):
    return HttpResponseRedirect(reverse(name, args=[park.code, *args]))


class OverviewView(ParkViewMixin, TemplateView):
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "assessment/overview.html"

    def get_context_data(self, **kwargs):
        branches = live_branches(park=self.park).filter(kind=Organisation.Kind.BRANCH).order_by("name")
        if not self.access.sees_whole_park:
            branches = branches.filter(pk__in=self.access.organisation_ids)
        branches = list(branches)
        latest = {
            s.branch_id: s
            for s in StarLevel.objects.filter(park=self.park, branch_id__in=[b.pk for b in branches])
            .order_by("branch_id", "-created_at", "-pk").distinct("branch_id")
        }
        rounds = list(InspectionRound.objects.filter(park=self.park).order_by("-year", "-quarter")[:8])
        status = dict(RoundAssessment.objects.filter(park=self.park, round__in=rounds).values_list("round_id", "status"))
        for inspection_round in rounds:
            inspection_round.final = status.get(inspection_round.pk) == RoundAssessment.Status.FINAL
        return super().get_context_data(
            levels=[(b, latest.get(b.pk)) for b in branches],
            rounds=rounds,
            batches=PayoutBatch.objects.filter(park=self.park)[:8] if self.access.sees_whole_park else [],
            initial_level=services.settings_of(self.park).initial_level,
            **kwargs,
        )


class RubricView(ParkViewMixin, FormView):
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "assessment/rubric.html"
    form_class = forms.RubricForm

    def get_initial(self):
        current = Rubric.objects.filter(park=self.park).order_by("-version").first()
        items = RubricItem.objects.filter(park=self.park, rubric=current) if current else []
        text = rubric_text(items) if current else rubric_text([RubricItem(**i) for i in services.default_items()])
        return {"items": text, "published_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        rubrics = list(Rubric.objects.filter(park=self.park).order_by("-version"))
        items = RubricItem.objects.filter(park=self.park, rubric=rubrics[0]) if rubrics else []
        return super().get_context_data(rubrics=rubrics, items=items, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        items, problems = parse_rubric_text(form.cleaned_data["items"])
        problems += rubric_errors(items) if not problems else []
        if problems:
            form.add_error("items", problems)
            return self.form_invalid(form)
        rubric = services.rubric_publish(park=self.park, actor=self.request.user, items=items,
                                         published_on=form.cleaned_data["published_on"], note=form.cleaned_data["note"])
        messages.success(self.request, f"已发布{rubric}。")
        return back("assessment:rubric", self.park)


class SettingsView(ParkViewMixin, FormView):
    allowed_roles = PARK_STAFF
    template_name = "assessment/settings.html"
    form_class = forms.SettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": services.settings_of(self.park)}

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.settings_update(park=self.park, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "考核设置已保存。")
        return back("assessment:settings", self.park)


class RoundMixin(ParkObjectMixin):
    model = InspectionRound
    allowed_roles = PARK_STAFF | SECRETARY

    def prepare(self):
        self.inspection_round = self.get_object()
        self.assessment = services.round_assessment(inspection_round=self.inspection_round)


class RoundView(RoundMixin, TemplateView):
    template_name = "assessment/round.html"

    def get_context_data(self, **kwargs):
        branches = live_branches(park=self.park).filter(kind=Organisation.Kind.BRANCH).order_by("name")
        if not self.access.sees_whole_park:
            branches = branches.filter(pk__in=self.access.organisation_ids)
        totals = {
            row["branch_id"]: row
            for row in ItemScore.objects.filter(park=self.park, assessment=self.assessment)
            .values("branch_id").annotate(self_total=Sum("self_points"), total=Sum("points")).order_by()
        }
        levels = {s.branch_id: s for s in StarLevel.objects.filter(park=self.park, assessment=self.assessment)}
        batch = PayoutBatch.objects.filter(park=self.park, year=self.inspection_round.year, quarter=self.inspection_round.quarter).first()
        return super().get_context_data(
            round=self.inspection_round, assessment=self.assessment,
            rows=[(b, totals.get(b.pk, {}), levels.get(b.pk)) for b in branches],
            batch=batch if self.access.sees_whole_park else None, **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        try:
            _finalised, batch = services.round_finalise(inspection_round=self.inspection_round, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return back("assessment:round", self.park, self.inspection_round.pk)
        messages.success(request, f"{self.inspection_round}已定档，星级已调整，红星津贴发放表已生成草稿。")
        return back("assessment:round", self.park, self.inspection_round.pk)


class ScoreView(RoundMixin, TemplateView):
    """One branch's scoring sheet: its secretary self-assesses, inspectors score item by item."""

    template_name = "assessment/score.html"

    def prepare(self):
        self.kwargs["pk"] = self.kwargs["round_pk"]
        super().prepare()
        branches = Organisation.objects.filter(park=self.park, kind=Organisation.Kind.BRANCH)
        if not self.access.sees_whole_park:
            branches = branches.filter(pk__in=self.access.organisation_ids)
        self.branch = get_object_or_404(branches, pk=self.kwargs["branch_pk"])

    def get_context_data(self, **kwargs):
        items = list(RubricItem.objects.filter(park=self.park, rubric=self.assessment.rubric))
        scores = {s.item_id: s for s in ItemScore.objects.filter(park=self.park, assessment=self.assessment, branch=self.branch)}
        return super().get_context_data(
            round=self.inspection_round, assessment=self.assessment, branch=self.branch,
            rows=[(item, scores.get(item.pk)) for item in items],
            as_inspector=self.access.has_any(SCORERS), can_self=Role.BRANCH_SECRETARY in self.access.roles,
            open=self.assessment.status == RoundAssessment.Status.OPEN, **kwargs,
        )

    def post(self, request, *args, **kwargs):
        as_inspector = self.access.has_any(SCORERS)
        if not as_inspector and Role.BRANCH_SECRETARY not in self.access.roles:
            raise PermissionDenied
        entries, problems = {}, []
        for item in RubricItem.objects.filter(park=self.park, rubric=self.assessment.rubric):
            if item.measure:
                continue
            raw = request.POST.get(f"points_{item.pk}", "").strip()
            try:
                points = Decimal(raw) if raw else None
            except InvalidOperation:
                problems.append(f"“{item.title}”的得分应为数字。")
                continue
            vetoed = request.POST.get(f"veto_{item.pk}") == "on"
            if item.is_veto:
                points = None
            entries[item] = (points, request.POST.get(f"note_{item.pk}", ""), vetoed, request.FILES.get(f"evidence_{item.pk}"))
        if problems:
            for problem in problems:
                messages.error(request, problem)
            return back("assessment:score", self.park, self.inspection_round.pk, self.branch.pk)
        try:
            services.scores_save(assessment=self.assessment, branch=self.branch, actor=request.user, entries=entries, as_inspector=as_inspector)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已保存{self.branch.name}的{'检查评分' if as_inspector else '自查评分'}。")
        return back("assessment:score", self.park, self.inspection_round.pk, self.branch.pk)


class BatchView(ParkObjectMixin, DetailView):
    model = PayoutBatch
    allowed_roles = PARK_STAFF
    template_name = "assessment/batch.html"
    context_object_name = "batch"

    def get_context_data(self, **kwargs):
        batch = self.object
        next_steps = [(to, PayoutBatch.Status(to).label) for (frm, to) in services.TRANSITIONS if frm == batch.status]
        return super().get_context_data(
            lines=PayoutLine.objects.filter(park=self.park, batch=batch).select_related("branch", "member").order_by("branch__name"),
            events=batch.events.select_related("actor"), next_steps=sorted(next_steps), **kwargs,
        )

    def post(self, request, *args, **kwargs):
        batch = self.get_object()
        if not self.access.is_admin:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "recompute":
                services.batch_recompute(batch=batch, actor=request.user)
                messages.success(request, "已按最新数据重新计算。")
            else:
                batch = services.batch_transition(batch=batch, actor=request.user, to=request.POST.get("to", ""))
                messages.success(request, f"发放批次已{batch.get_status_display()}。")
        except (ValidationError, ValueError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return back("assessment:batch", self.park, batch.pk)


class PaySheetView(ParkObjectMixin, DetailView):
    model = PayoutBatch
    allowed_roles = PARK_STAFF

    def get(self, request, *args, **kwargs):
        batch = self.get_object()
        return download(pay_sheet_xlsx(batch), f"{batch.park.name}{batch}发放表.xlsx", XLSX)


class PointsView(ParkViewMixin, TemplateView):
    """星级党员 points, the 积分超市 and the activists' 积分卡 of the branches this user sees."""

    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "assessment/points.html"

    def members(self):
        members = Member.objects.filter(park=self.park, status__in=["active", "mobile"])
        return members if self.access.sees_whole_park else members.filter(branch_id__in=self.access.organisation_ids)

    def quarter(self):
        today = timezone.localdate()
        return today.year, (today.month - 1) // 3 + 1

    def get_context_data(self, **kwargs):
        year, quarter = self.quarter()
        start, end = services.quarter_bounds(year, quarter)
        members = self.members()
        writer = self.access.is_admin or Role.BRANCH_SECRETARY in self.access.roles
        context = super().get_context_data(
            year=year, quarter=quarter,
            totals=PointEntry.objects.filter(park=self.park, member__in=members, month__gte=start, month__lte=end)
            .values("member__name", "member__branch__name", "category").annotate(total=Sum("points")).order_by("member__branch__name", "member__name"),
            stars=MemberStar.objects.filter(park=self.park, member__in=members).select_related("member").order_by("-year", "-quarter")[:50],
            items=StoreItem.objects.filter(park=self.park),
            redemptions=Redemption.objects.filter(park=self.park, member__in=members).select_related("member", "item").order_by("-created_at")[:20],
            cards=ActivistCard.objects.filter(park=self.park, member__in=members, year=year, quarter=quarter).select_related("member", "member__branch"),
            **kwargs,
        )
        if writer:
            context.setdefault("points_form", forms.PointsForm(members=members, initial={"month": timezone.localdate()}))
            context.setdefault("redeem_form", forms.RedeemForm(members=members, items=StoreItem.objects.filter(park=self.park, stock__gt=0)))
            context.setdefault("card_form", forms.ActivistCardForm(members=members.filter(stage=Member.Stage.ACTIVIST)))
        if self.access.is_admin:
            context.setdefault("item_form", forms.StoreItemForm())
        return context

    def post(self, request, *args, **kwargs):
        if not (self.access.is_admin or Role.BRANCH_SECRETARY in self.access.roles):
            raise PermissionDenied
        action, members = request.POST.get("action"), self.members()
        year, quarter = self.quarter()
        try:
            if action == "points":
                form = forms.PointsForm(request.POST, members=members)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(points_form=form))
                services.points_add(park=self.park, actor=request.user, **form.cleaned_data)
                messages.success(request, "已记录积分。")
            elif action == "redeem":
                form = forms.RedeemForm(request.POST, members=members, items=StoreItem.objects.filter(park=self.park))
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(redeem_form=form))
                services.redeem(park=self.park, actor=request.user, **form.cleaned_data)
                messages.success(request, "兑换成功。")
            elif action == "card":
                form = forms.ActivistCardForm(request.POST, members=members.filter(stage=Member.Stage.ACTIVIST))
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(card_form=form))
                services.activist_card_save(park=self.park, actor=request.user, year=year, quarter=quarter, **form.cleaned_data)
                messages.success(request, "已保存积分卡。")
            elif action == "publish":
                branch_ids = members.values_list("branch_id", flat=True).distinct()
                count = services.activist_cards_publish(park=self.park, actor=request.user, year=year, quarter=quarter, branch_ids=list(branch_ids))
                messages.success(request, f"已公示{count}张积分卡。")
            elif action == "item" and self.access.is_admin:
                form = forms.StoreItemForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(item_form=form))
                services.store_item_create(park=self.park, actor=request.user, **form.cleaned_data)
                messages.success(request, "已上架。")
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return back("assessment:points", self.park)
