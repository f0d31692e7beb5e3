"""The app's common look and its common ways of showing results and failures.

One stylesheet (Chinese type stack, title rule, zh-CN labels for Streamlit's English file
uploader), one footer, one way to turn an unexpected failure into a message a user can act on,
and the download/highlight helpers several pages share.
"""

from __future__ import annotations

import csv
import html
import io
import logging
from collections.abc import Iterable

import streamlit as st

from legal_assistant.auth import PermissionDenied
from legal_assistant.documents import DocumentError
from legal_assistant.pdf_fonts import CJKFontMissing
from legal_assistant.settings import get_settings

logger = logging.getLogger(__name__)

CJK_FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif'

STYLE = """
<style>
  .stApp, .stApp button, .stApp input, .stApp textarea {{ font-family: {font_stack}; }}
  .stApp h1 {{ font-size: 1.85rem; font-weight: 700; letter-spacing: 0.02em;
              padding-bottom: 0.35rem; border-bottom: 3px solid #1f5f8b; margin-bottom: 0.6rem; }}
  .stApp h2, .stApp h3 {{ font-weight: 650; letter-spacing: 0.01em; }}
  .stApp p, .stApp li {{ line-height: 1.75; }}
  .block-container {{ max-width: 1180px; padding-top: 2.2rem; }}
  /* Streamlit's file uploader only speaks English ("Upload", "200MB per file • PDF"): say it in Chinese. */
  [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
  [data-testid="stFileUploaderDropzoneInstructions"] > div::before {{
      content: "将文件拖放到此处，或点击按钮选择（单个文件不超过 {upload_mb} MB）"; font-size: 0.85rem; color: #6b7785; }}
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
      content: "选择文件"; font-size: 0.875rem; }}
  .la-footer {{ margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid #dde3ea;
               color: #6b7785; font-size: 0.82rem; line-height: 1.6; }}
  .la-clause {{ padding: 0.45rem 0.7rem; margin: 0.25rem 0; border-radius: 0.4rem; border-left: 4px solid #dde3ea;
               background: #fafbfc; line-height: 1.7; }}
  .la-clause.high {{ border-left-color: #c0392b; background: #fdecea; }}
  .la-clause.medium {{ border-left-color: #e67e22; background: #fef5e7; }}
  .la-clause.low {{ border-left-color: #2e86c1; background: #eaf2f8; }}
  .la-clause .la-tag {{ font-size: 0.8rem; font-weight: 600; margin-right: 0.4rem; }}
  .la-clause.high .la-tag {{ color: #c0392b; }}
  .la-clause.medium .la-tag {{ color: #b9650f; }}
  .la-clause.low .la-tag {{ color: #21618c; }}
</style>
"""

FOOTER = (
    '<div class="la-footer">最嘉法护 · 企业法律风险助手　｜　引用的法条均取自本系统法规库，注明法律名称、条号与版本日期；'
    "案例仅供参考。本工具提供法律信息与风险提示，不构成律师意见，重大事项请咨询执业律师或法律援助机构。</div>"
)

UNEXPECTED = "抱歉，页面出现意外错误，本次操作没有完成。错误已记录在服务日志中；请刷新页面后重试，若反复出现请联系管理员。"


def apply_style() -> None:
    # The smaller of the two limits applies: Streamlit refuses bigger uploads, the library bigger files.
    upload_mb = min(get_settings().max_upload_mb, st.get_option("server.maxUploadSize"))
    st.html(STYLE.format(font_stack=CJK_FONT_STACK, upload_mb=upload_mb))


def footer() -> None:
    st.html(FOOTER)


def run_page(page) -> None:
    """Run the selected page; failures no page handled itself become a specific zh-CN message
    instead of a stack trace (details go to the server log, not to the browser)."""
    try:
        page.run()
    except PermissionDenied as error:
        st.warning(f"{error}。如需使用该功能，请在左侧“登录”页面以相应账户登录。")
    except DocumentError as error:
        st.error(f"无法读取上传的文件：{error}")
    except CJKFontMissing as error:
        st.error(str(error))
    except Exception:
        logger.exception("页面“%s”运行出错", page.title)
        st.error(UNEXPECTED)


def csv_bytes(rows: Iterable[dict]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel on Chinese Windows opens it without mojibake."""
    rows = list(rows)
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


SEVERITY_ORDER = ("high", "medium", "low")
SEVERITY_ZH = {"high": "高风险", "medium": "中风险", "low": "低风险"}


def clause_highlights_html(result: dict) -> str:
    """Every clause of a reviewed contract (``ReviewResult.as_dict()``), coloured by its worst
    finding and tagged with the findings' titles. Contract text is untrusted: all of it is escaped."""
    by_clause: dict[str, list[dict]] = {}
    for finding in result.get("findings", []):
        if finding.get("clause"):
            by_clause.setdefault(finding["clause"], []).append(finding)
    blocks = []
    for clause in result.get("clauses", []):
        findings = by_clause.get(clause["clause"], [])
        worst = next((s for s in SEVERITY_ORDER if any(f["severity"] == s for f in findings)), "")
        tags = "".join(
            f'<span class="la-tag">【{SEVERITY_ZH[f["severity"]]}】{html.escape(f["title"])}</span>' for f in findings
        )
        text = html.escape(clause["text"][:800]) + ("…" if len(clause["text"]) > 800 else "")
        blocks.append(f'<div class="la-clause {worst}">{tags}{"<br>" if tags else ""}{text}</div>')
    return "\n".join(blocks)
