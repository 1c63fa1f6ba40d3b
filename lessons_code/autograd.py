"""Autograd from scratch: what PyTorch does when the chapter calls `loss.backward()`.

A `Tensor` is a numpy array that remembers how it was made. Every operation on
tensors records its inputs and how to send a gradient back to each of them: that
record is the computational graph. `backward()` walks the graph from the loss back to
the parameters, applying the chain rule at each step, and adds each parameter's
gradient to its `.grad`. Adds: call it twice without zeroing and `.grad` doubles.

Only what the chapter uses is here: `@`, `+`, `-`, `*`, `**`, `sigmoid`, `relu`,
`where`, `mean`, `sum` and indexing by a batch. In the spirit of Karpathy's micrograd,
which does the same for single numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

GradFn = Callable[[np.ndarray], np.ndarray]
"""How an operation sends the gradient of its output back to one of its inputs."""


# --8<-- [start:tensor]
class Tensor:
    """An array that records the operations made from it, so backward() can find
    gradients."""

    def __init__(self, data, requires_grad: bool = False, name: str = ""):
        self.data = np.asarray(data)
        if requires_grad and not np.issubdtype(self.data.dtype, np.floating):
            message = f"only floats can have a gradient, got {self.data.dtype}"
            raise TypeError(message + ": use 3.0, not 3")
        # True for parameters: give me a .grad
        self.requires_grad = requires_grad
        # d loss / d this tensor, after backward()
        self.grad: np.ndarray | None = None
        self.name = name  # a label for drawing the graph, e.g. "weights"
        # the operation that made this tensor; "" for one we made ourselves
        self.op = ""
        self.inputs: tuple[Tensor, ...] = ()  # the tensors that operation read
        # one per input: output gradient -> input's
        self.grad_fns: tuple[GradFn, ...] = ()

    # --8<-- [end:tensor]

    __array_ufunc__ = None  # numpy hands `array + tensor` to the tensor: it is recorded too

    @property
    def shape(self) -> tuple[int, ...]:
        """Return the shape of the array."""
        return self.data.shape

    def item(self) -> float:
        """Return the value of a one-number tensor as a Python float."""
        return self.data.item()

    def __float__(self) -> float:
        return self.item()

    def __repr__(self) -> str:
        extra = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({self.data!r}{extra})"

    # --8<-- [start:record]
    @staticmethod
    def record(data: np.ndarray, op: str, *inputs: tuple[Tensor, GradFn]) -> Tensor:
        """Return the result of an operation, remembering its inputs and their
        gradients."""
        out = Tensor(data)
        out.op = op
        out.inputs = tuple(tensor for tensor, _ in inputs)
        out.grad_fns = tuple(grad_fn for _, grad_fn in inputs)
        out.requires_grad = any(tensor.requires_grad for tensor in out.inputs)
        return out

    # --8<-- [end:record]

    # --8<-- [start:operations]
    def __matmul__(self, other) -> Tensor:
        other = as_tensor(other, like=self)
        if self.data.ndim != 2 or other.data.ndim not in (1, 2):
            raise ValueError(
                "@ takes a batch (n, k) and weights (k,) or (k, m), "
                f"got {self.shape} and {other.shape}"
            )

        # (n,) -> (n, k), or (n, m)
        # -> (n, k)
        def to_self(g):
            if other.data.ndim == 1:
                return np.outer(g, other.data)
            return g @ other.data.T

        return Tensor.record(
            self.data @ other.data,
            "@",
            (self, to_self),
            (other, lambda g: self.data.T @ g),
        )

    def __add__(self, other) -> Tensor:
        other = as_tensor(other, like=self)
        return Tensor.record(
            self.data + other.data,
            "+",
            (self, lambda g: unbroadcast(g, self.shape)),
            (other, lambda g: unbroadcast(g, other.shape)),
        )

    def __sub__(self, other) -> Tensor:
        other = as_tensor(other, like=self)
        return Tensor.record(
            self.data - other.data,
            "-",
            (self, lambda g: unbroadcast(g, self.shape)),
            (other, lambda g: unbroadcast(-g, other.shape)),
        )

    def __mul__(self, other) -> Tensor:
        other = as_tensor(other, like=self)
        return Tensor.record(
            self.data * other.data,
            "*",
            (self, lambda g: unbroadcast(g * other.data, self.shape)),
            (other, lambda g: unbroadcast(g * self.data, other.shape)),
        )

    def __radd__(self, other) -> Tensor:
        return as_tensor(other, like=self) + self

    def __rsub__(self, other) -> Tensor:
        return as_tensor(other, like=self) - self  # 1 - probabilities

    def __rmul__(self, other) -> Tensor:
        return as_tensor(other, like=self) * self

    def __pow__(self, power: int) -> Tensor:
        return Tensor.record(
            self.data**power,
            f"**{power}",
            (self, lambda g: g * power * self.data ** (power - 1)),
        )

    def sigmoid(self) -> Tensor:
        e = np.exp(-np.abs(self.data))  # in (0, 1]: never overflows, even at ±1000
        probabilities = np.where(self.data >= 0, 1 / (1 + e), e / (1 + e))
        slope = probabilities * (1 - probabilities)  # d sigmoid(z) / dz
        return Tensor.record(probabilities, "sigmoid", (self, lambda g: g * slope))

    def relu(self) -> Tensor:
        on = self.data > 0  # the gradient passes only where the unit was on
        return Tensor.record(
            np.maximum(self.data, 0),
            "relu",
            (self, lambda g: g * on),
        )

    def mean(self) -> Tensor:
        n = self.data.size
        return Tensor.record(
            self.data.mean(),
            "mean",
            (self, lambda g: np.full(self.shape, g / n)),
        )

    def sum(self, axis: int | None = None) -> Tensor:
        def spread(g):  # every summed number moves the sum one for one
            return np.broadcast_to(
                g if axis is None else np.expand_dims(g, axis),
                self.shape,
            )

        return Tensor.record(self.data.sum(axis=axis), "sum", (self, spread))

    def __getitem__(self, batch) -> Tensor:
        def scatter(g):  # the gradient goes back to the rows the batch took
            grad = np.zeros_like(self.data)
            np.add.at(grad, batch, g)
            return grad

        return Tensor.record(self.data[batch], "[batch]", (self, scatter))

    # --8<-- [end:operations]

    # --8<-- [start:backward]
    def backward(self) -> None:
        """Add d self / d t to t.grad for every tensor t that requires grad (self is
        a loss)."""
        order = self.graph()
        for tensor in order:
            # an intermediate result: its gradient is for this call only
            if tensor.inputs:
                tensor.grad = None
        self.grad = np.ones_like(self.data)  # d loss / d loss = 1
        # from the loss back: each output before its inputs
        for tensor in reversed(order):
            if tensor.grad is None:
                continue
            for source, grad_fn in zip(tensor.inputs, tensor.grad_fns, strict=True):
                if source.requires_grad:  # the chain rule, one operation at a time
                    grad = np.array(grad_fn(tensor.grad), dtype=source.data.dtype)
                    if source.grad is None:
                        source.grad = grad
                    else:  # adds
                        source.grad = source.grad + grad

    # --8<-- [end:backward]

    def graph(self) -> list[Tensor]:
        """Return every tensor this one was computed from, and itself, inputs first."""
        order, seen = [], set()

        def visit(tensor: Tensor) -> None:
            if id(tensor) not in seen:
                seen.add(id(tensor))
                for source in tensor.inputs:
                    visit(source)
                order.append(tensor)

        visit(self)
        return order


def as_tensor(value, like: Tensor | None = None) -> Tensor:
    """Return value as a Tensor: a tensor as it is, an array or a number as a constant.

    A Python number next to a tensor takes the tensor's dtype, as it would in numpy:
    `1 - probabilities` stays float32.
    """
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, int | float):
        return Tensor(np.asarray(value, dtype=like.data.dtype))
    return Tensor(value)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Return grad summed back to shape: a number broadcast to many gets all their gradients."""
    while grad.ndim > len(shape):  # the bias () was added to every image: sum over them
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# --8<-- [start:where]
def where(condition, if_true, if_false) -> Tensor:
    """Return if_true where condition holds and if_false elsewhere, like
    torch.where."""
    condition = np.asarray(condition)
    if_true, if_false = as_tensor(if_true), as_tensor(if_false)
    return Tensor.record(
        np.where(condition, if_true.data, if_false.data),
        "where",
        (
            if_true,
            lambda g: unbroadcast(np.where(condition, g, 0), if_true.shape),
        ),
        (
            if_false,
            lambda g: unbroadcast(np.where(condition, 0, g), if_false.shape),
        ),
    )


# --8<-- [end:where]
