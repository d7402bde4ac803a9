"""The step log's arithmetic, checked the way a student would check it: from the text.

Thousands of random steps (every hidden activation, no hidden layer up to three,
sizes 1 to 8, weights from tiny to saturating to overflowing) are turned into
the log's lines. The test reads the numbers back out of the text and checks:

- every line names its term, with the right layer and indices, in the right order;
- every printed number is the trace's value to three significant figures;
- every product multiplies out: the printed factors, multiplied exactly and
  rounded to three significant figures, give the printed result where the line
  says "=", and do not where it says "≈" (so "≈" appears only where needed);
- no "−0", no hyphen for a minus, no line wider than the panel.

The names and numbers are re-derived here independently of game/core/step_text.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np

from game.core.net import Network
from game.core.step_text import LOG_COLUMNS, step_lines, summary_text

TRACES = 5000
# Every depth, sizes 1 to 8, a one-neuron layer under a wider one and over one:
# about 14 weights a step on average, so 5,000 steps check in seconds.
SHAPES = [(2, 1), (2, 1, 1), (2, 2, 1), (2, 3, 1), (2, 4, 1), (2, 8, 1), (2, 4, 4, 1),
          (2, 3, 5, 1), (2, 1, 3, 1), (2, 3, 1, 1), (2, 2, 2, 2, 1), (2, 3, 2, 4, 1)]
WIDE = [(2, 8, 8, 1), (2, 8, 8, 8, 1)]  # the widest nets, for the pixel-width check
ACTIVATIONS = ("sigmoid", "tanh", "relu")
PRIMES = {"sigmoid": "σ′", "tanh": "tanh′", "relu": "relu′"}
SCALES = (0.05, 0.5, 1.0, 3.0, 10.0, 40.0)  # 10 and 40 saturate σ and tanh

POS = r"(?:[0-9]+(?:\.[0-9]+)?(?:e−?[0-9]+)?|∞|NaN)"  # a printed magnitude
NUM = rf"−?{POS}"
FACTOR = rf"(?:\(−{POS}\)|{POS})"  # a factor: negative ones in parentheses
REL = r"(?P<rel>[=≈])"


# ----------------------------------------------------------------- random steps
def random_traces(count: int, seed: int, shapes=SHAPES):
    """`count` (trace, activation) pairs of random shapes, weights, samples and η."""
    rng = np.random.default_rng(seed)
    networks: dict = {}
    for n in range(count):
        sizes = shapes[n % len(shapes)]
        activation = ACTIVATIONS[(n // len(shapes)) % len(ACTIVATIONS)]
        depth = len(sizes) - 1
        frozen = tuple(rng.choice([f"{k}{l}" for l in range(1, depth + 1) for k in "Wb"],
                                  size=2, replace=False)) if n % 9 == 4 else ()
        key = (sizes, activation, frozen)
        if key not in networks:
            networks[key] = Network(sizes, activation, seed=n, frozen=frozen)
        net = networks[key]
        # Now and then the update overflows (η huge: the step is refused), or even the
        # forward pass does (weights huge too: ∞ and NaN reach the log).
        overflow = n % 37 == 13
        scale = 1e154 if overflow and n % 2 else SCALES[rng.integers(len(SCALES))]
        for block in net.weights + net.biases:
            block[...] = rng.normal(0.0, scale, block.shape)
            block[rng.random(block.shape) < 0.05] = 0.0  # exact zeros happen (relu, starts)
        x = rng.random(2)
        if n % 5 == 0:
            x = rng.choice([0.0, 0.5, 1.0, 0.1, 0.25], size=2)
        lr = (1e10 if n % 2 else 1e307) if overflow else float(10 ** rng.uniform(-3, 1))
        yield net.step(x, float(rng.integers(2)), lr), activation


# ----------------------------------------------------------- names and numbers
_LOW = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_HIGH = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sub(n: int) -> str:
    return str(n).translate(_LOW)


def _sup(n: int) -> str:
    return "⁽" + str(n).translate(_HIGH) + "⁾"


def _unit(letter: str, l: int, j: int, count: int) -> str:
    """δ⁽ˡ⁺¹⁾ⱼ (or z), the output's without an index."""
    return letter + _sup(l + 1) + ("" if l == count - 1 else _sub(j + 1))


