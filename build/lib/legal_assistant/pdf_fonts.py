"""A CJK TrueType font for reportlab, embedded in every PDF so it renders the same everywhere.

reportlab can only embed TrueType (glyf) outlines, not CFF/OpenType-PS, so Noto CJK (CFF) is not
usable; WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``) and AR PL UMing (``fonts-arphic-uming``) are.
The first font found is registered once under :data:`CJK_FONT_NAME`; ``LEGAL_CJK_FONT`` may point to
another TTF/TTC file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFError

CJK_FONT_NAME = "LegalCJK"
DEBIAN_FONT_PACKAGES = "fonts-wqy-zenhei"

# (path, index of the face inside a .ttc collection), in order of preference.
CANDIDATE_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)


class CJKFontMissing(RuntimeError):
    """No embeddable Chinese font on this machine; the message tells the operator what to install."""


def find_cjk_font() -> tuple[Path, int]:
    """Path and collection index of the font to embed, or :class:`CJKFontMissing`."""
    override = os.environ.get("LEGAL_CJK_FONT")
    candidates = ((override, 0),) if override else CANDIDATE_FONTS
    for path, index in candidates:
        if Path(path).is_file():
            return Path(path), index
    raise CJKFontMissing(
        "未找到可嵌入PDF的中文字体，无法生成PDF。请安装 Debian 软件包 "
        f"{DEBIAN_FONT_PACKAGES}（apt-get install -y {DEBIAN_FONT_PACKAGES}），"
        "或用环境变量 LEGAL_CJK_FONT 指定一个 TrueType 中文字体文件。"
    )


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the CJK font with reportlab (once) and return its name for styles and canvases."""
    path, index = find_cjk_font()
    try:
        pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(path), subfontIndex=index))
    except TTFError as exc:
        raise CJKFontMissing(f"中文字体文件 {path} 无法嵌入PDF（需要 TrueType 字形）：{exc}") from exc
    return CJK_FONT_NAME
