"""The step log's words: one step's chain rule, every term named, every product checkable.

Built straight from the core's StepTrace, so the numbers shown are the ones the
code computed, rounded only for display (game/core/sig_figs.py: three
significant figures, and "≈" instead of "=" wherever the printed factors do not
multiply out to the printed result). For a 2-3-1 sigmoid net a step reads:

    Sample x = (0.480, 0.0900), label y = 0 (lemon)
    Forward: ŷ = 0.734, so ŷ − y = 0.734 − 0 = 0.734
    Loss: L = ½(ŷ − y)² = ½ · (0.734)² = 0.269
    Output ŷ: δ⁽²⁾ = (ŷ − y) · σ′(z⁽²⁾) = 0.734 · 0.195 = 0.143
      ∂L/∂w⁽²⁾₁ = δ⁽²⁾ · h₁ = 0.143 · 0.480 = 0.0686
          w⁽²⁾₁: 0.411 → 0.274  (Δ −0.137)
      ∂L/∂b⁽²⁾ = δ⁽²⁾ = 0.143;  b⁽²⁾: 0.343 → 0.0570  (Δ −0.286)
    h₁: δ⁽¹⁾₁ = δ⁽²⁾ · w⁽²⁾₁ · σ′(z⁽¹⁾₁) = 0.143 · 0.411 · 0.249 ≈ 0.0147

Layers are numbered as on screen: the inputs are layer 0, so weight layer l
(0-based in the code) is w⁽ˡ⁺¹⁾ and feeds δ⁽ˡ⁺¹⁾, z⁽ˡ⁺¹⁾. A hidden δ whose layer
above has one neuron prints that one term's two factors (δ and the old weight,
both printed elsewhere in the log); above a wider layer it prints the sum's value.
A line is never wider than LOG_COLUMNS characters: a weight's update goes on
its own line, and a line still too long continues on the next, indented.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core import activations
from game.core.activations import OUTPUT
from game.core.sig_figs import MINUS, difference_relation, fmt, relation, signed

LOG_COLUMNS = 76  # the log panel's width in its monospaced font's characters
INDENT = "  "  # a parameter's line, under its neuron's δ
MORE = "      "  # a continuation: a weight's update, or the rest of a long line

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def sub(n: int) -> str:
    """n as Unicode subscript digits."""
    return str(n).translate(SUBSCRIPTS)


def sup(layer: int) -> str:
    """A layer number as the formulas' superscript: 2 → ⁽²⁾."""
    return f"({layer})".translate(SUPERSCRIPTS)


def weight_name(l: int, j: int, i: int, layer_count: int) -> str:
    """The on-screen name of W⁽ˡ⁺¹⁾[j, i]: w⁽²⁾₁ for the output, w⁽¹⁾₂₁ for hidden ones."""
    if l == layer_count - 1:
        return f"w{sup(l + 1)}{sub(i + 1)}"
    return f"w{sup(l + 1)}{sub(j + 1)}{sub(i + 1)}"


def bias_name(l: int, j: int, layer_count: int) -> str:
    """b⁽ˡ⁺¹⁾ⱼ, without the index for the one output neuron: b⁽²⁾, b⁽¹⁾₂."""
    return f"b{sup(l + 1)}" + ("" if l == layer_count - 1 else sub(j + 1))


def neuron_name(layer: int, index: int, layer_count: int) -> str:
    """x₁, x₂ for inputs; h₁… (h⁽²⁾₁… in deeper nets) for hidden; ŷ for the output."""
    if layer == 0:
        return f"x{sub(index + 1)}"
    if layer == layer_count:
        return "ŷ"
    if layer_count > 2:
        return f"h{sup(layer)}{sub(index + 1)}"
    return f"h{sub(index + 1)}"


def _unit_symbol(letter: str, l: int, j: int, layer_count: int) -> str:
    """δ⁽ˡ⁺¹⁾ⱼ or z⁽ˡ⁺¹⁾ⱼ of weight layer l's neuron j; the output's has no index."""
    return f"{letter}{sup(l + 1)}" + ("" if l == layer_count - 1 else sub(j + 1))


@dataclass(frozen=True)
class TextLine:
    """One line of the log. `weight` is the (l, j, i) it explains, if any.

    kind: "heading" (sample, forward, loss, a neuron's δ), "note" (a warning),
    "weight" (a weight's gradient or update) or "bias".
    """

    text: str
    kind: str = "weight"
    weight: tuple[int, int, int] | None = None


def _product(name: str, symbols: str, factors: list[str], result: str) -> list[str]:
    """['name = symbols', '= f₁ · f₂ = r'] from printed numbers (fmt's text): the named
    product, then its numbers, with ≈ where the factors do not round to the result."""
    shown = [f"({text})" if text.startswith(MINUS) else text for text in factors]
    return [f"{name} = {symbols}", f"= {' · '.join(shown)} {relation(factors, result)} {result}"]


def _fitted(parts: list[str], kind: str, weight=None) -> list[TextLine]:
    """The parts joined by spaces on one line where they fit; a part that does not fit
    starts a continuation line, indented under the line it continues."""
    lines, line = [], parts[0]
    for part in parts[1:]:
        if len(line) + 1 + len(part) <= LOG_COLUMNS:
            line = f"{line} {part}"
        else:
            lines.append(TextLine(line, kind, weight))
            line = MORE + part.lstrip()
    return lines + [TextLine(line, kind, weight)]


