"""Deterministic made-up people, phones, enterprises and their codes for the demo and the synthetic
county: every function draws from the random.Random it is given, so a seed gives the same data."""

import random
from datetime import date

from core.validators import CREDIT_CODE_CHARSET, credit_code_check_char, id_check_char

ZONE_INDUSTRIES = {
    "精细化工产业园": ["化学原料和化学制品制造业", "医药制造业"],
    "机电装备制造产业园": ["通用设备制造业", "电气机械和器材制造业", "专用设备制造业"],
    "生物科技产业园": ["农副食品加工业", "食品制造业", "医药制造业"],
    "城东片区": ["纺织服装、服饰业", "非金属矿物制品业", "批发业"],
    "新材料产业园": ["橡胶和塑料制品业", "金属制品业", "新材料"],
}
INDUSTRY_WORDS = {
    "化学原料和化学制品制造业": ["化工", "精细化学", "新材料科技"],
    "医药制造业": ["药业", "生物医药", "制药"],
    "通用设备制造业": ["机械", "重工", "装备"],
    "电气机械和器材制造业": ["电气", "电机", "电器"],
    "专用设备制造业": ["智能装备", "专用设备", "机电"],
    "农副食品加工业": ["粮油", "食品", "农业科技"],
    "食品制造业": ["食品", "生物科技", "乳业"],
    "纺织服装、服饰业": ["服饰", "纺织", "制衣"],
    "非金属矿物制品业": ["建材", "新型建材", "水泥制品"],
    "批发业": ["商贸", "物流", "供应链"],
    "橡胶和塑料制品业": ["塑业", "橡胶制品", "包装材料"],
    "金属制品业": ["金属制品", "钢结构", "铝业"],
    "新材料": ["新材料", "复合材料", "功能材料"],
}
BRAND_WORDS = list("华鲁恒泰金鑫宏源盛达瑞丰鼎新凯隆永安天润中昊远航明辉嘉信博创立德")
SURNAMES = list("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海波")
EDUCATION = ["大学本科", "大学本科", "大学专科", "大学专科", "中专", "高中", "研究生"]
ETHNICITIES = ["汉族"] * 12 + ["回族", "满族"]
INSTRUCTOR_UNITS = ["县委组织部", "县经济开发区党工委组织部", "县工商联", "县市场监管局", "县人社局"]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile(rng: random.Random) -> str:
    return rng.choice(["139", "138", "158", "186", "151", "177"]) + "".join(rng.choice("0123456789") for _ in range(8))


def credit_code(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice(CREDIT_CODE_CHARSET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + credit_code_check_char(body)


def enterprise_name(rng: random.Random, place: str, industry: str, taken: set[str]) -> str:
    """A company name of the place and industry not in `taken` (which it joins)."""
    while True:
        brand = "".join(rng.sample(BRAND_WORDS, 2))
        name = f"{place}{brand}{rng.choice(INDUSTRY_WORDS[industry])}有限公司"
        if name not in taken:
            taken.add(name)
            return name


def id_number(rng: random.Random, region: str, birth: date, serial: int, gender: str) -> str:
    """A 身份证号 (GB 11643): region, birth date, a two-digit serial, the gender digit (odd: male), check."""
    body = f"{region}{birth:%Y%m%d}{serial % 100:02d}{rng.choice('13579' if gender == 'M' else '02468')}"
    return body + id_check_char(body)
