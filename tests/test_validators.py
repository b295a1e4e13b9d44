import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    MSG_CREDIT_CODE_CHARS,
    MSG_CREDIT_CODE_CHECK,
    MSG_CREDIT_CODE_LENGTH,
    MSG_CREDIT_CODE_REGION,
    normalize_credit_code,
    normalize_text,
    validate_credit_code,
    validate_mobile,
    validate_phone,
)

VALID_CODES = [
    "91350100M000100Y43",  # the example printed in GB 32100-2015
    "91330100716105852F",  # real registered enterprises' codes, as published
    "9144030071526726XG",
    "91110000802100433B",
    "91440300708461136T",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "raw",
    [" 91350100m000100y43 ", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100 M000100 Y43"],
)
def test_credit_code_is_normalised_before_checking(raw):
    assert normalize_credit_code(raw) == "91350100M000100Y43"
    validate_credit_code(raw)


@pytest.mark.parametrize(
    "code, message, params",
    [
        ("91350100M000100Y4", MSG_CREDIT_CODE_LENGTH, {"length": 17}),
        ("91350100M000100Y431", MSG_CREDIT_CODE_LENGTH, {"length": 19}),
        ("91350100M000100Y44", MSG_CREDIT_CODE_CHECK, {"expected": "3"}),
        ("91350100M000100I43", MSG_CREDIT_CODE_CHARS, {"chars": "I"}),
        ("913501O0M000100Y43", MSG_CREDIT_CODE_CHARS, {"chars": "O"}),
        ("913A0100M000100Y43", MSG_CREDIT_CODE_REGION, None),
    ],
)
def test_invalid_credit_codes_are_refused_with_the_reason(code, message, params):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.message == message
    assert exc.value.params == params


def test_check_character_message_names_the_expected_character():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.messages == ["统一社会信用代码校验位错误：按 GB 32100-2015 应为“3”。"]


@pytest.mark.parametrize("phone", ["13912345678", "0537-6201234", "053762012345", "+86 139 1234 5678", ""])
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["1391234567", "12912345678", "6201234", "电话"])
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_mobile_refuses_landline():
    with pytest.raises(ValidationError):
        validate_mobile("0537-6201234")


def test_text_keeps_chinese_punctuation_and_folds_full_width_letters_and_digits():
    assert normalize_text("  督办：某公司“其他”诉求（应急管理局，１１月２１日到期）　") == "督办：某公司“其他”诉求（应急管理局，11月21日到期）"
    assert normalize_text("ＡＢｃ１２３＋８６－１") == "ABc123+86-1"
