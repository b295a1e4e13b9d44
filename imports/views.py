"""Roster import (upload → preview → confirm), export and blank templates for a park."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView

from core.http import download
from core.roles import ADMIN_ONLY, PARK_STAFF
from core.tenancy.views import ParkObjectMixin, ParkViewMixin, ServiceFormView, park_url
from imports import services
from imports.columns import KIND_LABELS
from imports.export import (
    template_xlsx,
)
from imports.forms import UploadForm
from imports.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportHomeView(ParkObjectMixin, ServiceFormView):
    model = ImportJob
    allowed_roles = ADMIN_ONLY
    form_class = UploadForm
    template_name = "imports/import_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(jobs=self.get_queryset().select_related("created_by")[:20], kinds=KIND_LABELS, **kwargs)

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in KIND_LABELS else {}

    def perform(self, form):
        upload = form.cleaned_data["file"]
        job, _plan = services.import_preview(
            park=self.park, actor=self.request.user, kind=form.cleaned_data["kind"], data=upload.read(), filename=upload.name
        )
        return job

    def get_success_url(self):
        return park_url("imports:job", self.park, self.result.pk)


class ImportJobView(ParkObjectMixin, DetailView):
    model = ImportJob
    allowed_roles = ADMIN_ONLY
    template_name = "imports/job.html"
    context_object_name = "job"
    paginate_by = 50  # rows of values per page of the preview

    def get_context_data(self, **kwargs):
        summary = self.object.summary
        page = Paginator(summary.get("rows_shown", []), self.paginate_by).get_page(self.request.GET.get("page"))
        listed = summary.get("created", 0) + summary.get("updated", 0)
        return super().get_context_data(
            limit=services.PREVIEW_LIMIT, page_obj=page, paginator=page.paginator, is_paginated=page.has_other_pages(),
            rows_cut=listed > len(summary.get("rows_shown", [])), **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.summary.get("personal", True):
            response["Cache-Control"] = "no-store"  # names, phones, masked ID numbers: kept in no cache
        return response


class ImportConfirmView(ParkObjectMixin, View):
    model = ImportJob
    allowed_roles = ADMIN_ONLY

    def post(self, request, *args, **kwargs):
        job = self.get_object()
        try:
            plan = services.import_confirm(job=job, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"导入完成：新增 {len(plan.creates)} 条，更新 {len(plan.updates)} 条，未变 {plan.unchanged} 条。")
        return HttpResponseRedirect(reverse("imports:job", args=[self.park.code, job.pk]))


class ExportView(ParkViewMixin, View):
    """A roster as .xlsx or .csv; ID numbers whole only for park admins, masked for everyone else."""

    allowed_roles = PARK_STAFF

    def get(self, request, *args, kind, fmt, **kwargs):
        if kind not in KIND_LABELS or fmt not in ("xlsx", "csv"):
            raise Http404
        data = services.roster_export(park=self.park, actor=request.user, kind=kind, fmt=fmt, show_id=self.access.is_admin)
        name = f"{self.park.name}{KIND_LABELS[kind]}{timezone.localdate():%Y%m%d}.{fmt}"
        response = download(data, name, "text/csv; charset=utf-8" if fmt == "csv" else XLSX)
        if self.access.is_admin:
            response["Cache-Control"] = "no-store"  # whole ID numbers: kept in no cache
        return response


class TemplateView(ParkViewMixin, View):
    allowed_roles = ADMIN_ONLY

    def get(self, request, *args, kind, **kwargs):
        if kind not in KIND_LABELS:
            raise Http404
        return download(template_xlsx(park=self.park, kind=kind), f"{KIND_LABELS[kind]}导入模板.xlsx", XLSX)
