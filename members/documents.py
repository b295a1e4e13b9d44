"""发展党员 documents as .docx, filled from the person's record with docxtpl.

Each document has a default template, built here with python-docx from the text below, and a park
may replace it with its own .docx using the same placeholders (`{{ name }}`, `{{ step_on }}` …). The
placeholders a template may use are listed in PLACEHOLDERS; the 纪实 record also loops over `steps`.
"""

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from members.development import STEP, STEPS


@dataclass(frozen=True)
class Paper:
    kind: str  # a step code, or "record" for the 纪实
    title: str
    lines: tuple[str, ...]


PAPERS: dict[str, Paper] = {p.kind: p for p in (
    Paper("talk", "入党申请人谈话记录", (
        "谈话对象：{{ name }}　性别：{{ gender }}　出生年月：{{ birth }}　民族：{{ ethnicity }}　学历：{{ education }}",
        "工作单位：{{ enterprise }}　所在党支部：{{ branch }}",
        "递交入党申请书日期：{{ applied_on }}　谈话日期：{{ step_on }}",
        "谈话人：________________　（收到入党申请书后一个月内谈话，《中国共产党发展党员工作细则》第七条）",
        "谈话内容：",
        "",
        "谈话人签名：________________　{{ today }}",
    )),
    Paper("cultivate", "入党积极分子培养教育考察登记表", (
        "姓名：{{ name }}　性别：{{ gender }}　出生年月：{{ birth }}　学历：{{ education }}",
        "所在党支部：{{ branch }}　工作单位：{{ enterprise }}",
        "递交入党申请书日期：{{ applied_on }}　确定为入党积极分子日期：{{ activist_on }}",
        "本次考察日期：{{ step_on }}（党支部每半年考察一次，细则第十一条）",
        "培养联系人意见：",
        "",
        "党支部意见：",
        "",
        "{{ park }}　{{ branch }}　{{ today }}",
    )),
    Paper("vetting", "发展对象政治审查综合材料", (
        "{{ name }}，{{ gender }}，{{ ethnicity }}，{{ birth }}出生，{{ education }}学历，现在{{ enterprise }}工作。",
        "{{ applied_on }}递交入党申请书，{{ activist_on }}被确定为入党积极分子，{{ candidate_on }}被列为发展对象。",
        "经审查（{{ step_on }}），该同志政治立场坚定，拥护党的理论和路线方针政策，本人及直系亲属无影响入党的问题。",
        "审查结论：政治审查合格。",
        "{{ branch }}　{{ today }}",
    )),
    Paper("publicity", "关于拟接收{{ name }}同志为预备党员的公示", (
        "{{ branch }}拟接收{{ name }}同志为中共预备党员，现将有关情况公示如下：",
        "{{ name }}，{{ gender }}，{{ ethnicity }}，{{ birth }}出生，{{ education }}学历，{{ enterprise }}职工。"
        "{{ applied_on }}递交入党申请书，{{ activist_on }}被确定为入党积极分子，{{ candidate_on }}被列为发展对象。",
        "公示时间：{{ step_on }}至{{ publicity_end }}（{{ publicity_days }}个工作日）。",
        "公示期间，党员和群众可通过来信、来电、来访等方式向党支部反映情况。",
        "{{ park }}　{{ branch }}",
        "{{ step_on }}",
    )),
    Paper("admit", "支部大会关于接收{{ name }}同志为预备党员的决议", (
        "{{ branch }}于{{ step_on }}召开支部大会，讨论{{ name }}同志的入党问题。",
        "支部大会认为，{{ name }}同志入党动机端正，经过一年以上的培养教育和考察，基本具备党员条件。"
        "经无记名投票表决，同意接收{{ name }}同志为中共预备党员，报上级党委审批。",
        "支部书记（签名）：________________",
        "{{ branch }}　{{ step_on }}",
    )),
    Paper("full_meeting", "支部大会关于{{ name }}同志转为正式党员的决议", (
        "{{ name }}同志于{{ joined_on }}被支部大会接收为预备党员，预备期至{{ probation_end }}届满。",
        "{{ branch }}于{{ step_on }}召开支部大会讨论其转正申请，同意{{ name }}同志按期转为中共正式党员，报上级党委审批。",
        "支部书记（签名）：________________",
        "{{ branch }}　{{ step_on }}",
    )),
    Paper("record", "发展党员纪实表", (
        "姓名：{{ name }}　性别：{{ gender }}　出生年月：{{ birth }}　民族：{{ ethnicity }}　学历：{{ education }}",
        "所在党支部：{{ branch }}　工作单位：{{ enterprise }}　当前阶段：{{ stage }}",
        "{% for s in steps %}{{ s.number }}. {{ s.name }}：{{ s.on }}{% if s.document %}（{{ s.document }}）{% endif %}\n{% endfor %}",
        "{{ park }}　{{ today }}",
    )),
)}

