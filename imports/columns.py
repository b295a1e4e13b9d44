"""The one table of column headers and value synonyms the importer accepts, per roster kind.

Headers are matched after normalise_header(): full-width to half-width, white space, required
markers (*) and bracketed hints removed — so "身份证号 ", "＊公民身份号码（18位）" and "身份证号码"
all name the same column. Exports write each column's first name, so exports import unchanged.
"""

import re
import unicodedata
from dataclasses import dataclass

from members.development import STEPS


@dataclass(frozen=True)
class Column:
    field: str
    names: tuple[str, ...]  # the first is the canonical header (exports, templates)
    required: bool = False
    personal: bool = False  # its values are personal data: a page showing them is kept in no cache

    @property
    def header(self) -> str:
        return self.names[0]


ENTERPRISE_COLUMNS = (
    Column("name", ("企业名称", "单位名称", "企业全称", "名称"), required=True),
    Column("credit_code", ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码"), required=True),
    Column("ownership", ("经济类型", "所有制", "企业性质", "所有制性质", "经济性质")),
    Column("industry", ("所属行业", "行业", "行业类别")),
    Column("employees", ("职工人数", "员工人数", "从业人员", "从业人员数", "职工数")),
    Column("legal_representative", ("法定代表人", "法人代表", "法人"), personal=True),
    Column("contact_name", ("联系人",), personal=True),
    Column("contact_phone", ("联系电话", "手机号", "手机号码", "电话", "联系方式"), personal=True),
    Column("zone", ("所在片区", "片区", "所属片区", "所在园区")),
    Column("status", ("状态", "企业状态", "入驻状态")),
)

BRANCH_COLUMNS = (
    Column("name", ("党组织名称", "党支部名称", "组织名称", "支部名称"), required=True),
    Column("kind", ("组织类型", "党组织类型", "类型")),
    Column("formation", ("组建方式", "组建形式", "建立方式")),
    Column("parent", ("上级党组织", "上级组织", "隶属党组织")),
    Column("enterprises", ("所在单位", "覆盖单位", "所在企业", "单位名称")),
    Column("founded_on", ("成立日期", "成立时间", "组建时间", "建立时间")),
    Column("secretary_name", ("书记", "支部书记", "党组织书记", "书记姓名"), personal=True),
    Column("ends_on", ("终止日期", "结束日期")),  # 临时党支部 only
    Column("elected_on", ("本届选举日期", "换届日期", "选举日期", "本届换届日期", "换届时间")),
)

MEMBER_COLUMNS = (
    Column("name", ("姓名",), required=True, personal=True),
    Column("gender", ("性别",)),
    Column("ethnicity", ("民族",)),
    Column("id_number", ("身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码"), required=True, personal=True),
    Column("education", ("学历", "文化程度", "最高学历")),
    Column("phone", ("联系电话", "手机号", "手机号码", "手机", "电话"), personal=True),
    Column("branch", ("所在党支部", "所在支部", "党支部", "所在党组织", "党组织"), required=True),
    Column("enterprise", ("工作单位", "所在单位", "单位", "工作单位及职务")),
    Column("stage", ("党员类别", "人员类别", "类别", "党籍状态")),
    Column("joined_on", ("入党日期", "入党时间")),
    Column("full_on", ("转正日期", "转正时间")),
    Column("post", ("党内职务", "职务", "支部职务")),
    Column("status", ("状态", "党员状态")),
)

POLICY_COLUMNS = (
    Column("title", ("政策名称", "政策标题", "标题", "文件名称", "文件标题"), required=True),
    Column("issuer", ("发文单位", "发文机关", "发布单位", "发布机关", "制定机关")),
    Column("doc_number", ("文号", "发文字号", "发文文号", "文件编号")),
    Column("issued_on", ("发文日期", "发布日期", "成文日期", "印发日期")),
    Column("level", ("层级", "政策层级", "级别", "政策级别")),
    Column("category", ("类别", "政策类别", "分类", "政策分类")),
    Column("tags", ("标签", "关键词", "关键字")),
    Column("body", ("政策全文", "全文", "正文", "政策内容", "内容", "主要内容"), required=True),
    Column("valid_until", ("有效期至", "有效期", "失效日期", "截止日期")),
    Column("repealed", ("是否废止", "已废止", "废止")),
)

# 发展党员台账: one row per person, a date column per step of the procedure (members.development.STEPS;
# the step's name is the canonical header). Offices' ledgers mostly hold the stage dates, under the
# names below; a step they do not record is simply a column the file lacks.
STEP_HEADERS = {
    "apply": ("入党申请日期", "申请入党日期", "申请入党时间", "递交入党申请书日期", "递交入党申请书时间", "递交申请书日期"),
    "talk": ("谈话日期", "谈话时间", "入党谈话日期"),
    "recommend": ("确定入党积极分子", "确定为入党积极分子", "确定积极分子日期", "确定为入党积极分子时间", "列为入党积极分子"),
    "candidate": ("确定为发展对象", "确定发展对象日期", "确定为发展对象时间", "列为发展对象时间"),
    "publicity": ("公示日期", "公示开始日期", "公示时间"),
    "admit": ("支部大会接收", "接收为预备党员", "支部大会通过日期", "接收预备党员日期", "支部大会讨论日期"),
    "approve": ("上级党委审批日期", "党委审批日期", "审批日期", "党委审批时间"),
    "oath": ("入党宣誓日期", "宣誓日期"),
    "full_apply": ("转正申请日期", "提出转正申请日期"),
    "full_meeting": ("支部大会讨论转正日期", "讨论转正日期"),
    "full_approve": ("批准转正日期", "转正审批日期", "党委审批转正日期"),
}
DEVELOPMENT_COLUMNS = (
    Column("name", ("姓名",), required=True, personal=True),
    Column("id_number", ("身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码"), required=True, personal=True),
    *(Column(step.code, (step.name, *STEP_HEADERS.get(step.code, ()))) for step in STEPS),
)

# 党费基数 from a payroll: one row per member, from a month on (a year's 核定, usually January).
DUES_BASIS_COLUMNS = (
    Column("name", ("姓名",), required=True, personal=True),
    Column("id_number", ("身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码"), required=True, personal=True),
    Column("category", ("交纳类别", "党费类别", "人员类别", "类别")),
    Column("base", ("税后月收入", "月收入", "税后工资", "实发工资", "工资收入", "离退休费", "党费基数", "交纳基数", "计算基数"), required=True),
    Column("agreed", ("约定金额", "农民党员约定金额")),
    Column("voluntary", ("自愿多交后每月金额", "自愿多交金额", "自愿多交")),
    Column("effective_from", ("起始月份", "执行月份", "核定月份", "起交月份")),
)

COLUMNS = {"enterprises": ENTERPRISE_COLUMNS, "branches": BRANCH_COLUMNS, "members": MEMBER_COLUMNS, "policies": POLICY_COLUMNS,
           "development": DEVELOPMENT_COLUMNS, "dues_bases": DUES_BASIS_COLUMNS}
KIND_LABELS = {"enterprises": "企业台账", "branches": "党组织", "members": "党员花名册", "policies": "惠企政策", "development": "发展党员台账",
               "dues_bases": "党费基数"}
# What a file of each kind is called in a sentence ("这个文件像是企业台账，不是党员花名册").
FILE_LABELS = {"enterprises": "企业台账", "branches": "党组织名册", "members": "党员花名册", "policies": "惠企政策清单",
               "development": "发展党员台账", "dues_bases": "党费基数表"}

_HINT = re.compile(r"[（(【\[].*?[)）】\]]")
_NOISE = re.compile(r"[\s*＊:：·]+")


def normalise_header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _NOISE.sub("", _HINT.sub("", text)).lower()


def header_index(kind: str) -> dict[str, Column]:
    """normalised header name → column, for one kind."""
    return {normalise_header(name): column for column in COLUMNS[kind] for name in column.names}


# Value synonyms: what offices write → the stored choice. Keys are matched after normalise_header.
def _choices(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(word): key for key, words in pairs.items() for word in words}


GENDER_WORDS = _choices({"M": ("男", "男性", "m", "male"), "F": ("女", "女性", "f", "female")})
STAGE_WORDS = _choices(
    {
        "full": ("正式党员", "正式", "党员"),
        "probationary": ("预备党员", "预备"),
        "candidate": ("发展对象",),
        "activist": ("入党积极分子", "积极分子"),
        "applicant": ("入党申请人", "申请人", "申请入党"),
    }
)
MEMBER_STATUS_WORDS = _choices(
    {
        "active": ("在册", "正常", "在籍"),
        "mobile": ("流动", "流动党员", "外出流动"),
        "transferred_out": ("转出", "已转出"),
        "suspended": ("停止党籍", "停止"),
        "deceased": ("去世", "死亡", "已故"),
    }
)
POST_WORDS = _choices(
    {
        "": ("", "无", "党员", "—", "-", "/"),
        "secretary": ("书记", "支部书记", "党支部书记", "党委书记", "总支书记"),
        "deputy": ("副书记", "支部副书记", "党支部副书记"),
        "committee": ("委员", "支委", "支部委员", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员"),
    }
)
EDUCATION_WORDS = _choices(
    {
        "": ("",),
        "postgraduate": ("研究生", "硕士", "博士", "硕士研究生", "博士研究生"),
        "bachelor": ("大学本科", "本科", "大学"),
        "college": ("大学专科", "专科", "大专"),
        "secondary": ("中专", "中技", "技校", "职高", "中等专科"),
        "high_school": ("高中",),
        "junior": ("初中及以下", "初中", "小学", "文盲"),
    }
)
OWNERSHIP_WORDS = _choices(
    {
        "private": ("非公有制（民营）", "非公有制", "非公", "民营", "私营", "民营企业", "私营企业", "个体", "股份制", "有限责任公司"),
        "foreign": ("外资（含港澳台）", "外资", "外商投资", "外商独资", "中外合资", "中外合作", "港澳台", "港澳台投资"),
        "state": ("国有", "国企", "国有企业", "国有控股"),
        "collective": ("集体", "集体企业", "集体所有制"),
        "social": ("社会组织", "民办非企业", "社会团体", "协会", "商会"),
    }
)
ENTERPRISE_STATUS_WORDS = _choices(
    {"active": ("入驻", "在园", "正常", "在营", "存续"), "moved_out": ("迁出", "已迁出", "注销", "已注销", "搬离")}
)
KIND_WORDS = _choices(
    {
        "work_committee": ("党工委", "工委"),
        "comprehensive_committee": ("综合党委",),
        "regional_committee": ("区域党委",),
        "enterprise_committee": ("企业党委", "党委"),
        "general_branch": ("党总支", "总支", "党总支部"),
        "branch": ("党支部", "支部", "联合党支部", "临时党支部"),
        "group": ("党小组", "小组"),
    }
)
FORMATION_WORDS = _choices(
    {
        "": ("",),
        "single": ("单独组建", "单独建", "单建", "独立组建"),
        "joint": ("联合组建", "联合建", "联建"),
        "attached": ("挂靠组建", "挂靠"),
        "temporary": ("临时党支部", "临时组建", "临时"),
        "fallback": ("兜底", "兜底组建", "兜底建"),
    }
)
LEVEL_WORDS = _choices(
    {
        "national": ("国家", "国家级", "中央", "国务院"),
        "provincial": ("省", "省级", "省级政策"),
        "municipal": ("市", "市级", "地市", "市级政策"),
        "county": ("县", "县级", "区县", "县区", "县(区)", "县（区）"),
        "park": ("园区", "园区级", "开发区", "本园区"),
    }
)
DUES_CATEGORY_WORDS = _choices(
    {
        "employed": ("在职", "在职党员", "在岗", "职工"),
        "retired": ("离退休", "退休", "离休", "离退休党员", "退休党员"),
        "farmer": ("农民", "农民党员"),
        "student": ("学生", "学生党员"),
        "unemployed": ("下岗失业", "下岗", "失业", "下岗失业党员"),
        "other": ("其他", "抚恤", "救济", "低保", "其他（抚恤、救济、低保）"),
    }
)
REPEALED_WORDS = _choices(
    {
        "no": ("", "否", "有效", "现行有效", "现行", "未废止", "n", "no", "false", "0"),
        "yes": ("是", "已废止", "废止", "失效", "已失效", "y", "yes", "true", "1"),
    }
)
