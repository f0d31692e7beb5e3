"""Due dates of a schedule: monthly steps, moved off statutory holidays and rest days.

民法典第二百零三条: when the last day of a period is a 法定休假日, the period ends on the day after
the holiday. chinese-calendar knows the State Council's holiday and 调休 arrangements (a Saturday
made a working day stays a due date). For years it does not yet cover, only weekends can be
recognised; such dates are flagged so the assistant checks them against the published schedule.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WEEKDAY_NAMES = "一二三四五六日"


@lru_cache(maxsize=1)
def covered_years() -> range:
    """Years for which chinese-calendar has the official arrangements."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later; the 31st becomes the last day of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _rest_reason(day: date) -> str | None:
    """Why ``day`` is not a working day (None = working day); weekends only outside the covered years."""
    if day.year in covered_years():
        if chinese_calendar.is_workday(day):
            return None
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if on_holiday and name:
            return HOLIDAY_NAMES.get(name, name) + "假期"
        return f"星期{WEEKDAY_NAMES[day.weekday()]}休息日"
    if day.weekday() >= 5:
        return f"星期{WEEKDAY_NAMES[day.weekday()]}休息日"
    return None


@dataclass(frozen=True)
class DueDate:
    nominal: date
    due: date
    reason: str  # empty when not moved

    @property
    def moved(self) -> bool:
        return self.due != self.nominal

    @property
    def calendar_unverified(self) -> bool:
        return self.due.year not in covered_years() or self.nominal.year not in covered_years()


def next_working_day(nominal: date) -> DueDate:
    """``nominal`` if it is a working day, else the first working day after the rest days."""
    day = nominal
    first_reason = _rest_reason(day)
    while _rest_reason(day):
        day += timedelta(days=1)
    if day == nominal:
        return DueDate(nominal, nominal, "")
    return DueDate(nominal, day, f"{nominal:%Y-%m-%d} 为{first_reason}，顺延至 {day:%Y-%m-%d}")


def calendar_warning(dates: list[DueDate]) -> str | None:
    """A zh-CN warning naming the years whose holiday arrangements are not known yet."""
    years = sorted({d.due.year for d in dates if d.calendar_unverified} | {d.nominal.year for d in dates if d.calendar_unverified})
    years = [y for y in years if y not in covered_years()]
    if not years:
        return None
    span = covered_years()
    listed = "、".join(f"{y}年" for y in years)
    return (
        f"节假日日历（chinese-calendar）仅覆盖 {span.start}—{span.stop - 1} 年；{listed}的到期日只按周末顺延，"
        "尚未考虑法定节假日及调休安排，请在国务院办公厅公布放假安排后核对"
    )
