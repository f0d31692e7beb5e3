"""Reading amounts, percentages, rates, durations and dates written the many ways contracts write them.

人民币壹拾万元整 / 100,000元 / 10万元; 百分之三十 / 30% / 千分之五; 月息2分 / 年利率24%;
六个月 / 2年 / 一年半; 2024年3月1日 / 二〇二四年三月一日 / 2024-03-01.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an

CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点"
_NUM = rf"(?:\d[\d,，]*(?:\.\d+)?|[{CN_NUM}]+)"


def to_number(text: str) -> float | None:
    """'1,200.5' → 1200.5, '三十' → 30, '壹拾万' → 100000, '1.5万' → 15000; None when unreadable."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    text = text.replace("两", "二").replace("〇", "零")
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


@dataclass
class Found:
    value: float
    start: int
    end: int
    months: float | None = None  # durations only: the same span in months (一年 = 12, 90天 = 3)


_MONEY = re.compile(
    rf"(?:人民币|RMB|CNY|￥|¥)?\s*(?P<num>{_NUM})\s*(?P<unit>亿元|万元|亿|万|元|圆|块钱|块)(?!/[日天月])"
)
_MONEY_SYMBOL = re.compile(r"(?:￥|¥|RMB|CNY)\s*(?P<num>\d[\d,，]*(?:\.\d+)?)")


