"""Law names, article numbers and citations: normalising the many spellings of one instrument."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_CN_NUM = f"[{CN_DIGITS}]+"
# Article heading as written in the corpus: 第X条, 第X条之Y; tolerates the 笫 typo and a space before 条.
ARTICLE_HEAD = re.compile(rf"^[第笫]\s*({_CN_NUM})\s*条(?:之({_CN_NUM}))?")
# Article reference in free text: Chinese or Arabic numerals, optional 之X, optional 第X款/项.
ARTICLE_REF = re.compile(
    rf"第\s*({_CN_NUM}|\d+)\s*条(?:之\s*({_CN_NUM}|\d+))?(?:\s*第\s*({_CN_NUM}|\d+)\s*款)?(?:\s*第\s*({_CN_NUM}|\d+)\s*项)?"
)
_NAME_NOISE = re.compile(r"[\s、《》〈〉“”\"'·]|中华人民共和国")
_VERSION_IN_NAME = re.compile(r"\(\d{4}-\d{2}-\d{2}\)")


def law_key(name: str) -> str:
    """Grouping key for one instrument across spellings, folders and versions.

    Removes whitespace, 、, 《》 and 中华人民共和国 anywhere; keeps full-width parentheses such as
    （一） or （试行）, which are part of a name. An ASCII ``(YYYY-MM-DD)`` is a version date.
    """
    name = _VERSION_IN_NAME.sub("", name)
    return _NAME_NOISE.sub("", name)


def short_name(title: str) -> str:
    """Display name without the 中华人民共和国 prefix (民法典, 劳动合同法 …)."""
    return re.sub(r"^中华人民共和国", "", title.strip())


def to_int(numeral: str) -> int:
    """'一百二十三' or '123' → 123."""
    numeral = numeral.strip().replace("〇", "零").replace("两", "二")
    if numeral.isdigit():
        return int(numeral)
    return int(cn2an.cn2an(numeral, "smart"))


def to_cn(number: int) -> str:
    return cn2an.an2cn(number, "low")


def article_label(number: int, sub: int = 0) -> str:
    """Canonical written form: 第一百二十三条 / 第一百二十三条之一."""
    label = f"第{to_cn(number)}条"
    return label + (f"之{to_cn(sub)}" if sub else "")


@dataclass(frozen=True)
class Citation:
    """A reference to one article: law as written, article number, optional paragraph (款)."""

    law: str
    number: int
    sub: int = 0
    paragraph: int | None = None
    start: int = 0
    end: int = 0

    @property
    def article_label(self) -> str:
        return article_label(self.number, self.sub)


def parse_article_ref(text: str) -> tuple[int, int, int | None] | None:
    """'第585条' / '第五百八十五条之一第二款' → (585, 1, 2)."""
    match = ARTICLE_REF.search(text)
    if not match:
        return None
    number = to_int(match.group(1))
    sub = to_int(match.group(2)) if match.group(2) else 0
    paragraph = to_int(match.group(3)) if match.group(3) else None
    return number, sub, paragraph
