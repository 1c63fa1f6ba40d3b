"""The command line: JSON output, human output, and one clear line for every bad input."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lessons_code import __version__, cli, data, learner, linear_model, neural_net, summaries
from lessons_code.cli import ProgressBar, build_parser
from lessons_code.weights_file import load_model, load_weights, params_npz_bytes
from tests.support import REPO, cli_process, processes, run_cli

ROW = re.compile(r"^\s+\d+(\s+\d\.\d{4}){4}$")

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
    "bias",
    "saturated",
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
    assert isinstance(summary["bias"], float) and summary["saturated"] is False


def test_train_human_output_has_a_table_and_the_data_source():
    result = run_cli("train", "--epochs", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: bundled sample")
    header = lines.index(summaries.HEADER)  # after the data and the recipe, each fitted
    assert lines[header - 1].startswith(("recipe: ", "  "))
    assert len(lines) == header + 1 + 3 + 2
    assert max(map(len, lines)) <= summaries.WIDTH
    assert re.fullmatch(r"final valid accuracy: 0\.\d{4}, bias: -?\d+\.\d{4}", lines[-2])
    assert re.fullmatch(r"time: \d+\.\d ms per epoch \(its steps, then the loss .*\)", lines[-1])


DIGITS_KEYS = (SUMMARY_KEYS - {"bias", "saturated"}) | {  # ten biases, not one
    "model",
    "per_class_accuracy",
    "confusion_matrix",
    "most_confused",
}


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
    assert summaries.HEADER in lines
    start = next(n for n, line in enumerate(lines) if line.startswith("valid accuracy per"))
    assert lines[start].startswith("valid accuracy per digit: 0: ")
    assert lines[start + 1].split()[::2] == ["5:", "6:", "7:", "8:", "9:"]
    assert lines[start + 2].startswith("confusion matrix (rows: the true digit")
    assert lines[start + 3].split() == ["true", *map(str, range(10))]
    rows = lines[start + 4 : start + 14]
    assert [line.split()[0] for line in rows] == list(map(str, range(10)))
    assert lines[start + 14].startswith("most confused: ") and " called " in lines[start + 14]
    assert max(map(len, lines)) <= summaries.WIDTH


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
        (["train", "--batch-size", "100000"], "at most the 800 training images"),
        (["train-digits", "--batch-size", "100000"], "at most the 4,000 training images"),
        (["train-net", "--batch-size", "801"], "at most the 800 training images"),
        (["train", "--save", "weights.txt"], "ending in .npz"),
        (["train", "--save", "/no/such/folder/w.npz", "--epochs", "1"], "cannot write it"),
        # Found by tests/test_bad_arguments.py:
        (["train", "--lr", "1e300", "--epochs", "2"], "--lr: learning rate 1e+300 is too large"),
        (["train-net", "--lr", "1e30", "--epochs", "1"], "diverged"),
        (["train-digits", "--lr", "1e300", "--epochs", "1"], "diverged"),
        (["train", "--data-dir", "n" * 5000], "File name too long"),
        (["train", "line\nbreak"], "unrecognized arguments: line\\nbreak"),
        (["train", "--data-dir", "\x1b[31mred"], "--data-dir \\x1b[31mred is not a folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, says):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr


def test_baseline_on_a_folder_without_sevens_is_one_line(tmp_path):
    """Found by tests/test_bad_arguments.py: numpy warned "Mean of empty slice" and the
    baseline printed nan."""
    labels = data.idx_bytes(np.full(4, 3, dtype=np.uint8))
    images = data.idx_bytes(np.zeros((4, 784), dtype=np.uint8))
    for prefix in ("train", "t10k"):
        (tmp_path / f"{prefix}-images-idx3-ubyte").write_bytes(images)
        (tmp_path / f"{prefix}-labels-idx1-ubyte").write_bytes(labels)
    result = run_cli("baseline", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "found no 7s" in result.stderr


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
    by_script = processes.run([str(lessons), "apples-pears", "--json"], timeout=60)
    assert by_script.returncode == 0, by_script.stderr
    assert json.loads(by_script.stdout) == json.loads(run_cli("apples-pears", "--json").stdout)
    refused = processes.run([str(lessons), "train", "--lr", "0"], timeout=60)
    assert refused.returncode == 2 and "--lr" in refused.stderr


TRAINING = [
    ["train"],
    ["train-net"],
    ["train-digits", "--model", "linear"],
    ["train-digits", "--model", "net"],
]
"""Every training command: each gets the same rows, progress, Ctrl-C, closed pipe, --save."""
every_training_command = pytest.mark.parametrize("command", TRAINING, ids=" ".join)
FOREVER = ["--epochs", "100000000"]
"""A run that would never end by itself: only Ctrl-C, a closed pipe or a kill ends it."""


def rows_of(text: str) -> list[str]:
    """Return the epochs' rows among lines of output."""
    return [line for line in text.splitlines() if ROW.match(line)]