def money(text: str) -> list[Found]:
    """Money amounts in yuan."""
    found: list[Found] = []
    for match in _MONEY.finditer(text):
        value = to_number(match.group("num"))
        if value is None:
            continue
        unit = match.group("unit")
        if unit.startswith("万"):
            value *= 10_000
        elif unit.startswith("亿"):
            value *= 100_000_000
        found.append(Found(value, match.start(), match.end()))
    covered = [(f.start, f.end) for f in found]
    for match in _MONEY_SYMBOL.finditer(text):
        if any(s <= match.start() < e for s, e in covered):
            continue
        value = to_number(match.group("num"))
        if value is not None:
            found.append(Found(value, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


_PERCENT = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*[%％]|(?P<permille>\d+(?:\.\d+)?)\s*‰|(?P<permyriad>\d+(?:\.\d+)?)\s*‱|百分之(?P<cn>[{CN_NUM}\d.]+)|(?P<scale>千分之|万分之)(?P<frac>[{CN_NUM}\d.]+)")


def percents(text: str) -> list[Found]:
    """Percentages as fractions: '30%' → 0.30, '千分之五' → 0.005, '万分之五' → 0.0005."""
    found: list[Found] = []
    for match in _PERCENT.finditer(text):
        if match.group("num"):
            value = float(match.group("num")) / 100
        elif match.group("permille"):
            value = float(match.group("permille")) / 1000
        elif match.group("permyriad"):
            value = float(match.group("permyriad")) / 10_000
        elif match.group("cn"):
            number = to_number(match.group("cn"))
            if number is None:
                continue
            value = number / 100
        else:
            number = to_number(match.group("frac"))
            if number is None:
                continue
            value = number / (1000 if match.group("scale") == "千分之" else 10_000)
        found.append(Found(value, match.start(), match.end()))
    for match in _CHENG.finditer(text):
        number = to_number(match.group(1))
        if number is not None and 0 < number <= 10:
            found.append(Found(number / 10, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


# 三成 = 30% (成交, 成立, 成本 … are other words).
_CHENG = re.compile(r"([一二两三四五六七八九十]|\d(?:\.\d)?)成(?![交立本功熟果员为都年人品绩效型])")

_PERIOD_WORDS = (
    ("day", re.compile(r"(?:日|每天|每日|按日|按天|/日|/天|日利率|日息)")),
    ("month", re.compile(r"(?:月|每月|按月|/月|月利率|月息)")),
    ("year", re.compile(r"(?:年|每年|按年|/年|年利率|年息|年化)")),
)
# 每万元每天10元 / 每月每万元300元: interest quoted per 10,000 yuan, as private loans often do.
_PER_BASE = re.compile(
    rf"(?:每(?P<period2>日|天|月|年))?每(?P<base>万元|千元|百元)(?:每|/)?(?P<period>日|天|月|年)?(?:利息|息)?(?:为|按|计)?\s*(?P<amount>\d+(?:\.\d+)?|[{CN_NUM}]+)\s*元"
)
_PERIOD_AFTER = re.compile(r"\s*(?:/|每|每个|一个|按)\s*(日|天|月|年)")
_PERIOD_OPENING = re.compile(r"每(?:逾期|迟延|延迟|延误|发生|超过|超期|拖欠)?(?:一|1)?(?:个)?(日|天|月)[，,][^，,]*[，,]?[^，,]*$")
_FEN_LI = re.compile(r"(?P<period>月|年)(?:息|利息|利率)?\s*(?:为|按)?\s*(?P<fen>[一二两三四五六七八九十\d.]+)\s*分(?:\s*(?P<li>[一二三四五六七八九\d])\s*厘)?")


def annual_rates(text: str) -> list[Found]:
    """Interest or charge rates annualised: 月利率2% → 0.24, 日万分之五 → 0.1825, 月息二分 → 0.24.

    The period is the nearest 日/月/年 word before the number within the same sentence fragment;
    a rate with no period word is taken as annual (that is how 利率 alone is read).
    """
    found: list[Found] = []
    for match in _FEN_LI.finditer(text):
        fen = to_number(match.group("fen")) or 0
        li = to_number(match.group("li")) if match.group("li") else 0
        monthly_or_yearly = (fen + (li or 0) / 10) / 100
        value = monthly_or_yearly * 12 if match.group("period") == "月" else monthly_or_yearly * 10
        found.append(Found(value, match.start(), match.end()))
    for match in _PER_BASE.finditer(text):
        base = {"万元": 10_000, "千元": 1_000, "百元": 100}[match.group("base")]
        amount = to_number(match.group("amount"))
        if amount is None:
            continue
        per_year = {"日": 365, "天": 365, "月": 12, "年": 1}[match.group("period") or match.group("period2")]
        found.append(Found(amount / base * per_year, match.start(), match.end()))
    for pct in percents(text):
        if any(f.start <= pct.start < f.end for f in found):
            continue
        window = re.split(r"[；;。\n，,]", text[max(0, pct.start - 14) : pct.start])[-1]
        period = "year"
        best = -1
        for name, pattern in _PERIOD_WORDS:
            for hit in pattern.finditer(window):
                if hit.start() > best:
                    best, period = hit.start(), name
        if best < 0:
            # No period before the number: 2%/月, 百分之二每月, 0.1%每日 put it right after …
            after = _PERIOD_AFTER.match(text, pct.end)
            # … or the sentence opened with it: 每发生一日，乙方应按总价款的10%支付违约金.
            opening = _PERIOD_OPENING.search(re.split(r"[；;。\n]", text[max(0, pct.start - 40) : pct.start])[-1])
            if after:
                period = {"日": "day", "天": "day", "月": "month", "年": "year"}[after.group(1)]
            elif opening:
                period = {"日": "day", "天": "day", "月": "month"}[opening.group(1)]
        factor = {"day": 365, "month": 12, "year": 1}[period]
        found.append(Found(pct.value * factor, pct.start, pct.end))
    return sorted(found, key=lambda f: f.start)


_DURATION = re.compile(rf"(?P<num>\d+(?:\.\d+)?|[{CN_NUM}]+)\s*(?:(?P<half>年半)|(?P<unit>个月|个自然月|个工作日|个日历日|自然日|工作日|日历日|年|月|周|日|天|星期))")
_HALF_YEAR = re.compile(r"半年")


def durations_in_days(text: str) -> list[Found]:
    """Durations in days: 六个月 → 180, 2年 → 730, 一年半 → 547.5, 15个工作日 → 21 (calendar)."""
    found: list[Found] = []
    for match in _DURATION.finditer(text):
        number = to_number(match.group("num"))
        if number is None:
            continue
        unit = match.group("unit") or ""
        months = None
        if match.group("half"):
            days, months = (number + 0.5) * 365, (number + 0.5) * 12
        elif unit == "年":
            # '2024年' is a year of a date, not a duration.
            if number >= 1900:
                continue
            days, months = number * 365, number * 12
        elif unit in ("个月", "个自然月", "月"):
            if unit == "月" and not re.search(r"(?:个|半)$", text[: match.start("unit")]) and _is_calendar_month(text, match):
                continue
            days, months = number * 30, number
        elif unit in ("周", "星期"):
            days = number * 7
        elif "工作日" in unit:
            days = number * 7 / 5
        else:
            if _is_calendar_day(text, match):
                continue
            days = number
        found.append(Found(days, match.start(), match.end(), months if months is not None else days / 30))
    for match in _HALF_YEAR.finditer(text):
        if not any(f.start <= match.start() < f.end for f in found):
            found.append(Found(182.5, match.start(), match.end(), 6))
    return sorted(found, key=lambda f: f.start)


def _is_calendar_month(text: str, match: re.Match) -> bool:
    """'3月' in '2024年3月1日' or '每年3月' is a month of the calendar, not three months."""
    before = text[max(0, match.start() - 2) : match.start()]
    after = text[match.end() : match.end() + 3]
    return bool(re.search(r"年\s*$", before) or re.match(r"\s*[\d一二三四五六七八九十]+\s*[日号]", after) or re.search(r"每\s*$", before))


def _is_calendar_day(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 2) : match.start()]
    return bool(re.search(r"月\s*$", before) or re.search(r"每月\s*$", text[max(0, match.start() - 3) : match.start()]))


_CN_DIGIT = str.maketrans("〇零一二三四五六七八九", "00123456789")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2}|[二][〇零][〇零一二三四五六七八九]{2})\s*[年\-/.．]\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*[月\-/.．]\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]?"
)


def dates(text: str) -> list[tuple[date, int, int]]:
    found = []
    for match in _DATE.finditer(text):
        try:
            year = int(match.group("y").translate(_CN_DIGIT))
            month = int(to_number(match.group("m")) or 0)
            day = int(to_number(match.group("d")) or 0)
            found.append((date(year, month, day), match.start(), match.end()))
        except (ValueError, TypeError):
            continue
    return found


def months_between(start: date, end_inclusive: date) -> float:
    """Calendar months from ``start`` to ``end_inclusive`` (2025-01-01…2025-12-31 is 12).

    Within a few days of a whole number of months the whole number is taken: contracts often
    end on the 28th of February or one day early.
    """
    end = end_inclusive + timedelta(days=1)
    months = (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 30.4375
    return float(round(months)) if abs(months - round(months)) < 0.1 else months
