"""The API's endpoints, one viewset per thing a role works on. Each asks the base viewset for the
park and the role check, narrows by the selector its pages use, and writes through the service its
pages call, so the API is exactly as safe as the pages and applies the same rules."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from accounts.access import user_workspaces
from activities import services as activity_services
from activities.models import Activity, Attendance
from api import serializers as s
from api.auth import SignInThrottle
from api.base import IdempotentCreateMixin, ParkViewSet
from api.models import ApiToken
from api.pagination import Cursor
from api.tokens import token_create, token_revoke
from assessment import scoring
from assessment import selectors as assessment_selectors
from assessment.models import PayoutBatch, PayoutLine, RubricItem, StarLevel
from core.periods import month_start
from core.roles import (
    ALL_ROLES,
    BRANCH_WRITERS,
    INSTRUCTOR,
    PARK_STAFF,
    SCORERS,
    SECRETARY,
    Role,
)
from core.tenancy.scoping import branch_rows
from cycle import services as cycle_services
from cycle.models import InspectionRound, MonthlyReport, Notification, TaskAssignment
from cycle.selectors import late_report_branches
from dues.selectors import collection_by_park
from dues.selectors import total as dues_total
from members.models import Member
from members.selectors import visible_members
from orgs.models import Enterprise, Organisation
from orgs.selectors import coverage_by_park, visible_enterprises, writable_branches
from services import demands as demand_rules
from services import notices as notice_rules
from services import visits as visit_rules
from services.models import Demand, Notice, NoticeField, NoticeRecipient, Visit
from services.views import DEMAND_ROLES, NOTICE_ROLES, RAISERS

MSG_SIGN_IN = _("用户名或密码不正确，或账号已停用。")
MSG_NO_BRANCH = _("请选择您可以登记的党支部。")
MSG_NOT_MEMBER = _("党员编号 %(ids)s 不是该党支部在册党员。")
MSG_NO_ENTERPRISE = _("请选择您可见的本园区企业。")
UPLOADS = [JSONParser, MultiPartParser, FormParser]


def parsed(serializer_class, request) -> dict:
    """The request's input, typed by the serializer (400 with field messages otherwise)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


# --- Tokens and the caller -----------------------------------------------------------------------
def new_token(user, values: dict) -> Response:
    """A token made for the user, with its key: the one answer that ever shows the key."""
    token, key = token_create(user=user, **values)
    return Response({**s.TokenSerializer(token).data, "key": key}, status=status.HTTP_201_CREATED)


class TokenObtainView(APIView):
    """Sign in with a password and get a token (throttled per address, and locked with the sign-in
    page's lockout: the same django-axes counters)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'  # so a wrong password answers 401, not 403

    @extend_schema(request=s.TokenObtainSerializer, responses={201: s.NewTokenSerializer}, tags=["令牌"], summary="用密码换取令牌",
                   auth=[])
    def post(self, request):
        values = parsed(s.TokenObtainSerializer, request)
        user = authenticate(request._request, username=values.pop("username"), password=values.pop("password"))
        if user is None:  # a locked-out account never gets here: django-axes answers 429 (accounts.views.lockout)
            raise exceptions.AuthenticationFailed(MSG_SIGN_IN)
        return new_token(user, values)


@extend_schema_view(
    list=extend_schema(summary="我的令牌", tags=["令牌"]),
    retrieve=extend_schema(summary="一个令牌", tags=["令牌"]),
    create=extend_schema(summary="新建令牌", tags=["令牌"], request=s.TokenCreateSerializer, responses={201: s.NewTokenSerializer}),
    revoke=extend_schema(summary="撤销令牌", tags=["令牌"], request=None, responses={200: s.TokenSerializer}),
)
class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GenericViewSet):
    """The caller's own tokens: another user's token is 404."""

    serializer_class = s.TokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def create(self, request, *args, **kwargs):
        return new_token(request.user, parsed(s.TokenCreateSerializer, request))

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return Response(s.TokenSerializer(token_revoke(token=self.get_object(), actor=request.user)).data)


class MeView(APIView):
    @extend_schema(responses={200: s.MeSerializer}, tags=["令牌"], summary="我是谁：账号与各园区的角色")
    def get(self, request):
        spaces = [{"role": w.role, "label": w.label, "county": w.county.code if w.county else None,
                   "park": w.park.code if w.park else None, "organisation": w.organisation_id}
                  for w in user_workspaces(request.user)]
        user = request.user
        return Response({"username": user.username, "name": user.get_full_name() or user.username, "workspaces": spaces})


# --- The organisation and the roster -------------------------------------------------------------
class ParkReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ParkViewSet):
    def enterprise(self, pk: int) -> Enterprise:
        """One of the park's enterprises by id; the services decide whether this user may use it."""
        found = Enterprise.objects.filter(park=self.park, pk=pk).first()
        if found is None:
            raise exceptions.ValidationError({"enterprise": [str(MSG_NO_ENTERPRISE)]})
        return found

    def writable_branch(self, pk: int):
        found = writable_branches(park=self.park, access=self.access).filter(pk=pk).first()
        if found is None:
            raise exceptions.ValidationError({"branch": [str(MSG_NO_BRANCH)]})
        return found