def _activation_name(layer: int, i: int, count: int) -> str:
    """What feeds weight layer `layer`: x₁, or h₂ (h⁽¹⁾₂ when there are several hidden layers)."""
    if layer == 0:
        return "x" + _sub(i + 1)
    return "h" + (_sup(layer) if count > 2 else "") + _sub(i + 1)


def _weight(l: int, j: int, i: int, count: int) -> str:
    return "w" + _sup(l + 1) + ("" if l == count - 1 else _sub(j + 1)) + _sub(i + 1)


def _decimal(text: str) -> Decimal:
    return Decimal(text.strip("()").replace("−", "-").replace("∞", "Infinity"))


def _roundings(exact: Decimal) -> set[Decimal]:
    """exact to 3 significant figures; both neighbours on an exact tie."""
    if exact == 0 or not exact.is_finite():
        return {exact}
    step = Decimal(1).scaleb(exact.adjusted() - 2)
    return {exact.quantize(step, ROUND_HALF_UP), exact.quantize(step, ROUND_HALF_EVEN)}


def _ieee_equal(value: float, result: str) -> bool:
    """∞ and NaN have nothing to round: as computed, with NaN equal to NaN."""
    shown = float(_decimal(result))
    return bool(np.isnan(value) and np.isnan(shown)) or value == shown


def _multiplies_out(factors: list[str], result: str) -> bool:
    if any(not _decimal(f).is_finite() for f in factors):
        with np.errstate(invalid="ignore"):
            return _ieee_equal(float(np.prod([float(_decimal(f)) for f in factors])), result)
    if not _decimal(result).is_finite():
        return False
    product = Decimal(1)
    for f in factors:
        product *= _decimal(f)
    return _decimal(result) in _roundings(product)


def _shows(text: str, value: float) -> bool:
    """Is `text` the value to 3 significant figures ("0" for zero, exact wholes bare)?"""
    value = float(value)
    if value == 0:
        return text == "0"
    if not math.isfinite(value):
        return text == ("NaN" if value != value else "∞" if value > 0 else "−∞")
    if value.is_integer() and abs(value) < 1000:
        return text == str(int(value)).replace("-", "−")
    mantissa, _, exponent = text.lstrip("−").partition("e")
    if len(mantissa.replace(".", "").lstrip("0")) != 3:
        return False
    shown = float(text.replace("−", "-"))
    # The last printed digit's unit: 0.0521 → 0.0001, 1.23e−5 → 1e−7, 123 → 1.
    unit = 10.0 ** (int(exponent.replace("−", "-") or 0) - len(mantissa.partition(".")[2]))
    miss = abs(value - shown) / unit
    if miss < 0.49 or miss > 0.51:  # clearly the nearest 3-figure number, or clearly not
        return miss < 0.5
    exact = Decimal(value)  # near a tie: decide exactly
    return _decimal(text) == exact.quantize(Decimal(1).scaleb(exact.adjusted() - 2),
                                            ROUND_HALF_EVEN)


