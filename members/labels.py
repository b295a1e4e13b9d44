"""The names of the members app's audit entries as the member page shows them (audit.labels)."""

from audit.labels import register
from members.development import STEPS
from members.dues import DuesCategory
from members.models import Member


def register_labels() -> None:
    fields = {f.name: f.verbose_name for f in Member._meta.fields}
    values = {f.name: f.choices for f in Member._meta.fields if f.choices}
    register(
        actions={"member.create": "登记党员", "member.update": "修改党员信息", "member.status": "变更党籍状态",
                 "member.probation_extend": "延长预备期", "member.transfer_within": "园区内转接组织关系",
                 "member.transfer_out": "转出组织关系", "development.step": "发展党员步骤", "dues.basis": "党费交纳基数"},
        fields={**fields, "id_number": "身份证号", "on": "日期", "reason": "原因", "months": "延长月数", "decided_on": "支部大会决定日期",
                "ends": "预备期届满", "to": "转往", "step": "步骤", "document": "材料"},
        values={**values, "step": {s.code: s.name for s in STEPS}},
    )
    register(action="dues.basis", fields={"category": "交纳类别", "base": "计算基数", "standard": "月交纳标准", "voluntary": "自愿多交",
                                         "from": "起始月份", "repriced_lines": "重算的月份数"},
             values={"category": DuesCategory.choices})
