import datetime

from pdca.certification import rules

D = datetime.date


def test_expiry_at_most_three_years_after_decision() -> None:
    assert rules.latest_expiry(D(2025, 5, 24)) == D(2028, 5, 24)
    assert rules.expiry_allowed(D(2025, 5, 24), D(2028, 5, 24))
    assert not rules.expiry_allowed(D(2025, 5, 24), D(2028, 5, 25))
    assert not rules.expiry_allowed(D(2025, 5, 24), D(2025, 5, 24))


def test_recertified_before_expiry_runs_from_the_old_expiry() -> None:
    assert rules.latest_expiry(D(2028, 3, 1), previous_expiry=D(2028, 5, 24)) == D(2031, 5, 24)
    # decided after expiry: from the decision
    assert rules.latest_expiry(D(2028, 7, 1), previous_expiry=D(2028, 5, 24)) == D(2031, 7, 1)


def test_first_surveillance_restoration_and_stage2_dates() -> None:
    assert rules.first_surveillance_due(D(2025, 5, 24)) == D(2026, 5, 24)
    assert rules.restoration_ends(D(2028, 5, 24)) == D(2028, 11, 24)
    assert rules.stage2_major_deadline(D(2024, 2, 29)) == D(2024, 8, 29)
    assert rules.expiry_reminders(D(2028, 5, 24)) == [
        D(2027, 11, 26),
        D(2028, 2, 24),
        D(2028, 4, 24),
    ]


def gaps(**kw: object) -> list[str]:
    base: dict = {
        "decided_on": D(2025, 5, 24),
        "expires_on": D(2028, 5, 24),
        "surveillance_dates": [],
        "recertified_on": None,
        "today": D(2025, 6, 1),
    }
    base.update(kw)
    return [g.rule for g in rules.cycle_gaps(**base)]


def test_a_cycle_on_plan_has_no_gaps() -> None:
    assert gaps(surveillance_dates=[D(2026, 4, 20), D(2027, 4, 15)], today=D(2028, 1, 10)) == []


def test_surveillance_more_than_twelve_months_after_decision_is_flagged() -> None:
    assert "first_surveillance" in gaps(surveillance_dates=[D(2026, 6, 1)], today=D(2026, 6, 2))


def test_a_missed_calendar_year_is_flagged_but_not_the_recertification_year() -> None:
    found = gaps(surveillance_dates=[D(2026, 4, 20)], today=D(2028, 5, 1))
    assert found == ["calendar_year"]


def test_recertification_after_expiry_is_flagged() -> None:
    dates = [D(2026, 4, 20), D(2027, 4, 15)]
    assert gaps(surveillance_dates=dates, recertified_on=D(2028, 6, 1), today=D(2028, 6, 2)) == [
        "recertification"
    ]
    assert gaps(surveillance_dates=dates, recertified_on=D(2028, 4, 1), today=D(2028, 6, 2)) == []
