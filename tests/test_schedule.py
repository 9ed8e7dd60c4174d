"""The schedule engine: exact dates and times, in Europe/Paris, with French holidays."""

from __future__ import annotations

import datetime as dt

from generator.records.schedule import (
    CALENDARS,
    LAST,
    TIMEZONE,
    Override,
    Recurrence,
    pattern,
    public_holidays,
    sessions,
)

from helpers import weekly_pattern

T = dt.time
TODAY_DEC = dt.date(2026, 12, 1)


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
        at("2027-01-04", 14),
        at("2027-01-05", 14),
        at("2027-01-06", 14),
        at("2027-01-07", 14),
        at("2027-01-08", 14),
        at("2027-01-11", 9),
    ]


def test_rule_valid_only_from_a_date():
    found = sessions(
        "Th 10:00-11:00",
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
        valid_from=dt.date(2026, 12, 15),
        valid_until=dt.date(2026, 12, 24),
    )
    assert starts(found) == [at("2026-12-17", 10), at("2026-12-24", 10)]


def test_week_of_the_daylight_saving_change():
    # Clocks go forward on Sunday 28 March 2027: wall-clock times stay right
    found = sessions("Sa,Mo 09:00-12:00", dt.date(2027, 3, 27), dt.date(2027, 3, 29))
    assert starts(found) == [at("2027-03-27", 9), at("2027-03-29", 9)]
    assert found[0].start.utcoffset() == dt.timedelta(hours=1)
    assert found[1].start.utcoffset() == dt.timedelta(hours=2)
    assert found[1].end - found[1].start == dt.timedelta(hours=3)


def test_weekly_pattern_and_holiday_policy():
    found = weekly_pattern("Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off", dt.date(2026, 12, 1))
    assert found is not None and found.weekly
    week = found.week()
    assert week[0] == ((T(8, 30), T(12)), (T(13, 30), T(17)))
    assert week[5] == ((T(9), T(12)),)
    assert week[6] == ()
    assert found.holidays == "closed"
    assert found.holiday_closures == (dt.date(2026, 12, 25), dt.date(2027, 1, 1))


def test_patterns_claim_nothing_about_holidays_when_the_rule_does_not_say():
    found = weekly_pattern("Mo-Fr 09:00-12:00", dt.date(2026, 12, 1))
    assert found.holidays == "unstated" and found.holiday_closures == ()
    # also open on a holiday falling on a Saturday: said as the holiday hours
    same = weekly_pattern("Mo-Fr 09:00-12:00; PH 09:00-12:00", dt.date(2026, 12, 1))
    assert same.holidays == "other" and same.holiday_hours == ((T(9), T(12)),)
    assert weekly_pattern("Mo-Su 09:00-12:00; PH 09:00-12:00", dt.date(2026, 12, 1)).holidays == "open"
    other = weekly_pattern("Mo-Fr 09:00-12:00; PH 10:00-11:00", dt.date(2026, 12, 1))
    assert other.holidays == "other" and other.holiday_hours == ((T(10), T(11)),)


def test_monthly_patterns():
    assert weekly_pattern("Tu[2] 09:00-12:00; PH off", dt.date(2026, 12, 1)).recurrences == (
        Recurrence(1, (2,), ((T(9), T(12)),)),
    )
    assert weekly_pattern("Th[1,3] 14:00-16:30", dt.date(2026, 12, 1)).recurrences == (
        Recurrence(3, (1, 3), ((T(14), T(16, 30)),)),
    )
    assert weekly_pattern("Fr[-1] 09:30-12:00", dt.date(2026, 12, 1)).recurrences == (
        Recurrence(4, (LAST,), ((T(9, 30), T(12)),)),
    )
    assert weekly_pattern("Th[1,-1] 10:00-11:00", dt.date(2026, 12, 1)).recurrences == (
        Recurrence(3, (1, LAST), ((T(10), T(11)),)),
    )
    # Weekly mornings and a monthly afternoon on the same day: two recurrences
    both = weekly_pattern("Mo 09:00-12:00; Mo[1] 09:00-12:00,14:00-16:00", dt.date(2026, 12, 1))
    assert both.recurrences == (
        Recurrence(0, (), ((T(9), T(12)),)),
        Recurrence(0, (1,), ((T(14), T(16)),)),
    )


def test_rules_that_words_cannot_say_have_no_pattern():
    assert pattern("week 01-53/2 Tu 10:00-12:00", dt.date(2026, 12, 1)) is None  # every other week
    assert pattern("Jul-Aug Mo 10:00-12:00", dt.date(2026, 12, 1)) is None  # a season
    assert pattern("2027 Jan 05 10:00-12:00", dt.date(2026, 12, 1)) is None  # a single date


def test_open_all_day():
    found = weekly_pattern("24/7", dt.date(2026, 12, 1))
    assert found.week() == (((T(0), T(0)),),) * 7