# ------------------------------------------------------ the lines a step must have
NAME = r"[^\s:]+"  # a term's name: δ⁽¹⁾₂, w⁽²⁾ₖ₂, h⁽¹⁾₃ …
_MOVE = rf"(?P<name>{NAME}): (?P<old>{NUM}) → (?P<new>{NUM})  \(Δ (?P<sign>\+?)(?P<d>{NUM})\)"
_FROZEN = rf"(?P<name>{NAME}): (?P<old>{NUM}), frozen \(the level keeps it fixed\)"
_KEPT = rf"(?P<name>{NAME}): (?P<old>{NUM}), kept \(the update would overflow\)"
_TAIL2 = rf"= (?P<f1>{FACTOR}) · (?P<f2>{FACTOR}) {REL} (?P<r>{NUM})"
_PRIME = r"(?P<prime>\S+?′)\((?P<z>z[^)\s]+)\)"
PATTERNS = {key: re.compile(pattern) for key, pattern in {
    "sample": rf"Sample x = \((?P<x1>{NUM}), (?P<x2>{NUM})\), label y = (?P<y>[01]) "
              r"\((?P<label>strawberry|lemon)\)",
    "forward": rf"Forward: ŷ = (?P<a>{NUM}), so ŷ − y = (?P<b>{NUM}) − (?P<y>[01]) {REL} "
               rf"(?P<e>{NUM})",
    "loss": rf"Loss: L = ½\(ŷ − y\)² = ½ · \((?P<e>{NUM})\)² {REL} (?P<r>{NUM})",
    "output": rf"Output ŷ: (?P<delta>{NAME}) = \(ŷ − y\) · {_PRIME} {_TAIL2}",
    "one term": rf"(?P<unit>{NAME}): (?P<delta>{NAME}) = (?P<kd>{NAME}) · (?P<kw>{NAME}) · "
                rf"{_PRIME} = (?P<f0>{FACTOR}) · (?P<f1>{FACTOR}) · (?P<f2>{FACTOR}) {REL} "
                rf"(?P<r>{NUM})",
    "sum": rf"(?P<unit>{NAME}): (?P<delta>{NAME}) = \(Σₖ (?P<kd>{NAME}) (?P<kw>{NAME})\) · "
           rf"{_PRIME} {_TAIL2}",
    "gradient": rf"  ∂L/∂(?P<w>{NAME}) = (?P<delta>{NAME}) · (?P<a>{NAME}) {_TAIL2}",
    **{f"update {k}": "      " + p for k, p in (("move", _MOVE), ("frozen", _FROZEN),
                                                  ("kept", _KEPT))},
    **{f"bias {k}": rf"  ∂L/∂(?P<b>{NAME}) = (?P<delta>{NAME}) = (?P<g>{NUM});  " + p
       for k, p in (("move", _MOVE), ("frozen", _FROZEN), ("kept", _KEPT))},
}.items()}


@dataclass
class Expected:
    """One logical line: its pattern, the names its groups must hold, the trace values its
    numbers must show, which groups form its product (if any), its kind and weight."""

    pattern: str
    names: dict
    values: dict
    product: object = None
    kind: str = "heading"
    weight: tuple | None = None


def expected_lines(trace, activation: str):
    """The logical lines one step must have, in order."""
    y = "1" if trace.y == 1 else "0"
    yield Expected("sample", {"y": y, "label": "strawberry" if trace.y == 1 else "lemon"},
                   {"x1": trace.x[0], "x2": trace.x[1]})
    yield Expected("forward", {"y": y}, {"a": trace.y_hat, "b": trace.y_hat,
                                         "e": trace.y_hat - trace.y}, "difference")
    yield Expected("loss", {}, {"e": trace.y_hat - trace.y, "r": trace.loss}, "loss")
    for l in range(len(trace.layers) - 1, -1, -1):
        yield from _expected_layer(trace, l, activation)


def _expected_layer(trace, l: int, activation: str):
    layer, count = trace.layers[l], len(trace.layers)
    for j in range(len(layer.delta)):
        delta = _unit("δ", l, j, count)
        yield _expected_delta(trace, l, j, activation)
        for i in range(len(layer.inputs)):
            w = _weight(l, j, i, count)
            yield Expected("gradient", {"w": w, "delta": delta, "a": _activation_name(l, i, count)},
                           {"f1": layer.delta[j], "f2": layer.inputs[i], "r": layer.dW[j, i]},
                           ["f1", "f2"], "weight", (l, j, i))
            how, values = _change(trace, layer.W_old[j, i], layer.W_new[j, i], layer.W_frozen)
            yield Expected("update " + how, {"name": w}, values, None, "weight", (l, j, i))
        b = "b" + _sup(l + 1) + ("" if l == count - 1 else _sub(j + 1))
        how, values = _change(trace, layer.b_old[j], layer.b_new[j], layer.b_frozen)
        yield Expected("bias " + how, {"b": b, "delta": delta, "name": b},
                       {"g": layer.delta[j], **values}, None, "bias")


