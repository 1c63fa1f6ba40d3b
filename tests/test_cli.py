"""The command line: JSON output, human output, and one clear line for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import run_cli

SUMMARY_KEYS = {
    "train_size",
    "valid_size",
    "data_source",
    "learning_rate",
    "batch_size",
    "epochs",
    "seed",
    "history",
    "final_valid_accuracy",
    "seconds_per_epoch",
}
HISTORY_KEYS = {"epoch", "train_loss", "valid_loss", "train_accuracy", "valid_accuracy"}


@pytest.mark.parametrize("command", ["train", "train-net"])
def test_train_json_is_one_object_with_the_promised_keys(command):
    result = run_cli(command, "--epochs", "2", "--seed", "3", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)  # exactly one JSON document, nothing else
    assert set(summary) >= SUMMARY_KEYS
    assert summary["epochs"] == 2 and summary["seed"] == 3
    assert [set(row) for row in summary["history"]] == [HISTORY_KEYS] * 2
    assert summary["final_valid_accuracy"] == summary["history"][-1]["valid_accuracy"]
    assert "bundled sample" in summary["data_source"]
    assert summary["seconds_per_epoch"] > 0


def test_train_human_output_has_a_table_and_the_data_source():
    result = run_cli("train", "--epochs", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: bundled sample")
    assert "valid acc" in lines[2]
    assert len(lines) == 3 + 3 + 2
    assert lines[-2].startswith("final valid accuracy: 0.")
    assert lines[-1].endswith("ms per epoch (median)")


DIGITS_KEYS = SUMMARY_KEYS | {"model", "per_class_accuracy", "confusion_matrix", "most_confused"}


@pytest.mark.parametrize("model", ["linear", "net"])
def test_train_digits_json_has_ten_digits_and_a_confusion_matrix(model):
    result = run_cli("train-digits", "--model", model, "--epochs", "2", "--seed", "1", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) >= DIGITS_KEYS and summary["model"] == model
    assert (summary["train_size"], summary["valid_size"]) == (4000, 1000)
    assert summary["epochs"] == 2 and summary["seed"] == 1 and summary["batch_size"] == 256
    assert [set(row) for row in summary["history"]] == [HISTORY_KEYS] * 2
    confusion = summary["confusion_matrix"]
    assert len(confusion) == 10 and all(len(row) == 10 for row in confusion)
    assert sum(map(sum, confusion)) == 1000
    correct = sum(confusion[digit][digit] for digit in range(10))
    assert correct / 1000 == pytest.approx(summary["final_valid_accuracy"])
    assert len(summary["per_class_accuracy"]) == 10
    assert summary["per_class_accuracy"][3] == pytest.approx(confusion[3][3] / sum(confusion[3]))
    first = summary["most_confused"][0]
    assert first["count"] == max(confusion[t][s] for t in range(10) for s in range(10) if t != s)


def test_train_digits_defaults_to_each_models_recipe():
    from lessons_code import digits

    for model, recipe in (("linear", digits.LINEAR_RECIPE), ("net", digits.NET_RECIPE)):
        summary = json.loads(
            run_cli("train-digits", "--model", model, "--epochs", "1", "--json").stdout
        )
        assert summary["learning_rate"] == recipe.learning_rate, model


def test_train_digits_human_output():
    result = run_cli("train-digits", "--epochs", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "model: linear" and lines[1].startswith("data: bundled sample")
    assert "valid acc" in lines[3]
    assert lines[-14].startswith("valid accuracy per digit: 0: ")
    assert lines[-13].startswith("confusion matrix (rows: the true digit")
    assert lines[-12].split() == ["true", *map(str, range(10))]
    assert [line.split()[0] for line in lines[-11:-1]] == list(map(str, range(10)))
    assert lines[-1].startswith("most confused: ") and " called " in lines[-1]


@pytest.mark.parametrize(("model", "bar"), [("linear", 0.91), ("net", 0.96)])
def test_train_digits_on_real_mnist(real_mnist_folder, model, bar):
    result = run_cli(
        "train-digits", "--model", model, "--data-dir", str(real_mnist_folder), "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["train_size"], summary["valid_size"]) == (22_699, 10_000)
    assert summary["final_valid_accuracy"] >= bar
    assert sum(map(sum, summary["confusion_matrix"])) == 10_000


def test_baseline_json():
    summary = json.loads(run_cli("baseline", "--json").stdout)
    assert set(summary["l1"]) == {"accuracy_3", "accuracy_7", "accuracy"}
    assert 0.5 < summary["l1"]["accuracy"] <= 1


def test_apples_pears_output():
    result = run_cli("apples-pears")
    assert result.returncode == 0, result.stderr
    assert "-> 33 cents" in result.stdout and "-> 8.25 cents" in result.stdout
    summary = json.loads(run_cli("apples-pears", "--json").stdout)
    assert [guess["total"] for guess in summary["walk"]] == [33.0, 8.25, 7.0]
    assert summary["learned_prices"] == pytest.approx([1.0, 2.0], abs=1e-3)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["train", "--epochs", "-1"], "--epochs"),
        (["train", "--epochs", "ten"], "--epochs"),
        (["train", "--lr", "abc"], "--lr"),
        (["train", "--lr", "0"], "--lr"),
        (["train-net", "--batch-size", "0"], "--batch-size"),
        (["train", "--seed", "-2"], "--seed"),
        (["train", "--data-dir", "/no/such/folder"], "/no/such/folder"),
        (["train-digits", "--epochs", "0"], "--epochs"),
        (["train-digits", "--lr", "-1"], "--lr"),
        (["train-digits", "--model", "net", "--batch-size", "0"], "--batch-size"),
        (["train-digits", "--model", "cnn"], "invalid choice"),
        (["train-digits", "--data-dir", "/no/such/folder"], "/no/such/folder"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, says):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr


def test_train_digits_on_the_threes_and_sevens_only_names_the_missing_digits(tmp_path):
    for split in ("train", "valid"):
        for digit in ("3", "7"):
            (tmp_path / split / digit).mkdir(parents=True)
    result = run_cli("train-digits", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "lacks the digits 0, 1, 2, 3, 4, 5, 6, 7, 8, 9" in result.stderr


def test_console_script_runs_the_same_cli():
    """`lessons` (the installed command) and `python -m lessons_code` are one program."""
    lessons = Path(sys.executable).with_name("lessons")
    assert lessons.is_file(), f"{lessons}: is the project installed (pip install -e .)?"
    by_script = subprocess.run(
        [str(lessons), "apples-pears", "--json"], capture_output=True, text=True, timeout=60
    )
    assert by_script.returncode == 0, by_script.stderr
    assert json.loads(by_script.stdout) == json.loads(run_cli("apples-pears", "--json").stdout)
    refused = subprocess.run(
        [str(lessons), "train", "--lr", "0"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "--lr" in refused.stderr
