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
# # Apples and pears (notebook)
#
# Finding prices from receipts is finding weights from images.

# %%
from lessons_code import apples_pears

for guess in apples_pears.guessing_walk():
    print("apple", guess.prices[0], "pear", guess.prices[1], "->", guess.total, "cents")

# %% [markdown]
# One receipt fits a whole line of prices; two receipts fix them.

# %%
story = apples_pears.make_receipts([apples_pears.STORY_BASKET])[0]
for apple in (0.0, 1.0, 2.0):
    print("apple", apple, "pear", float(apples_pears.pear_prices_fitting(story, apple)))
print("two receipts:", apples_pears.solve_prices(apples_pears.make_receipts()[:2]))

# %% [markdown]
# Gradient descent learns the prices and the bag fee (the bias) together.

# %%
receipts = apples_pears.make_receipts(fee=apples_pears.BAG_FEE)
descent = apples_pears.descend(receipts, learn_fee=True)
print("prices", descent.prices[-1].round(4), "fee", round(descent.fees[-1], 4))
print("loss from", round(descent.losses[0], 2), "to", descent.losses[-1])
