"""Validation rules shared by every write path (forms, API, import): one definition each."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# --- 统一社会信用代码 (GB 32100-2015) -------------------------------------------------------------
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MSG_CREDIT_CODE_LENGTH = _("统一社会信用代码应为18位，当前为%(length)s位。")
MSG_CREDIT_CODE_CHARS = _("统一社会信用代码含有不允许的字符“%(chars)s”（不使用 I、O、S、V、Z）。")
MSG_CREDIT_CODE_REGION = _("统一社会信用代码第3至8位应为行政区划代码（6位数字）。")
MSG_CREDIT_CODE_CHECK = _("统一社会信用代码校验位错误：按 GB 32100-2015 应为“%(expected)s”。")


def normalize_text(value: str) -> str:
    """Full-width letters and digits to half-width, surrounding white space removed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_credit_code(value: str) -> str:
    return re.sub(r"\s+", "", normalize_text(str(value))).upper()


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(MSG_CREDIT_CODE_LENGTH, code="credit_code_length", params={"length": len(code)})
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(MSG_CREDIT_CODE_CHARS, code="credit_code_chars", params={"chars": "".join(bad)})
    if not code[2:8].isdigit():
        raise ValidationError(MSG_CREDIT_CODE_REGION, code="credit_code_region")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(MSG_CREDIT_CODE_CHECK, code="credit_code_check", params={"expected": expected})


# --- Telephone numbers ---------------------------------------------------------------------------
MSG_PHONE = _("电话号码格式不正确：应为11位手机号（如 13912345678）或带区号的固定电话（如 0537-6201234）。")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s()（）]", "", normalize_text(str(value)))
    return phone[3:] if phone.startswith("+86") else phone


def validate_phone(value: str) -> None:
    phone = normalize_phone(value)
    if phone and not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        raise ValidationError(MSG_PHONE, code="phone")


MSG_MOBILE = _("手机号格式不正确：应为以1开头的11位中国大陆手机号。")


def validate_mobile(value: str) -> None:
    phone = normalize_phone(value)
    if phone and not _MOBILE.match(phone):
        raise ValidationError(MSG_MOBILE, code="mobile")
