"""A level's [network] table: the shapes a player may choose, and how the network starts.

Besides the hidden sizes, layer counts, activation and seed, a level may set
how the weights start (`init`, `init_scale`, or explicit `weights` and
`biases`) and which parameter blocks never train (`frozen`). The lessons need
them: equal starting weights never break symmetry, large ones saturate, and a
network whose weights are frozen learns only through its bias.
"""

from __future__ import annotations

from game.core.activations import NAMES
from game.core.fields import Fields, Shown
from game.core.net_checks import INIT_KINDS

MAX_HIDDEN_SIZE = 8
MAX_HIDDEN_LAYERS = 3
MAX_INIT_SCALE = 100.0
MAX_START_VALUE = 100.0  # the sandbox's limit for a typed weight, too


def network_fields(f: Fields) -> dict:
    """Check a [network] table; returns the Level fields it sets."""
    sizes = f.whole_list("hidden_sizes", 1, MAX_HIDDEN_SIZE)
    layers = f.whole_list("hidden_layers", 0, MAX_HIDDEN_LAYERS) if f.has("hidden_layers") else (1,)
    result = dict(
        hidden_sizes=sizes,
        default_hidden_size=f.whole("default_hidden_size", 1, MAX_HIDDEN_SIZE),
        hidden_layers=layers,
        default_hidden_layers=f.whole("default_hidden_layers", 0, MAX_HIDDEN_LAYERS,
                                      default=layers[0]),
        activation=f.choice("activation", NAMES, default="sigmoid"),
        init_seed=f.whole("init_seed", 0, 2**32 - 1),
        init=f.choice("init", INIT_KINDS, default="glorot"),
        init_scale=f.number("init_scale", 0.0, MAX_INIT_SCALE, low_open=True, default=1.0),
    )
    if result["default_hidden_size"] not in sizes:
        f.fail("default_hidden_size", f"one of hidden_sizes {list(sizes)}",
               result["default_hidden_size"])
    if result["default_hidden_layers"] not in layers:
        f.fail("default_hidden_layers", f"one of hidden_layers {list(layers)}",
               result["default_hidden_layers"])
    result["activations"] = _activations(f, result["activation"])
    result["frozen"] = _frozen(f, min(layers) + 1)
    result["start_weights"], result["start_biases"] = _explicit_start(f, sizes, layers)
    f.finish()
    return result


def _activations(f: Fields, default: str) -> tuple[str, ...]:
    """The hidden activations the player may switch between; the default must be one of them."""
    expected = ("a list of different activations among " + ", ".join(f'"{n}"' for n in NAMES)
                + f', including the default "{default}"')
    value = f.raw("activations", expected, [default])
    if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value) \
            or not all(isinstance(v, str) and v in NAMES for v in value) or default not in value:
        f.fail("activations", expected, value)
    return tuple(value) if len(value) > 1 else ()


def _frozen(f: Fields, depth: int) -> tuple[str, ...]:
    """Names "W1", "b1", … of the blocks that never train; each must exist in every allowed shape."""
    allowed = tuple(f"{kind}{l}" for l in range(1, depth + 1) for kind in "Wb")
    expected = ("a list of parameter blocks among " + ", ".join(f'"{a}"' for a in allowed)
                + " (W1 and b1 feed the first layer), each once, not all of them")
    value = f.raw("frozen", expected, [])
    if value and len(f.table.get("hidden_layers", [1])) > 1:
        # "W2" is the output layer of one shape and a hidden layer of another.
        f.fail("frozen", "no frozen blocks unless hidden_layers allows one layer count", value)
    if not isinstance(value, list) or len(set(map(str, value))) != len(value) \
            or not all(isinstance(v, str) and v in allowed for v in value) \
            or len(value) == len(allowed):
        f.fail("frozen", expected, value)
    return tuple(value)


def _explicit_start(f: Fields, sizes: tuple[int, ...], layers: tuple[int, ...]
                    ) -> tuple[tuple | None, tuple | None]:
    """Explicit starting `weights` [(fan_out, fan_in) per layer] and `biases`, both or neither."""
    if not f.has("weights") and not f.has("biases"):
        return None, None
    if len(sizes) != 1 or len(layers) != 1:
        key = "weights" if f.has("weights") else "biases"
        f.fail(key, "explicit starting values only when hidden_sizes and hidden_layers each "
                    "allow one choice", Shown("a list"))
    shape = (2, *([sizes[0]] * layers[0]), 1)
    pairs = list(zip(shape, shape[1:]))
    weights = tuple(_matrix(f, "weights", l, fan_out, fan_in, len(pairs))
                    for l, (fan_in, fan_out) in enumerate(pairs))
    biases = tuple(_vector(f, l, fan_out, len(pairs)) for l, (_, fan_out) in enumerate(pairs))
    return weights, biases


def _numbers_ok(row: object, length: int) -> bool:
    # An int is compared exactly (no float() of a 400-digit number); nan fails the comparison.
    return isinstance(row, list) and len(row) == length and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= MAX_START_VALUE
        for v in row)


def _matrix(f: Fields, key: str, l: int, rows: int, columns: int, depth: int) -> tuple:
    expected = (f"a list of {depth} layers, layer {l + 1} a list of {rows} rows of {columns} "
                f"numbers from −{MAX_START_VALUE:g} to {MAX_START_VALUE:g}")
    value = f.raw(key, expected)
    if not isinstance(value, list) or len(value) != depth or not isinstance(value[l], list) \
            or len(value[l]) != rows or not all(_numbers_ok(row, columns) for row in value[l]):
        f.fail(key, expected, value)
    return tuple(tuple(float(v) for v in row) for row in value[l])


def _vector(f: Fields, l: int, length: int, depth: int) -> tuple:
    expected = (f"a list of {depth} layers, layer {l + 1} a list of {length} numbers "
                f"from −{MAX_START_VALUE:g} to {MAX_START_VALUE:g}")
    value = f.raw("biases", expected)
    if not isinstance(value, list) or len(value) != depth or not _numbers_ok(value[l], length):
        f.fail("biases", expected, value)
    return tuple(float(v) for v in value[l])
