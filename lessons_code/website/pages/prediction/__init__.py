"""What "How does the model predict?" (docs/prediction.md) states, in three parts: a score
from pixels and weights, the surest mistakes and the drawing pad's data (`score`); the
first step of training (`first_step`); gradient ascent on a blank image (`ascent`)."""

from lessons_code.website.pages.prediction import ascent, first_step, score

__all__ = ["ascent", "first_step", "score"]