class BranchFilter(filters.FilterSet):
    branch = filters.NumberFilter(field_name="branch_id", label="党支部编号")


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices, label="组织类型")
    parent = filters.NumberFilter(field_name="parent_id", label="上级党组织编号")

    class Meta:
        model = Organisation
        fields = ["kind", "parent"]


@extend_schema_view(list=extend_schema(summary="党组织"), retrieve=extend_schema(summary="一个党组织"))
@extend_schema(tags=["组织与党员"])
class OrganisationViewSet(ParkReadViewSet):
    model = Organisation
    allowed_roles = PARK_STAFF | SECRETARY
    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "id"]

    def restrict(self, queryset):
        return branch_rows(queryset, self.access, "pk").order_by("name", "pk")


class MemberFilter(BranchFilter):
    stage = filters.ChoiceFilter(choices=Member.Stage.choices, label="党员类别")
    status = filters.ChoiceFilter(choices=Member.Status.choices, label="状态")
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=32, label="姓名包含")

    class Meta:
        model = Member
        fields = ["branch", "stage", "status", "name"]


@extend_schema_view(list=extend_schema(summary="党员（身份证号脱敏）"), retrieve=extend_schema(summary="一名党员"))
@extend_schema(tags=["组织与党员"])
class MemberViewSet(ParkReadViewSet):
    model = Member
    allowed_roles = PARK_STAFF | SECRETARY
    serializer_class = s.MemberSerializer
    ordering_fields = ["id", "name"]  # a cursor cannot walk a column with empty values (joined_on)
    filterset_class = MemberFilter
    pagination_class = Cursor

    def restrict(self, queryset):
        return visible_members(queryset, self.access).select_related("branch")


class EnterpriseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Enterprise.Status.choices, label="状态")
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=64, label="名称包含")

    class Meta:
        model = Enterprise
        fields = ["status", "name"]


@extend_schema_view(list=extend_schema(summary="企业"), retrieve=extend_schema(summary="一家企业"))
@extend_schema(tags=["组织与党员"])
class EnterpriseViewSet(ParkReadViewSet):
    model = Enterprise
    allowed_roles = PARK_STAFF | SECRETARY | INSTRUCTOR
    serializer_class = s.EnterpriseSerializer
    ordering_fields = ["id", "name", "employees", "moved_in_on"]
    filterset_class = EnterpriseFilter

    def restrict(self, queryset):
        return visible_enterprises(queryset, self.access).order_by("name", "pk")


# --- 三会一课 -------------------------------------------------------------------------------------
class ActivityFilter(BranchFilter):
    kind = filters.ChoiceFilter(choices=Activity._meta.get_field("kind").choices, label="类型")
    held_after = filters.DateFilter(field_name="held_on", lookup_expr="gte", label="日期不早于")
    held_before = filters.DateFilter(field_name="held_on", lookup_expr="lte", label="日期不晚于")

    class Meta:
        model = Activity
        fields = ["branch", "kind", "held_after", "held_before"]


