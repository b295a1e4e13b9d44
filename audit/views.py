"""The history page of one object: every change to its row, newest first (audit.history)."""

from django.http import Http404
from django.views.generic import TemplateView

from audit.history import object_history, tracked_model
from core.roles import ADMIN_ONLY
from core.tenancy.views import ParkViewMixin


class ObjectHistoryView(ParkViewMixin, TemplateView):
    """修改记录. The park admin's (the office that runs the park) alone: the record names who changed
    what and from which page, across every branch; a secretary sees their branch through its pages,
    an inspector scores, and the county viewer reads figures, not the park's working trail."""

    allowed_roles = ADMIN_ONLY
    template_name = "audit/history.html"

    def prepare(self):
        self.model = tracked_model(self.kwargs["label"])
        if self.model is None:
            raise Http404
        found = object_history(self.model, self.park, self.kwargs["pk"], self.request.GET.get("page"))
        if found is None:
            raise Http404
        self.page, self.entries = found

    def get_context_data(self, **kwargs):
        obj = self.model.objects.filter(park=self.park, pk=self.kwargs["pk"]).first()
        name = str(obj) if obj is not None else f"编号 {self.kwargs['pk']}（已删除）"
        return super().get_context_data(
            kind=self.model._meta.verbose_name,
            name=name,
            entries=self.entries,
            page_obj=self.page,
            paginator=self.page.paginator,
            is_paginated=self.page.paginator.num_pages > 1,
            **kwargs,
        )