def first_rows(process, n: int) -> list[str]:
    """Return the first n rows a running training command prints, as they come."""
    rows = []
    while len(rows) < n:  # rows arrive while the run goes on: nothing waits for its end
        line = process.readline()
        assert line, process.finish()[1]
        rows += rows_of(line)
    return rows


@every_training_command
def test_ctrl_c_prints_the_rows_so_far_and_exits_130(command):
    """Each row appears as its epoch ends; Ctrl-C leaves them and one line, no traceback."""
    with cli_process(*command, *FOREVER) as process:
        rows = first_rows(process, 3)
        process.interrupt()
        out, err = process.finish(timeout=60)  # with what readline left buffered
    rows += rows_of(out)
    assert process.returncode == 130
    assert "Traceback" not in err
    (said,) = err.strip().splitlines()
    assert said == f"interrupted after epoch {len(rows)}"
    assert [int(row.split()[0]) for row in rows] == list(range(1, len(rows) + 1))


@every_training_command
def test_ctrl_c_with_json_prints_one_object_of_the_epochs_done(command):
    """On a terminal the bar says how far the run is: Ctrl-C once it shows."""
    with cli_process(*command, *FOREVER, "--json", terminal=True) as process:
        bar = process.stderr.until("/100,000,000 [")  # drawn as an epoch ends, after 1 s
        process.interrupt()
        out, err = process.finish(timeout=60)
    drawn = int(re.search(r"epoch ([\d,]+)/", bar)[1].replace(",", ""))
    assert process.returncode == 130 and "Traceback" not in err
    summary = json.loads(out)
    assert summary["interrupted_after_epoch"] == len(summary["history"]) >= drawn
    said = err.replace("\r\n", "\n").rpartition("\r")[2]  # after the bar was wiped
    assert said.strip() == f"interrupted after epoch {len(summary['history'])}"
    assert summary.get("model") == (command[-1] if "--model" in command else None)


@every_training_command
def test_ctrl_c_says_what_was_not_saved(command, tmp_path):
    saved = tmp_path / "model.npz"
    with cli_process(*command, *FOREVER, "--save", str(saved)) as process:
        first_rows(process, 1)
        process.interrupt()
        _, err = process.finish(timeout=60)
    assert process.returncode == 130 and not saved.exists()
    assert err.strip().endswith(f"; nothing saved to {saved}")


@every_training_command
def test_a_closed_pipe_ends_quietly(command):
    """`lessons train | head -2`: the reader goes away and nothing is said about it."""
    with cli_process(*command, *FOREVER) as process:
        head = [process.readline() for _ in range(2)]
        process.close_stdout()
        _, err = process.finish(timeout=60)
    assert head[0].startswith(("data: ", "model: "))
    assert process.returncode == 141 and err == ""