def _expected_delta(trace, l: int, j: int, activation: str) -> Expected:
    layer, count = trace.layers[l], len(trace.layers)
    names = {"delta": _unit("δ", l, j, count), "z": _unit("z", l, j, count)}
    numbers = {"f2": layer.derivative[j], "r": layer.delta[j]}
    if l == count - 1:
        return Expected("output", {**names, "prime": "σ′"},
                        {"f1": trace.y_hat - trace.y, **numbers}, ["f1", "f2"])
    names.update(unit="h" + (_sup(l + 1) if count > 2 else "") + _sub(j + 1),
                 prime=PRIMES[activation])
    above = trace.layers[l + 1]
    if len(above.delta) == 1:
        names.update(kd=_unit("δ", l + 1, 0, count), kw=_weight(l + 1, 0, j, count))
        return Expected("one term", names, {"f0": above.delta[0], "f1": above.W_old[0, j],
                                            **numbers}, ["f0", "f1", "f2"])
    names.update(kd=f"δ{_sup(l + 2)}ₖ", kw=f"w{_sup(l + 2)}ₖ{_sub(j + 1)}")
    return Expected("sum", names, {"f1": layer.error[j], **numbers}, ["f1", "f2"])


def _change(trace, old: float, new: float, frozen: bool) -> tuple[str, dict]:
    """Which update a parameter's line states, and the values its numbers show."""
    if frozen:
        return "frozen", {"old": old}
    if trace.diverged:
        return "kept", {"old": old}
    return "move", {"old": old, "new": new, "d": new - old}


# -------------------------------------------------------------------- checking
def logical_lines(lines):
    """Display lines with their continuations joined back: (text, kind, weight)."""
    joined: list[list] = []
    for line in lines:
        if line.text.startswith("      =") or line.text.startswith("      ≈"):
            joined[-1][0] += " " + line.text.lstrip()
        elif joined and joined[-1][0].endswith(";") and line.kind == "bias":
            joined[-1][0] += "  " + line.text.lstrip()
        else:
            joined.append([line.text, line.kind, line.weight])
    return joined


def check_step(trace, activation: str, tally: dict) -> None:
    """Assert everything the module docstring promises about one step's lines."""
    lines = step_lines(trace, activation)
    for line in lines:
        assert len(line.text) <= LOG_COLUMNS, line.text
        assert not re.search(r"−0(?![.0-9])", line.text), f"−0 printed: {line.text}"
        assert "-" not in line.text, f"a hyphen for a minus: {line.text}"
    logical = logical_lines(lines)
    notes = [text for text, kind, _ in logical if kind == "note"]
    assert bool(notes) == trace.diverged
    logical = [entry for entry in logical if entry[1] != "note"]
    expected = list(expected_lines(trace, activation))
    assert len(logical) == len(expected), [t for t, _, _ in logical]
    for (text, kind, weight), want in zip(logical, expected):
        match = PATTERNS[want.pattern].fullmatch(text)
        assert match, f"not a {want.pattern} line as expected: {text}"
        for group, name in want.names.items():
            assert match[group] == name, f"{group}: expected {name}, got {match[group]}: {text}"
        assert (kind, weight) == (want.kind, want.weight), text
        for group, value in want.values.items():
            assert _shows(match[group].strip("()"), value), f"{group}={value!r} in {text}"
        if "d" in want.values:  # a change: "+" exactly on increases
            assert (match["sign"] == "+") == (float(want.values["d"]) > 0), text
        if want.product is not None:
            _check_product(match, want.product, text, tally)


def _check_product(match, product, text: str, tally: dict) -> None:
    if product == "difference":
        exact = _decimal(match["b"]) - _decimal(match["y"])
        holds = _decimal(match["e"]) in _roundings(exact) if exact.is_finite() \
            else _ieee_equal(float(exact), match["e"])
    elif product == "loss":
        holds = _multiplies_out(["0.5", match["e"], match["e"]], match["r"])
    else:
        holds = _multiplies_out([match[g] for g in product], match["r"])
    assert (match["rel"] == "=") == holds, f"'{match['rel']}' where the product " \
        f"{'holds' if holds else 'does not hold'}: {text}"
    tally[match["rel"]] = tally.get(match["rel"], 0) + 1


