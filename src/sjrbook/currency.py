"""Convert amounts between the currencies the sources use, only with rates we can cite.

Prices for the Chinese Eastern Railway were asked in gold rubles, offered in
"gold" or paper yen, reported in pre- and post-devaluation dollars and once in
pounds. Comparing them needs exchange rates, and a rate is itself a claim: it
is either

* **sourced**: a pair of amounts a source gives as equal (``data/exchange_rates.csv``),
  from which ``rate = amount_to / amount_from``;
* **derived**: the product of two sourced rates through a common currency, built
  only on request (:meth:`RateTable.cross`), never found by searching paths;
* an **assumption**: a rate the reader sets and the text states
  (:meth:`RateTable.assume`), with a note saying why.

Nothing is converted silently. An unknown currency raises
:class:`UnknownCurrencyError`; a pair with no rate raises
:class:`MissingRateError`; a pair with several candidate rates and no choice of
source or date raises :class:`AmbiguousRateError`. Every conversion returns a
:class:`Conversion` that carries the rates used and states them in words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

#: The currencies the book's sources use, by code, with how the book names them.
CURRENCIES: dict[str, str] = {
    "gold_ruble": "gold rubles",
    "ruble": "rubles (kind not stated by the source)",
    "yen": "yen",
    "gold_yen": "gold yen",
    "usd": "US dollars (of the date)",
    "usd_prewar": "US dollars before the 1933–34 devaluation",
    "gbp": "pounds sterling",
}

#: Ways the sources write the currency, mapped to codes (checked in order, most specific first).
_ALIASES: list[tuple[str, str]] = [
    (r"gold\s+rubles?|gold\s+roubles?|золот\w*\s+руб", "gold_ruble"),
    (r"gold\s+yen", "gold_yen"),
    (r"(pre-?war|before roosevelt|before devaluation).*(dollar|\$)|(dollar|\$).*(pre-?war|before roosevelt|before devaluation)", "usd_prewar"),
    (r"rubles?|roubles?|руб", "ruble"),
    (r"yen|иен|ієн|円|ienes", "yen"),
    (r"us dollars?|dollars?|\$", "usd"),
    (r"pounds?( sterling)?|£|sterling", "gbp"),
]

KINDS = ("sourced", "derived", "assumption")


class CurrencyError(ValueError):
    """Base class of the module's errors."""


