"""Personal data (ID numbers, phone numbers, bank accounts) never reaches logs or the audit log in full."""

import io
import logging

import pytest
from sqlalchemy import select
from storage_support import sqlite_database  # noqa: F401

from legal_assistant.audit import AuditEntry, record_event
from legal_assistant.logging_setup import configure_logging
from legal_assistant.privacy import PIIMaskingFilter, mask_pii
from legal_assistant.store.db import session_scope


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号11010519491231002X，", "身份证号110***********002X，"),
        ("身份证号码：110105194912310021", "身份证号码：110***********0021"),
        ("旧版身份证110105491231002", "旧版身份证110********1002"),
        ("联系电话13812345678", "联系电话138****5678"),
        ("手机：+86 138-1234-5678", "手机：+86 138-****-5678"),
        ("办公电话010-62345678", "办公电话010-******78"),
        ("开户账号6222020200001234567", "开户账号***************4567"),
        ("卡号 6222 0202 0000 1234", "卡号 **** **** **** 1234"),
        # Full-width digits typed in Chinese input mode are caught and keep their width.
        ("电话１３８１２３４５６７８", "电话１３８****５６７８"),
        ("身份证１１０１０５１９４９１２３１００２Ｘ", "身份证１１０***********００２Ｘ"),
    ],
)
def test_personal_numbers_are_masked_keeping_only_the_edges(text, masked):
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "合同编号HT2024010100012345",  # digits inside a longer code
        "统一社会信用代码91110108MA01ABCD0B",
        "违约金为合同总价款的20%，即人民币100000元",
        "签订日期20240101，第五百八十五条",
        "履行年度\n2024\n2025\n2026",  # numbers on separate lines are not one account number
        "",
    ],
)
def test_ordinary_contract_text_is_left_alone(text):
    assert mask_pii(text) == text


def test_logging_filter_masks_arguments_and_tracebacks():
    logger = logging.getLogger("legal_assistant.test_privacy")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PIIMaskingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("当事人%s电话%s", "张三", "13912345678")
        try:
            raise ValueError("身份证号11010519491231002X校验失败")
        except ValueError:
            logger.exception("解析失败")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "当事人张三电话139****5678" in output
    assert "110***********002X" in output and "Traceback" in output
    assert "13912345678" not in output and "11010519491231002X" not in output


def test_application_logging_setup_installs_the_mask_once(capsys):
    root = logging.getLogger()
    previous_level = root.level
    try:
        handler = configure_logging("INFO")
        assert configure_logging("INFO") is handler
        assert any(isinstance(f, PIIMaskingFilter) for f in handler.filters)
        assert sum(getattr(h, "_legal_assistant_handler", False) for h in root.handlers) == 1
        logging.getLogger("legal_assistant.some_feature").info("回款账户6222020200001234567")
        err = capsys.readouterr().err
        assert "***************4567" in err and "6222020200001234567" not in err
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


def test_audit_details_are_masked(sqlite_database):
    with session_scope() as session:
        record_event(session, None, "exported", "contract", "7", "导出含电话13812345678的合同", username="owner")
    with session_scope() as session:
        assert session.scalar(select(AuditEntry.detail)) == "导出含电话138****5678的合同"


def test_log_handler_follows_the_current_stderr(capsys, monkeypatch):
    """A CLI invocation's stderr is gone after it ends; later records must not go to it."""
    import sys

    root = logging.getLogger()
    previous_level = root.level
    try:
        handler = configure_logging("INFO")
        monkeypatch.setattr(sys, "stderr", io.StringIO())
        replaced = sys.stderr
        logging.getLogger("legal_assistant.later").warning("之后的日志")
        assert "之后的日志" in replaced.getvalue()
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
