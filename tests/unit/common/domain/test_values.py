import re
from datetime import date, timedelta

import pytest

from peerwork_common.domain.errors import InvalidValueError
from peerwork_common.domain.values import check_planned_date
from peerwork_contracts.calendar import today
from peerwork_registry.domain.partner_structure import PartnerStructure
from peerwork_registry.domain.values import check_departement, check_effective_date, check_name, check_siret


@pytest.mark.parametrize("siret", ["73282932000074", "35600000000048", "35600000049837"])
def test_valid_sirets_pass(siret):
    assert check_siret(siret) == siret


@pytest.mark.parametrize("siret", ["73282932000075", "7328293200007", "7328293200007A", ""])
def test_invalid_sirets_are_refused(siret):
    with pytest.raises(InvalidValueError):
        check_siret(siret)


@pytest.mark.parametrize("code", ["01", "2A", "2B", "69", "971", "976"])
def test_cog_departements_pass(code):
    assert check_departement(code) == code


@pytest.mark.parametrize("code", ["20", "00", "96", "975", "2a", ""])
def test_other_codes_are_refused(code):
    with pytest.raises(InvalidValueError):
        check_departement(code)


def test_effective_dates_may_be_backdated_but_not_in_the_future():
    assert check_effective_date(date(2015, 1, 1)) == date(2015, 1, 1)
    assert check_effective_date(today()) == today()
    with pytest.raises(InvalidValueError, match="future"):
        check_effective_date(today() + timedelta(days=1))


def test_effective_dates_go_back_to_the_earliest_and_no_further():
    assert check_effective_date(date(2000, 1, 1)) == date(2000, 1, 1)
    for day in (date(1999, 12, 31), date(1, 1, 1)):
        with pytest.raises(InvalidValueError, match="from 2000-01-01 on"):
            check_effective_date(day)


def test_planned_days_lie_between_the_earliest_date_and_ten_years_ahead():
    on = date(2026, 12, 1)
    assert check_planned_date(date(2036, 12, 31), on=on) == date(2036, 12, 31)
    assert check_planned_date(date(2000, 1, 1), on=on) == date(2000, 1, 1)
    for day in (date(1999, 12, 31), date(2037, 1, 1), date(1, 1, 1), date(9999, 12, 31)):
        with pytest.raises(InvalidValueError, match="a day is planned from 2000-01-01 to 2036-12-31"):
            check_planned_date(day, on=on)


def test_structure_registration_checks_its_values():
    structure = PartnerStructure.register("  Le  Relais ", "73282932000074", "38", "shelter_housing", date(2020, 1, 1))
    assert structure.name == "Le Relais"
    with pytest.raises(InvalidValueError):
        PartnerStructure.register(" ", None, "38", "culture", date(2020, 1, 1))
    with pytest.raises(ValueError):
        PartnerStructure.register("X", None, "38", "banking", date(2020, 1, 1))


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "be blank"),
        ("\u200b \u200c\ufeff", "be blank"),  # zero-width characters
        ("\u3164\u2800", "be blank"),  # a Hangul filler, a blank Braille pattern
        ("Anne\x00", "hold control characters (U+0000 here)"),
        ("Anne\x1b[31m", "hold control characters (U+001B here)"),
        ("Anne\ud800", "hold control characters (U+D800 here)"),
        ("\u202eenna", "hold bidirectional controls (U+202E here)"),
        ("Anne\u2067", "hold bidirectional controls (U+2067 here)"),
    ],
)
def test_a_name_that_shows_nothing_or_hides_controls_is_refused(name, says):
    with pytest.raises(InvalidValueError, match=re.escape(f"the display name must not {says}")):
        check_name(name, "display name")


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        (" Zoé \t Nguyễn\n", "Zoé Nguyễn"),
        ("النور", "النور"),
        ("Maïa 👩\u200d👧", "Maïa 👩\u200d👧"),  # a joiner inside an emoji sequence
        ("میرزا\u200cحسن", "میرزا\u200cحسن"),  # Persian's non-joiner
    ],
)
def test_a_name_in_any_script_is_kept_with_its_blanks_made_one_space(name, kept):
    assert check_name(name, "display name") == kept
