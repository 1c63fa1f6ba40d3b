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
# # Training (notebook)
#
# The chapter's recipe, epoch by epoch, and the learning rate changed.

# %%
from dataclasses import replace

from lessons_code import data, linear_model

mnist = data.load_threes_sevens()
run = linear_model.train(mnist)
print(len(mnist.train_x), "training images:", run.epochs, "epochs,", run.steps, "steps")
for stats in run.history[:: max(1, run.epochs // 10)] + run.history[-1:]:
    print(stats.epoch, round(stats.train_loss, 4), round(stats.valid_accuracy, 4))

# %% [markdown]
# The same model with other learning rates: the four the site's page compares (change them
# to try your own).

# %%
from lessons_code.website.runs import LEARNING_RATES

for learning_rate in LEARNING_RATES:
    other = linear_model.train(mnist, replace(linear_model.RECIPE, learning_rate=learning_rate))
    print("lr", learning_rate, "-> valid accuracy", round(other.final_valid_accuracy, 4))
