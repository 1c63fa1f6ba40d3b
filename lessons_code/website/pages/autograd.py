"""What "Autograd from scratch" (docs/autograd.md) states: our autograd's gradients beside
the hand-derived ones, our Learner's runs, and the graph it records for a loss."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lessons_code import linear_model, neural_net, nn
from lessons_code.autograd import Tensor
from lessons_code.website import style
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs

GRAPH_BATCH = 4
"""How many training images the computational-graph figure runs through linear1, as the
chapter's `batch = train_x[:4]`."""


def loss_graph(runs: Runs) -> Tensor:
    """Return mnist_loss(linear1(images)) of the first training images, with its graph."""
    model = nn.linear1_model(np.random.default_rng(linear_model.RECIPE.seed))
    images = Tensor(runs.mnist.train_x[:GRAPH_BATCH], name="images")
    return nn.mnist_loss(model(images), runs.mnist.train_y[:GRAPH_BATCH])


SEED_EXAMPLE = (3.0, 4.0, 10.0)
"""The chapter's `xt = tensor([3.,4.,10.])`, whose squares it sums before backward()."""


@numbers("backward_seed")
def backward_seed_numbers(runs: Runs) -> dict:
    """Return the gradient of xt**2 summed, and of its mean, by our autograd: backward()
    starts from one number."""
    grads = {}
    for name in ("sum", "mean"):
        xt = Tensor(np.array(SEED_EXAMPLE), requires_grad=True)
        getattr(xt**2, name)().backward()
        grads[name] = as_list(xt.grad)
    return {"xt": as_list(SEED_EXAMPLE), "n": len(SEED_EXAMPLE), **grads}


def as_list(values) -> str:
    """Return numbers as a page shows a short tensor: "[6, 8, 20]", "[2, 2.667, 6.667]"."""
    return "[" + ", ".join(f"{float(value):.4g}" for value in values) + "]"


@numbers("autograd")
def autograd_numbers(runs: Runs) -> dict:
    """Our autograd's gradients beside the hand-derived ones, in float64, on this data."""
    mnist, seed = runs.mnist, linear_model.RECIPE.seed
    n_images = linear_model.RECIPE.batch_size
    xb, yb = mnist.train_x[:n_images].astype(np.float64), mnist.train_y[:n_images].astype(float)

    def float64(params: dict) -> dict:
        return {name: value.astype(np.float64) for name, value in params.items()}

    start = float64(linear_model.init_linear(np.random.default_rng(seed)))
    _, by_hand = linear_model.calc_grad(start, xb, yb)
    model = nn.Linear(start["weights"], start["bias"])
    nn.calc_grad(xb, yb, model)
    net_start = float64(neural_net.init_net(np.random.default_rng(seed)))
    _, net_by_hand = neural_net.calc_grad(net_start, xb, yb)
    net = nn.Sequential(
        nn.Linear(net_start["w1"], net_start["b1"]),
        nn.ReLU(),
        nn.Linear(net_start["w2"], net_start["b2"]),
    )
    nn.calc_grad(xb, yb, net)
    net_difference = max(
        float(np.abs(p.grad - net_by_hand[name]).max())
        for name, p in zip(("w1", "b1", "w2", "b2"), net.parameters(), strict=True)
    )

    twice = nn.Linear(start["weights"], start["bias"])  # the chapter's batch = train_x[:4]
    nn.calc_grad(xb[:GRAPH_BATCH], yb[:GRAPH_BATCH], twice)
    once = {"weights_mean": float(twice.weights.grad.mean()), "bias": float(twice.bias.grad)}
    nn.calc_grad(xb[:GRAPH_BATCH], yb[:GRAPH_BATCH], twice)
    histories = runs.learner_histories
    return {
        "batch_size": n_images,
        "batch_threes": int((yb == 1).sum()),
        "graph_batch": GRAPH_BATCH,
        "parameters": len(model.weights.data) + 1,
        "bias_grad_by_hand": float(by_hand["bias"]),
        "bias_grad_autograd": float(model.bias.grad),
        "weights_grad_mean_by_hand": float(by_hand["weights"].mean()),
        "weights_grad_mean_autograd": float(model.weights.grad.mean()),
        "linear_largest_difference": max(
            float(np.abs(model.weights.grad - by_hand["weights"]).max()),
            abs(float(model.bias.grad - by_hand["bias"])),
        ),
        "net_parameters": sum(p.data.size for p in net.parameters()),
        "net_largest_difference": net_difference,
        "once_weights_grad_mean": once["weights_mean"],
        "once_bias_grad": once["bias"],
        "twice_weights_grad_mean": float(twice.weights.grad.mean()),
        "twice_bias_grad": float(twice.bias.grad),
        "twice_over_once": float(twice.bias.grad) / once["bias"],
        "learner_linear_final_valid_accuracy": histories["linear"][-1].valid_accuracy,
        "learner_net_final_valid_accuracy": histories["net"][-1].valid_accuracy,
        "learner_linear_identical_epochs": sum(
            a == b for a, b in zip(histories["linear"], runs.linear.history, strict=True)
        ),
        "learner_net_identical_epochs": sum(
            a == b for a, b in zip(histories["net"], runs.net.history, strict=True)
        ),
    }


OPERATION_LABELS = {"-": "−", "where": "where\n(targets\n== 1)"}


