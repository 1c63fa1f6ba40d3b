# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # From numpy to PyTorch (notebook)
#
# The chapter's steps on this site's numpy code: a rank-3 stack of images, broadcasting,
# reshape, and our `Learner`. Where PyTorch is installed, the last cells run the
# chapter's own PyTorch files (`docs_src/pytorch/` in the repository) on the same data
# and compare. Where it is not, they say so and the numpy side stands alone.

# %%
import importlib.util
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from lessons_code import arrays, baseline, data, linear_model, nn, summaries

mnist = data.load_threes_sevens()
threes = arrays.digit_images(mnist.train_x, mnist.train_y, 1.0)
stacked_threes = arrays.stack_digits(threes)
print("one image:", threes[0].shape, "rank", arrays.rank(threes[0]))
print("the stacked threes:", stacked_threes.shape, "rank", arrays.rank(stacked_threes))

# %% [markdown]
# Broadcasting: the distance of every validation 3 to the mean 3, with no loop.

# %%
mean3 = stacked_threes.mean(0)
valid_threes = arrays.stack_digits(arrays.digit_images(mnist.valid_x, mnist.valid_y, 1.0))
print(valid_threes.shape, "-", mean3.shape, "->", (valid_threes - mean3).shape)
ideal_3, _ = baseline.ideal_digits(mnist.train_x, mnist.train_y)
distances = baseline.mnist_distance(arrays.as_rows(valid_threes), ideal_3)
print("one distance per image:", distances.shape)

# %% [markdown]
# Our `Learner`, with gradients from our autograd's `backward()`, trains the linear model
# with the chapter's recipe. The per-epoch table is the one `lessons train` prints.

# %%
history = nn.fit(nn.linear1_model, mnist, linear_model.RECIPE)
print(summaries.format_history([asdict(stats) for stats in history]))

# %% [markdown]
# The chapter's PyTorch, if it is installed here. Its files are in the repository, in
# `docs_src/pytorch/`, so this cell looks for the repository above the notebook too.

# %%
repository = next((p for p in [Path.cwd(), *Path.cwd().parents] if (p / "docs_src").is_dir()), None)
if importlib.util.find_spec("torch") is None:
    print("PyTorch is not installed where this notebook ran: the cells above are the numpy")
    print("side alone. Install PyTorch and run it again to see the chapter's code beside it.")
elif repository is None:
    print("The chapter's PyTorch files (docs_src/pytorch/) are in the site's repository;")
    print("run this notebook inside a clone of it to see them beside the numpy side.")
else:
    sys.path.insert(0, str(repository))
    import torch

    from docs_src.pytorch import broadcasting, tensors

    as_bytes = [torch.from_numpy(np.rint(image * 255).astype(np.uint8)) for image in threes]
    stacked = tensors.stack_digits(as_bytes)
    print("PyTorch's stack:", tuple(stacked.shape), "rank", tensors.rank(stacked))
    print("the same numbers as numpy's:", np.array_equal(stacked.numpy(), stacked_threes))
    torch_mean3 = broadcasting.ideal_digit(stacked)
    print("largest difference of the mean 3s:", float(np.abs(torch_mean3.numpy() - mean3).max()))