def test_a_child_left_running_is_killed_when_its_test_ends():
    """A test that fails while its child runs on must not leave the child behind."""
    with pytest.raises(TimeoutError), cli_process("train", *FOREVER) as process:
        pid = process.process.pid
        process.readline()
        process.stdout.until("never printed", timeout=1)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_signal_tests_pass_in_a_background_job():
    """`python -m pytest &` (or nohup, or a CI runner) starts pytest with SIGINT ignored,
    which its children inherit; the Ctrl-C tests must still pass, not hang."""
    ignoring = (
        "import signal, subprocess, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "sys.exit(subprocess.call(sys.argv[1:]))"
    )
    tests = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider"]
    tests += ["-q", "tests/test_cli.py", "-k", "ctrl_c and (train-net or linear)"]
    result = processes.run([sys.executable, "-c", ignoring, *tests], cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\b6 passed", result.stdout), result.stdout[-3000:]


def test_bare_lessons_prints_the_help():
    result = run_cli()
    assert result.returncode == 0 and result.stderr == ""
    for command in ("train", "train-net", "baseline", "apples-pears", "predict", "download"):
        assert command in result.stdout
    assert "`" not in result.stdout  # plain text, not Markdown


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"lessons {__version__}"


@pytest.mark.parametrize(
    ("command", "recipe"), [("train", linear_model.RECIPE), ("train-net", neural_net.RECIPE)]
)
def test_help_shows_each_commands_own_defaults(command, recipe):
    help_text = run_cli(command, "--help").stdout
    assert "`" not in help_text
    flat = " ".join(help_text.split())
    for flag, value in [
        ("--epochs", recipe.epochs),
        ("--lr", recipe.learning_rate),
        ("--batch-size", recipe.batch_size),
        ("--seed", recipe.seed),
    ]:
        assert re.search(rf"{flag} \S+ [^-]*\(default: {value}\)", flat), (flag, flat)
    assert "--data-dir DIR" in flat and "--json" in flat


def test_every_option_has_help():
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    for name, sub in commands.choices.items():
        for action in sub._actions:
            assert action.help, f"lessons {name} {action.option_strings or action.dest}"
        assert "`" not in sub.format_help(), f"lessons {name} --help shows Markdown"


def test_a_saturating_learning_rate_is_named_as_the_likely_cause():
    result = run_cli("train", "--lr", "1e10", "--epochs", "2")
    assert result.returncode == 0, result.stderr
    said = " ".join(line.strip() for line in result.stdout.splitlines())  # lines fitted
    last = said[said.rindex("final valid accuracy") :]
    assert "saturated" in last and last.endswith(
        "learning rate 1e+10 is the likely cause, try a smaller --lr"
    )
    summary = json.loads(run_cli("train", "--lr", "1e10", "--epochs", "2", "--json").stdout)
    assert summary["saturated"] is True
    healthy = run_cli("train", "--epochs", "2").stdout
    assert "saturated" not in healthy


SAVED = {
    "train": ("3 or 7", "linear"),
    "train-net": ("3 or 7", "net"),
    "train-digits --model linear": ("ten digits", "linear"),
    "train-digits --model net": ("ten digits", "net"),
}
"""The model each training command saves, as predict names it."""


def in_process_run(command: list[str], epochs: int) -> learner.TrainingRun:
    """Return the run `lessons COMMAND --epochs N` makes, trained here."""
    training = cli.TRAINING[" ".join(command)]
    mnist = training.load(data.SAMPLE_DIR)
    return training.train(mnist, replace(training.recipe, epochs=epochs, keep_chapter_steps=False))


@every_training_command
def test_save_writes_the_model_and_predict_scores_with_it(command, tmp_path):
    saved = tmp_path / "model.npz"
    result = run_cli(*command, "--epochs", "2", "--save", str(saved), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["saved_to"] == str(saved)
    run = in_process_run(command, epochs=2)
    assert saved.read_bytes() == params_npz_bytes(run.params)  # the same run, to the bit
    model = load_model(saved)
    assert (model.task, model.model) == SAVED[" ".join(command)]
    mnist = data.load_threes_sevens(data.SAMPLE_DIR)
    png = tmp_path / "digit.png"
    Image.fromarray((mnist.valid_x[0].reshape(28, 28) * 255).astype("uint8")).save(png)
    predicted = run_cli("predict", "--weights", str(saved), str(png), "--json")
    assert predicted.returncode == 0, predicted.stderr
    summary = json.loads(predicted.stdout)
    assert (summary["task"], summary["model"]) == (model.task, model.model)
    assert summary["verdict"] in (data.ALL_DIGITS if model.task == "ten digits" else "37")
    human = run_cli("predict", "--weights", str(saved), str(png)).stdout
    assert human.startswith(f"model: {summary['model_name']}\n")
    assert ("3-or-7" if model.task == "3 or 7" else "ten-digit") in summary["model_name"]
    assert f"the model says {summary['verdict']}" in human.splitlines()[-1]
    text = run_cli(*command, "--epochs", "1", "--save", str(saved)).stdout
    assert f"weights saved to {saved}" in text.splitlines()


def test_the_3_or_7_linear_model_saved_is_the_sites_format(tmp_path):
    saved = tmp_path / "weights.npz"
    assert run_cli("train", "--epochs", "3", "--save", str(saved)).returncode == 0
    weights, bias = load_weights(saved)  # what the site's notebook reads
    run = linear_model.train(data.load_threes_sevens(data.SAMPLE_DIR), learner.Recipe(epochs=3))
    np.testing.assert_array_equal(weights, run.params["weights"])
    assert bias == float(run.params["bias"])


@every_training_command
@pytest.mark.parametrize(
    ("save", "says"),
    [
        ("weights.txt", "ending in .npz"),
        ("no/such/folder/w.npz", "cannot write it (no such folder"),
        ("a-folder.npz", "found a folder"),
        ("/sys/w.npz", "cannot write it"),  # a folder nobody may write in, root included
    ],
)
def test_save_is_refused_before_any_training(command, save, says, tmp_path):
    """Checked first: a run of 100,000,000 epochs would otherwise end, then fail."""
    (tmp_path / "a-folder.npz").mkdir()
    if save.startswith("/sys") and not Path("/sys").is_dir():
        pytest.skip("no /sys on this system")
    target = save if save.startswith("/") else str(tmp_path / save)
    result = run_cli(*command, *FOREVER, "--save", target)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_after_a_while_and_wipes_itself():
    screen = Terminal()
    bar = ProgressBar(epochs=20, stream=screen, delay=0)
    bar.update(5)
    assert "epoch 5/20 [" in screen.getvalue() and "25%" in screen.getvalue()
    drawn = len(screen.getvalue())
    bar.clear()
    assert screen.getvalue()[drawn:] == "\r" + " " * drawn + "\r"
    quick = Terminal()
    ProgressBar(epochs=20, stream=quick, delay=60).update(5)  # a run under its delay
    piped = io.StringIO()
    ProgressBar(epochs=20, stream=piped, delay=0).update(5)  # not a terminal
    assert quick.getvalue() == piped.getvalue() == ""


@every_training_command
def test_on_a_terminal_the_bar_goes_to_stderr_and_stdout_stays_rows(command, monkeypatch, capsys):
    monkeypatch.delenv("LESSONS_DATA", raising=False)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0)  # as a run past its first second
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert cli.main([*command, "--data-dir", str(data.SAMPLE_DIR), "--epochs", "3"]) == 0
    assert "epoch 2/3 [" in screen.getvalue()
    assert screen.getvalue().endswith("\r")  # wiped: the terminal is left clean
    lines = capsys.readouterr().out.splitlines()
    head = lines.index(summaries.HEADER) + 1
    assert len(rows_of("\n".join(lines))) == 3
    assert all(ROW.match(line) for line in lines[head : head + 3])


@every_training_command
def test_rows_are_the_same_streamed_or_summarised(command):
    """The rows printed as epochs end are the rows of the finished run: same numbers."""
    rows = rows_of(run_cli(*command, "--epochs", "3").stdout)
    summary = json.loads(run_cli(*command, "--epochs", "3", "--json").stdout)
    assert len(rows) == 3
    for row, stats in zip(rows, summary["history"], strict=True):
        assert [float(v) for v in row.split()[1:]] == [
            round(stats[key], 4)
            for key in ("train_loss", "valid_loss", "train_accuracy", "valid_accuracy")
        ]


def test_the_readme_says_how_many_epochs_train_runs_on_the_sample():
    """The README said 20 epochs: on the sample it runs as many as make the chapter's steps."""
    recipe, n_train = linear_model.RECIPE, len(data.load_threes_sevens(data.SAMPLE_DIR).train_x)
    epochs = recipe.epochs_on(n_train)
    per_epoch = -(-n_train // recipe.batch_size)
    chapter_steps = recipe.epochs * -(-learner.MNIST_SAMPLE_TRAIN_SIZE // recipe.batch_size)
    readme = " ".join((REPO / "README.md").read_text().split())
    for said in (
        f"lr {recipe.learning_rate}, batch {recipe.batch_size}, and {recipe.epochs} epochs",
        f"chapter's {learner.MNIST_SAMPLE_TRAIN_SIZE:,} training images, which are "
        f"{chapter_steps:,} SGD steps",
        f"The sample's {n_train:,} training 3s and 7s make {per_epoch} steps an epoch, so on "
        f"the sample it runs {epochs} epochs, to take the chapter's {chapter_steps:,} steps",
    ):
        assert said in readme
    summary = json.loads(run_cli("train", "--json").stdout)
    assert (summary["epochs"], summary["steps"]) == (epochs, epochs * per_epoch)


def test_train_digits_offers_only_layouts_that_hold_ten_digits():
    flat = " ".join(run_cli("train-digits", "--help").stdout.split())
    data_dir = flat[flat.index("--data-dir DIR") :]
    assert "full MNIST" in data_dir and "MNIST_SAMPLE has only the 3s and 7s" in data_dir
    for command in ("train", "train-net", "baseline"):
        assert "MNIST_SAMPLE (train/3" in " ".join(run_cli(command, "--help").stdout.split())


def test_a_net_that_collapses_to_one_digit_gets_a_hint():
    """At lr 1e4 the ten-digit net calls every image the same digit, silently until now."""
    result = run_cli("train-digits", "--model", "net", "--lr", "1e4", "--epochs", "2")
    assert result.returncode == 0, result.stderr
    summary = json.loads(
        run_cli("train-digits", "--model", "net", "--lr", "1e4", "--epochs", "2", "--json").stdout
    )
    digit = summary["collapsed_to"]
    assert summary["confusion_matrix"][digit][digit] == sum(summary["confusion_matrix"][digit])
    hint = (
        f"the model calls every validation image a {digit}: it has collapsed to one answer, "
        f"whatever the image; the learning rate 10000 is the likely cause, try a smaller --lr"
    )
    assert hint in " ".join(line.strip() for line in result.stdout.splitlines())  # wrapped
    healthy = json.loads(run_cli("train-digits", "--epochs", "2", "--json").stdout)
    assert healthy["collapsed_to"] is None


def test_every_line_a_command_prints_fits_80_columns_and_keeps_its_words():
    """A terminal's 80 columns, and the Running page's code column, which shows the same
    lines: real MNIST's data line ran to 103 characters, the ten digits' to 124."""
    real = (
        "data: real MNIST (IDX files): 4,725 training images (2,369 threes, 2,356 sevens) "
        "and 2,038 validation images"
    )
    short = "epoch  train loss"
    fitted = summaries.fit([real, short]).splitlines()
    assert max(map(len, fitted)) <= summaries.WIDTH
    assert fitted[-1] == short and fitted[1].startswith("  ")  # continued, indented
    assert " ".join(line.strip() for line in fitted[:-1]) == real
    rows = summaries.per_digit("valid accuracy per digit:", [0.5] * 10)
    assert len(rows) == 2 and rows[1].index("5:") == rows[0].index("0:")