@extend_schema_view(
    list=extend_schema(summary="三会一课记录"),
    retrieve=extend_schema(summary="一次三会一课"),
    create=extend_schema(summary="登记三会一课（出席、缺席及原因、照片和附件）", request={
        "application/json": s.ActivityCreateSerializer, "multipart/form-data": s.ActivityCreateSerializer},
        responses={201: s.ActivitySerializer}),
)
@extend_schema(tags=["三会一课"])
class ActivityViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, ParkReadViewSet):
    model = Activity
    allowed_roles = PARK_STAFF | SECRETARY
    write_roles = BRANCH_WRITERS
    serializer_class = s.ActivitySerializer
    ordering_fields = ["id", "held_on"]
    filterset_class = ActivityFilter
    pagination_class = Cursor
    parser_classes = UPLOADS

    def restrict(self, queryset):
        attendance = Attendance.objects.filter(park=self.park).select_related("member").order_by("-present", "member__name")
        return branch_rows(queryset, self.access).select_related("branch").prefetch_related(Prefetch("attendance", attendance))

    def perform_idempotent(self, request, *args, **kwargs):
        v = parsed(s.ActivityCreateSerializer, request)
        branch = self.writable_branch(v["branch"])
        absences = {a["member"]: a["reason"] for a in v["absentees"]}
        wanted = set(v["attendees"]) | set(absences) | ({v["host"]} if v.get("host") else set())
        on_roll = {m.pk: m for m in Member.objects.filter(park=self.park, branch=branch, status__in=Member.ON_ROLL, pk__in=wanted)}
        if missing := sorted(wanted - set(on_roll)):
            raise exceptions.ValidationError({"attendees": [str(MSG_NOT_MEMBER % {"ids": "、".join(map(str, missing[:10]))})]})
        activity = activity_services.activity_record(
            park=self.park, actor=request.user, branch=branch, kind=v["kind"], held_on=v["held_on"], topic=v["topic"],
            place=v["place"], host=on_roll.get(v.get("host")), minutes=v["minutes"],
            attendees=[on_roll[pk] for pk in v["attendees"]], absentees={on_roll[pk]: r for pk, r in absences.items()},
            photos=v["photos"], files=v["files"],
        )
        return Response(s.ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data, status=status.HTTP_201_CREATED)


# --- 四个一: tasks, reports, reminders -----------------------------------------------------------
def published_tasks(queryset, access):
    """A branch's tasks once the office has sent them (a draft work list is the office's alone)."""
    return branch_rows(queryset, access).filter(task__published_at__isnull=False)


class TaskFilter(BranchFilter):
    status = filters.ChoiceFilter(choices=TaskAssignment.Status.choices, label="状态")
    due_after = filters.DateFilter(field_name="task__deadline", lookup_expr="gte", label="截止不早于")
    due_before = filters.DateFilter(field_name="task__deadline", lookup_expr="lte", label="截止不晚于")

    class Meta:
        model = TaskAssignment
        fields = ["status", "branch", "due_after", "due_before"]


@extend_schema_view(
    list=extend_schema(summary="月工作清单任务（本支部）"),
    retrieve=extend_schema(summary="一项任务"),
    complete=extend_schema(summary="完成任务（完成情况与佐证材料）", request={
        "application/json": s.TaskCompleteSerializer, "multipart/form-data": s.TaskCompleteSerializer}, responses={200: s.TaskSerializer}),
)
@extend_schema(tags=["四个一"])
class TaskViewSet(ParkReadViewSet):
    model = TaskAssignment
    allowed_roles = PARK_STAFF | SECRETARY
    write_roles = BRANCH_WRITERS
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilter
    parser_classes = UPLOADS

    def restrict(self, queryset):
        return published_tasks(queryset, self.access).select_related("task", "branch").order_by("status", "task__deadline", "pk")

    @action(detail=True, methods=["post"])
    def complete(self, request, *args, **kwargs):
        assignment = self.get_object()
        done = cycle_services.task_complete(assignment=assignment, actor=request.user, **parsed(s.TaskCompleteSerializer, request))
        return Response(s.TaskSerializer(done).data)


class ReportFilter(BranchFilter):
    month = filters.DateFilter(field_name="month", label="月份（该月 1 日）")

    class Meta:
        model = MonthlyReport
        fields = ["branch", "month"]


@extend_schema_view(
    list=extend_schema(summary="月报告"),
    retrieve=extend_schema(summary="一份月报告"),
    create=extend_schema(summary="报送月报告", request=s.ReportCreateSerializer, responses={201: s.ReportSerializer}),
)
@extend_schema(tags=["四个一"])
class ReportViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, ParkReadViewSet):
    model = MonthlyReport
    allowed_roles = PARK_STAFF | SECRETARY
    write_roles = BRANCH_WRITERS
    serializer_class = s.ReportSerializer
    ordering_fields = ["id", "month"]
    filterset_class = ReportFilter

    def restrict(self, queryset):
        return branch_rows(queryset, self.access).select_related("branch").order_by("-month", "pk")

    def perform_idempotent(self, request, *args, **kwargs):
        v = parsed(s.ReportCreateSerializer, request)
        report = cycle_services.report_file(park=self.park, actor=request.user, branch=self.writable_branch(v.pop("branch")), **v)
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="我的提醒（待办）"))
@extend_schema(tags=["四个一"])
class NotificationViewSet(mixins.ListModelMixin, ParkViewSet):
    model = Notification
    allowed_roles = ALL_ROLES
    serializer_class = s.NotificationSerializer

    def restrict(self, queryset):
        return queryset.filter(user=self.request.user).order_by("-created_at", "-pk")


