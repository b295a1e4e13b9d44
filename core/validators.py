"""Validation rules shared by every write path (forms, API, import): one definition each."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- 统一社会信用代码 (GB 32100-2015) -------------------------------------------------------------
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MSG_CREDIT_CODE_LENGTH = _("统一社会信用代码应为18位，当前为%(length)s位。")
MSG_CREDIT_CODE_CHARS = _("统一社会信用代码含有不允许的字符“%(chars)s”（不使用 I、O、S、V、Z）。")
MSG_CREDIT_CODE_REGION = _("统一社会信用代码第3至8位应为行政区划代码（6位数字）。")
MSG_CREDIT_CODE_CHECK = _("统一社会信用代码校验位错误：按 GB 32100-2015 应为“%(expected)s”。")


# Full-width digits, letters, the ideographic space and the signs that occur in codes and phone
# numbers (＋ －) become their half-width forms; Chinese punctuation (：（），、) stays as written.
_HALF_WIDTH = {
    **{code: code - 0xFEE0 for first, last in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for code in range(first, last + 1)},
    0x3000: 0x20, 0xFF0B: 0x2B, 0xFF0D: 0x2D,
}


# Characters nobody types on purpose: C0 and C1 controls (tab, line feed and carriage return stay),
# and the marks that reverse or isolate the direction of text (U+202E makes "gpj.exe" look like
# "exe.jpg"), the byte-order mark and the zero-width no-break space.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def strip_controls(value: str) -> str:
    """The text without control characters and direction overrides (idempotent)."""
    return _INVISIBLE.sub("", value or "")


def normalize_text(value: str) -> str:
    """Full-width letters and digits to half-width, control and direction-override characters
    removed, surrounding white space removed; Chinese punctuation is kept (NFKC would turn “：（，”
    into ASCII in every title and name). Idempotent: normalising twice changes nothing more."""
    return unicodedata.normalize("NFC", strip_controls(value).translate(_HALF_WIDTH)).strip()


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


# --- 公民身份号码 (GB 11643-1999) ------------------------------------------------------------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

MSG_ID_LENGTH = _("身份证号应为18位，当前为%(length)s位。")
MSG_ID_FORMAT = _("身份证号格式不正确：前17位应为数字，最后一位为数字或X。")
MSG_ID_BIRTH = _("身份证号中的出生日期“%(birth)s”不是有效日期。")
MSG_ID_CHECK = _("身份证号校验位错误：按 GB 11643 应为“%(expected)s”。")
MSG_ID_NUMERIC = _("身份证号被存成了数字，末几位已丢失；请把该列设为文本格式后重新填写。")
MSG_ID_REGION = _("身份证号前两位“%(code)s”不是任何省级行政区的代码，请核对。")
MSG_ID_FUTURE = _("身份证号中的出生日期%(birth)s晚于今天，请核对。")

# GB/T 2260: the provinces' two-digit codes, which begin every 身份证号 (GB 11643), with 香港 81,
# 澳门 82 and 台湾 83 as the residence permits of their residents use them.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
})


def normalize_id_number(value) -> str:
    """Full-width digits, a lowercase x, spaces, and a number cell all become the 18-char text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return re.sub(r"\s+", "", normalize_text(str(value or ""))).upper()


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    gender: str  # "M" or "F", from the 17th digit (odd: male)


def parse_id_number(value) -> IdNumber:
    """Validate a 身份证号 and derive birth date and gender; ValidationError with the reason."""
    number = normalize_id_number(value)
    if isinstance(value, float):
        # A spreadsheet number keeps 15 significant digits: an ID stored so has lost its tail.
        raise ValidationError(MSG_ID_NUMERIC, code="id_numeric")
    if len(number) != 18:
        raise ValidationError(MSG_ID_LENGTH, code="id_length", params={"length": len(number)})
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError(MSG_ID_FORMAT, code="id_format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(MSG_ID_REGION, code="id_region", params={"code": number[:2]})
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(MSG_ID_BIRTH, code="id_birth", params={"birth": number[6:14]}) from None
    if birth.year < 1900:
        raise ValidationError(MSG_ID_BIRTH, code="id_birth", params={"birth": number[6:14]})
    if birth > timezone.localdate():
        raise ValidationError(MSG_ID_FUTURE, code="id_future", params={"birth": f"{birth:%Y-%m-%d}"})
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(MSG_ID_CHECK, code="id_check", params={"expected": expected})
    return IdNumber(number=number, birth_date=birth, gender="M" if int(number[16]) % 2 else "F")


def mask_id_number(number: str) -> str:
    """370827********123X: the region and the last four stay, birth date and order are hidden."""
    return f"{number[:6]}{'*' * 8}{number[14:]}" if len(number) == 18 else "*" * len(number)


# Something shaped like an ID number (GB 11643: region, birth date, order, check character),
# wherever it is written in a text.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    """The text with every ID number in it masked (mask_id_number): free text a user typed, a cell
    quoted back by the import's preview, a value in a row's history."""
    return _ID_LIKE.sub(lambda m: mask_id_number(m[0]), text) if text else text


# --- Lengths -------------------------------------------------------------------------------------
MSG_TOO_LONG = _("不能超过%(max)s个字符（当前%(length)s个）。")


def length_errors(model, values: dict) -> dict[str, list[str]]:
    """Text longer than its column allows, for every write path that does not run full_clean."""
    errors = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            limit = model._meta.get_field(name).max_length
        except Exception:  # not a model field (e.g. id_number, parsed separately)
            continue
        if limit and len(value) > limit:
            errors[name] = [str(MSG_TOO_LONG % {"max": limit, "length": len(value)})]
    return errors


# --- Dates and amounts -----------------------------------------------------------------------------
FIRST_PLAUSIBLE_YEAR = 1900  # nothing the platform records (a birth, a founding, a meeting) is older
YEARS_AHEAD = 10  # an end date or a plan may lie ahead, by at most this many years
MSG_DATE_RANGE = _("日期%(date)s不在合理范围内：应在%(first)s年至%(last)s年之间。")
MSG_AMOUNT = _("金额应为不小于0的数字，当前为“%(value)s”。")


def date_range_error(value: date | None, *, today: date | None = None):
    """A ValidationError for a date before 1900 or more than ten years ahead (year 1 or 9999 typed
    into a date field); None for a plausible date or none."""
    if value is None:
        return None
    last = (today or timezone.localdate()).year + YEARS_AHEAD
    if FIRST_PLAUSIBLE_YEAR <= value.year <= last:
        return None
    return ValidationError(MSG_DATE_RANGE, code="date_range",
                           params={"date": value.isoformat(), "first": FIRST_PLAUSIBLE_YEAR, "last": last})


def validate_plausible_date(value: date | None) -> None:
    if (error := date_range_error(value)) is not None:
        raise error


def date_errors(instance) -> dict[str, list[str]]:
    """Every date field of a model instance outside 1900 … ten years ahead, as {field: [message]}."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.DateField):
            value = getattr(instance, field.attname)
            if isinstance(value, date) and (error := date_range_error(value)) is not None:
                errors[field.name] = error.messages
    return errors


def validate_amount(value) -> None:
    """Money and other counted amounts: a finite number, not below zero (NaN, infinities and
    negative amounts are refused)."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise ValidationError(MSG_AMOUNT, code="amount", params={"value": value})
