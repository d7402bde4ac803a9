"""Numbers as the step log prints them: three significant figures, and honest "=" signs.

Every number in the step log goes through `fmt`, so the same value is the same
text everywhere (ŷ in the forward line and in the output δ line, a δ in its
header and in its weight lines, an old weight in its update line and in the
hidden δ that used it).

    fmt(0.00512731)  → "0.00513"     fmt(−0.0761)  → "−0.0761"
    fmt(1234.5)      → "1.23e3"      fmt(2.5e−7)   → "2.50e−7"
    fmt(0.0)         → "0"           fmt(−0.0)     → "0"      (never "−0")
    fmt(1.0)         → "1"           (an exact whole number keeps no decimals)

`multiplies_out` decides between "=" and "≈": a product line may say "=" only if
the printed factors, multiplied exactly and rounded to three significant
figures, give the printed result. Otherwise the rounding of the factors shows,
and the line says "≈" rather than pretend. The arithmetic is done in Decimal
on the printed text, which is what a student with a calculator would do.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache

FIGURES = 3  # significant figures of every printed number
MINUS = "−"  # U+2212: the formulas' minus sign, wider and clearer than a hyphen


def fmt(v: float) -> str:
    """v (a float) with FIGURES significant figures and a true minus sign.

    Positional from 0.0001 up to 999, scientific ("1.23e−5") outside that, "0"
    for either zero, "1" for an exact whole number, "∞"/"−∞"/"NaN" for the
    values a diverging step can produce.
    """
    v = float(v)
    if v == 0:
        return "0"
    if v.is_integer() and -1000 < v < 1000:
        return str(int(v)).replace("-", MINUS)
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    # 'g' with '#' keeps trailing zeros, and goes scientific exactly outside
    # 1e−4 ≤ |v| < 10³ as judged after rounding (9.9996e−5 prints "0.000100").
    text = f"{v:#.{FIGURES}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    elif text.endswith("."):  # '#' leaves "123." for three whole digits
        text = text[:-1]
    return text.replace("-", MINUS)


def signed(v: float) -> str:
    """fmt(v) with an explicit "+" on positive numbers, for changes (Δ +0.0120)."""
    text = fmt(v)
    return text if text == "0" or text.startswith(MINUS) or text == "NaN" else "+" + text


def factor(v: float) -> str:
    """fmt(v) for use inside a product: a negative number goes in parentheses."""
    text = fmt(v)
    return f"({text})" if text.startswith(MINUS) else text


@lru_cache(maxsize=4096)  # a step's δ and inputs recur in many of its products
def parse(text: str) -> Decimal:
    """The Decimal a printed number stands for: inverse of fmt (parentheses allowed)."""
    text = text.strip().strip("()").replace(MINUS, "-").replace("∞", "Infinity")
    return Decimal(text)


def rounds_to(exact: Decimal, shown: str) -> bool:
    """Is `shown` the finite value `exact`, rounded to FIGURES significant figures?

    On an exact tie (0.1225 → 0.122 or 0.123) either neighbour counts: school
    rounding and banker's rounding disagree there, and both are honest.
    """
    target = parse(shown)
    if not target.is_finite():
        return False
    if exact == 0:
        return target == 0
    step = Decimal(1).scaleb(exact.adjusted() - (FIGURES - 1))
    return target in (exact.quantize(step, ROUND_HALF_UP), exact.quantize(step, ROUND_HALF_EVEN))


def _same_float(value: float, shown: str) -> bool:
    """For ∞ and NaN, where there is nothing to round: IEEE arithmetic, NaN equal to NaN."""
    target = float(parse(shown))
    return (math.isnan(value) and math.isnan(target)) or value == target


def multiplies_out(factors: list[str], result: str) -> bool:
    """Do the printed factors, multiplied exactly, round to the printed result?"""
    numbers = [parse(text) for text in factors]
    if not all(d.is_finite() for d in numbers):  # ∞ · 2 = ∞; ∞ · 0 = NaN, as computed
        return _same_float(math.prod(float(d) for d in numbers), result)
    return rounds_to(math.prod(numbers, start=Decimal(1)), result)


def relation(factors: list[str], result: str) -> str:
    """"=" if the printed factors multiply out to the printed result, else "≈"."""
    return "=" if multiplies_out(factors, result) else "≈"


def difference_relation(left: str, right: str, result: str) -> str:
    """"=" if printed left − right rounds to the printed result, else "≈"."""
    a, b = parse(left), parse(right)
    if not (a.is_finite() and b.is_finite()):
        return "=" if _same_float(float(a) - float(b), result) else "≈"
    return "=" if rounds_to(a - b, result) else "≈"
