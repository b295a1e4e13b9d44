"""What the API shows and what it accepts. Output serializers are read-only views of the models;
input serializers only parse types — the rules are the services', the same the pages and the import
apply, and a service's ValidationError comes back field by field (api.auth.exception_handler)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities.models import Activity, Attendance
from api.models import ApiToken
from assessment.models import PayoutBatch, PayoutLine, StarLevel
from cycle.deadlines import late_days_at, report_deadline, report_due_day
from cycle.models import InspectionRound, MonthlyReport, Notification, TaskAssignment
from members.models import Member
from orgs.models import Enterprise, Organisation
from services.models import Demand, Notice, NoticeField, NoticeRecipient, Visit


def choice(source: str, label: str):
    """A choice shown by its Chinese label, beside its code."""
    return serializers.CharField(source=f"get_{source}_display", read_only=True, label=label)


# --- Tokens --------------------------------------------------------------------------------------
class TokenSerializer(serializers.ModelSerializer):
    is_live = serializers.BooleanField(read_only=True, label=_("有效"))

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "read_only", "created_at", "expires_at", "revoked_at", "is_live"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, label=_("名称"), help_text=_("用来区分令牌，如“手机”“县级系统”。"))
    read_only = serializers.BooleanField(default=False, label=_("只读"))
    days = serializers.IntegerField(required=False, min_value=1, max_value=3650, label=_("有效天数"),
                                    help_text=_("默认 90 天（园区可在部署设置中调整）。"))


class TokenObtainSerializer(TokenCreateSerializer):
    username = serializers.CharField(max_length=150, label=_("用户名"))
    password = serializers.CharField(max_length=128, label=_("密码"), style={"input_type": "password"}, trim_whitespace=False)


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, label=_("令牌"), help_text=_("只在创建时显示这一次，请妥善保存。"))

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class WorkspaceSerializer(serializers.Serializer):
    role = serializers.CharField(label=_("角色代码"))
    label = serializers.CharField(label=_("角色"))
    county = serializers.CharField(allow_null=True, label=_("区县代码"))
    park = serializers.CharField(allow_null=True, label=_("园区代码"))
    organisation = serializers.IntegerField(allow_null=True, label=_("党组织编号"))


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"))
    name = serializers.CharField(label=_("姓名"))
    workspaces = WorkspaceSerializer(many=True, label=_("角色"))


# --- The organisation and the roster -------------------------------------------------------------
class OrganisationSerializer(serializers.ModelSerializer):
    # Blank choices are declared: a read-only model field would otherwise be documented without "".
    formation = serializers.ChoiceField(choices=Organisation.Formation.choices, allow_blank=True, read_only=True, label=_("组建方式代码"))
    kind_label = choice("kind", _("组织类型"))
    formation_label = choice("formation", _("组建方式"))

    class Meta:
        model = Organisation
        fields = ["id", "name", "parent", "kind", "kind_label", "formation", "formation_label", "founded_on",
                  "elected_on", "dissolved_on", "secretary_name"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    post = serializers.ChoiceField(choices=Member.Post.choices, allow_blank=True, read_only=True, label=_("党内职务代码"))
    id_number = serializers.CharField(source="id_masked", read_only=True, label=_("身份证号（脱敏）"))
    branch_name = serializers.CharField(source="branch.name", read_only=True, label=_("党支部"))
    gender_label = choice("gender", _("性别"))
    stage_label = choice("stage", _("党员类别"))
    status_label = choice("status", _("状态"))
    post_label = choice("post", _("党内职务"))

    class Meta:
        model = Member
        fields = ["id", "name", "id_number", "gender", "gender_label", "branch", "branch_name", "enterprise", "stage",
                  "stage_label", "status", "status_label", "post", "post_label", "joined_on", "full_on"]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    ownership_label = choice("ownership", _("经济类型"))
    status_label = choice("status", _("状态"))

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "ownership", "ownership_label", "industry", "employees", "status",
                  "status_label", "moved_in_on", "moved_out_on"]
        read_only_fields = fields


# --- 三会一课 -------------------------------------------------------------------------------------
class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True, label=_("姓名"))

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "present", "absence_reason"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    kind_label = choice("kind", _("类型"))
    branch_name = serializers.CharField(source="branch.name", read_only=True, label=_("党支部"))
    attendance = AttendanceSerializer(many=True, read_only=True, label=_("出席情况"))

    class Meta:
        model = Activity
        fields = ["id", "branch", "branch_name", "kind", "kind_label", "held_on", "topic", "place", "host", "minutes",
                  "attendance", "created_at"]
        read_only_fields = fields


class AbsenceSerializer(serializers.Serializer):
    member = serializers.IntegerField(label=_("党员编号"))
    reason = serializers.CharField(max_length=100, allow_blank=True, default="", label=_("缺席原因"))


class ActivityCreateSerializer(serializers.Serializer):
    branch = serializers.IntegerField(label=_("党支部编号"))
    kind = serializers.ChoiceField(choices=Activity._meta.get_field("kind").choices, label=_("类型"))
    held_on = serializers.DateField(label=_("日期"))
    topic = serializers.CharField(max_length=200, label=_("主题"))
    place = serializers.CharField(max_length=100, allow_blank=True, default="", label=_("地点"))
    host = serializers.IntegerField(required=False, allow_null=True, label=_("主持人（党员编号）"))
    minutes = serializers.CharField(allow_blank=True, default="", max_length=20000, label=_("会议记录"))
    attendees = serializers.ListField(child=serializers.IntegerField(), default=list, max_length=2000, label=_("出席党员编号"))
    absentees = AbsenceSerializer(many=True, default=list, label=_("缺席党员及原因"))
    photos = serializers.ListField(child=serializers.FileField(), default=list, max_length=20, label=_("照片"))
    files = serializers.ListField(child=serializers.FileField(), default=list, max_length=20, label=_("附件"))


# --- 四个一: tasks and reports -------------------------------------------------------------------
class TaskSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="task.title", read_only=True, label=_("任务"))
    description = serializers.CharField(source="task.description", read_only=True, label=_("要求"))
    deadline = serializers.DateField(source="task.deadline", read_only=True, label=_("截止日期"))
    branch_name = serializers.CharField(source="branch.name", read_only=True, label=_("党支部"))
    status_label = choice("status", _("状态"))
    days_late = serializers.IntegerField(read_only=True, label=_("逾期天数"), help_text=_("完成时（未完成则到今天）超过截止日期的天数；0 为未逾期。"))

    class Meta:
        model = TaskAssignment
        fields = ["id", "title", "description", "deadline", "branch", "branch_name", "status", "status_label", "note", "completed_at",
                  "days_late"]
        read_only_fields = fields


class TaskCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, label=_("完成情况"))
    evidence = serializers.ListField(child=serializers.FileField(), default=list, max_length=20, label=_("佐证材料"))


class ReportSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True, label=_("党支部"))
    days_late = serializers.SerializerMethodField(label=_("逾期天数"), help_text=_("报送时超过截止日（次月几号，园区设置）的天数；0 为按时。"))

    class Meta:
        model = MonthlyReport
        fields = ["id", "branch", "branch_name", "month", "activities", "member_changes", "problems", "submitted_at", "days_late"]
        read_only_fields = fields

    def get_days_late(self, report) -> int:
        due_days = self.context.setdefault("report_due_days", {})  # read once a park, for a whole page
        if report.park_id not in due_days:
            due_days[report.park_id] = report_due_day(report.park_id)
        return late_days_at(report_deadline(report.month, due_days[report.park_id]), report.submitted_at)


class ReportCreateSerializer(serializers.Serializer):
    branch = serializers.IntegerField(label=_("党支部编号"))
    month = serializers.DateField(label=_("月份"), help_text=_("该月任意一天，如 2026-10-01。"))
    activities = serializers.CharField(max_length=10000, label=_("组织生活开展情况"))
    member_changes = serializers.CharField(max_length=10000, allow_blank=True, default="", label=_("党员变动情况"))
    problems = serializers.CharField(max_length=10000, allow_blank=True, default="", label=_("存在问题"))


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "link", "created_at", "read_at"]
        read_only_fields = fields


# --- Services to enterprises ---------------------------------------------------------------------
class DemandSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label=_("企业"))
    state_label = choice("state", _("状态"))
    urgency_label = choice("urgency", _("紧急程度"))

    class Meta:
        model = Demand
        fields = ["id", "enterprise", "enterprise_name", "category", "description", "urgency", "urgency_label", "state",
                  "state_label", "due_on", "resolution", "raised_at", "closed_at"]
        read_only_fields = fields


class DemandCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(label=_("企业编号"))
    category = serializers.CharField(max_length=32, label=_("类别"))
    description = serializers.CharField(max_length=5000, label=_("诉求内容"))
    urgency = serializers.ChoiceField(choices=Demand.Urgency.choices, default=Demand.Urgency.NORMAL, label=_("紧急程度"))
    contact_name = serializers.CharField(max_length=32, allow_blank=True, default="", label=_("企业联系人"))
    contact_phone = serializers.CharField(max_length=32, allow_blank=True, default="", label=_("联系电话"))


class DemandActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("confirm", _("确认销号")), ("reject", _("退回重办")), ("progress", _("记录办理进展")),
                                              ("resolve", _("办结"))], label=_("办理环节"))
    note = serializers.CharField(max_length=2000, allow_blank=True, default="", label=_("说明"))


class NoticeFieldSerializer(serializers.ModelSerializer):
    kind_label = choice("kind", _("类型"))

    class Meta:
        model = NoticeField
        fields = ["id", "label", "kind", "kind_label", "options"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    kind_label = choice("kind", _("类型"))
    fields = NoticeFieldSerializer(many=True, read_only=True, label=_("回复表的字段"))

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_label", "title", "body", "reply_due", "published_at", "fields"]
        read_only_fields = fields


class NoticeReplySerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(max_length=5000, allow_blank=True), label=_("回复"),
                                    help_text=_("字段编号 → 填写的内容（文件字段请在网页上传）。"))
    recipient = serializers.IntegerField(required=False, label=_("回复对象编号"), help_text=_("多个支部收到时选一个；默认第一个。"))


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeRecipient
        fields = ["id", "branch", "first_read_at", "answers", "replied_at"]
        read_only_fields = fields


class TodoTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("任务编号"))
    title = serializers.CharField(label=_("任务"))
    deadline = serializers.DateField(label=_("截止日期"))
    branch_name = serializers.CharField(label=_("党支部"))
    overdue = serializers.BooleanField(label=_("已逾期"))


class TodoSerializer(serializers.Serializer):
    tasks = TodoTaskSerializer(many=True, label=_("未完成的任务（按截止日期，最多 20 项）"))
    tasks_open = serializers.IntegerField(label=_("未完成任务数"))
    reports_due = serializers.ListField(child=serializers.CharField(), label=_("上月月报告未报送的党支部"))
    notices_unread = serializers.IntegerField(label=_("未读通知"))
    demands_to_confirm = serializers.IntegerField(label=_("已办结待确认的诉求"))
    reminders_unread = serializers.IntegerField(label=_("未读提醒"))


class VisitSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label=_("企业"))

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "enterprise_name", "visited_on", "met", "topics", "problems", "demand", "created_at"]
        read_only_fields = fields


class VisitCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(label=_("企业编号"))
    visited_on = serializers.DateField(label=_("走访日期"))
    met = serializers.CharField(max_length=100, label=_("会见人员"))
    topics = serializers.CharField(max_length=5000, label=_("走访内容"))
    problems = serializers.CharField(max_length=5000, allow_blank=True, default="", label=_("发现的问题"))
    raise_demand = serializers.BooleanField(default=False, label=_("问题转为诉求"))
    category = serializers.CharField(max_length=32, allow_blank=True, default="", label=_("诉求类别"))


# --- Stars, allowances, rounds -------------------------------------------------------------------
class StarLevelSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True, label=_("党支部"))

    class Meta:
        model = StarLevel
        fields = ["id", "branch", "branch_name", "level", "previous_level", "score", "rule", "created_at"]
        read_only_fields = fields


class PayoutLineSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="batch.year", read_only=True, label=_("年度"))
    quarter = serializers.IntegerField(source="batch.quarter", read_only=True, label=_("季度"))
    batch_status = serializers.CharField(source="batch.get_status_display", read_only=True, label=_("批次状态"))

    class Meta:
        model = PayoutLine
        fields = ["id", "year", "quarter", "batch_status", "branch", "branch_name", "member_name", "level", "months", "monthly", "amount"]
        read_only_fields = fields


class PayoutBatchSerializer(serializers.ModelSerializer):
    status_label = choice("status", _("状态"))

    class Meta:
        model = PayoutBatch
        fields = ["id", "year", "quarter", "status", "status_label", "total", "created_at"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionRound
        fields = ["id", "year", "quarter", "opens_on", "self_assessment_due", "inspection_due"]
        read_only_fields = fields


class ItemScoreSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="pk", label=_("评分项目编号"))
    dimension = serializers.CharField(label=_("维度"))
    title = serializers.CharField(label=_("评分项目"))
    max_points = serializers.DecimalField(max_digits=5, decimal_places=1, label=_("分值"))
    is_veto = serializers.BooleanField(label=_("一票否决"))
    measured = serializers.BooleanField(label=_("系统自动计分"))
    self_points = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, label=_("自评分"))
    points = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, label=_("检查得分"))
    vetoed = serializers.BooleanField(label=_("触发一票否决"))
    note = serializers.CharField(allow_blank=True, label=_("扣分说明"))


class ScoreEntrySerializer(serializers.Serializer):
    item = serializers.IntegerField(label=_("评分项目编号"))
    points = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True, label=_("得分"))
    note = serializers.CharField(max_length=300, allow_blank=True, default="", label=_("扣分说明"))
    vetoed = serializers.BooleanField(default=False, label=_("触发一票否决"))


class ScoresSaveSerializer(serializers.Serializer):
    branch = serializers.IntegerField(label=_("党支部编号"))
    scores = ScoreEntrySerializer(many=True, max_length=500, label=_("各项得分"),
                                  help_text=_("巡查人员、党建办填写检查得分；支部书记填写自评分。"))


# --- County figures ------------------------------------------------------------------------------
class ParkFiguresSerializer(serializers.Serializer):
    park = serializers.CharField(label=_("园区代码"))
    name = serializers.CharField(label=_("园区"))
    enterprises = serializers.IntegerField(label=_("在驻企业"))
    organisation_covered = serializers.IntegerField(label=_("已建党组织企业"))
    work_covered = serializers.IntegerField(label=_("党的工作覆盖企业"))
    organisation_coverage = serializers.FloatField(allow_null=True, label=_("党组织覆盖率（%）"))
    work_coverage = serializers.FloatField(allow_null=True, label=_("党的工作覆盖率（%）"))
    members = serializers.IntegerField(label=_("在册党员"))
    dues_due = serializers.DecimalField(max_digits=14, decimal_places=2, label=_("党费应缴（元）"))
    dues_paid = serializers.DecimalField(max_digits=14, decimal_places=2, label=_("党费实缴（元）"))
