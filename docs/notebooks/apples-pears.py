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

story = apples_pears.tell_story()  # the page's story, worked once
for guess in story.walk:
    print("apple", guess.prices[0], "pear", guess.prices[1], "->", guess.total, "cents")

# %% [markdown]
# One receipt fits a whole line of prices; two receipts fix them.

# %%
for apple in (0.0, 1.0, 2.0):
    print("apple", apple, "pear", float(apples_pears.pear_prices_fitting(story.receipt, apple)))
print("two receipts:", apples_pears.solve_prices(story.receipts[:2]))

# %% [markdown]
# Gradient descent from the forum's guess, in both shops. The first loss differs because
# the receipts differ: the second shop's totals include the bag fee. The page's contour
# map is the first shop's; its second half learns the prices and the fee together.

# %%
shops = (
    ("no fee", story.receipts, story.descent),
    ("bag fee", story.receipts_with_fee, story.descent_with_fee),
)
for shop, receipts, descent in shops:
    print(shop, "receipts:", [(r.quantities, r.total) for r in receipts])
    print("  loss from", round(descent.losses[0], 2), "to", descent.losses[-1])
    print("  prices", descent.prices[-1].round(4), "fee", round(descent.fees[-1], 4))
