"""Splitting contract text into title, parties, preamble, numbered clauses and the signature block.

Clause numbers are kept as written (第三条, 三、, 3., 3.1) together with a normalised key
("3", "3.1") used to compare them, and each clause remembers the paragraphs it came from so
reports can anchor comments on the original document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cn2an

CN_DIGITS = "一二三四五六七八九十百零〇两"

_ARTICLE = re.compile(rf"^第([{CN_DIGITS}\d]+)条[\s、：:．.]*")
_CHAPTER = re.compile(rf"^第([{CN_DIGITS}\d]+)[章节部分编]\s*")
_CN_ITEM = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*")
_DOTTED = re.compile(r"^(\d{1,3}(?:[.．]\d{1,3}){0,3})(?:[.．、]|\s+|(?=[\u4e00-\u9fff]))")
_PAREN_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+|\d{1,2})[)）]\s*")
_SUB_ITEM = re.compile(r"^[（(]([一二三四五六七八九十\d]+)[)）]|^\d+[)）]|^[①-⑳]")

PARTY_LABELS = (
    "甲方|乙方|丙方|丁方|出租人|承租人|出卖人|买受人|卖方|买方|供方|需方|供货方|采购方|出借人|借款人|贷款人|保证人|抵押人|抵押权人|出质人|质权人|债权人|债务人"
    "|委托人|受托人|委托方|受托方|承揽人|定作人|发包人|承包人|发包方|承包方|托运人|承运人|存货人|保管人|中介人|居间人|用人单位|劳动者|用工单位|派遣单位"
    "|转让方|受让方|转让人|受让人|许可方|被许可方|让与人|开发方|研究开发人|服务方|委托开发方|特许人|被特许人|广告主|广告发布者|广告经营者|物业服务人|物业服务企业|业主|业主委员会"
    "|赠与人|受赠人|合伙人|投资方|目标公司|原股东|申请执行人|被执行人|雇主|雇员|聘用方|受聘方|员工|公司"
)
_PARTY_LINE = re.compile(rf"^(?P<label>(?:{PARTY_LABELS})(?:[（(][^）)]{{0,20}}[)）])?)\s*[:：]\s*(?P<name>.*)$")
_ROLE_IN_PARENS = re.compile(rf"[（(](?:以下简称|下称|以下称)?[“\"]?(?P<inner>(?:{PARTY_LABELS}))[”\"]?[)）]")
_PARTY_DETAIL = re.compile(r"^(?:住所|地址|住址|通讯地址|注册地址|统一社会信用代码|社会信用代码|身份证号码?|居民身份证号码?|证件号码?|法定代表人|负责人|联系电话|电话|手机|联系人|开户行|账号|邮箱|电子邮箱|委托代理人)")
_SIGNATURE = re.compile(r"^(?:[（(]?以下无正文|[（(]?本页无正文|(?:甲方|乙方|丙方|出租人|承租人|出借人|借款人|用人单位|劳动者)?\s*[（(]?(?:签字|签章|盖章|签名)|签订日期|签约日期|签署日期|日期[：:]|签订地点)")
_TITLE_HINT = re.compile(r"(合同|协议|合约|契约|确认书|协议书|补充协议|承诺书|保证书|约定书|借条|借据|欠条|委托书|授权书|确认函)")


@dataclass
class Party:
    label: str  # as written: 甲方（出租人）
    side: str  # 甲方/乙方/丙方 or the role word when the contract uses no 甲乙
    role: str  # 出租人 / 劳动者 … ('' when only 甲方/乙方 is written)
    name: str
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class Clause:
    number: str  # as written: 第三条 / 三、 / 3.1
    key: str  # normalised: "3", "3.1"
    heading: str
    text: str  # full text including the number and sub-items
    paragraph_indices: list[int]
    level: int
    chapter: str = ""


@dataclass
class ContractStructure:
    title: str
    parties: list[Party]
    preamble: list[str]
    clauses: list[Clause]
    tail: list[str]


def clause_key(number: str) -> str:
    """第五条 → "5", 五、 → "5", 5.2 → "5.2", "Article" labels untouched."""
    number = number.strip()
    nested = re.match(rf"^([{CN_DIGITS}]+)[.．](\d{{1,3}})$", number)  # 四.2: item 2 of clause 四、
    if nested:
        return f"{_to_int(nested.group(1))}.{nested.group(2)}"
    match = _ARTICLE.match(number) or re.match(rf"^第([{CN_DIGITS}\d]+)条?$", number)
    if match:
        return str(_to_int(match.group(1)))
    match = _CN_ITEM.match(number) or re.match(r"^[（(]?([一二三四五六七八九十]+)[)）]?$", number)
    if match:
        return str(_to_int(match.group(1)))
    match = re.match(r"^[（(]?(\d{1,3}(?:[.．]\d{1,3})*)", number)
    if match:
        return match.group(1).replace("．", ".")
    return number


def section_key(number: str) -> str:
    """The top-level clause a (sub-)clause belongs to: 四.2 and 四 are both section "4"."""
    return clause_key(number).split(".")[0]


def sections(clauses: list[Clause]) -> dict[str, list[Clause]]:
    """Clauses grouped by top-level number, in reading order: 四 with 四.1 and 四.2."""
    grouped: dict[str, list[Clause]] = {}
    for clause in clauses:
        grouped.setdefault(section_key(clause.number), []).append(clause)
    return grouped


def _to_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text.replace("两", "二"), "smart"))
    except (ValueError, KeyError):
        return 0


def _heading_of(number_match: re.Match, text: str) -> tuple[str, str]:
    """Number as written and the short heading that follows (违约责任), if the paragraph is a heading."""
    number = number_match.group(0).strip().rstrip("：:．.、 ")
    rest = text[number_match.end():].strip()
    heading = re.split(r"[：:。；;，,]", rest, maxsplit=1)[0] if rest else ""
    return number, heading[:20] if len(heading) <= 20 else ""


def segment(paragraphs: list[tuple[int, str]]) -> ContractStructure:
    """Split ``(paragraph index, text)`` pairs into the contract's parts."""
    title = ""
    parties: list[Party] = []
    preamble: list[str] = []
    clauses: list[Clause] = []
    tail: list[str] = []
    chapter = ""
    numbering_style: str | None = None  # the style of the first top-level clause decides what is top-level
    in_tail = False

    for index, raw in paragraphs:
        text = raw.strip()
        if not text:
            continue
        if not title and not clauses and not parties and _TITLE_HINT.search(text) and len(text) <= 40 and not _PARTY_LINE.match(text):
            title = re.sub(r"\s+", "", text)
            continue
        if in_tail or (clauses and _SIGNATURE.match(text)):
            in_tail = True
            tail.append(text)
            _collect_tail_party(text, parties)
            continue
        party_match = _PARTY_LINE.match(text)
        if party_match and not clauses and len(text) <= 120:
            parties.append(_make_party(party_match))
            continue
        if not clauses and parties and _PARTY_DETAIL.match(text):
            key, _, value = re.sub(r"[:：]", "：", text, count=1).partition("：")
            parties[-1].details[key.strip()] = value.strip()
            continue
        chapter_match = _CHAPTER.match(text)
        if chapter_match and len(text) <= 30:
            chapter = text
            continue
        style, number_match = _number_style(text)
        if _outranks(style, numbering_style):
            # 第X条 (and 一、 over 1.) is the clause level whenever it appears: items numbered before
            # the first one were recitals (鉴于：1. … 2. …) or chapter headings, not clauses.
            preamble.extend(line for clause in clauses for line in clause.text.split("\n"))
            clauses = []
            numbering_style = style
        if style is not None and numbering_style is None and not _SUB_ITEM.match(text):
            numbering_style = style
        elif numbering_style in (None, "paren") and _PAREN_ITEM.match(text):
            # Contracts numbered only （一）（二）…: those are the clauses.
            style, number_match, numbering_style = "paren", _PAREN_ITEM.match(text), "paren"
        if style is not None and (style == numbering_style or _is_nested(style, numbering_style, number_match)):
            number, heading = _heading_of(number_match, text)
            if style != numbering_style and clauses and "." not in number.replace("．", "."):
                # 一、… 1. 2.: the items belong to the clause above, so they are cited as 一.1, 一.2
                parent = next((c for c in reversed(clauses) if c.level == 1 and "." not in c.key), None)
                number = f"{parent.number.rstrip('、.．')}.{number}" if parent else number
            key = clause_key(number)
            level = key.count(".") + 1 if style == "dotted" else 1
            clauses.append(Clause(number=number, key=key, heading=heading, text=text, paragraph_indices=[index], level=level, chapter=chapter))
            continue
        if clauses:
            clause = clauses[-1]
            clause.text = f"{clause.text}\n{text}"
            clause.paragraph_indices.append(index)
            if not clause.heading and len(clause.text.split("\n")[0]) <= 20:
                clause.heading = clause.text.split("\n")[0][len(clause.number):].strip("、.． ：:")
        else:
            preamble.append(text)
    if not title and preamble:
        title = preamble[0][:40]
    return ContractStructure(title=title, parties=parties, preamble=preamble, clauses=clauses, tail=tail)


