"""Legal dates are Beijing dates, whatever time zone the server runs in."""

from datetime import date, datetime, timezone

from legal_assistant import clock


def test_a_utc_evening_is_already_the_next_day_in_jiaxing():
    late_utc = datetime(2026, 11, 29, 23, 30, tzinfo=timezone.utc)  # 07:30 on the 30th in Jiaxing
    assert clock.today(late_utc) == date(2026, 11, 30)


def test_a_utc_afternoon_is_the_same_day_in_jiaxing():
    assert clock.today(datetime(2026, 11, 29, 15, 59, tzinfo=timezone.utc)) == date(2026, 11, 29)
    assert clock.today(datetime(2026, 11, 29, 16, 0, tzinfo=timezone.utc)) == date(2026, 11, 30)


def test_now_is_in_beijing_time():
    assert clock.now().utcoffset().total_seconds() == 8 * 3600
