"""Central finite differences, to check gradients derived by hand."""

from __future__ import annotations

import numpy as np


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Return |a - n| / max(|a| + |n|, tiny), over all entries together."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / max(scale, 1e-300))


def numeric_grad(loss_fn, params: dict, name: str, indices, eps: float = 1e-6) -> np.ndarray:
    """Return (loss(p + eps) - loss(p - eps)) / (2 eps) for each chosen entry of params[name]."""
    grads = []
    for index in indices:
        original = params[name][index].copy()
        params[name][index] = original + eps
        plus = loss_fn(params)
        params[name][index] = original - eps
        minus = loss_fn(params)
        params[name][index] = original
        grads.append((plus - minus) / (2 * eps))
    return np.array(grads)
