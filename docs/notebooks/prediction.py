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
# # What is a prediction? (notebook)
#
# The image never changes. A prediction is one number per image: the sum of
# pixel × weight, plus the bias. Run each cell and see for yourself.

# %%
import numpy as np

from lessons_code import data, linear_model

mnist = data.load_threes_sevens()
print(mnist.source)
print("training images:", mnist.train_x.shape, "validation images:", mnist.valid_x.shape)

# %% [markdown]
# Score the first training image with random weights, as the chapter does first.

# %%
rng = np.random.default_rng(linear_model.RECIPE.seed)
params = linear_model.init_linear(rng)
image = mnist.train_x[:1]
score = linear_model.linear1(image, params["weights"], params["bias"])
print("random weights give the score", score[0], "so the guess is", "3" if score[0] > 0 else "7")
print("the label is", "3" if mnist.train_y[0] == 1 else "7")

# %% [markdown]
# Train with the chapter's recipe and score the same image again. The image is
# unchanged; only the weights and the bias moved.

# %%
image_before = image.copy()
run = linear_model.train(mnist)
score = linear_model.linear1(image, run.params["weights"], run.params["bias"])
print("trained weights give the score", score[0], "so the guess is", "3" if score[0] > 0 else "7")
print("image unchanged:", np.array_equal(image, image_before))
print("validation accuracy:", round(run.final_valid_accuracy, 4))

# %% [markdown]
# ## The site's weights, taken home
#
# The site exports the weights of this very run as `weights.npz` (and `model.json`).
# Put `weights.npz` next to this notebook to load it; without it, this cell trains
# again with the same recipe and seed, which gives the same weights.

# %%
from pathlib import Path

from lessons_code import weights_file

if Path("weights.npz").exists():
    weights, bias = weights_file.load_weights("weights.npz")
else:
    weights, bias = run.params["weights"].astype(float), float(run.params["bias"])
first_three = mnist.valid_x[mnist.valid_y == 1][0].astype(float)
score = linear_model.linear1(first_three, weights, bias)
print(f"score of the first validation 3: {score:.2f}")

# %% [markdown]
# On the page's drawing pad, "Pick a real validation image" shows this same image
# first, and the same score.
