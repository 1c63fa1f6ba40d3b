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
# # All ten digits (notebook)
#
# Ten scores per image, softmax, cross-entropy, and the chapter's SGD loop. Run each
# cell and see for yourself.

# %%
import numpy as np

from lessons_code import data, digits

mnist = data.load_digits()
print(mnist.source)
print("images of each digit in training:", np.bincount(mnist.train_y).tolist())

# %% [markdown]
# Softmax turns ten scores into ten probabilities that add up to 1, even for scores
# of ±1000. With two scores it is the sigmoid of their difference.

# %%
print(digits.softmax(np.array([[2.0, 1.0, 0.1, -1000.0, 1000.0]])).round(4))
print(digits.softmax(np.array([[1.0, 3.0]]))[0, 1], "=", 1 / (1 + np.exp(-(3.0 - 1.0))))

# %% [markdown]
# Chance, the nearest "ideal" digit, then the linear model 784 → 10.

# %%
print("chance:", digits.CHANCE)
for kind in ("l1", "l2"):
    print("nearest ideal digit,", kind, digits.nearest_ideal_baseline(mnist, kind).accuracy)
run = digits.train_linear(mnist)
for stats in run.history[::5] + run.history[-1:]:
    print(stats.epoch, round(stats.train_loss, 4), round(stats.valid_accuracy, 4))

# %% [markdown]
# Which digits does it confuse? Rows are the true digit, columns what the model said.

# %%
confusion = digits.confusion_matrix(digits.ten_predict(run.params, mnist.valid_x), mnist.valid_y)
print(confusion)
for true, said, count in digits.most_confused(confusion):
    print(f"a {true} called {said}: {count} times")

# %% [markdown]
# The "if you got 58%" mistakes: unscaled pixels and the two-class loss. (The two-layer
# net takes longer to train: `lessons train-digits --model net` runs it.)

# %%
unscaled = data.MnistData(
    mnist.train_x * 255, mnist.train_y, mnist.valid_x * 255, mnist.valid_y, "0 to 255"
)
print("pixels 0 to 255:", digits.train_linear(unscaled).final_valid_accuracy)
print("mnist_loss on ten scores:", digits.train_linear_two_class_loss(mnist).final_valid_accuracy)