class TodoView(ParkViewSet):
    """What is waiting for the caller in this park, counted from the records (nothing to fill in)."""

    model = TaskAssignment
    allowed_roles = ALL_ROLES

    @extend_schema(responses={200: s.TodoSerializer}, tags=["四个一"], summary="我的待办：任务、月报告、通知、待确认诉求、提醒")
    def summary(self, request, *args, **kwargs):
        today = timezone.localdate()
        open_tasks = published_tasks(TaskAssignment.objects.filter(park=self.park, status=TaskAssignment.Status.OPEN), self.access)
        if not self.access.has_any(PARK_STAFF | SECRETARY):
            open_tasks = open_tasks.none()
        tasks = [{"id": a.pk, "title": a.task.title, "deadline": a.task.deadline, "branch_name": a.branch.name,
                  "overdue": a.task.deadline < today}
                 for a in open_tasks.select_related("task", "branch").order_by("task__deadline", "pk")[:20]]
        last_month = month_start(month_start(today) - timedelta(days=1))
        late = late_report_branches(self.park, last_month) if self.access.has_any(BRANCH_WRITERS) else []
        mine = set(writable_branches(park=self.park, access=self.access).values_list("pk", flat=True)) if late else set()
        unread = NoticeRecipient.objects.filter(park=self.park, first_read_at__isnull=True).filter(notice_rules.recipient_q(self.access))
        demands = demand_rules.visible_demands(Demand.objects.filter(park=self.park), self.access).filter(state=Demand.State.RESOLVED)
        return Response(s.TodoSerializer({
            "tasks": tasks, "tasks_open": open_tasks.count(),
            "reports_due": [b.name for b in late if b.pk in mine],
            "notices_unread": unread.values("notice_id").distinct().count(),
            "demands_to_confirm": demands.count() if Role.BRANCH_SECRETARY in self.access.roles or Role.INSTRUCTOR in self.access.roles else 0,
            "reminders_unread": Notification.objects.filter(park=self.park, user=request.user, read_at__isnull=True).count(),
        }).data)


# --- Services to enterprises ---------------------------------------------------------------------
class DemandFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=Demand.State.choices, label="状态")
    enterprise = filters.NumberFilter(field_name="enterprise_id", label="企业编号")

    class Meta:
        model = Demand
        fields = ["state", "enterprise"]


