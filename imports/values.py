"""Cell values as offices type them → Python values, with a Chinese message when they cannot be."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import FORMULA_STARTS
from core.validators import validate_plausible_date
from imports.columns import normalise_header

MSG_DATE = _("无法识别的日期“%(value)s”：可写作 2020-07-01、2020/7/1、2020.07.01、2020年7月1日 或 202007。")
MSG_INT = _("应为整数，当前为“%(value)s”。")
MSG_MONEY = _("无法识别的金额“%(value)s”：请填写数字，如 5200 或 5200.50（元）。")
MSG_CHOICE = _("“%(value)s”不是可选值，可选：%(allowed)s。")

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_DIGITS8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DIGITS6 = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
# Serial numbers of four digits are dates in 1902–1927: in a roster such a number is a bare year.
FIRST_PLAUSIBLE_SERIAL = 10000
LAST_SERIAL = 2958465  # 9999-12-31, the calendar's last day: a larger serial is no date at all


def text(value) -> str:
    """A cell as clean text: numbers without a trailing .0, full-width folded, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return _unneutralised(unicodedata.normalize("NFKC", str(value)).strip())


def prose(value) -> str:
    """A cell of running text (a policy's full text) as written: trimmed, but not folded — NFKC
    would turn the Chinese full-width ，：（） of every sentence into ASCII."""
    if value is None or isinstance(value, (int, float, date)):
        return text(value)
    return _unneutralised(str(value).strip())


def _unneutralised(result: str) -> str:
    if result[:1] == "'" and result[1:2] in FORMULA_STARTS:
        return result[1:]  # undo the export's formula neutralisation
    return result


def _plausible(result: date) -> date:
    """The forms' rule for every date (1900 to ten years ahead): core.validators.validate_plausible_date."""
    validate_plausible_date(result)
    return result


def _make(year, month, day, raw) -> date:
    try:
        result = date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(MSG_DATE, params={"value": raw}) from None
    return _plausible(result)


def _serial(number: float, raw) -> date:
    if not FIRST_PLAUSIBLE_SERIAL <= number <= LAST_SERIAL:  # from 1927-05-18, the bare years below
        raise ValidationError(MSG_DATE, params={"value": raw})
    return _plausible(EXCEL_EPOCH + timedelta(days=int(number)))


def parse_date(value) -> date | None:
    """Real Excel dates, serial numbers, 2020-07-01, 2020/7/1, 2020.07.01, 2020年7月1日, 202007."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):  # a real date cell: the same years as a typed one
        return _make(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return _serial(value, value)
        number = int(value)
        digits = str(number)
        if len(digits) == 8:
            return _make(digits[:4], digits[4:6], digits[6:], value)
        if len(digits) == 6:
            return _make(digits[:4], digits[4:], 1, value)
        return _serial(number, value)
    raw = text(value)
    if not raw:
        return None
    if m := _YMD.match(raw):
        return _make(*m.groups(), raw)
    if m := _DIGITS8.match(raw):
        return _make(*m.groups(), raw)
    if m := _DIGITS6.match(raw) or _YM.match(raw):
        return _make(m.group(1), m.group(2), 1, raw)
    if _SERIAL.match(raw):
        return _serial(float(raw), raw)
    raise ValidationError(MSG_DATE, params={"value": raw})


def parse_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = text(value)
    m = re.match(r"^(\d+)\s*(人|名)?$", raw.replace(",", ""))
    if not m:
        raise ValidationError(MSG_INT, params={"value": raw})
    return int(m.group(1))


_MONEY = re.compile(r"^[-+]?\d+(\.\d+)?$")


def parse_money(value) -> Decimal | None:
    """An amount in 元: a number cell, or text such as "5,200.50", "5200元" or "￥5200"; None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(MSG_MONEY, params={"value": value})
    if isinstance(value, (int, float)):
        amount = Decimal(str(value))
    else:
        raw = unicodedata.normalize("NFKC", text(value)).replace(",", "").replace("元", "").replace("¥", "").replace("￥", "").strip()
        if not raw:
            return None
        if not _MONEY.match(raw):
            raise ValidationError(MSG_MONEY, params={"value": text(value)})
        try:
            amount = Decimal(raw)
        except InvalidOperation as exc:
            raise ValidationError(MSG_MONEY, params={"value": text(value)}) from exc
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # 元 to the fen, as on the form
        raise ValidationError(MSG_MONEY, params={"value": str(value)})
    return amount


def parse_choice(value, words: dict[str, str], allowed: str, default: str | None = None) -> str:
    raw = text(value)
    if not raw and default is not None:
        return default
    key = words.get(normalise_header(raw))
    if key is None:
        raise ValidationError(MSG_CHOICE, params={"value": raw, "allowed": allowed})
    return key
