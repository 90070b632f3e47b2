"""The Compare view and the export actions over real (tiny) runs: what a user sees and what gets written."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from workbench.core.experiment.config import apply_overrides, parse_experiment
from workbench.core.reports.comparison import format_metric
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.ui.export_actions import export_run_script, export_runs
from workbench.ui.panels import compare
from workbench.ui.panels.compare import SAME_SETTINGS, CompareView

EVIL_NAME = "<b>bold</b> & co"
TINY = ('[data]\ndataset = "moons"\nn_samples = 200\n[model]\nhidden = [8]\n'
        '[train]\nepochs = 2\nbatch_size = 32\nlr = 0.01\ndevice = "cpu"\n')


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare-view")
    base = parse_experiment(TINY, default_name="plain")
    directories = []
    for name, overrides in (("plain", {}), (EVIL_NAME, {"train.lr": 0.05, "model.hidden": [8, 8]})):
        directory = root / f"run{len(directories)}"
        Run(apply_overrides(base, {"meta.name": name, **overrides}), run_dir=directory).fit()
        directories.append(directory)
    return directories


@pytest.fixture
def view(qtbot, run_dirs):
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.set_runs([load_run(directory) for directory in run_dirs])
    return widget


def cell(table, row, column) -> str:
    return table.item(row, column).text()


def test_the_view_shows_curves_gradients_metrics_and_only_the_differing_settings(view, run_dirs):
    assert view.heading.text() == "Comparing 2 runs"
    assert view.curves.curve_count() == 4  # validation and training per run
    assert "&lt;b&gt;bold&lt;/b&gt;&nbsp;&amp;&nbsp;co" in view.curves.key.text()  # as text, not as markup
    assert [plot.curve_count for plot in view.gradient_plots] == [2, 3]  # hidden layers + output
    metrics = view.metrics_table
    assert [cell(metrics, row, 0) for row in range(metrics.rowCount())] == ["plain", EVIL_NAME]
    headers = [metrics.horizontalHeaderItem(c).text() for c in range(metrics.columnCount())]
    summary = load_run(run_dirs[1]).summary
    assert cell(metrics, 1, headers.index("Val acc")) == format_metric("final_val_acc", summary["final"]["val_acc"])
    assert cell(metrics, 1, headers.index("Epochs")) == "2"
    ids = ", ".join(finding["id"] for finding in summary["diagnosis"]) or "healthy"
    assert cell(metrics, 1, headers.index("Diagnosis")) == ids
    diff = view.diff_table
    assert [cell(diff, row, 0) for row in range(diff.rowCount())] == ["model.hidden", "train.lr"]
    assert [cell(diff, 1, column) for column in (1, 2)] == ["0.01", "0.05"]
    assert view.diff_note.isHidden()


def test_identical_settings_say_so_and_an_unreadable_run_is_named(qtbot, run_dirs, tmp_path):
    widget = CompareView()
    qtbot.addWidget(widget)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    widget.set_runs([load_run(run_dirs[0]), load_run(run_dirs[0]), load_run(damaged)])
    assert widget.heading.text() == "Comparing 2 runs"
    assert widget.diff_table.rowCount() == 0 and widget.diff_note.text() == SAME_SETTINGS
    assert widget.status.text() == "Left out (unreadable): damaged"


def test_export_button_writes_the_chosen_format(view, qtbot, tmp_path):
    view.ask_path = lambda parent, caption, start, filters: (str(tmp_path / "runs"), "CSV table (*.csv)")
    with qtbot.waitSignal(view.exported) as signal:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert signal.args == [tmp_path / "runs.csv"]
    with open(tmp_path / "runs.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["run"], row["epoch"]) for row in rows] == [("plain", "1"), ("plain", "2"),
                                                          (EVIL_NAME, "1"), (EVIL_NAME, "2")]
    assert view.status.text() == f"Wrote {tmp_path / 'runs.csv'}"


def test_a_cancelled_dialog_writes_nothing_and_a_failure_is_reported(run_dirs, tmp_path):
    assert export_runs(None, run_dirs, ask_path=lambda *args: ("", "")) is None
    errors = []
    gone = tmp_path / "gone"
    written = export_runs(None, [run_dirs[0], gone], ask_path=lambda *args: (str(tmp_path / "r.html"), ""),
                          report_error=lambda parent, message: errors.append(message))
    assert written is None and not (tmp_path / "r.html").exists()
    assert errors == [f"{gone} is not a run directory (no such folder)."]


def test_clone_emits_the_selected_runs_config(view, qtbot):
    view.metrics_table.selectRow(1)
    with qtbot.waitSignal(view.clone_requested) as signal:
        qtbot.mouseClick(view.clone_button, Qt.MouseButton.LeftButton)
    config = signal.args[0]
    assert config.name == EVIL_NAME and config.train.lr == 0.05 and config.train.seed == 0


def test_export_run_script_writes_a_python_file(run_dirs, tmp_path):
    asked = []

    def dialog(parent, caption, start, filters):
        asked.append(start)
        return str(tmp_path / "retrain"), filters

    written = export_run_script(None, run_dirs[0], ask_path=dialog)
    assert asked[0].endswith("plain.py")
    assert written == tmp_path / "retrain.py"
    assert written.read_text().startswith('# Standalone PyTorch script of the Workbench run "plain".')


def header_texts(table) -> list[str]:
    """The visible column titles, left to right."""
    header = table.horizontalHeader()
    return [table.horizontalHeaderItem(header.logicalIndex(visual)).text() for visual in range(table.columnCount())
            if not table.isColumnHidden(header.logicalIndex(visual))]


def test_accuracies_lead_the_metrics_and_a_column_no_run_has_is_hidden(view, qtbot, run_dirs):
    assert header_texts(view.metrics_table)[:6] == [
        "Run", "Val acc", "Best val acc", "Test acc", "Train acc", "Diagnosis"]
    runs = [load_run(directory) for directory in run_dirs]
    for run in runs:
        run.summary["final"].pop("test_acc")  # as a run of a dataset without a test split
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.set_runs(runs)
    assert header_texts(widget.metrics_table)[:5] == ["Run", "Val acc", "Best val acc", "Train acc", "Diagnosis"]


def test_a_diverged_runs_huge_loss_reads_as_a_short_number(qtbot, run_dirs):
    diverged = load_run(run_dirs[0])
    diverged.summary["final"]["train_loss"] = 4772361500884992000.0  # the lr-too-high preset's epoch 1
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.set_runs([diverged, load_run(run_dirs[1])])
    headers = header_texts(widget.metrics_table)
    column = [widget.metrics_table.horizontalHeaderItem(c).text() for c in range(widget.metrics_table.columnCount())]
    assert "Train loss" in headers
    assert cell(widget.metrics_table, 0, column.index("Train loss")) == "4.8e18"
    assert cell(widget.metrics_table, 1, column.index("Train loss")).count(".") == 1  # a sane loss: 0.6931


def test_a_long_run_name_leaves_room_for_the_accuracies(qtbot, run_dirs):
    """Sized to "XOR, PReLU, normal init of std 1 + fix for bad_initialization", the Run column pushed the
    accuracies out of sight (under Xvfb/xcb): it is capped and elides in the middle, the whole name in its tooltip."""
    long_name = "XOR, PReLU, normal init of std 1 + fix for bad_initialization, run again with a longer name"
    runs = [load_run(directory) for directory in run_dirs]
    runs[1].summary["name"] = long_name
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.set_runs(runs)
    table = widget.metrics_table
    names = [cell(table, row, 0) for row in range(table.rowCount())]
    assert names[1].startswith("XOR, PReLU") and table.columnWidth(0) <= compare.RUN_COLUMN_MAX_WIDTH
    assert long_name in table.item(1, 0).toolTip() and str(run_dirs[1]) in table.item(1, 0).toolTip()
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    short = CompareView()
    qtbot.addWidget(short)
    short.set_runs([load_run(run_dirs[0])])
    assert short.metrics_table.columnWidth(0) < compare.RUN_COLUMN_MAX_WIDTH  # a short name keeps its own width


def test_the_compare_view_shrinks_to_fit_between_the_side_panels(view):
    assert view.minimumSizeHint().width() <= 560  # 1400 px window less the two side panels' 770
