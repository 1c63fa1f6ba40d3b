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
# # Why multiply pixels by weights? (notebook)
#
# Pixel similarity, the `abs(value - ideal)` idea, next to the learned weights.

# %%
import numpy as np

from lessons_code import baseline, data, linear_model

mnist = data.load_threes_sevens()
similarity = baseline.pixel_similarity(mnist, "l1")
print(
    "pixel similarity: 3s", round(similarity.accuracy_3, 4), "7s", round(similarity.accuracy_7, 4)
)

# %% [markdown]
# A product lets each weight say how much, and in which direction, ink is evidence.
# A blank pixel contributes nothing: 0 × weight = 0.

# %%
weights = np.array([2.0, -2.0, 0.0])
for pixels in ([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]):
    print(pixels, "->", linear_model.linear1(np.array([pixels]), weights, 0.0)[0])

# %% [markdown]
# Train the linear model and compare.

# %%
run = linear_model.train(mnist)
print("linear model:", round(run.final_valid_accuracy, 4))
image = mnist.valid_x[0]
contributions = image * run.params["weights"]
print("inked pixels:", int((image > 0).sum()), "of 784")
print("score = sum of contributions + bias =", float(contributions.sum() + run.params["bias"]))
