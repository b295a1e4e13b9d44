"""The points page (星级党员 points, the 积分超市, activists' 积分卡) and one view per write on it."""

from django.db.models import Sum
from django.utils import timezone
from django.views.generic import TemplateView

from core.periods import quarter_bounds, quarter_of
from core.roles import ADMIN_ONLY, BRANCH_WRITERS, PARK_STAFF, SECRETARY
from core.tenancy.views import (
    ParkViewMixin,
    ServiceActionView,
    ServiceFormView,
    park_url,
)
from members.models import Member
from points import forms, services
from points.models import (
    ActivistCard,
    MemberStar,
    PointEntry,
    Redemption,
    StarCategory,
    StoreItem,
)


class PointsMixin(ParkViewMixin):
    allowed_roles = PARK_STAFF | SECRETARY

    def members(self):
        members = Member.objects.filter(park=self.park, status__in=Member.ON_ROLL)
        return members if self.access.sees_whole_park else members.filter(branch_id__in=self.access.organisation_ids)

    def activists(self):
        return self.members().filter(stage=Member.Stage.ACTIVIST)

    def quarter(self) -> tuple[int, int]:
        today = timezone.localdate()
        return today.year, quarter_of(today)

    def get_success_url(self):
        return park_url("points:points", self.park)


class PointsView(PointsMixin, TemplateView):
    template_name = "points/points.html"

    def get_context_data(self, **kwargs):
        year, quarter = self.quarter()
        start, end = quarter_bounds(year, quarter)
        members = self.members()
        context = super().get_context_data(
            year=year, quarter=quarter,
            totals=[
                {**row, "category_label": StarCategory(row["category"]).label}
                for row in PointEntry.objects.filter(park=self.park, member__in=members, month__gte=start, month__lte=end)
                .values("member__name", "member__branch__name", "category").annotate(total=Sum("points"))
                .order_by("member__branch__name", "member__name")
            ],
            stars=MemberStar.objects.filter(park=self.park, member__in=members).select_related("member").order_by("-year", "-quarter")[:50],
            items=StoreItem.objects.filter(park=self.park),
            redemptions=Redemption.objects.filter(park=self.park, member__in=members).select_related("member", "item").order_by("-created_at")[:20],
            cards=ActivistCard.objects.filter(park=self.park, member__in=members, year=year, quarter=quarter).select_related("member", "member__branch"),
            **kwargs,
        )
        if self.access.has_any(BRANCH_WRITERS):
            context["points_form"] = forms.PointsForm(members=members, park=self.park, initial={"month": timezone.localdate()})
            context["redeem_form"] = forms.RedeemForm(members=members, park=self.park, items=StoreItem.objects.filter(park=self.park, stock__gt=0))
            context["card_form"] = forms.ActivistCardForm(members=self.activists(), park=self.park)
        if self.access.is_admin:
            context["item_form"] = forms.StoreItemForm()
        return context


class PointsAddView(PointsMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"
    form_class = forms.PointsForm
    success_message = "已记录积分。"
    extra_context = {"title": "记录积分"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.members(), "park": self.park}

    def perform(self, form):
        return services.points_add(park=self.park, actor=self.request.user, **form.cleaned_data)


class RedeemView(PointsMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"
    form_class = forms.RedeemForm
    success_message = "兑换成功。"
    extra_context = {"title": "积分兑换"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.members(), "items": StoreItem.objects.filter(park=self.park), "park": self.park}

    def perform(self, form):
        return services.redeem(park=self.park, actor=self.request.user, **form.cleaned_data)


class ActivistCardSaveView(PointsMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"
    form_class = forms.ActivistCardForm
    success_message = "已保存积分卡。"
    extra_context = {"title": "入党积极分子积分卡"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.activists(), "park": self.park}

    def perform(self, form):
        year, quarter = self.quarter()
        return services.activist_card_save(park=self.park, actor=self.request.user, year=year, quarter=quarter, **form.cleaned_data)


class ActivistCardsPublishView(PointsMixin, ServiceActionView):
    allowed_roles = BRANCH_WRITERS

    def perform(self, data):
        year, quarter = self.quarter()
        branch_ids = list(self.members().values_list("branch_id", flat=True).distinct())
        return services.activist_cards_publish(park=self.park, actor=self.request.user, year=year, quarter=quarter, branch_ids=branch_ids)

    def get_success_message(self, count) -> str:
        return f"已公示{count}张积分卡。"


class StoreItemCreateView(PointsMixin, ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.StoreItemForm
    success_message = "已上架。"
    extra_context = {"title": "上架物品"}

    def perform(self, form):
        return services.store_item_create(park=self.park, actor=self.request.user, **form.cleaned_data)
