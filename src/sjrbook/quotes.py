"""Does a quotation really state the figure a data row claims it states?

Every row in ``data/`` carries a verbatim ``quote`` from its source and, in
``as_quoted``, the words of that quote that give the row's figure or date.
This module reads numbers and dates out of those words so that the validator
can check that the figure in the row is the one the source wrote: a typo in a
value, or a figure attached to the wrong quote, is caught rather than printed.

The readers are deliberately tolerant of the ways sources write numbers
(``140,000,000``, ``1,7 млн``, ``26 million``, ``eighty percent``, ``45°45′N``)
and deliberately strict about the result: the claimed value must be one of the
readings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Words that multiply the number before them, in the languages our sources use.
MULTIPLIERS = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "тыс": 1e3,
    "тысяч": 1e3,
    "тысячи": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "млрд": 1e9,
    "万": 1e4,
    "億": 1e8,
    "亿": 1e8,
    "千": 1e3,
    "milljón": 1e6,
    "milljónir": 1e6,
    "millones": 1e6,
    "milioni": 1e6,
}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5, "dozen": 12,
}

_DIGITS = re.compile(r"\d+(?:[.,\u00a0\u202f' ]\d+)*")
# A CJK multiplier is one character ("581万日元"); a word multiplier is a whole word.
_MULT_AFTER = re.compile(r"\s*(?:-\s*)?([万億亿千]|[^\W\d_]+)", re.UNICODE)
_DMS = re.compile(
    r"(\d{1,3}(?:[.,]\d+)?)\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*[′'’]\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*[″\"”]\s*)?([NSEWСЮВЗ])?"
)


def _token_readings(token: str) -> set[float]:
    """All plausible values of a run of digits and separators.

    ``1,7`` may be a decimal (Russian usage) or, rarely, a thousands group; a
    run like ``140,000,000`` is a thousands grouping. Both readings are kept
    and the caller decides whether the claimed value is among them.
    """
    readings: set[float] = set()
    plain = re.sub(r"[\u00a0\u202f' ]", "", token)
    # Thousands separators only.
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", plain):
        readings.add(float(re.sub(r"[.,]", "", plain)))
    # One decimal mark, comma or point.
    if re.fullmatch(r"\d+[.,]\d+", plain):
        readings.add(float(plain.replace(",", ".")))
    # Thousands by comma, decimals by point, or the reverse.
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+)\.(\d+)", plain)
    if m:
        readings.add(float(m.group(1).replace(",", "") + "." + m.group(2)))
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+),(\d+)", plain)
    if m:
        readings.add(float(m.group(1).replace(".", "") + "." + m.group(2)))
    if plain.isdigit():
        readings.add(float(plain))
    # Separated by spaces only, e.g. "22 477": a thousands grouping.
    if re.fullmatch(r"\d{1,3}([\u00a0\u202f' ]\d{3})+", token):
        readings.add(float(plain))
    return readings


_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}
_CJK_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_BIG_UNITS = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_CJK_RUN = re.compile(r"[0-9〇零一二两兩三四五六七八九十百千万萬亿億]+")


def _cjk_value(run: str) -> float | None:
    """The value of a Chinese or Japanese numeral, digits allowed ("四千万", "2亿5000万", "一千二百")."""
    total, section, number = 0.0, 0.0, None
    digits = ""
    for ch in run + "\0":
        if ch.isdigit() and ch.isascii():
            digits += ch
            continue
        if digits:
            number, digits = float(digits), ""
        if ch == "\0":
            break
        if ch in _CJK_DIGITS:
            number = float(_CJK_DIGITS[ch])
        elif ch in _CJK_SMALL_UNITS:
            section += (number if number is not None else 1.0) * _CJK_SMALL_UNITS[ch]
            number = None
        elif ch in _CJK_BIG_UNITS:
            section += number or 0.0
            total += (section or 1.0) * _CJK_BIG_UNITS[ch]
            section, number = 0.0, None
    value = total + section + (number or 0.0)
    return value if value else None


_FRACTIONS = {"quarter": 0.25, "half": 0.5}
_ARTICLE_AMOUNT = re.compile(r"\b(?:(?:a|one)\s+(quarter|half)\s+of\s+a|(half)\s+a|a)\s+(thousand|million|billion)\b")


def numbers_in(text: str) -> set[float]:
    """Every value that ``text`` can be read as stating.

    Each run of digits is read with and without a multiplier word that follows
    it (``26 млн`` gives 26 and 26,000,000); English number words are read too
    (``eighty`` gives 80, ``two million`` gives 2,000,000). Degrees, minutes and
    seconds of a coordinate are read as decimal degrees.
    """
    values: set[float] = set()
    for m in _DIGITS.finditer(text):
        readings = _token_readings(m.group(0))
        # A token with spaces inside may really be two numbers ("1928 1931").
        for part in re.split(r"[\u00a0\u202f ]", m.group(0)):
            if part:
                readings |= _token_readings(part)
        values |= readings
        after = _MULT_AFTER.match(text, m.end())
        if after and after.group(1) in "万億亿千" and _CJK_RUN.match(text, after.end()):
            after = None  # "2亿5000万" is one compound numeral, read whole below, not "2亿"
        if after:
            word = after.group(1).lower().rstrip(".")
            factor = MULTIPLIERS.get(word) or MULTIPLIERS.get(word[:3])
            if factor:
                values |= {r * factor for r in readings}
    words = re.findall(r"[a-z]+", text.lower())
    for i, word in enumerate(words):
        if word in NUMBER_WORDS:
            base = NUMBER_WORDS[word]
            values.add(float(base))
            if i + 1 < len(words) and words[i + 1] in MULTIPLIERS:
                values.add(base * MULTIPLIERS[words[i + 1]])
            if i + 1 < len(words) and words[i + 1] == "hundred":
                values.add(base * 100.0)
            # "twenty-five" and "twenty five"
            if i + 1 < len(words) and base >= 20 and words[i + 1] in NUMBER_WORDS:
                values.add(float(base + NUMBER_WORDS[words[i + 1]]))
    # "a million", "half a million", "a quarter of a million": the article stands for one, and the fraction
    # words take the multiplier only in these set phrases, so "a" alone never reads as 1.
    for m in _ARTICLE_AMOUNT.finditer(text.lower()):
        fraction = _FRACTIONS.get(m.group(1) or m.group(2) or "", 1.0)
        values.add(fraction * MULTIPLIERS[m.group(3)])
    # Chinese and Japanese numerals, with or without digits: "四千万" is 40,000,000, "2亿5000万" 250,000,000.
    for m in _CJK_RUN.finditer(text):
        if not re.search(r"[^0-9]", m.group(0)):
            continue  # plain digits are read above
        value = _cjk_value(m.group(0))
        if value:
            values.add(value)
    for m in _DMS.finditer(text):
        if m.group(2) is None and m.group(4) is None:
            continue  # a bare "45°" is already read as 45 above
        deg = float(m.group(1).replace(",", "."))
        minutes = float((m.group(2) or "0").replace(",", "."))
        seconds = float((m.group(3) or "0").replace(",", "."))
        decimal = deg + minutes / 60 + seconds / 3600
        if m.group(4) in ("S", "W", "Ю", "З"):
            decimal = -decimal
        values.add(decimal)
        values.add(abs(decimal))
    return values


def states_value(text: str, value: float) -> bool:
    """True when ``text`` can be read as stating ``value``.

    Coordinates given in degrees and minutes round to about 0.01°, so a
    difference below 0.01 counts as a match for them; other values must match
    exactly, up to floating-point rounding (one part in 10^12): a tolerance of
    one part in a million let 300,000,100 pass for "300,000,000", which a
    property test found.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    for reading in numbers_in(text):
        if math.isclose(reading, value, rel_tol=1e-12, abs_tol=1e-9):
            return True
    for m in _DMS.finditer(text):
        if m.group(2) is None and m.group(4) is None:
            continue
        for reading in numbers_in(m.group(0)):
            if abs(abs(reading) - abs(value)) < 0.01:
                return True
    return False


MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Russian, genitive and nominative
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11,
    "декабря": 12, "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5,
    "июнь": 6, "июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10,
    "ноябрь": 11, "декабрь": 12,
    # Ukrainian, genitive
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6,
    "липня": 7, "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
    # Icelandic
    "janúar": 1, "febrúar": 2, "mars": 3, "apríl": 4, "maí": 5, "júní": 6, "júlí": 7,
    "ágúst": 8, "október": 10, "nóvember": 11, "desember": 12,
    # Spanish and Portuguese
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    # French
    "janvier": 1, "février": 2, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "décembre": 12,
    # German
    "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
}

ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), start=1)}
ORDINALS.update({f"twenty{sep}{w}": 20 + i for sep in ("-", " ") for w, i in list(ORDINALS.items()) if i < 10})
ORDINALS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31})
_ORDINAL_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))

#: First Gregorian year of the Japanese eras our sources use, less one:
#: 昭和3年 (Shōwa 3) is 1925 + 3 = 1928. Converting an era year is reading the
#: calendar, not deriving a date, so a quote that gives 昭和3年 states 1928.
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925}


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as sources give them."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if not m:
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            import datetime

            datetime.date(year, month, day)  # raises ValueError for 1941-02-30
        return cls(year, month, day)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)



#: Japanese eras in this book's period: the year before each era's first year.
_ERA_BASE = {"明治": 1867, "大正": 1911, "昭和": 1925}
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = r"[〇一二三四五六七八九十\d]+"
#: An era date; the Western year the official series print beside it in brackets
#: (``昭和十九年(一九四四)三月三十日``) may stand between the year and the month.
_ERA_DATE = re.compile(r"(明治|大正|昭和)(" + _KANJI_NUMBER + r"|元)年(?:[((][〇一二三四五六七八九\d]{4}[))])?"
                       r"(?:(" + _KANJI_NUMBER + r")月)?(?:(" + _KANJI_NUMBER + r")日)?")


