"""The algorithms of fastbook chapter 4 (3s versus 7s on MNIST), in plain numpy."""

__version__ = "0.1.0"
