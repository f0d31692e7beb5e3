"""Identity checks give one clear zh-CN message per bad field and accept real-format numbers."""

from datetime import date

from legal_assistant.identity import (
    INDIVIDUAL,
    ORGANIZATION,
    find_same_party_on_both_sides,
    mask_id_number,
    mask_mobile,
    normalize_mobile,
    validate_mobile,
    validate_party,
    validate_resident_id,
    validate_uscc,
)

VALID_USCC = "91110108MA01ABCD0B"
VALID_RESIDENT_ID = "110105199003071239"


def test_valid_uscc_passes_even_with_spaces_and_lowercase():
    assert validate_uscc(VALID_USCC) is None
    assert validate_uscc(" 9111 0108ma01abcd0b ") is None


def test_uscc_with_wrong_check_character_is_rejected_with_checksum_message():
    message = validate_uscc(VALID_USCC[:-1] + "C")
    assert message is not None and "校验位" in message


def test_uscc_of_wrong_length_reports_its_length():
    assert validate_uscc("9111010") == "统一社会信用代码应为18位，当前为7位"


def test_empty_uscc_asks_to_fill_it_in():
    assert validate_uscc("") == "请填写统一社会信用代码"


def test_valid_resident_id_passes_and_lowercase_x_is_accepted():
    assert validate_resident_id(VALID_RESIDENT_ID) is None
    assert validate_resident_id("11010519491231002x") is None


def test_resident_id_with_wrong_check_digit_is_rejected():
    message = validate_resident_id(VALID_RESIDENT_ID[:-1] + "0")
    assert message is not None and "校验位" in message


def test_resident_id_with_impossible_birth_date_names_the_date():
    # 1990-02-30 does not exist; the check digit is recomputed so only the date is wrong.
    from stdnum.cn import ric

    body = "11010519900230123"
    number = body + ric.calc_check_digit(body + "0")
    assert validate_resident_id(number) == "居民身份证号码中的出生日期不存在"


def test_resident_id_born_in_the_future_is_rejected():
    assert validate_resident_id(VALID_RESIDENT_ID, today=date(1980, 1, 1)) == "居民身份证号码中的出生日期晚于今天"


def test_mobile_numbers_accept_country_prefix_and_separators_but_not_landlines():
    assert validate_mobile("13812345678") is None
    assert validate_mobile("+86 138-1234-5678") is None
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    assert validate_mobile("010-12345678") == "手机号码应为以13至19开头的11位数字"
    assert validate_mobile("12812345678") is not None


def test_party_with_several_bad_fields_gets_one_error_per_field():
    errors = validate_party(
        name="", kind=ORGANIZATION, id_number="123", mobile="999", field_prefix="parties.0."
    )
    assert [e.field for e in errors] == ["parties.0.name", "parties.0.id_number", "parties.0.mobile"]
    assert errors[0].message == "请填写单位名称"
    assert all(e.message for e in errors)


def test_valid_individual_party_has_no_errors():
    assert validate_party(name="张三", kind=INDIVIDUAL, id_number=VALID_RESIDENT_ID, mobile="13812345678") == []


def test_organization_id_is_checked_as_uscc_not_resident_id():
    errors = validate_party(name="北京某科技有限公司", kind=ORGANIZATION, id_number=VALID_RESIDENT_ID)
    assert len(errors) == 1 and errors[0].field == "id_number"


def test_same_party_on_both_sides_is_flagged_by_id_number():
    side_a = [{"name": "甲公司", "id_number": VALID_USCC}]
    side_b = [{"name": "乙公司（名称不同）", "id_number": VALID_USCC.lower()}]
    errors = find_same_party_on_both_sides(side_a, side_b)
    assert [e.as_dict() for e in errors] == [
        {"field": "parties_b.0.id_number", "message": "同一主体不能同时出现在合同双方"}
    ]


def test_masking_keeps_only_a_few_characters_of_personal_numbers():
    assert mask_id_number(VALID_RESIDENT_ID) == "1101************39"
    assert mask_mobile("13812345678") == "138****5678"