@extend_schema_view(
    list=extend_schema(summary="红色代办诉求"),
    retrieve=extend_schema(summary="一项诉求"),
    create=extend_schema(summary="提出诉求", request=s.DemandCreateSerializer, responses={201: s.DemandSerializer}),
    act=extend_schema(summary="办理一步：确认销号、退回重办、记录进展、办结", request=s.DemandActSerializer, responses={200: s.DemandSerializer}),
)
@extend_schema(tags=["服务企业"])
class DemandViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, ParkReadViewSet):
    model = Demand
    allowed_roles = DEMAND_ROLES
    serializer_class = s.DemandSerializer
    ordering_fields = ["id", "raised_at"]
    filterset_class = DemandFilter
    pagination_class = Cursor

    def restrict(self, queryset):
        return demand_rules.visible_demands(queryset, self.access).select_related("enterprise")

    def perform_idempotent(self, request, *args, **kwargs):
        if not self.access.has_any(RAISERS):
            raise exceptions.PermissionDenied
        v = parsed(s.DemandCreateSerializer, request)
        demand = demand_rules.demand_raise(park=self.park, access=self.access, actor=request.user,
                                           enterprise=self.enterprise(v.pop("enterprise")), **v)
        return Response(s.DemandSerializer(demand).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def act(self, request, *args, **kwargs):
        demand = self.get_object()
        done = demand_rules.demand_act(demand=demand, access=self.access, actor=request.user, **parsed(s.DemandActSerializer, request))
        return Response(s.DemandSerializer(self.get_queryset().get(pk=done.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="通知"),
    retrieve=extend_schema(summary="一则通知"),
    read=extend_schema(summary="标记已读", request=None, responses={200: s.NoticeSerializer}),
)
@extend_schema(tags=["服务企业"])
class NoticeViewSet(ParkReadViewSet):
    model = Notice
    allowed_roles = NOTICE_ROLES
    serializer_class = s.NoticeSerializer

    def restrict(self, queryset):
        fields = NoticeField.objects.filter(park=self.park).order_by("position", "pk")
        return notice_rules.visible_notices(queryset, self.access).prefetch_related(Prefetch("fields", fields)).order_by("-published_at", "-pk")

    @extend_schema(summary="回复通知（截止前可修改）", request=s.NoticeReplySerializer, responses={200: s.RecipientSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, *args, **kwargs):
        notice = self.get_object()
        v = parsed(s.NoticeReplySerializer, request)
        mine = notice_rules.recipients_of(notice, self.access)
        recipient = next((r for r in mine if r.pk == v.get("recipient")), mine[0] if mine and "recipient" not in v else None)
        if recipient is None:
            raise Http404
        data = {f"field_{key}": value for key, value in v["answers"].items()}
        done = notice_rules.notice_reply(notice=notice, recipient=recipient, access=self.access, actor=request.user, data=data, files={})
        return Response(s.RecipientSerializer(done).data)

    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        notice = self.get_object()
        notice_rules.notice_read(notice=notice, access=self.access, actor=request.user)
        return Response(s.NoticeSerializer(notice).data)


@extend_schema_view(
    list=extend_schema(summary="走访记录"),
    retrieve=extend_schema(summary="一次走访"),
    create=extend_schema(summary="登记走访（可将发现的问题转为诉求）", request=s.VisitCreateSerializer, responses={201: s.VisitSerializer}),
)
@extend_schema(tags=["服务企业"])
class VisitViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, ParkReadViewSet):
    model = Visit
    allowed_roles = PARK_STAFF | INSTRUCTOR
    write_roles = INSTRUCTOR
    serializer_class = s.VisitSerializer
    ordering_fields = ["id", "visited_on"]

    def restrict(self, queryset):
        return visit_rules.visible_visits(queryset, self.access, self.request.user).select_related("enterprise").order_by("-visited_on", "-pk")

    def perform_idempotent(self, request, *args, **kwargs):
        v = parsed(s.VisitCreateSerializer, request)
        visit = visit_rules.visit_log(park=self.park, access=self.access, actor=request.user,
                                      enterprise=self.enterprise(v.pop("enterprise")), **v)
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


# --- Stars, allowances, rounds -------------------------------------------------------------------
class StarFilter(BranchFilter):
    class Meta:
        model = StarLevel
        fields = ["branch"]


class AllowanceFilter(BranchFilter):
    class Meta:
        model = PayoutLine
        fields = ["branch"]


@extend_schema_view(list=extend_schema(summary="星级变动记录"), retrieve=extend_schema(summary="一次星级变动"))
@extend_schema(tags=["星级与津贴"])
class StarLevelViewSet(ParkReadViewSet):
    model = StarLevel
    allowed_roles = PARK_STAFF | SECRETARY
    serializer_class = s.StarLevelSerializer
    filterset_class = StarFilter

    def restrict(self, queryset):
        return branch_rows(queryset, self.access).select_related("branch").order_by("-created_at", "-pk")


@extend_schema_view(list=extend_schema(summary="红星津贴发放明细"), retrieve=extend_schema(summary="一条津贴明细"))
@extend_schema(tags=["星级与津贴"])
class AllowanceViewSet(ParkReadViewSet):
    model = PayoutLine
    allowed_roles = PARK_STAFF | SECRETARY
    serializer_class = s.PayoutLineSerializer
    filterset_class = AllowanceFilter

    def restrict(self, queryset):
        return branch_rows(queryset, self.access).select_related("batch").order_by("-batch__year", "-batch__quarter", "branch_name", "pk")


@extend_schema_view(list=extend_schema(summary="津贴批次"), retrieve=extend_schema(summary="一个津贴批次"))
@extend_schema(tags=["星级与津贴"])
class BatchViewSet(ParkReadViewSet):
    model = PayoutBatch
    serializer_class = s.PayoutBatchSerializer

    def restrict(self, queryset):
        return queryset.order_by("-year", "-quarter", "-pk")


class BranchQuery(serializers.Serializer):
    branch = serializers.IntegerField(label=_("党支部编号"))


@extend_schema_view(
    list=extend_schema(summary="巡查轮次"),
    retrieve=extend_schema(summary="一个巡查轮次"),
    scores=extend_schema(summary="一个党支部本轮的评分表：GET 查看，POST 评分（巡查人员检查评分，支部书记自评）", methods=["GET"],
                         parameters=[BranchQuery], responses={200: s.ItemScoreSerializer(many=True)}),
)
@extend_schema(tags=["星级与津贴"])
class RoundViewSet(ParkReadViewSet):
    model = InspectionRound
    allowed_roles = PARK_STAFF | SECRETARY
    write_roles = SCORERS | SECRETARY
    serializer_class = s.RoundSerializer

    def restrict(self, queryset):
        return queryset.order_by("-year", "-quarter", "-pk")

    def scored_branch(self, inspection_round, pk):
        """The round's assessment (404 before scoring starts) and one branch this user may score."""
        assessment = assessment_selectors.assessment_of(inspection_round=inspection_round)
        branch = next((b for b in assessment_selectors.visible_branches(park=self.park, access=self.access) if b.pk == pk), None)
        if assessment is None or branch is None:
            raise Http404
        return assessment, branch

    def sheet(self, assessment, branch):
        items, scores = assessment_selectors.branch_scores(assessment=assessment, branch=branch)
        rows = []
        for item in sorted(items, key=lambda i: (i.position, i.pk)):
            score = scores.get(item.pk)
            rows.append({"pk": item.pk, "dimension": item.dimension, "title": item.title, "max_points": item.max_points,
                         "is_veto": item.is_veto, "measured": bool(item.measure), "self_points": score.self_points if score else None,
                         "points": score.points if score else None, "vetoed": bool(score and score.vetoed),
                         "note": score.note if score else ""})
        return Response(s.ItemScoreSerializer(rows, many=True).data)

    @action(detail=True, methods=["get"])
    def scores(self, request, *args, **kwargs):
        inspection_round = self.get_object()  # another park's round is 404 before its input is read
        query = BranchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.sheet(*self.scored_branch(inspection_round, query.validated_data["branch"]))

    @extend_schema(request=s.ScoresSaveSerializer, responses={200: s.ItemScoreSerializer(many=True)})
    @scores.mapping.post
    def scores_save(self, request, *args, **kwargs):
        inspection_round = self.get_object()
        v = parsed(s.ScoresSaveSerializer, request)
        assessment, branch = self.scored_branch(inspection_round, v["branch"])
        items = list(RubricItem.objects.filter(park=self.park, rubric=assessment.rubric))
        if not {e["item"] for e in v["scores"]} <= {i.pk for i in items}:
            raise exceptions.ValidationError({"scores": [str(scoring.MSG_FOREIGN_ITEM)]})
        entries, problems = scoring.sheet_entries(items, {e["item"]: e for e in v["scores"]})
        if problems:
            raise exceptions.ValidationError({"scores": problems})
        scoring.scores_save(assessment=assessment, branch=branch, actor=request.user, entries=entries,
                            as_inspector=self.access.has_any(SCORERS))
        return self.sheet(assessment, branch)


# --- The county ----------------------------------------------------------------------------------
class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, label=_("年度"), help_text=_("党费按该年度统计；默认今年。"))

    def validate_year(self, year):
        if year > timezone.localdate().year:
            raise serializers.ValidationError(_("年度不能晚于今年。"))
        return year


class CountyFiguresView(APIView):
    """Each park's figures, derived from its records (nothing typed again for the county): coverage
    and members as of today, 党费 for the year asked."""

    @extend_schema(parameters=[YearQuery], responses={200: s.ParkFiguresSerializer(many=True)}, tags=["县级"],
                   summary="各园区数据（覆盖率、党员、党费）")
    def get(self, request, county):
        parks = request._request.county_parks
        today = timezone.localdate()
        query = YearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", today.year)
        coverage = coverage_by_park(parks=parks, on=today)
        members = dict(Member.objects.filter(park__in=parks, status__in=Member.ON_ROLL).values("park_id")
                       .annotate(n=Count("pk")).order_by().values_list("park_id", "n"))
        dues = collection_by_park(parks=parks, year=year)
        rows = []
        for park in parks:
            c = coverage[park.pk]
            year_dues = dues_total(dues[park.pk])
            rows.append({
                "park": park.code, "name": park.name, "enterprises": c.enterprises, "organisation_covered": c.org_covered,
                "work_covered": c.work_covered, "organisation_coverage": c.org_rate, "work_coverage": c.work_rate,
                "members": members.get(park.pk, 0), "dues_due": year_dues.due, "dues_paid": year_dues.paid,
            })
        return Response(s.ParkFiguresSerializer(rows, many=True).data)

