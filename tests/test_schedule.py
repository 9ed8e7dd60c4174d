"""The schedule engine: exact dates and times, in Europe/Paris, with French holidays."""

from __future__ import annotations

import datetime as dt

from generator.schedule import TIMEZONE, Override, public_holidays, sessions, weekly_hours


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TIMEZONE)


def starts(items) -> list[dt.datetime]:
    return [s.start for s in items]


def test_french_public_holidays():
    assert public_holidays(dt.date(2026, 12, 1), dt.date(2027, 1, 31)) == (dt.date(2026, 12, 25), dt.date(2027, 1, 1))
    # Easter Monday 2027 is 29 March
    assert dt.date(2027, 3, 29) in public_holidays(dt.date(2027, 3, 1), dt.date(2027, 4, 30))


def test_second_tuesday_of_the_month():
    found = sessions("Tu[2] 09:00-12:00; PH off", dt.date(2026, 12, 1), dt.date(2027, 3, 31))
    assert starts(found) == [at("2026-12-08", 9), at("2027-01-12", 9), at("2027-02-09", 9), at("2027-03-09", 9)]
    assert found[0].end == at("2026-12-08", 12)


def test_last_friday_of_the_month():
    found = sessions("Fr[-1] 09:30-12:00", dt.date(2026, 12, 1), dt.date(2027, 2, 28))
    assert starts(found) == [at("2026-12-25", 9, 30), at("2027-01-29", 9, 30), at("2027-02-26", 9, 30)]


def test_public_holiday_on_a_session_day_is_skipped():
    # 25 December 2026 is the last Friday of the month, and a public holiday
    found = sessions("Fr[-1] 09:30-12:00; PH off", dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    assert starts(found) == [at("2027-01-29", 9, 30)]


def test_weekly_with_lunch_break():
    found = sessions("Mo 08:30-12:00,13:30-17:00", dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    assert [(s.start, s.end) for s in found] == [
        (at("2026-11-30", 8, 30), at("2026-11-30", 12)),
        (at("2026-11-30", 13, 30), at("2026-11-30", 17)),
    ]


def test_cancelled_date():
    found = sessions("We 14:00-17:00", dt.date(2026, 12, 1), dt.date(2026, 12, 20), cancelled=[dt.date(2026, 12, 9)])
    assert starts(found) == [at("2026-12-02", 14), at("2026-12-16", 14)]


def test_temporary_closure_and_changed_hours():
    closure = Override(dt.date(2026, 12, 24), dt.date(2027, 1, 2))
    changed = Override(dt.date(2027, 1, 4), dt.date(2027, 1, 8), "Mo-Fr 14:00-16:00")
    found = sessions("Mo-Fr 09:00-12:00", dt.date(2026, 12, 23), dt.date(2027, 1, 11), overrides=[closure, changed])
    assert starts(found) == [
        at("2026-12-23", 9),
        at("2027-01-04", 14), at("2027-01-05", 14), at("2027-01-06", 14), at("2027-01-07", 14), at("2027-01-08", 14),
        at("2027-01-11", 9),
    ]


def test_rule_valid_only_from_a_date():
    found = sessions("Th 10:00-11:00", dt.date(2026, 12, 1), dt.date(2026, 12, 31),
                     valid_from=dt.date(2026, 12, 15), valid_until=dt.date(2026, 12, 24))
    assert starts(found) == [at("2026-12-17", 10), at("2026-12-24", 10)]


def test_week_of_the_daylight_saving_change():
    # Clocks go forward on Sunday 28 March 2027: wall-clock times stay right
    found = sessions("Sa,Mo 09:00-12:00", dt.date(2027, 3, 27), dt.date(2027, 3, 29))
    assert starts(found) == [at("2027-03-27", 9), at("2027-03-29", 9)]
    assert found[0].start.utcoffset() == dt.timedelta(hours=1)
    assert found[1].start.utcoffset() == dt.timedelta(hours=2)
    assert found[1].end - found[1].start == dt.timedelta(hours=3)


def test_weekly_hours_table_and_holiday_policy():
    week = weekly_hours("Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off", dt.date(2026, 12, 1))
    assert week is not None
    assert week.days[0] == ((dt.time(8, 30), dt.time(12)), (dt.time(13, 30), dt.time(17)))
    assert week.days[5] == ((dt.time(9), dt.time(12)),)
    assert week.days[6] == ()
    assert week.holidays == "closed"
    assert week.holiday_closures == (dt.date(2026, 12, 25), dt.date(2027, 1, 1))


def test_weekly_hours_claim_nothing_about_holidays_when_the_rule_does_not_say():
    week = weekly_hours("Mo-Fr 09:00-12:00", dt.date(2026, 12, 1))
    assert week.holidays == "unstated" and week.holiday_closures == ()
    week = weekly_hours("Mo-Fr 09:00-12:00; PH 10:00-11:00", dt.date(2026, 12, 1))
    assert week.holidays == "open"


def test_monthly_rules_have_no_weekly_table():
    assert weekly_hours("Tu[2] 09:00-12:00; PH off", dt.date(2026, 12, 1)) is None


def test_open_all_day():
    week = weekly_hours("24/7", dt.date(2026, 12, 1))
    assert week.days == (((dt.time(0), dt.time(0)),),) * 7