def step_lines(trace, activation: str) -> list[TextLine]:
    """Every line for one step (a StepTrace) of a net whose hidden layers use `activation`."""
    y, y_hat, error = fmt(trace.y), fmt(trace.y_hat), fmt(trace.y_hat - trace.y)
    label = "strawberry" if trace.y == 1 else "lemon"
    squared = f"({error})"
    loss = fmt(trace.loss)
    lines = [
        TextLine(f"Sample x = ({fmt(trace.x[0])}, {fmt(trace.x[1])}), label y = {y} ({label})",
                 "heading"),
        *_fitted([f"Forward: ŷ = {y_hat}, so ŷ − y",
                  f"= {y_hat} − {y} {difference_relation(y_hat, y, error)} {error}"], "heading"),
        *_fitted(["Loss: L = ½(ŷ − y)²",
                  f"= ½ · {squared}² {relation(['0.5', error, error], loss)} {loss}"], "heading"),
    ]
    if trace.diverged:
        lines += _words("η is too large: this update would overflow to infinity, so the "
                        "weights were kept.", "note")
    for l in range(len(trace.layers) - 1, -1, -1):
        lines += _layer_lines(trace, l, activation)
    return lines


def _words(text: str, kind: str) -> list[TextLine]:
    """Prose wrapped at word boundaries to LOG_COLUMNS."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > LOG_COLUMNS:
            lines.append(TextLine(line, kind))
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [TextLine(line, kind)]


def _layer_lines(trace, l: int, activation: str) -> list[TextLine]:
    """Weight layer l: per neuron j, its δ, then each weight's gradient and update, its bias."""
    layer, count = trace.layers[l], len(trace.layers)
    deltas = [fmt(v) for v in layer.delta.tolist()]
    inputs = [fmt(v) for v in layer.inputs.tolist()]
    sources = [neuron_name(l, i, count) for i in range(len(inputs))]
    gradients, old, new = layer.dW.tolist(), layer.W_old.tolist(), layer.W_new.tolist()
    lines: list[TextLine] = []
    for j, delta_text in enumerate(deltas):
        lines += _fitted(_delta_parts(trace, l, j, activation), "heading")
        delta = _unit_symbol("δ", l, j, count)
        for i, source in enumerate(sources):
            name = weight_name(l, j, i, count)
            lines += _fitted(_product(f"{INDENT}∂L/∂{name}", f"{delta} · {source}",
                                      [delta_text, inputs[i]], fmt(gradients[j][i])),
                             "weight", (l, j, i))
            change = _change(name, old[j][i], new[j][i], layer.W_frozen, trace.diverged)
            lines.append(TextLine(MORE + change, "weight", (l, j, i)))
        name = bias_name(l, j, count)
        change = _change(name, float(layer.b_old[j]), float(layer.b_new[j]), layer.b_frozen,
                         trace.diverged)
        lines += _fitted([f"{INDENT}∂L/∂{name} = {delta} = {fmt(layer.db[j])};", " " + change],
                         "bias")
    return lines


def _delta_parts(trace, l: int, j: int, activation: str) -> list[str]:
    """The δ of weight layer l's neuron j as a named product, e.g.
    'h₂: δ⁽¹⁾₂ = (Σₖ δ⁽²⁾ₖ w⁽²⁾ₖ₂) · tanh′(z⁽¹⁾₂)', '= 0.0211 · 0.243 = 0.00513'."""
    layer, count = trace.layers[l], len(trace.layers)
    delta, z = _unit_symbol("δ", l, j, count), _unit_symbol("z", l, j, count)
    result, slope = fmt(layer.delta[j]), fmt(layer.derivative[j])
    if l == count - 1:
        return _product(f"Output ŷ: {delta}", f"(ŷ − y) · {OUTPUT.prime}({z})",
                        [fmt(layer.error[j]), slope], result)
    prime = f"{activations.lookup(activation).prime}({z})"
    unit = neuron_name(l + 1, j, count)
    above = trace.layers[l + 1]
    if len(above.delta) == 1:  # a one-term sum: its two factors, both printed above
        symbols = f"{_unit_symbol('δ', l + 1, 0, count)} · {weight_name(l + 1, 0, j, count)}"
        return _product(f"{unit}: {delta}", f"{symbols} · {prime}",
                        [fmt(above.delta[0]), fmt(above.W_old[0, j]), slope], result)
    symbols = f"(Σₖ δ{sup(l + 2)}ₖ w{sup(l + 2)}ₖ{sub(j + 1)})"
    return _product(f"{unit}: {delta}", f"{symbols} · {prime}", [fmt(layer.error[j]), slope],
                    result)


def _change(name: str, old: float, new: float, frozen: bool, diverged: bool) -> str:
    """'w⁽²⁾₁: 0.411 → 0.274  (Δ −0.137)', or why the parameter did not move."""
    if frozen:
        return f"{name}: {fmt(old)}, frozen (the level keeps it fixed)"
    if diverged:
        return f"{name}: {fmt(old)}, kept (the update would overflow)"
    return f"{name}: {fmt(old)} → {fmt(new)}  (Δ {signed(new - old)})"


def summary_text(steps: int, end: int, before: list, after: list,
                 edge_index: list) -> list[TextLine]:
    """Lines for a fast ×N run ending at step `end`: each weight's total change.

    before/after: the weight matrices around the run, W⁽ˡ⁾ of shape (fan_out,
    fan_in) per layer; edge_index: the weights to list, as (l, j, i) in order.
    """
    lines = _words(f"Trained ×{steps}: steps {end - steps + 1}–{end}, one fruit per step. "
                   "Each weight's total change:", "heading")
    for l, j, i in edge_index:
        w0, w1 = float(before[l][j, i]), float(after[l][j, i])
        lines.append(TextLine(f"{INDENT}{weight_name(l, j, i, len(before))}: {fmt(w0)} → "
                              f"{fmt(w1)}  (Δ {signed(w1 - w0)})", "weight", (l, j, i)))
    return lines

