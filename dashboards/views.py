"""The park overview: the park's figures at a glance, each derived from records already held."""

from django.db.models import Count
from django.utils import timezone
from django.views.generic import TemplateView

from core.tenancy.views import ParkViewMixin
from members.checks import organisation_check
from orgs.models import Organisation
from orgs.selectors import coverage_summary, organisation_active_q


class ParkHomeView(ParkViewMixin, TemplateView):
    template_name = "dashboards/park_home.html"

    def get_context_data(self, **kwargs):
        kinds = dict(Organisation.Kind.choices)
        today = timezone.localdate()
        by_kind = (
            Organisation.objects.filter(park=self.park).filter(organisation_active_q(today))
            .values("kind").annotate(n=Count("pk")).order_by()
        )
        return super().get_context_data(
            coverage=coverage_summary(park=self.park),
            organisation_counts=[(kinds[row["kind"]], row["n"]) for row in by_kind],
            findings=len(organisation_check(park=self.park, today=today)),
            **kwargs,
        )
