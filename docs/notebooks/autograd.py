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
# # What autograd does (notebook)
#
# Our own autograd, `lessons_code.autograd`: tensors that remember how they were made,
# `backward()`, and `.grad`. Nothing here needs PyTorch.

# %%
import numpy as np

from lessons_code import data, linear_model, nn
from lessons_code.autograd import Tensor

x = Tensor(np.array([3.0, 4.0, 10.0]), requires_grad=True)
y = (x**2).sum()
y.backward()
print("x.grad =", x.grad, "(the slope of x**2 is 2x)")

# %% [markdown]
# The graph the chapter's loss records, on the first four training images.

# %%
mnist = data.load_threes_sevens()
model = nn.linear1_model(np.random.default_rng(linear_model.RECIPE.seed))
images = Tensor(mnist.train_x[:4], name="images")
loss = nn.mnist_loss(model(images), mnist.train_y[:4])
for tensor in loss.graph():
    what = tensor.op or tensor.name or f"constant {tensor.data}"
    print(f"{what:>10}  shape {tensor.shape}  requires_grad={tensor.requires_grad}")

# %% [markdown]
# `backward()` gives the hand-derived gradients...

# %%
loss.backward()
params = {"weights": model.weights.data, "bias": model.bias.data}
_, by_hand = linear_model.calc_grad(params, mnist.train_x[:4], mnist.train_y[:4])
print("bias.grad:", model.bias.grad, "by hand:", by_hand["bias"])
print("largest weight difference:", np.abs(model.weights.grad - by_hand["weights"]).max())

# %% [markdown]
# ... and adds them to `.grad`. A second `backward()` without zeroing doubles it.

# %%
once = model.bias.grad.copy()
nn.calc_grad(images, mnist.train_y[:4], model)
print("after a second backward():", model.bias.grad, "=", model.bias.grad / once, "x the first")
