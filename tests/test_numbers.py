"""Tests for lib.core.numbers: parsing clerks' figures, unit compatibility and zh/en formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.core.numbers import (
    DASH,
    NumberError,
    Parsed,
    format_number,
    format_pct,
    format_value,
    parse_value,
    require_non_negative,
    to_indicator_unit,
)

INDICATOR_UNITS = [
    "家",
    "个",
    "人",
    "人次",
    "场",
    "场次",
    "项",
    "次",
    "件",
    "起",
    "名",
    "元",
    "%",
    "处",
]
QUALIFIERS = ["exact", "at_least", "about"]

PARSED = [
    ("3396", 3396.0, "exact", None),
    ("3,396", 3396.0, "exact", None),
    ("3，396", 3396.0, "exact", None),
    ("１２３", 123.0, "exact", None),
    ("１，２３４．５", 1234.5, "exact", None),
    ("1.8万", 18000.0, "exact", None),
    ("1.8万余", 18000.0, "at_least", None),
    ("800余", 800.0, "at_least", None),
    ("800余家", 800.0, "at_least", "家"),
    ("近2万", 20000.0, "about", None),
    ("约2万人次", 20000.0, "about", "人次"),
    ("大约2万", 20000.0, "about", None),
    ("2万左右", 20000.0, "about", None),
    ("2万多", 20000.0, "at_least", None),
    ("800多人", 800.0, "at_least", "人"),
    ("20.46万元", 204600.0, "exact", "元"),
    ("2亿", 2e8, "exact", None),
    ("85%", 85.0, "exact", "%"),
    ("85％", 85.0, "exact", "%"),
    ("85%以上", 85.0, "at_least", "%"),
    ("800家以上", 800.0, "at_least", "家"),
    ("4600人", 4600.0, "exact", "人"),
    ("3396家", 3396.0, "exact", "家"),
    ("1.8万余人", 18000.0, "at_least", "人"),
    ("46.9万人次", 469000.0, "exact", "人次"),
    ("10余万人", 100000.0, "at_least", "人"),
    (" 3396 ", 3396.0, "exact", None),
    ("\t3396\n", 3396.0, "exact", None),
    ("3396 家", 3396.0, "exact", "家"),
    ("-5", -5.0, "exact", None),
    ("0", 0.0, "exact", None),
    ("0.5", 0.5, "exact", None),
    ("18,000+", 18000.0, "at_least", None),
    ("about 20,000", 20000.0, "about", None),
    ("at least 85%", 85.0, "at_least", "%"),
    (3396, 3396.0, "exact", None),
    (20.46, 20.46, "exact", None),
    (Decimal("1.5"), 1.5, "exact", None),
]

BLANK = [None, "", "   ", float("nan"), "—", "-", "－", "无", "N/A", "n/a", "/", "——"]

REFUSED = [
    ("abc", "not_a_number"),
    ("1.2e3", "not_a_number"),
    ("+5", "not_a_number"),
    ("两", "not_a_number"),
    ("十", "not_a_number"),
    ("=1+1", "not_a_number"),
    ('=HYPERLINK("http://x", "3")', "not_a_number"),
    ("\x00\x01\x02", "not_a_number"),
    ("3万万", "not_a_number"),
    ("约2万余", "not_a_number"),
    ("33,96", "not_a_number"),
    ("3-5", "multiple_numbers"),
    ("1.8万2", "multiple_numbers"),
    ("3396家4600人", "multiple_numbers"),
    ("1" * 41, "too_long"),
    (float("inf"), "not_a_number"),
    (True, "not_a_number"),
    (object(), "not_a_number"),
]

FORMATTED = [
    (3396, "exact", "zh", "3,396"),
    (20.46, "exact", "zh", "20.46"),
    (85, "exact", "zh", "85"),
    (469000, "exact", "zh", "46.9万"),
    (175700, "exact", "zh", "17.57万"),
    (18000, "exact", "zh", "1.8万"),
    (45137, "exact", "zh", "45,137"),
    (11107, "exact", "zh", "11,107"),
    (13050, "at_least", "zh", "1.3万余"),
    (13099, "about", "zh", "近1.31万"),
    (20000, "exact", "zh", "2万"),
    (2e8, "exact", "zh", "2亿"),
    (99_999_999, "exact", "zh", "99,999,999"),
    (123_456_789, "exact", "zh", "123,456,789"),
    (123_000_000, "exact", "zh", "1.23亿"),
    (123_456_789, "at_least", "zh", "1.23亿余"),
    (18000, "at_least", "zh", "1.8万余"),
    (800, "at_least", "zh", "800余"),
    (20000, "about", "zh", "近2万"),
    (-3396, "exact", "zh", "-3,396"),
    (-0.001, "exact", "zh", "0"),
    (None, "exact", "zh", DASH),
    (469000, "exact", "en", "469,000"),
    (18000, "at_least", "en", "18,000+"),
    (20000, "about", "en", "about 20,000"),
    (1234.567, "exact", "en", "1,234.57"),
    (None, "exact", "en", DASH),
]

FORMATTED_VALUES = [
    (3396, "exact", "家", "units", "zh", "3,396家"),
    (18000, "at_least", "人", "people", "zh", "1.8万余人"),
    (469000, "exact", "人次", "person-times", "zh", "46.9万人次"),
    (20.46, "exact", "万元", "yuan", "zh", "20.46万元"),
    (0.5, "exact", "万元", "yuan", "zh", "0.5万元"),
    (160, "at_least", "万元", "yuan", "zh", "160余万元"),
    (45137, "exact", "人", "people", "zh", "45,137人"),
    (14115, "exact", "人次", "person-times", "zh", "14,115人次"),
    (4000, "at_least", "场", "events", "zh", "4,000余场"),
    (85, "exact", "%", "%", "zh", "85%"),
    (85, "at_least", "%", "%", "zh", "85%以上"),
    (85, "about", "%", "%", "zh", "约85%"),
    (20000, "about", "人", "people", "zh", "近2万人"),
    (None, "exact", "人", "people", "zh", DASH),
    (3396, "exact", "家", "units", "en", "3,396 units"),
    (18000, "at_least", "人", "people", "en", "18,000+ people"),
    (20000, "about", "人", "people", "en", "about 20,000 people"),
    (20.46, "exact", "万元", "yuan", "en", "204,600 yuan"),
    (85, "exact", "%", "%", "en", "85%"),
    (85, "at_least", "%", "%", "en", "at least 85%"),
    (85, "about", "%", "%", "en", "about 85%"),
    (7, "exact", "", "", "en", "7"),
    (1, "exact", "处", "stations", "en", "1 station"),
    (1, "exact", "人", "people", "en", "1 person"),
    (1, "exact", "个", "academies", "en", "1 academy"),
    (1, "exact", "人次", "person-times", "en", "1 person-time"),
    (1, "at_least", "处", "stations", "en", "1+ stations"),
    (2, "exact", "处", "stations", "en", "2 stations"),
    (1, "exact", "处", "stations", "zh", "1处"),
]

PERCENTS = [
    (12.345, "zh", True, 1, "+12.3%"),
    (-5, "zh", True, 1, "-5.0%"),
    (12.345, "en", False, 1, "12.3%"),
    (85, "zh", False, 0, "85%"),
    (-0.01, "zh", True, 1, "0.0%"),
    (0, "en", True, 2, "0.00%"),
    (None, "zh", True, 1, DASH),
]

COMPATIBLE = [
    ("3396", "家", 3396.0),
    ("3396家", "家", 3396.0),
    ("3396个", "家", 3396.0),
    ("3396处", "家", 3396.0),
    ("12项", "个", 12.0),
    ("4600名", "人", 4600.0),
    ("4600人", "名", 4600.0),
    ("30场次", "场", 30.0),
    ("30次", "场次", 30.0),
    ("5起", "件", 5.0),
    ("46.9万人次", "人次", 469000.0),
    ("85%", "%", 85.0),
    ("85", "%", 85.0),
    ("20.46万元", "万元", 20.46),
    ("5000元", "万元", 0.5),
    ("20.46万元", "元", 204600.0),
    ("1.8万", "人", 18000.0),
]

MISMATCHED = [
    ("20.46万元", "人"),
    ("85%", "家"),
    ("4600人", "人次"),
    ("4600人次", "人"),
    ("12项", "家"),
    ("3396家", "项"),
    ("30场", "件"),
    ("5000元", "%"),
]


def _error(value: object) -> NumberError:
    """Return the NumberError that parse_value raises for value."""
    with pytest.raises(NumberError) as info:
        parse_value(value)
    return info.value


def _displayed(n: int, qualifier: str = "about") -> int:
    """Return the integer n as the zh formatter shows it: an exact figure exactly, a floor (余)
    rounded down and an estimate (近) rounded half up to 1, 100 or 10^6 steps."""
    if qualifier == "exact":
        return n
    if qualifier == "at_least":
        step = 1 if n < 10**4 else 100 if n < 10**8 else 10**6
        return n // step * step
    step = 1 if n < 10**4 else 100 if n < 10**8 - 50 else 10**6
    return (n + step // 2) // step * step


@pytest.mark.parametrize(("text", "value", "qualifier", "unit"), PARSED)
def test_parse_value_table(text: object, value: float, qualifier: str, unit: str | None) -> None:
    """Test that typed figures parse to the expected value, qualifier and unit."""
    assert parse_value(text) == Parsed(value, qualifier, unit)


@pytest.mark.parametrize("text", BLANK)
def test_blank_is_none(text: object) -> None:
    """Test that blank cells and placeholder dashes mean no figure, never zero."""
    assert parse_value(text) is None


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_refused_inputs(text: object, code: str) -> None:
    """Test that unusable cells raise NumberError with the expected machine code."""
    assert _error(text).code == code


def test_error_message_quotes_truncated_text() -> None:
    """Test that messages quote the offending text, truncated to 30 characters, in zh and en."""
    error = _error("abcdefghij" * 3 + "XYZ")
    assert "“abcdefghij" in error.message() and "XYZ" not in error.message()
    assert error.message("en").startswith('not a number: "abcdefghij')
    assert "XYZ" not in error.message("en")
    assert "3-5" in _error("3-5").message("zh")


def test_require_non_negative() -> None:
    """Test that negatives are only refused through require_non_negative."""
    assert require_non_negative(parse_value("5")) == Parsed(5.0, "exact", None)
    assert require_non_negative(None) is None
    with pytest.raises(NumberError) as info:
        require_non_negative(parse_value("-5"))
    assert info.value.code == "negative"
    assert "-5" in info.value.message("zh") and "negative" in info.value.message("en")


def test_error_without_text() -> None:
    """Test that a NumberError built from a code alone still has messages in both languages."""
    error = NumberError("negative")
    assert isinstance(error, ValueError)
    assert error.message("zh") == "数值不能为负数"
    assert error.message("en") == "the value cannot be negative"


@pytest.mark.parametrize(("value", "qualifier", "lang", "expected"), FORMATTED)
def test_format_number_table(value: float | None, qualifier: str, lang: str, expected: str) -> None:
    """Test that numbers are formatted as expected in zh (万/亿, 余/近) and en."""
    assert format_number(value, qualifier, lang) == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "unit_zh", "unit_en", "lang", "expected"), FORMATTED_VALUES
)
def test_format_value_table(
    value: float | None, qualifier: str, unit_zh: str, unit_en: str, lang: str, expected: str
) -> None:
    """Test that values are formatted with their unit in zh and en."""
    assert format_value(value, qualifier, unit_zh, unit_en, lang) == expected


@pytest.mark.parametrize(("value", "lang", "signed", "digits", "expected"), PERCENTS)
def test_format_pct_table(
    value: float | None, lang: str, signed: bool, digits: int, expected: str
) -> None:
    """Test that percentages use fixed digits, a plain minus and an optional plus sign."""
    assert format_pct(value, lang=lang, signed=signed, digits=digits) == expected


@pytest.mark.parametrize(("text", "indicator_unit", "expected"), COMPATIBLE)
def test_to_indicator_unit(text: str, indicator_unit: str, expected: float) -> None:
    """Test that compatible units are accepted and 元/万元 are converted."""
    parsed = parse_value(text)
    assert parsed is not None
    assert to_indicator_unit(parsed, indicator_unit) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "indicator_unit"), MISMATCHED)
def test_unit_mismatch(text: str, indicator_unit: str) -> None:
    """Test that incompatible units raise unit_mismatch naming both units."""
    parsed = parse_value(text)
    assert parsed is not None
    with pytest.raises(NumberError) as info:
        to_indicator_unit(parsed, indicator_unit)
    assert info.value.code == "unit_mismatch"
    assert parsed.unit in info.value.message("zh") and indicator_unit in info.value.message("en")


def test_unit_mismatch_message_wording() -> None:
    """Test that the 万元-into-人 mismatch reads as specified in zh and en."""
    with pytest.raises(NumberError) as info:
        to_indicator_unit(Parsed(20.46, "exact", "万元"), "人")
    assert info.value.message("zh") == "单位“万元”与指标单位“人”不符"
    assert info.value.message("en") == 'unit "万元" does not match the indicator unit "人"'


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_never_raises_other_errors(text: str) -> None:
    """Test that arbitrary text yields None, a Parsed or a NumberError with a message."""
    try:
        result = parse_value(text)
    except NumberError as error:
        assert error.message("zh") and error.message("en")
    else:
        assert result is None or isinstance(result, Parsed)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=5),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from(["", ".", ",", ".5", "万", "亿", "%", "余"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=5),
)
def test_parse_junk_around_digits(before: str, number: int, middle: str, after: str) -> None:
    """Test that printable junk around digits never raises anything but NumberError."""
    try:
        result = parse_value(f"{before}{number}{middle}{after}")
    except NumberError as error:
        assert error.code in {"not_a_number", "multiple_numbers", "too_long"}
    else:
        assert result is None or isinstance(result, Parsed)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(QUALIFIERS),
    st.sampled_from(INDICATOR_UNITS),
)
def test_round_trip_zh(n: int, qualifier: str, unit: str) -> None:
    """Test that the zh display parses back to its qualifier, unit and displayed rounding."""
    parsed = parse_value(format_value(n, qualifier, unit, "x", "zh"))
    shown_as = "exact" if unit == "%" else qualifier  # a rate prints its digits, words around
    assert parsed == Parsed(float(_displayed(n, shown_as)), qualifier, unit)
    assert abs(parsed.value - n) <= max(n * 1e-2, 0.5)  # a floor drops under 1% (two 万 decimals)


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=0, max_value=Decimal("9999.99"), places=2), st.sampled_from(QUALIFIERS)
)
def test_round_trip_zh_decimals(amount: Decimal, qualifier: str) -> None:
    """Test that values below 10,000 with two decimals survive the zh display exactly."""
    parsed = parse_value(format_value(float(amount), qualifier, "家", "units", "zh"))
    assert parsed == Parsed(float(amount), qualifier, "家")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=9999), st.sampled_from(QUALIFIERS))
def test_round_trip_wan_yuan(n: int, qualifier: str) -> None:
    """Test that a 万元 figure displays in 元 and converts back to the same 万元 value."""
    parsed = parse_value(format_value(n, qualifier, "万元", "yuan", "zh"))
    assert parsed is not None and parsed.unit == "元" and parsed.qualifier == qualifier
    assert to_indicator_unit(parsed, "万元") == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(QUALIFIERS))
def test_round_trip_en(n: int, qualifier: str) -> None:
    """Test that the en number display ("18,000+", "about 20,000", "at least 85%") parses back."""
    assert parse_value(format_number(n, qualifier, "en")) == Parsed(float(n), qualifier, None)
    assert parse_value(format_value(n, qualifier, "%", "%", "en")) == Parsed(
        float(n), qualifier, "%"
    )


COMPACT = [
    (45137, "exact", "人", "4.5万余人"),
    (45000, "exact", "人", "4.5万人"),
    (3396, "exact", "家", "3,396家"),
    (18000, "at_least", "人", "1.8万余人"),
    (469000, "exact", "人次", "46.9万人次"),
]


@pytest.mark.parametrize(("value", "qualifier", "unit", "expected"), COMPACT)
def test_compact_form_turns_a_rounded_exact_figure_into_a_floor(
    value: float, qualifier: str, unit: str, expected: str
) -> None:
    """Test that where space demands a 万 form an exact 45,137 reads 4.5万余, never 4.51万."""
    assert format_value(value, qualifier, unit, "", "zh", compact=True) == expected  # type: ignore[arg-type]