PLACEHOLDERS = (
    "name", "gender", "birth", "ethnicity", "education", "branch", "enterprise", "park", "stage", "applied_on", "activist_on",
    "candidate_on", "joined_on", "probation_end", "step_on", "publicity_end", "publicity_days", "today", "steps",
)


class BadTemplate(ValueError):
    """A park's template that cannot be filled: the message says why, in Chinese."""


def default_template(kind: str) -> bytes:
    """The built-in template of a document: a title and its lines, placeholders as written."""
    paper = PAPERS[kind]
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    heading = document.add_heading(paper.title, level=1)
    heading.alignment = 1  # centred
    for line in paper.lines:  # a loop stays in one paragraph, so docxtpl finds its tags together
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(template: bytes, context: dict) -> bytes:
    """Fill a template (a park's or the default) from the context; BadTemplate when it cannot be."""
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.render(context, autoescape=True)
    except TemplateError as exc:
        raise BadTemplate(f"模板中的占位符有误：{exc}。可用的占位符：{'、'.join(PLACEHOLDERS)}。") from exc
    except Exception as exc:  # not a .docx docxtpl can open (the upload checker let a zip through)
        raise BadTemplate("无法读取这个 Word 模板，请用 Word 或 WPS 另存为 .docx 后再上传。") from exc
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_context() -> dict:
    """What a template is tried with when a park uploads it."""
    day = "2026年01月01日"
    return {name: day if name.endswith("_on") or name in ("birth", "today", "probation_end", "publicity_end") else "示例" for name in PLACEHOLDERS} | {
        "steps": [{"number": n, "name": s.name, "on": day, "document": ""} for n, s in enumerate(STEPS, start=1)],
        "publicity_days": 5,
    }


def _day(value: date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "____年__月__日"


def member_context(*, member, park_name: str, done: dict[str, date], records: dict, step_on: date | None, today: date,
                   publicity_end: date | None = None, publicity_days: int = 5, probation_end: date | None = None) -> dict:
    return {
        "name": member.name,
        "gender": member.get_gender_display(),
        "birth": f"{member.birth_date:%Y年%m月}",
        "ethnicity": member.ethnicity,
        "education": member.get_education_display() or "—",
        "branch": member.branch.name,
        "enterprise": member.enterprise.name if member.enterprise else "—",
        "park": park_name,
        "stage": member.get_stage_display(),
        "applied_on": _day(member.applied_on),
        "activist_on": _day(member.activist_on),
        "candidate_on": _day(member.candidate_on),
        "joined_on": _day(member.joined_on),
        "probation_end": _day(probation_end),
        "step_on": _day(step_on),
        "publicity_end": _day(publicity_end),
        "publicity_days": publicity_days,
        "today": _day(today),
        "steps": [
            {"number": n, "name": s.name, "on": _day(done.get(s.code)) if s.code in done else "未办",
             "document": records[s.code].document if s.code in records else ""}
            for n, s in enumerate(STEPS, start=1)
        ],
    }


def label_of(kind: str) -> str:
    """The document's name as offices call it (for lists and file names)."""
    return "发展党员纪实表" if kind == "record" else STEP[kind].document or STEP[kind].name


assert set(PAPERS) - {"record"} <= set(STEP)
