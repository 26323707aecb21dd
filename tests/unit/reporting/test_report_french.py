"""The report's numbers and words as French readers write them."""

from datetime import date

from peerwork_reporting.report import french


def test_numbers_percentages_and_dates_read_as_in_french():
    assert french.number(1020) == "1\u202f020"  # grouped with a narrow no-break space
    assert french.number(2.5) == "2,5"
    assert french.percent(0.1234) == "12\xa0%"
    assert french.day(date(2022, 12, 31)) == "31 décembre 2022"
    assert french.count(1, "structure", "structures") == "1 structure"
    assert french.count(150, "structure", "structures") == "150 structures"


def test_a_suppressed_figure_is_never_a_number():
    assert french.number("suppressed") == french.percent("suppressed") == "secret statistique"
    assert french.count("suppressed", "structure", "structures") == "secret statistique structures"
    assert french.spreadsheet_number("suppressed") == "secret statistique"


def test_a_spreadsheet_gets_a_decimal_comma_and_no_grouping():
    assert french.spreadsheet_number(1020.5) == "1020,5"
    assert french.spreadsheet_number(0.5696) == "0,5696"  # every digit the figure has
    assert french.spreadsheet_number(1020) == "1020"