def test_alsace_moselle_holidays():
    # Good Friday and 26 December are public holidays in Alsace-Moselle only
    alsace = CALENDARS["alsace-moselle"]
    days = public_holidays(dt.date(2026, 12, 1), dt.date(2027, 4, 30), alsace)
    assert days == (
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
        dt.date(2027, 1, 1),
        dt.date(2027, 3, 26),
        dt.date(2027, 3, 29),
    )
    rule = "Sa 09:00-12:00; PH off"
    assert starts(sessions(rule, dt.date(2026, 12, 19), dt.date(2027, 1, 2), calendar=alsace)) == [
        at("2026-12-19", 9),
        at("2027-01-02", 9),
    ]
    assert starts(sessions(rule, dt.date(2026, 12, 19), dt.date(2027, 1, 2))) == [
        at("2026-12-19", 9),
        at("2026-12-26", 9),
        at("2027-01-02", 9),
    ]
    # A rule that opens on holidays opens on the regional ones with its holiday hours
    found = sessions("Fr 09:00-17:00; PH 10:00-12:00", dt.date(2027, 3, 26), dt.date(2027, 3, 26), calendar=alsace)
    assert [(s.start, s.end) for s in found] == [(at("2027-03-26", 10), at("2027-03-26", 12))]
    # A rule that says nothing of holidays is left as it is
    assert starts(sessions("Fr 09:00-12:00", dt.date(2027, 3, 26), dt.date(2027, 3, 26), calendar=alsace)) == [
        at("2027-03-26", 9)
    ]


def test_overseas_time_zone_and_holidays():
    reunion = CALENDARS["la-reunion"]
    # 20 December, abolition of slavery, in La Réunion; times are Réunion time (UTC+4)
    found = sessions("Mo-Su 09:00-12:00; PH off", dt.date(2027, 12, 19), dt.date(2027, 12, 21), calendar=reunion)
    assert [s.start.date() for s in found] == [dt.date(2027, 12, 19), dt.date(2027, 12, 21)]
    assert found[0].start.utcoffset() == dt.timedelta(hours=4)


def test_the_rule_is_read_as_it_looks():
    from generator.records.schedule import engine_rule

    assert engine_rule("Mo, Tu, We 10:00-12:00") == "Mo,Tu,We 10:00-12:00"
    assert engine_rule('Su "some Sundays"') == 'Su unknown "some Sundays"'
    assert engine_rule("Mo-Fr 08:30-12:00; 14:00-17:00; PH off") == "Mo-Fr 08:30-12:00, Mo-Su 14:00-17:00; PH off"
    assert (
        engine_rule("Fr 22:00-04:00; Sa 21:00-04:00")
        == "Fr 22:00-04:00, Sa 00:00-04:00; Sa 21:00-04:00, Su 00:00-04:00"
    )
    # comments are kept as written, even when they look like rules
    assert engine_rule('Mo 10:00-12:00 "Mo, Tu; 14:00"') == 'Mo 10:00-12:00 "Mo, Tu; 14:00"'


def test_doubts_are_not_sessions():
    monday = dt.date(2026, 12, 7)
    assert sessions("Mo 17:00+", monday, monday) == []
    assert sessions('Mo 10:00-20:00 unknown "Maybe"', monday, monday) == []
    assert len(sessions("Mo 10:00-12:00,17:00+", monday, monday)) == 1
    found = weekly_pattern("Mo 17:00+", TODAY_DEC)
    assert [(r.state, r.ranges) for r in found.recurrences] == [("open_end", ((T(17), T(17)),))]


def test_the_words_are_checked_against_the_engine_over_a_year():
    from generator.records.schedule import expand, public_holidays, rule_spans

    rule = "Mo-Fr 08:30-12:00,13:30-17:00; Tu[2] 18:00-20:00; PH off"
    found = weekly_pattern(rule, TODAY_DEC)
    last = TODAY_DEC + dt.timedelta(days=300)
    holidays = public_holidays(TODAY_DEC, last)
    assert expand(found, TODAY_DEC, last, holidays) == {
        d: sorted(s) for d, s in rule_spans(rule, TODAY_DEC, last).items()
    }
    # every other week, seasons, sun times: no words, the dates are listed
    assert pattern("week 01-53/2 Mo 10:00-12:00", TODAY_DEC) is None
    assert pattern("Mo-Su sunrise-sunset", TODAY_DEC) is None


def test_sun_times_are_computed_at_the_place():
    from generator.records.schedule import METROPOLE

    day = dt.date(2026, 12, 7)
    brest = sessions("sunrise-sunset", day, day, calendar=METROPOLE.at(48.39, -4.49))[0]
    strasbourg = sessions("sunrise-sunset", day, day, calendar=METROPOLE.at(48.57, 7.75))[0]
    assert brest.start - strasbourg.start > dt.timedelta(minutes=45)
    assert T(8, 30) < brest.start.time() < T(9, 15)


def test_remarks_keep_comments_and_doubts_of_listed_dates():
    from generator.records.schedule import remarks

    found = remarks(
        'Jul-Aug Mo 10:00-12:00 "Sans rendez-vous"; Jul-Aug Tu 17:00+', dt.date(2027, 7, 1), dt.date(2027, 8, 1)
    )
    assert found.comments == ("Sans rendez-vous",) and found.uncertain and not found.sun
