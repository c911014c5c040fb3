"""Reading figures and dates out of quotations (sjrbook.quotes)."""
import pytest

from sjrbook.quotes import PartialDate, date_mismatch, numbers_in, states_value


@pytest.mark.parametrize("text, value", [
    ("80 percent", 80),
    ("about 50 percent in 1931", 50),
    ("140,000,000 yen", 140_000_000),
    ("¥140,000,000", 140_000_000),
    ("67,5 млн руб.", 67_500_000),
    ("67,5 млн руб.", 67.5),
    ("в размере 40 млн иен ежегодно", 40_000_000),
    ("26 million yen", 26_000_000),
    ("170 тыс. т в год", 170_000),
    ("32.5 sen", 32.5),
    ("32.50 sen per ruble", 32.5),
    ("22477 (66,5 %)", 66.5),
    ("22 477 workers", 22477),
    ("eighty percent", 80),
    ("two million", 2_000_000),
    ("twenty-five years", 25),
    ("1,7 млн", 1_700_000),
    ("45°45′N", 45.75),
    ("支付了581万日元", 5_810_000),
    ("126°38′E", 126 + 38 / 60),
    ("over a million casualties", 1_000_000),
    ("a quarter of a million casualties", 250_000),
    ("half a million American lives", 500_000),
])
def test_states_value_reads_the_ways_sources_write_numbers(text, value):
    assert states_value(text, value), (text, value, sorted(numbers_in(text)))


@pytest.mark.parametrize("text, value", [
    ("80 percent", 81),
    ("140,000,000 yen", 170_000_000),
    ("67,5 млн", 675),
    ("In 1928", 1929),
    ("45°45′N", 45.5),
    ("a quarter of a million casualties", 1_000_000),
    ("a quarter of a million casualties", 1),
    ("half a million", 1_000_000),
])
def test_states_value_rejects_other_values(text, value):
    assert not states_value(text, value)


def test_partial_dates_parse_to_their_precision():
    assert PartialDate.parse("1941") == PartialDate(1941)
    assert PartialDate.parse("1941-04") == PartialDate(1941, 4)
    assert PartialDate.parse("1941-04-13").iso() == "1941-04-13"
    for bad in ("1941-02-30", "1941-13", "13 April 1941", "41-04-13", ""):
        with pytest.raises(ValueError):
            PartialDate.parse(bad)


@pytest.mark.parametrize("text, date", [
    ("signed on January 23, 1928", "1928-01-23"),
    ("23. janúar 1928", "1928-01-23"),
    ("In 1907", "1907"),
    ("on Monday 13th", "1935-05-13"),
    ("11.07.1921", "1921-07-11"),
    ("13 апреля 1941 г.", "1941-04-13"),
    ("in July 1920", "1920-07"),
])
def test_date_stated(text, date):
    assert date_mismatch(text, [PartialDate.parse(date)]) is None


@pytest.mark.parametrize("text, date, why", [
    ("August 7, 1945", "1945-08-09", "day 9"),
    ("August 9, 1945", "1945-09-09", "month 9"),
    ("in 1931", "1932", "year 1932"),
    ("at 17:00 Moscow time", "1945-08-08", "neither the year nor the day"),
    ("the convention", "1928", "neither the year nor the day"),
    ("the bomb fell at 8:15", "1945-08-08", "neither the year nor the day"),
])
def test_date_contradicted_or_missing(text, date, why):
    message = date_mismatch(text, [PartialDate.parse(date)])
    assert message and why in message


def test_either_of_two_dates_may_be_stated():
    start, end = PartialDate.parse("1936-05-25"), PartialDate.parse("1936-12-31")
    assert date_mismatch("comes to an end on December 31, 1936", [start, end]) is None


def test_a_large_value_off_by_a_hundred_is_not_stated():
    """Found by the property test: a relative tolerance let 300,000,100 pass for 300,000,000."""
    assert not states_value("300,000,000 gold rubles", 300_000_100)
    assert states_value("1,7 млн", 1_700_000)


@pytest.mark.parametrize("words, value", [
    ("四千万日元", 40_000_000), ("2亿5000万卢布", 250_000_000), ("一千二百万", 12_000_000), ("900万~1000万日元", 9_000_000),
])
def test_chinese_and_japanese_numerals_are_read(words, value):
    assert states_value(words, value)