def test_every_product_multiplies_out_and_every_term_is_named():
    tally: dict = {}
    for trace, activation in [*random_traces(TRACES, seed=9), *random_traces(60, 10, WIDE)]:
        check_step(trace, activation, tally)
    products = tally.get("=", 0) + tally.get("≈", 0)
    assert products > 20 * TRACES
    # "≈" is the exception: rounding to 3 figures shows in a minority of products.
    assert tally.get("≈", 0) < 0.5 * products, tally


def test_zero_and_exact_values_print_bare_and_never_as_minus_zero():
    net = Network((2, 3, 1), "relu", seed=1)
    net.weights[0][...] = [[-1.0, -1.0], [1.0, 0.0], [0.0, -0.0]]
    net.biases[0][...] = [-0.0, 0.0, -0.5]
    trace = net.step(np.array([0.5, 1.0]), 1.0, 0.1)
    text = "\n".join(line.text for line in step_lines(trace, "relu"))
    assert "relu′(z⁽¹⁾₁) = " in text and "· 0 = 0" in text  # a dead neuron: relu′ = 0, δ = 0
    assert "Sample x = (0.500, 1), label y = 1 (strawberry)" in text
    assert not re.search(r"−0(?![.0-9])", text)
    check_step(trace, "relu", {})


def test_a_refused_update_says_why_and_every_parameter_says_kept():
    net = Network((2, 2, 1), "relu", seed=1)
    net.weights[0][...] = [[30.0, 30.0], [20.0, -5.0]]  # h ≈ 54 and 14.6
    net.weights[1][...] = [[0.01, 0.01]]  # ŷ ≈ 0.67: δ·h ≈ 8, and η·8 overflows
    trace = net.step(np.array([0.9, 0.9]), 0.0, 1e308)
    assert trace.diverged
    lines = step_lines(trace, "relu")
    notes = " ".join(line.text for line in lines if line.kind == "note")
    assert notes == "η is too large: this update would overflow to infinity, so the weights " \
                    "were kept."
    updates = [line.text for line in lines if line.text.startswith("      ")]
    assert len(updates) == 6 and all(t.endswith(", kept (the update would overflow)")
                                     for t in updates)
    assert any(line.text.endswith(", kept (the update would overflow)") and line.kind == "bias"
               for line in lines)
    check_step(trace, "relu", {})


def test_summary_lines_name_every_weight_and_fit():
    before = [np.array([[0.5, -0.25]]), np.array([[1.0]])]
    after = [np.array([[0.5, -0.2500001]]), np.array([[-0.0]])]
    lines = summary_text(100, 300, before, after, [(0, 0, 0), (0, 0, 1), (1, 0, 0)])
    texts = [line.text for line in lines]
    assert texts[0].startswith("Trained ×100: steps 201–300")
    assert texts[-3:] == ["  w⁽¹⁾₁₁: 0.500 → 0.500  (Δ 0)",
                          "  w⁽¹⁾₁₂: −0.250 → −0.250  (Δ −1.00e−7)",
                          "  w⁽²⁾₁: 1 → 0  (Δ −1)"]
    assert [line.weight for line in lines[-3:]] == [(0, 0, 0), (0, 0, 1), (1, 0, 0)]
    assert all(len(t) <= LOG_COLUMNS for t in texts)


def test_every_line_fits_the_log_panel_in_pixels():
    import pygame

    from game.scenes.training_layout import LOG_RECT
    from game.view import theme
    from game.view.step_log import StepLogView
    pygame.font.init()
    width = StepLogView(LOG_RECT).body.w
    font = theme.font(12, "mono")
    widest = max((font.size(line.text)[0], line.text) for trace, activation in
                 random_traces(400, 1, SHAPES + WIDE) for line in step_lines(trace, activation))
    assert widest[0] <= width, widest