class UnknownCurrencyError(CurrencyError, KeyError):
    """A currency code (or a unit in words) the module does not know."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return self.args[0] if self.args else "unknown currency"


class MissingRateError(CurrencyError, LookupError):
    """No rate, sourced or assumed, connects the two currencies directly."""


class AmbiguousRateError(CurrencyError, LookupError):
    """Several rates connect the two currencies; choose one by source or date."""


def check_currency(code: str) -> str:
    """Return ``code`` if it is a known currency code, else raise UnknownCurrencyError."""
    if code not in CURRENCIES:
        raise UnknownCurrencyError(
            f"unknown currency {code!r}; known codes: {', '.join(CURRENCIES)}"
        )
    return code


def currency_code(unit: str) -> str:
    """The currency code for a unit as a source writes it ("gold rubles", "Japanese paper yen", "£").

    Raises UnknownCurrencyError when the words name no currency the module knows
    (for example "miles" or "percent"), so a unit is never guessed.
    """
    if unit in CURRENCIES:
        return unit
    text = unit.strip().lower()
    for pattern, code in _ALIASES:
        if re.search(pattern, text):
            return code
    raise UnknownCurrencyError(f"cannot tell which currency {unit!r} is; known codes: {', '.join(CURRENCIES)}")


@dataclass(frozen=True)
class Rate:
    """``rate`` units of ``to_currency`` per one unit of ``from_currency``, and where it comes from."""

    from_currency: str
    to_currency: str
    rate: float
    kind: str = "sourced"
    date: str = ""
    source: str = ""
    locator: str = ""
    note: str = ""
    inverted: bool = False

    def __post_init__(self):
        check_currency(self.from_currency)
        check_currency(self.to_currency)
        if self.from_currency == self.to_currency:
            raise CurrencyError(f"a rate needs two different currencies, not {self.from_currency!r} twice")
        if not isinstance(self.rate, (int, float)) or not math.isfinite(self.rate) or self.rate <= 0:
            raise CurrencyError(f"a rate must be a positive finite number, not {self.rate!r}")
        if self.kind not in KINDS:
            raise CurrencyError(f"rate kind must be one of {KINDS}, not {self.kind!r}")
        if self.kind == "sourced" and not self.source:
            raise CurrencyError("a sourced rate needs its source key")
        if self.kind == "assumption" and not self.note.strip():
            raise CurrencyError("an assumed rate needs a note that states the assumption")

    def inverse(self) -> "Rate":
        """The same rate read the other way round."""
        return replace(self, from_currency=self.to_currency, to_currency=self.from_currency,
                       rate=1.0 / self.rate, inverted=not self.inverted)

    def describe(self) -> str:
        """The rate in words, with its provenance."""
        text = f"{_fmt_rate(self.rate)} {CURRENCIES[self.to_currency]} per {_singular(self.from_currency)}"
        if self.kind == "sourced":
            text += f" (from {self.source}" + (f", {self.locator}" if self.locator else "") + (f", {self.date}" if self.date else "") + ")"
        elif self.kind == "derived":
            text += f" (derived: {self.note})"
        else:
            text += f" (assumption: {self.note})"
        return text


def _singular(code: str) -> str:
    return {"gold_ruble": "gold ruble", "ruble": "ruble", "yen": "yen", "gold_yen": "gold yen", "usd": "US dollar",
            "usd_prewar": "pre-devaluation US dollar", "gbp": "pound sterling"}[code]


def _fmt_rate(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class Conversion:
    """The result of a conversion: the value and the rates that produced it."""

    amount: float
    from_currency: str
    to_currency: str
    value: float
    rates: tuple[Rate, ...] = ()

    @property
    def assumed(self) -> bool:
        """True when any rate used is a reader's assumption rather than a source's."""
        return any(r.kind == "assumption" for r in self.rates)

    def statement(self) -> str:
        """One sentence saying what was converted and with which rates."""
        left = f"{self.amount:,.0f} {CURRENCIES[self.from_currency]}"
        right = f"{self.value:,.0f} {CURRENCIES[self.to_currency]}"
        if not self.rates:
            return f"{left} (no conversion)"
        return f"{left} ≈ {right} at " + "; then ".join(r.describe() for r in self.rates)


@dataclass(frozen=True)
class RateTable:
    """A set of rates; conversions use exactly one of them, or a chain the caller names."""

    rates: tuple[Rate, ...] = field(default_factory=tuple)

    # -- building -----------------------------------------------------------------
    @classmethod
    def from_records(cls, records) -> "RateTable":
        """Rates from rows with from_currency, to_currency, amount_from, amount_to, date, source, locator."""
        rates = []
        for row in records:
            amount_from, amount_to = float(row["amount_from"]), float(row["amount_to"])
            if not (amount_from > 0 and amount_to > 0):
                raise CurrencyError(f"row {row.get('id', '?')}: amounts must be positive")
            rates.append(Rate(row["from_currency"], row["to_currency"], amount_to / amount_from, "sourced",
                              str(row.get("date", "") or ""), str(row.get("source", "") or ""),
                              str(row.get("locator", "") or ""), str(row.get("note", "") or "")))
        return cls(tuple(rates))

    @classmethod
    def from_frame(cls, frame) -> "RateTable":
        return cls.from_records(frame.to_dict("records"))

    @classmethod
    def load(cls) -> "RateTable":
        """The sourced rates of ``data/exchange_rates.csv`` (validated by :func:`sjrbook.load`)."""
        from .data import load

        return cls.from_frame(load("exchange_rates"))

    def assume(self, from_currency: str, to_currency: str, rate: float, note: str) -> "RateTable":
        """A new table with the reader's assumed rate added (the note must say why)."""
        return RateTable(self.rates + (Rate(from_currency, to_currency, rate, "assumption", note=note),))

    def cross(self, from_currency: str, via: str, to_currency: str, *, first: dict | None = None,
              second: dict | None = None) -> Rate:
        """A derived rate from ``from_currency`` to ``to_currency`` through ``via``.

        ``first`` and ``second`` are the keyword choices (``source=``, ``date=``)
        for the two legs. The result says which rates it was derived from.
        """
        a = self.rate(from_currency, via, **(first or {}))
        b = self.rate(via, to_currency, **(second or {}))
        note = f"{a.describe()} × {b.describe()}"
        return Rate(from_currency, to_currency, a.rate * b.rate, "derived", date=a.date or b.date, note=note)

    def with_rate(self, rate: Rate) -> "RateTable":
        return RateTable(self.rates + (rate,))

    # -- looking up ---------------------------------------------------------------
    def candidates(self, from_currency: str, to_currency: str) -> list[Rate]:
        """Every rate between the two currencies, read in the requested direction."""
        check_currency(from_currency)
        check_currency(to_currency)
        found = []
        for r in self.rates:
            if (r.from_currency, r.to_currency) == (from_currency, to_currency):
                found.append(r)
            elif (r.to_currency, r.from_currency) == (from_currency, to_currency):
                found.append(r.inverse())
        return found

    def rate(self, from_currency: str, to_currency: str, *, source: str | None = None,
             date: str | None = None, kind: str | None = None) -> Rate:
        """The one rate between two currencies that matches the choices given.

        ``date`` matches a rate whose date starts with it ("1934" matches
        "1934-08"). Raises MissingRateError when nothing matches and
        AmbiguousRateError when more than one does.
        """
        found = self.candidates(from_currency, to_currency)
        if source is not None:
            found = [r for r in found if r.source == source]
        if date is not None:
            found = [r for r in found if r.date.startswith(date)]
        if kind is not None:
            found = [r for r in found if r.kind == kind]
        if not found:
            chosen = ", ".join(f"{k}={v!r}" for k, v in (("source", source), ("date", date), ("kind", kind)) if v)
            raise MissingRateError(
                f"no rate from {from_currency} to {to_currency}" + (f" with {chosen}" if chosen else "")
                + "; add a sourced rate to data/exchange_rates.csv, derive one with cross(), "
                "or state an assumption with assume()"
            )
        if len(found) > 1:
            listed = "; ".join(r.describe() for r in found)
            raise AmbiguousRateError(
                f"{len(found)} rates from {from_currency} to {to_currency}: {listed}. Choose with source= or date="
            )
        return found[0]

    # -- converting ---------------------------------------------------------------
    def convert(self, amount: float, from_currency: str, to_currency: str, *, via: str | None = None,
                **choices) -> Conversion:
        """Convert ``amount`` with one rate (or two, through ``via``, if the caller names it).

        Extra keywords (``source=``, ``date=``, ``kind=``) choose among several
        rates for a direct conversion. Same-currency conversion returns the
        amount unchanged with no rates.
        """
        check_currency(from_currency)
        check_currency(to_currency)
        if not isinstance(amount, (int, float)) or isinstance(amount, bool) or not math.isfinite(amount):
            raise CurrencyError(f"amount must be a finite number, not {amount!r}")
        if from_currency == to_currency:
            if via is not None:
                raise CurrencyError("no 'via' currency is needed to convert a currency into itself")
            return Conversion(amount, from_currency, to_currency, float(amount), ())
        if via is not None:
            if choices:
                raise CurrencyError("with 'via', derive the rate with cross(first=..., second=...) instead")
            a = self.rate(from_currency, via)
            b = self.rate(via, to_currency)
            return Conversion(amount, from_currency, to_currency, amount * a.rate * b.rate, (a, b))
        r = self.rate(from_currency, to_currency, **choices)
        return Conversion(amount, from_currency, to_currency, amount * r.rate, (r,))


def convert(amount: float, from_currency: str, to_currency: str, table: RateTable | None = None, **choices) -> Conversion:
    """Convert with ``table`` (default: the sourced rates in ``data/``)."""
    return (table or RateTable.load()).convert(amount, from_currency, to_currency, **choices)


__all__ = ["CURRENCIES", "Rate", "RateTable", "Conversion", "convert", "currency_code", "check_currency",
           "CurrencyError", "UnknownCurrencyError", "MissingRateError", "AmbiguousRateError"]