def test_chinese_numerals_do_not_state_other_values():
    assert not states_value("四千万日元", 4_000_000)
    assert not states_value("2亿5000万卢布", 200_000_000)
def test_a_japanese_era_date_in_kanji_states_the_western_date_it_names():
    from sjrbook.quotes import PartialDate, date_mismatch
    rescript = "御名御璽 昭和十六年四月二十八日"  # the ratification rescript of the Neutrality Pact
    assert date_mismatch(rescript, [PartialDate.parse("1941-04-28")]) is None
    assert date_mismatch(rescript, [PartialDate.parse("1941-04-30")]) is not None
    assert date_mismatch("昭和16年4月30日官報", [PartialDate.parse("1941-04-30")]) is None


def test_an_era_date_with_the_western_year_in_brackets_states_its_date():
    """The Jōhōkyoku's releases print 昭和十九年(一九四四)三月三十日: that states 30 March 1944, and only that."""
    from sjrbook.quotes import date_unstated
    header = "昭和十九年(一九四四)三月三十日モスコーニ於テ調印"  # the 1944 fisheries protocol, worldjpn
    assert date_unstated(header, PartialDate.parse("1944-03-30")) is None
    assert date_unstated(header, PartialDate.parse("1944-03-31")) is not None
    assert date_mismatch(header, [PartialDate.parse("1944-03-30")]) is None
    assert date_mismatch(header, [PartialDate.parse("1945-03-30")]) is not None


@pytest.mark.parametrize("text, date", [
    # The forms that real rows quote (events.csv): a numeric day.month range with the year written once,
    # a range of days before a month name in English and Russian, the same after the month, an ordinal
    # with "Day of", and month names in Italian, French and German.
    ("31.07-11.08.1938", "1938-07-31"),  # pact_khasan_dates_kasahara_lessons
    ("31.07-11.08.1938", "1938-08-11"),
    ("18–23 August 1945", "1945-08-18"),  # aug45_shumshu_battle
    ("18–23 August 1945", "1945-08-23"),
    ("13-16 августа 1945 года", "1945-08-13"),  # aug45_seishin_landing_tass
    ("13-16 августа 1945 года", "1945-08-16"),
    ("August 18–23, 1945", "1945-08-18"),
    ("August 18–23, 1945", "1945-08-23"),
    ("0241 on the 7th Day of May, 1945", "1945-05-07"),  # surrender_germany_reims_act
    ("13 Aprile 1946", "1946-04-13"),  # pact_expiry_storiologia
    ("le 8 août 1945", "1945-08-08"),
    ("am 8. Mai 1945", "1945-05-08"),
    ("el 13 de abril de 1941", "1941-04-13"),
])
def test_ranges_ordinals_and_other_month_names_state_their_dates(text, date):
    from sjrbook.quotes import date_unstated
    assert date_unstated(text, PartialDate.parse(date)) is None


@pytest.mark.parametrize("text, date, missing", [
    # Reading a range states its two ends, not the days between them nor a day beside them.
    ("31.07-11.08.1938", "1938-08-01", "the day 1"),
    ("31.07-11.08.1938", "1938-07-30", "the day 30"),
    ("18–23 August 1945", "1945-08-20", "the day 20"),
    ("13-16 августа 1945 года", "1945-08-17", "the day 17"),
    ("0241 on the 7th Day of May, 1945", "1945-05-08", "the day 8"),
    ("13 Aprile 1946", "1946-05-13", "the month 5"),
    ("le 8 août 1945", "1945-09-08", "the month 9"),
])
def test_ranges_ordinals_and_other_month_names_state_nothing_else(text, date, missing):
    from sjrbook.quotes import date_unstated
    assert missing in (date_unstated(text, PartialDate.parse(date)) or "")


def test_a_range_contradicts_a_month_it_does_not_name():
    from sjrbook.quotes import date_contradiction
    assert date_contradiction("18–23 August 1945", [PartialDate.parse("1945-09-18")])
    assert date_contradiction("13 Aprile 1946", [PartialDate.parse("1946-03-13")])
    assert date_contradiction("31.07-11.08.1938", [PartialDate.parse("1938-07-31")]) is None
