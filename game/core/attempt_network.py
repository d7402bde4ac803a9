"""The attempt's network choices: the hidden shape and activation a level allows, and
building the network for them.

A mixin of game.core.attempt.Attempt, apart only to keep that file readable: these
methods read and write the attempt's state (level, log, network, hidden_size,
hidden_layers, activation) and follow its rules (refused, never raised; logged).
"""

from __future__ import annotations

from game.core import action_log
from game.core.activations import NAMES
from game.core.attempt_records import Result
from game.core.net import Network
from game.core.sandbox_limits import SANDBOX_LIMITS


class NetworkChoices:
    """Attempt's hidden-size and activation actions, and its network builder."""

    def set_hidden(self, size: int, layers: int | None = None) -> Result:
        """Choose the hidden size (and layer count); this re-initialises the weights."""
        if refused := self._refuse_if_over():
            return refused
        layers = self.hidden_layers if layers is None else layers
        sizes = SANDBOX_LIMITS["hidden_sizes"] if self.free_play else self.level.hidden_sizes
        layer_counts = SANDBOX_LIMITS["hidden_layers"] if self.free_play else self.level.hidden_layers
        if size not in sizes:
            allowed = ", ".join(map(str, sizes))
            return Result(False, f"This level allows hidden sizes {allowed}.")
        if layers not in layer_counts:
            allowed = ", ".join(map(str, layer_counts))
            return Result(False, f"This level allows {allowed} hidden layers.")
        if (int(size), int(layers)) == (self.hidden_size, self.hidden_layers):
            return self.reset_weights()  # the same choice only rebuilds: that is a reset
        entry = {"op": "hidden", "size": int(size), "layers": int(layers)}
        default = {"size": self.level.default_hidden_size, "layers": self.level.default_hidden_layers}
        self.hidden_size, self.hidden_layers = int(size), int(layers)
        self._rebuild()
        self._record_choice(entry, default)
        return Result(True)

    def _record_choice(self, entry: dict, default: dict) -> None:
        """Log a hidden or activation change; the changes of its kind it replaces go
        (action_log.choice_drops): the rebuild forgets the networks they built."""
        self.log_rules.record(self.log, entry, drop_last=action_log.choice_drops(self.log, entry, default))

    @property
    def activation_choices(self) -> tuple[str, ...]:
        """The hidden activations the player may pick: all in free play, else the level's."""
        return NAMES if self.free_play else (self.level.activations or (self.level.activation,))

    def set_activation(self, name: str) -> Result:
        """Switch the hidden activation, where allowed; this re-initialises the weights."""
        if not self.free_play and (refused := self._refuse_if_over()):
            return refused
        choices = self.activation_choices
        if len(choices) == 1:
            return Result(False, "The activation is fixed in this level.")
        if not isinstance(name, str) or name not in choices:
            return Result(False, f"The activation is {', '.join(choices[:-1])} or {choices[-1]}.")
        if name == self.activation:
            return self.reset_weights()  # the same choice only rebuilds: that is a reset
        self.activation = name
        self._rebuild()
        self._record_choice({"op": "activation", "name": name}, {"name": self.level.activation})
        return Result(True)

    def starting_network(self) -> Network:
        """A new network as Reset would build it now (the attempt's own is untouched)."""
        return self._fresh_network()

    def _fresh_network(self) -> Network:
        level = self.level
        sizes = level.layer_sizes(self.hidden_size, self.hidden_layers)
        network = Network(sizes, self.activation, seed=level.init_seed, init=level.init,
                          scale=level.init_scale, frozen=level.frozen)
        if level.start_weights is not None:  # levels.py allows them only with one shape
            for l, (W, b) in enumerate(zip(level.start_weights, level.start_biases)):
                network.weights[l][...] = W
                network.biases[l][...] = b
        return network