def _number_style(text: str) -> tuple[str | None, re.Match | None]:
    for style, pattern in (("article", _ARTICLE), ("cn_item", _CN_ITEM), ("dotted", _DOTTED)):
        match = pattern.match(text)
        if match:
            return style, match
    return None, None


_STYLE_RANK = {"article": 3, "cn_item": 2, "dotted": 1}


def _outranks(style: str | None, top_style: str | None) -> bool:
    if style == "article":
        return top_style not in (None, "article")
    return top_style in _STYLE_RANK and _STYLE_RANK.get(style or "", 0) > _STYLE_RANK[top_style]


def _is_nested(style: str, top_style: str | None, match: re.Match | None) -> bool:
    """Second-level numbering under a different top-level style: 第三条 … 3.1 / 一、 … 1. / 1.1"""
    if top_style is None or match is None:
        return False
    if style == "dotted":
        # 1.1 under 第一条 or 一、 ; plain "1." under 第X条 is a sub-item of the article, not a clause.
        return "." in match.group(1).replace("．", ".") or top_style == "cn_item"
    return False


def _make_party(match: re.Match) -> Party:
    label = match.group("label")
    name = match.group("name").strip().lstrip("|｜ ").strip()  # table rows arrive as "甲方： | 名称"
    base = re.split(r"[（(]", label)[0]
    inner = _ROLE_IN_PARENS.search(label) or _ROLE_IN_PARENS.search(name)
    inner_word = inner.group("inner") if inner else ""
    if base in ("甲方", "乙方", "丙方", "丁方"):
        side, role = base, (inner_word if inner_word not in ("甲方", "乙方", "丙方", "丁方") else "")
    elif inner_word in ("甲方", "乙方", "丙方", "丁方"):
        side, role = inner_word, base
    else:
        side, role = base, base
    name = _ROLE_IN_PARENS.sub("", name).strip()
    return Party(label=label, side=side, role=role, name=name)


def _collect_tail_party(text: str, parties: list[Party]) -> None:
    """Signature blocks sometimes carry the only party names (甲方（盖章）：某公司)."""
    match = re.match(rf"^(?P<side>{PARTY_LABELS})[（(](?:签字|盖章|签章|签名)[^）)]*[)）]\s*[:：]\s*(?P<name>\S.*)$", text)
    if match and not any(p.side == match.group("side") for p in parties):
        parties.append(Party(label=match.group("side"), side=match.group("side"), role="", name=match.group("name").strip()))