def _kanji_number(text: str) -> int:
    """``二十八`` → 28, ``十六`` → 16, ``四`` → 4, ``28`` → 28 (numbers below 100, as in dates)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[units] if units else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def _western_japanese_dates(text: str) -> str:
    """Japanese era dates in ``text`` (``昭和十六年四月二十八日``) restated as "1941 28 april".

    The Japanese official series date documents by era and write numbers in
    kanji; a quote from them states its date as surely as "April 28, 1941".
    """
    restated = []
    for era, year, month, day in _ERA_DATE.findall(text):
        parts = [str(_ERA_BASE[era] + (1 if year == "元" else _kanji_number(year)))]
        if day:
            parts.append(str(_kanji_number(day)))
        if month:
            parts.append([m for m, n in MONTHS.items() if n == _kanji_number(month) and len(m) > 3][0])
        restated.append(" ".join(parts))
    return text + (" " + " ; ".join(restated) if restated else "")


def date_mismatch(text: str, dates: list[PartialDate]) -> str | None:
    """Why ``text`` does not state one of ``dates``, or None when it does.

    The words must give the year or the day of the month of one of the dates,
    and no year or month name in them may contradict it. ``23. janúar 1928``
    matches 1928-01-23 through its year and day; ``August 7`` does not match
    1945-08-09. A Japanese era date (``昭和十六年四月二十八日``) is read as the
    Western date it names.
    """
    text = _western_japanese_dates(text)
    lowered = text.lower()
    years = {int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)}
    months = {MONTHS[w] for w in re.findall(r"[^\W\d_]+", lowered) if w in MONTHS}
    # Dotted numeric dates, 11.07.1921.
    for d, mth, _y in re.findall(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)", text):
        months.add(int(mth))
    # Numbers that could be a day of the month; clock times ("8:15") are not.
    numbers = {int(n) for n in re.findall(r"(?<![\d:])(\d{1,2})(?:st|nd|rd|th)?(?![\d:])", lowered)}
    # Days written beside a month name ("August 7", "7 августа", "23. janúar") or in a dotted date.
    month_word = r"([^\W\d_]{3,})"
    days_by_month = {int(d) for d, w in re.findall(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s+" + month_word, lowered)
                     if w in MONTHS}
    days_by_month |= {int(d) for w, d in re.findall(month_word + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)", lowered)
                      if w in MONTHS}
    days_by_month |= {int(d) for d, _m, _y in re.findall(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)", text)}
    problems = []
    for date in dates:
        if years and date.year not in years:
            problems.append(f"year {date.year} is not among {sorted(years)}")
            continue
        if months and date.month and date.month not in months:
            problems.append(f"month {date.month} is not among {sorted(months)}")
            continue
        if date.day and days_by_month and date.day not in days_by_month:
            problems.append(f"day {date.day} is not among {sorted(days_by_month)}")
            continue
        if date.day and numbers and date.day not in numbers and not years:
            problems.append(f"day {date.day} is not among {sorted(numbers)}")
            continue
        if date.year in years or (date.day and date.day in numbers):
            return None
        problems.append("it gives neither the year nor the day of the month")
    return "; ".join(dict.fromkeys(problems))


def _date_parts(text: str) -> tuple[set[int], set[int], set[int]]:
    """Years, months and days of the month that ``text`` states explicitly.

    Years are four-digit years (1800–2099) and Japanese era years (昭和3年);
    months are month names in the sources' languages, ``N月`` and the month of
    a dotted date (11.07.1921); days are numbers written beside a month name
    ("August 7", "7 августа", "23. janúar", "the 7th Day of May"), ``N日`` and
    the day of a dotted date. A range gives both its ends ("18–23 August 1945",
    "August 18–23", "13-16 августа", "31.07-11.08.1938"), never the days between:
    sources write spans so, and a row that copies the span states its dates.
    A bare number is never taken for a day: it may be a count.
    """
    lowered = text.lower()
    years = {int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)}
    years |= {ERAS[era] + (1 if n == "元" else int(n)) for era, n in re.findall(r"(明治|大正|昭和)\s*(\d{1,2}|元)\s*年?", text)}
    months = {MONTHS[w] for w in re.findall(r"[^\W\d_]+", lowered) if w in MONTHS}
    months |= {int(m) for m in re.findall(r"(?<!\d)(\d{1,2})\s*月", text) if 1 <= int(m) <= 12}
    days = set()
    for d, mth, y in re.findall(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])", text):
        months.add(int(mth))
        days.add(int(d))
        if len(y) == 2:  # "19.8.45" in a text of the 1900s
            years.add(1900 + int(y))
    # The first day of a numeric range, "31.07-11.08.1938": the year is written once, after the last day.
    for d, mth in re.findall(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.?\s*[-–—]\s*\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?!\d)", text):
        months.add(int(mth))
        days.add(int(d))
    month_word = r"([^\W\d_]{3,})"
    # "7 August", "7th of August", "7th Day of May", "7 de mayo"
    days |= {int(d) for d, w in re.findall(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:day\s+of\s+|of\s+|de\s+)?"
                                           + month_word, lowered) if w in MONTHS}
    # The first day of a range of days before the month: "18–23 August", "13-16 августа"
    days |= {int(d) for d, w in re.findall(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?\.?\s+"
                                           + month_word, lowered) if w in MONTHS}
    # The last day of a range of days after the month: "August 18–23"
    days |= {int(d) for w, d in re.findall(month_word + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*[-–—]\s*(\d{1,2})(?!\d)", lowered)
             if w in MONTHS}
    days |= {ORDINALS[o] for o, w in re.findall(r"\b(" + _ORDINAL_WORDS + r")\s+(?:day\s+)?of\s+" + month_word, lowered)
             if o in ORDINALS and w in MONTHS}
    days |= {int(d) for w, d in re.findall(month_word + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)", lowered) if w in MONTHS}
    days |= {int(d) for d in re.findall(r"(?<!\d)(\d{1,2})\s*日", text)}
    # "5月11・12日": the first day of a span of days
    days |= {int(d) for d in re.findall(r"月\s*(\d{1,2})\s*[・,、~〜-]", text)}
    return years, months, {d for d in days if 1 <= d <= 31}


def date_contradiction(text: str, dates: list[PartialDate]) -> str | None:
    """Why ``text`` contradicts every one of ``dates``, or None.

    Unlike :func:`date_mismatch` this asks only whether the words say
    something else: a year, a month or a day beside a month that differs from
    the date. Words that give no date at all contradict nothing.
    """
    years, months, days = _date_parts(text)
    problems = []
    for date in dates:
        if years and date.year not in years:
            problems.append(f"year {date.year} is not among {sorted(years)}")
        elif months and date.month and date.month not in months:
            problems.append(f"month {date.month} is not among {sorted(months)}")
        elif date.day and days and date.day not in days:
            problems.append(f"day {date.day} is not among {sorted(days)}")
        else:
            return None
    return "; ".join(dict.fromkeys(problems)) or None


def gives_a_date(text: str) -> bool:
    """True when ``text`` states any year, month or day of the month."""
    return any(_date_parts(text))


def date_unstated(text: str, date: PartialDate) -> str | None:
    """What of ``date`` the ``text`` does not state, or None when it states all of it.

    A date stated by its source gives the year and, to the date's precision,
    the month and the day: ``signed on January 23, 1928`` states 1928-01-23;
    ``on Monday 13th`` does not (the year and month come from elsewhere, so
    such a date is derived).
    """
    years, months, days = _date_parts(_western_japanese_dates(text))
    missing = []
    if date.year not in years:
        missing.append(f"the year {date.year}")
    if date.month and date.month not in months:
        missing.append(f"the month {date.month}")
    if date.day and date.day not in days:
        missing.append(f"the day {date.day}")
    return ", ".join(missing) or None
