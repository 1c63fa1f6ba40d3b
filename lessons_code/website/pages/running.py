"""What "Running the lessons" (docs/running.md) shows: the commands' output on this data."""

from __future__ import annotations

from lessons_code import linear_model, summaries
from lessons_code.website.register import numbers
from lessons_code.website.runs import Runs


@numbers("cli")
def cli_numbers(runs: Runs) -> dict:
    """Return what `lessons train`, `baseline`, `apples-pears` and `train-digits` print on
    this build's data (without the wall times)."""
    summary = summaries.run_summary(runs.mnist, runs.linear, linear_model.predict)
    return {
        "train": summaries.format_run(summary, timing=False),
        "baseline": summaries.format_baseline(summaries.baseline_summary(runs.mnist)),
        "apples_pears": summaries.format_apples_pears(summaries.apples_pears_summary(runs.story)),
        "train_digits": summaries.format_digits(
            summaries.digits_summary(runs.ten_digits, runs.ten_linear, "linear"), timing=False
        ),
    }
