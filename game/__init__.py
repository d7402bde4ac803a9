"""FruitNet: a game that makes backpropagation visible."""

__version__ = "0.1.0"
