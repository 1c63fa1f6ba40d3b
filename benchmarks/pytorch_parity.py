"""PyTorch beside lessons_code, in numbers: for each pair of tests/support/pytorch_parity.py,
the largest difference in the scores, the loss and the gradients over one epoch from the
same weights and batches, and the validation accuracy of both. Target: at most 1e-5 each.

    python -m benchmarks.pytorch_parity [--data-dir ../shared/data/mnist]
"""

from __future__ import annotations

import argparse

from lessons_code import data, linear_model, neural_net
from tests.support import real_mnist

TARGET = 1e-5


def measure(data_dir=None) -> dict:
    """Return the data's source and each pair's Parity; None if torch is not installed."""
    try:
        from tests.support.pytorch_parity import PAIRS, parity
    except ImportError:
        return None
    mnist = data.load_threes_sevens(data_dir)
    recipes = {"linear": linear_model.RECIPE, "net": neural_net.RECIPE}
    return {
        "data_source": mnist.source,
        "pairs": {
            pair: parity(pair, mnist, recipes["linear" if pair.startswith("linear") else "net"])
            for pair in PAIRS
        },
    }


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=real_mnist())
    result = measure(parser.parse_args().data_dir)
    if result is None:
        print("pytorch: not installed (pip install torch==2.13.0), nothing to compare")
        return
    print(f"data: {result['data_source']}")
    print("pair          scores     loss       gradients  accuracy (ours, PyTorch)")
    for pair, found in result["pairs"].items():
        ours, theirs = found.accuracy
        worst = max(found.scores, found.loss, found.gradients, abs(ours - theirs))
        verdict = "meets" if worst <= TARGET else "MISSES"
        print(
            f"{pair:<12}  {found.scores:.2e}  {found.loss:.2e}  {found.gradients:.2e}   "
            f"{ours:.4f}, {theirs:.4f}  ({verdict} the target ≤ {TARGET:g})"
        )


if __name__ == "__main__":
    main()