def _graph_label(tensor: Tensor) -> str:
    """Return what a node of the graph says: its name or operation, then its shape."""
    if tensor.op:
        title = OPERATION_LABELS.get(tensor.op, tensor.op)
    else:
        title = tensor.name or f"{tensor.data.item():g}"
    lines = [title, str(tuple(tensor.shape))]
    if tensor.requires_grad and not tensor.inputs:
        lines.append("requires_grad")
    return "\n".join(lines)


def _graph_layout(order: Sequence[Tensor]) -> dict[int, tuple[float, float]]:
    """Return (column, row) for each tensor: operations left to right in the order they
    ran, each tensor we made in the column before the operation that reads it."""
    column: dict[int, int] = {}
    for tensor in order:
        if tensor.inputs:
            column[id(tensor)] = 1 + max(column.get(id(source), 0) for source in tensor.inputs)
    for tensor in order:
        if not tensor.inputs:
            readers = [column[id(t)] for t in order if any(s is tensor for s in t.inputs)]
            column[id(tensor)] = min(readers) - 1
    place = {}
    for col in sorted(set(column.values())):
        here = [t for t in order if column[id(t)] == col]
        operations = [t for t in here if t.inputs]
        made = [t for t in here if not t.inputs]
        for t in operations:
            place[id(t)] = (float(col), 0.0)
        rows = [1.1, -1.1, 2.2] if operations else [0.65, -0.65, 1.95]
        for t, row in zip(made, rows, strict=False):
            place[id(t)] = (float(col), row)
    return place


@figure("computational-graph", inputs=lambda runs: (loss_graph(runs),))
def computational_graph(loss: Tensor) -> Figure:
    """Return the graph our autograd recorded for a loss: what was computed from what."""
    order = loss.graph()
    place = _graph_layout(order)
    flow, aside = np.array([1.0, 0.0]), np.array([0.0, -1.0])  # left to right, arcs below
    if style.narrow():  # down the page: the columns become rows, arcs on the left
        place = {key: (row, -column) for key, (column, row) in place.items()}
        flow, aside = np.array([0.0, -1.0]), np.array([-1.0, 0.0])
    steps = [t for t in order if t.inputs]
    leaves = [t for t in order if not t.inputs]
    learned = [t.name for t in leaves if t.requires_grad]
    first = steps[0]
    inputs = " and the ".join(f"{t.name or 'constant'} {tuple(t.shape)}" for t in first.inputs)
    chain = "; then ".join(
        f"{_graph_label(t).splitlines()[0]} gives shape {tuple(t.shape)}" for t in steps[1:]
    )
    figure = style.new_figure(
        3.2,
        0.95 * (max(abs(y) for _, y in place.values()) + 2),
        f"The computational graph our autograd recorded while computing "
        f"mnist_loss(linear1(images)) for {first.shape[0]} training images. Boxes are "
        f"tensors; an arrow goes from each tensor to the operation that read it. The "
        f"{inputs} go into @, which gives {tuple(first.shape)}, one score per image; then "
        f"{chain}: the loss, one number. The {' and the '.join(learned)} were made with "
        f"requires_grad (blue boxes): backward() follows the arrows in reverse, from the "
        f"loss back to them, and fills their .grad.",
    )
    ax = figure.add_subplot()
    width, height = (0.92, 0.8) if style.narrow() else (0.9, 0.74)
    for tensor in order:
        x, y = place[id(tensor)]
        wanted = tensor.requires_grad and not tensor.inputs
        ax.add_patch(
            mpl.patches.FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.02",
                facecolor="none",
                edgecolor=style.BLUE if wanted else mpl.rcParams["axes.edgecolor"],
                linewidth=2.2 if wanted else 1.0,
                linestyle="-" if tensor.inputs or wanted else "--",
            )
        )
        label = _graph_label(tensor) + ("\nthe loss" if tensor is loss else "")
        ax.text(x, y, label, ha="center", va="center", fontsize=style.SMALLEST_TEXT_PT)
    for tensor in steps:
        for source in tensor.inputs:
            start, end = np.array(place[id(source)]), np.array(place[id(tensor)])
            direction = end - start
            if direction @ aside == 0 and direction @ flow > 1:  # past another box: arc by it
                offset = aside * (width if aside[0] else height) / 2  # to the box's edge
                start, end = start + offset, end + offset
                connection = "arc3,rad=0.35"
            else:  # from the box's edge to the next box's edge
                reach = 1.04 * min(
                    width / 2 / abs(direction[0]) if direction[0] else np.inf,
                    height / 2 / abs(direction[1]) if direction[1] else np.inf,
                )
                start, end = start + direction * reach, end - direction * reach
                connection = "arc3"
            ax.annotate(
                "",
                xy=end,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": style.ink(),
                    "linewidth": 1.1,
                    "connectionstyle": connection,
                },
            )
    columns = [x for x, _ in place.values()]
    rows = [y for _, y in place.values()]
    ax.set_xlim(min(columns) - 0.5, max(columns) + 0.5)
    ax.set_ylim(min(rows) - 0.9, max(rows) + 0.5)
    ax.set_axis_off()
    ax.set_title(
        style.wrapped("forward: the arrows;  backward(): the same arrows in reverse, from the loss")
    )
    ax.text(
        0.5,
        0.0,
        "blue: made with requires_grad, gets a .grad"
        + ("\n" if style.narrow() else "      ")
        + "dashed: data or a constant, no .grad",
        transform=ax.transAxes,
        ha="center",
        fontsize=style.SMALLEST_TEXT_PT,
    )
    return figure
