"""The main window as a user meets it: toggles, a real 2-epoch run on the worker thread, pause/resume/stop,
closing mid-run, errors, files, presets, saved runs and the one-click fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QSpinBox

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment import registry
from workbench.core.experiment.config import ConfigError, apply_overrides, load_experiment, save_experiment
from workbench.core.experiment.presets import presets_dir
from workbench.ui.app import build_window
from workbench.ui.controller import PAUSED, RUNNING, RunController
from workbench.ui.panels.runs_model import BEST, STATUS

STEP_TIMEOUT_MS = 30_000
RUN_TIMEOUT_MS = 60_000
LONG = {"train__epochs": 400, "train__batch_size": 4}  # a run that is still training when we act on it


def type_into(window, key: str, text: str) -> None:
    field = window.experiment.fields[key].widget
    field.setText(text)
    field.textEdited.emit(text)


def open_messages(window) -> list[str]:
    return [box.informativeText() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_the_window_opens_on_the_spiral_preset_ready_to_run(window):
    assert window.windowTitle().startswith("Spiral, healthy")
    assert window.experiment.fields["data.dataset"].value() == "spiral"
    assert window.run_action.isEnabled() and not window.stop_action.isEnabled()
    preview = window.experiment.preview
    assert preview.kind == "points" and preview.plot.isVisible() and not preview.message.isVisible()
    assert window.status.device.text() == f"device: {window.controller.device}"
    presets_shown = {action.data(): action.toolTip() for action in window.presets_menu.preset_actions()}
    assert "spiral" in presets_shown and "digits" in presets_shown
    assert "interleaved spirals" in presets_shown["spiral"]


def test_the_parameter_count_follows_the_network_builder(window, qtbot):
    count = window.experiment.parameter_count
    qtbot.waitUntil(lambda: "4,482 parameters" in count.text(), timeout=STEP_TIMEOUT_MS)  # 2 → 64 → 64 → 2
    builder = window.experiment.fields["model.hidden"]
    builder.add_layer()
    builder.set_width(2, 8)
    assert window.experiment.config.model.hidden == [64, 64, 8]
    builder.move_layer(2, -1)
    assert window.experiment.config.model.hidden == [64, 8, 64]
    builder.remove_layer(0)
    assert window.experiment.config.model.hidden == [8, 64]
    qtbot.waitUntil(lambda: "MLP 2 → 8 → 64 → 2 (730 parameters)" in count.text(), timeout=STEP_TIMEOUT_MS)


def test_toggles_change_the_experiment_and_their_choices_come_from_the_registry(window):
    panel = window.experiment
    activation = panel.fields["model.activation"].widget
    assert [activation.itemText(i) for i in range(activation.count())] == list(registry.ACTIVATIONS)
    activation.setCurrentText("tanh")
    panel.fields["data.shuffle"].widget.setChecked(False)
    panel.fields["data.augment"].boxes["noise"].setChecked(True)
    type_into(window, "train.lr", "3e-2")
    config = panel.config
    assert (config.model.activation, config.data.shuffle, config.data.augment, config.train.lr) == (
        "tanh", False, ["noise"], 0.03)
    assert config.meta.name == "Spiral, healthy"  # the loaded experiment's meta is kept


def test_invalid_edits_show_the_file_loaders_message_and_disable_run(window):
    type_into(window, "train.lr", "0")
    with pytest.raises(ConfigError) as loader:
        apply_overrides(window.experiment._base, {"train.lr": 0})
    assert window.experiment.problem_label.text() == loader.value.problems[0]
    assert window.experiment.problem_label.isVisible()
    assert not window.run_action.isEnabled()
    type_into(window, "train.lr", "0.001")
    assert window.experiment.problem_label.isHidden() and window.run_action.isEnabled()


def test_loading_an_experiment_keeps_the_network_rows_that_did_not_change(window):
    """Loading sets every field: rebuilding the unchanged width rows cost 6-8 ms of each load."""
    builder = window.experiment.fields["model.hidden"]
    boxes = builder.widget.findChildren(QSpinBox)
    window.set_experiment(window.experiment.config)
    assert builder.widget.findChildren(QSpinBox) == boxes and not any(box.isHidden() for box in boxes)
    builder.set_value([*builder.value(), 16])
    assert [box.value() for box in builder.widget.findChildren(QSpinBox) if box.isVisibleTo(builder.widget)] \
        == builder.value()


def test_rows_that_do_not_apply_are_hidden(window):
    panel = window.experiment
    assert panel.row_shown("data.noise")
    panel.fields["data.dataset"].widget.setCurrentText("digits")
    assert not panel.row_shown("data.noise")
    assert not panel.row_shown("train.momentum")
    panel.fields["train.optimizer"].widget.setCurrentText("momentum")
    assert panel.row_shown("train.momentum")


def test_a_two_epoch_run_shows_its_curves_gradients_row_and_status(window, tiny, run_to_end, summary_of):
    run = run_to_end(tiny())
    assert run.status == "completed"
    points = window.plots.curve_point_counts()
    assert points["train_loss"] == points["val_acc"] == 2
    assert points["step_loss"] > 2
    assert window.plots.gradient_curve_count() == 3  # two hidden layers and the output layer
    name, _started, status, best, _size, diagnosis = window.runs.row_texts(run)
    assert (name, status) == ("tiny moons", "completed")
    assert best.endswith("%") and float(best.rstrip("%")) > 50
    assert diagnosis == (", ".join(f.id for f in run.findings) or "healthy")
    assert window.status.epoch.text() == "epoch 2/2"
    assert window.status.eta.text().startswith("completed in")
    assert window.session.selected == [run]
    assert summary_of(run.directory)["status"] == "completed"
    assert window.run_action.isEnabled()


def test_pause_resume_and_stop(window, qtbot, tiny, summary_of):
    window.set_experiment(tiny(**LONG))
    window.run_action.trigger()
    controller = window.controller
    qtbot.waitUntil(lambda: controller.latest_step is not None, timeout=STEP_TIMEOUT_MS)
    qtbot.waitUntil(lambda: "steps/s" in window.status.speed.text(), timeout=STEP_TIMEOUT_MS)
    assert window.status.eta.text().startswith("ETA ")
    window.pause_action.trigger()
    assert controller.state == PAUSED and window.pause_action.text() == "Res&ume"
    run = controller.active_run
    # said at once, and kept at every refresh: no frozen speed or time left
    assert (window.status.speed.text(), window.status.eta.text()) == ("paused", "ETA: paused")
    assert window.runs.row_texts(run)[STATUS] == "paused"
    qtbot.wait(150)  # let the step under way finish
    steps = len(run.history.step_loss)
    qtbot.wait(300)
    assert len(run.history.step_loss) == steps  # nothing trains while paused
    assert (window.status.speed.text(), window.status.eta.text()) == ("paused", "ETA: paused")
    window.pause_action.trigger()
    assert controller.state == RUNNING
    assert window.runs.row_texts(run)[STATUS] == "running"
    qtbot.waitUntil(lambda: len(run.history.step_loss) > steps, timeout=STEP_TIMEOUT_MS)
    qtbot.waitUntil(lambda: "steps/s" in window.status.speed.text(), timeout=STEP_TIMEOUT_MS)
    assert window.status.eta.text().startswith("ETA ") and "paused" not in window.status.eta.text()
    with qtbot.waitSignal(controller.run_ended, timeout=STEP_TIMEOUT_MS):
        window.stop_action.trigger()
    assert window.runs.row_texts(run)[STATUS] == "stopped"
    assert summary_of(run.directory)["status"] == "stopped"


def test_the_wait_for_pytorch_message_goes_once_the_run_starts(qtbot, tiny):
    window = build_window(None)
    qtbot.addWidget(window)
    window.set_experiment(tiny())
    window.show()
    assert not window.controller.is_ready  # torch loads once the window has painted
    window.run_action.trigger()  # as a quick user would
    assert window.status.currentMessage() == "Training starts as soon as PyTorch has loaded…"
    with qtbot.waitSignal(window.controller.run_ended, timeout=STEP_TIMEOUT_MS):
        qtbot.waitSignal(window.controller.run_started, timeout=STEP_TIMEOUT_MS).wait()
        assert window.status.currentMessage() == "Training tiny moons"
    window.close()


def test_closing_mid_run_stops_it_and_leaves_a_complete_run_directory(window, qtbot, tiny, summary_of):
    window.set_experiment(tiny(**LONG))
    window.run_action.trigger()
    qtbot.waitUntil(lambda: window.controller.latest_step is not None, timeout=STEP_TIMEOUT_MS)
    run_dir = Path(window.controller.active_run.directory)
    window.close()
    summary = summary_of(run_dir)
    assert summary["status"] == "stopped"
    assert (run_dir / "config.toml").is_file() and (run_dir / "metrics.csv").is_file()
    assert load_experiment(run_dir / "config.toml").train.epochs == LONG["train__epochs"]


def test_a_dataset_that_cannot_be_loaded_is_explained_and_the_app_stays_usable(
        window, qtbot, tiny, tmp_path, run_to_end):
    missing = tmp_path / "nowhere.csv"
    run = run_to_end(tiny(data__dataset="csv", data__path=str(missing), data__target="label"))
    assert run.status == "failed"
    messages = open_messages(window)
    assert len(messages) == 1 and str(missing) in messages[0] and "Traceback" not in messages[0]
    assert window.runs.row_texts(run)[STATUS] == "failed"
    assert run_to_end(tiny()).status == "completed"  # the next run works


def test_save_and_open_an_experiment(window, tmp_path, monkeypatch):
    saved = tmp_path / "mine.toml"
    type_into(window, "train.epochs", "7")
    monkeypatch.setattr(window.dialogs, "save_path", lambda suggested: str(saved))
    window.save_action.trigger()
    assert load_experiment(saved) == window.experiment.config
    other = tmp_path / "other.toml"
    save_experiment(apply_overrides(load_experiment(saved), {"train.lr": 0.5, "meta.name": "other"}), other)
    monkeypatch.setattr(window.dialogs, "open_path", lambda folder: str(other))
    window.open_action.trigger()
    assert window.experiment.fields["train.lr"].widget.text() == "0.5"
    assert window.windowTitle().startswith("other")
    assert QSettings().value("files/folder") == str(tmp_path)


def test_opening_a_broken_file_lists_its_problems_and_keeps_the_experiment(window, tmp_path, monkeypatch):
    broken = tmp_path / "broken.toml"
    broken.write_text('[data]\ndataset = "spirals"\n[train]\nlr = -1\n', encoding="utf-8")
    monkeypatch.setattr(window.dialogs, "open_path", lambda folder: str(broken))
    window.open_action.trigger()
    (message,) = open_messages(window)
    assert "data.dataset" in message and "did you mean 'spiral'" in message and "train.lr" in message
    assert window.experiment.config.data.dataset == "spiral"


@pytest.fixture
def cure_presets(tmp_path, monkeypatch, tiny_tables):
    """The presets folder holds the spiral preset the app opens on and a failure case with its cure."""
    folder = tmp_path / "presets"
    folder.mkdir()
    shutil.copy(presets_dir() / "spiral.toml", folder)
    failure = ('[meta]\nname = "Too fast"\ndescription = "A learning rate far too high."\n'
               'expect = ["lr_too_high"]\nfixed_by = "too-fast-fixed"\n')
    (folder / "too-fast.toml").write_text(failure + tiny_tables, encoding="utf-8")
    (folder / "too-fast-fixed.toml").write_text('[meta]\nname = "Just right"\n' + tiny_tables, encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_PRESETS_DIR", str(folder))
    return folder


def test_a_preset_from_the_menu_shows_its_expectation_and_after_a_run_its_cure(
        cure_presets, window, qtbot, run_to_end):
    (action,) = [action for action in window.presets_menu.preset_actions() if action.data() == "too-fast"]
    assert action.toolTip() == ("A learning rate far too high.\nExpected diagnosis: lr_too_high\n"
                                "Cure: too-fast-fixed")
    action.trigger()
    assert window.windowTitle().startswith("Too fast")
    assert "A learning rate far too high." in window.banner.text.text() and window.banner.isVisible()
    assert window.diagnosis.expected.text() == "Expected: lr_too_high — not found yet"
    assert window.banner.cure_button.isHidden()
    run = run_to_end()
    found = "lr_too_high" in {finding.id for finding in run.findings}
    assert window.diagnosis.expected.text() == f"Expected: lr_too_high — {'found ✓' if found else 'not found ✗'}"
    assert window.banner.cure_button.text() == "Run the cure and compare: too-fast-fixed"
    with qtbot.waitSignal(window.controller.run_ended, timeout=STEP_TIMEOUT_MS) as ended:
        window.banner.cure_button.click()
    assert window.windowTitle().startswith("Just right")
    cure = ended.args[0]
    assert cure.config.name == "Just right" and window.session.selected == [cure, run]
    overlay = window.plots.curve_point_counts()
    assert overlay["Too fast / val_acc"] == overlay["Just right / val_acc"] == cure.history.epochs_run


def test_the_fix_button_reruns_with_the_fix_and_overlays_both_runs(window, qtbot, tiny, run_to_end):
    first = run_to_end(tiny())
    finding = Finding("lr_too_high", "error", "Loss jumps", "loss rose 3 times", "Lower the rate.",
                      fix={"train.lr": 0.005})
    with qtbot.waitSignal(window.controller.run_ended, timeout=STEP_TIMEOUT_MS) as ended:
        window.diagnosis.fix_requested.emit(finding)
    fixed = ended.args[0]
    assert fixed.config.train.lr == 0.005 and fixed.config.train.seed == first.config.train.seed
    assert fixed.config.name == "tiny moons + fix for lr_too_high"
    assert window.session.selected == [fixed, first]
    overlay = window.plots.curve_point_counts()
    assert overlay["tiny moons / val_acc"] == overlay["tiny moons + fix for lr_too_high / val_acc"] == 2
    assert window.plots.gradient_curve_count() == 3  # the per-layer plots follow the cure
    assert window.experiment.config.train.lr == 0.005  # the panel shows what was run


def test_saved_runs_are_listed_and_a_damaged_one_shows_its_warning(qtbot, tiny, tmp_path, monkeypatch):
    from workbench.core.rundir.layout import runs_root
    from workbench.core.training.engine import Run

    good = runs_root() / "20250101-000000-good"
    Run(tiny(**{"meta__name": "saved run"}), run_dir=good).fit()
    damaged = runs_root() / "20250101-000001-damaged"
    damaged.mkdir(parents=True)
    (damaged / "summary.json").write_text("{ not json", encoding="utf-8")
    window = build_window(None)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.controller.ready, timeout=STEP_TIMEOUT_MS):
        window.show()
    qtbot.waitUntil(lambda: len(window.session.runs) == 2, timeout=STEP_TIMEOUT_MS)
    by_name = {entry.name: entry for entry in window.session.runs}
    saved = by_name["saved run"]
    assert window.runs.row_texts(saved)[STATUS] == "completed"
    broken_row = window.runs.row_texts(by_name[damaged.name])
    assert broken_row[STATUS].startswith("⚠")
    window.session.select([saved])
    assert window.plots.curve_point_counts()["val_loss"] == 2
    assert window.plots.gradient_curve_count() == 3
    plots = window.plots
    plots.tabs.setCurrentIndex(plots._boundary_tab)  # read back from boundary.npz: grid and points
    assert plots.tabs.isTabVisible(plots._boundary_tab) and plots.boundary.has_image
    assert plots.boundary.point_count == 160  # the 200 moons less the validation fifth
    window.close()


def test_the_window_keeps_its_size_and_docks_between_sessions(qtbot):
    first = build_window(None)
    qtbot.addWidget(first)
    first.show()
    for dock in first.dock_layout.docks[1:]:  # the diagnosis and runs docks; without them the window fits the
        dock.hide()                # test platform's 800 px screen, which a restored window is kept within
    qtbot.wait(10)  # the layout's minimum follows on the next event-loop turn
    first.resize(first.minimumSizeHint().width() + 10, first.minimumSizeHint().height() + 10)
    size = (first.width(), first.height())
    first.close()
    second = build_window(None)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == size
    assert [dock.isVisible() for dock in second.dock_layout.docks] == [True, False, False]
    second.close()


def test_shortcuts_are_on_the_run_controls(window):
    shortcuts = {action.text(): action.shortcut().toString() for action in
                 (window.run_action, window.pause_action, window.stop_action)}
    assert shortcuts == {"&Run": "F5", "&Pause": "F6", "&Stop": "Shift+F5"}


def test_starting_a_run_while_one_trains_stops_that_one_first(qtbot, tiny, summary_of):
    controller = RunController()
    with qtbot.waitSignal(controller.ready, timeout=STEP_TIMEOUT_MS):
        controller.warm_up()
    ended = []
    controller.run_ended.connect(lambda run, outcome: ended.append(run))
    controller.start(tiny(**LONG))
    qtbot.waitUntil(lambda: controller.latest_step is not None, timeout=STEP_TIMEOUT_MS)
    controller.start(tiny(meta__name="second"))
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=STEP_TIMEOUT_MS)
    assert [(run.config.name, run.status) for run in ended] == [("tiny moons", "stopped"), ("second", "completed")]
    assert [summary_of(run.directory)["status"] for run in ended] == ["stopped", "completed"]
    controller.deleteLater()


def test_the_window_paints_before_torch_is_imported(tmp_path):
    """The launch budget (1 s to the first painted window) holds only if torch loads after the paint."""
    program = (
        "import sys\n"
        "from workbench.ui.app import build_window, create_application\n"
        "app = create_application()\n"
        "window = build_window(None)\n"
        "window.first_painted.connect(lambda: (print('torch' in sys.modules), app.quit()))\n"
        "window.show()\n"
        "app.exec()\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.stdout.strip() == "False", result.stderr[-2000:]


def test_older_runs_leave_memory_and_come_back_when_shown(window, tiny, run_to_end):
    window.session.resident_histories = 2
    oldest, *newer = [run_to_end(tiny(meta__name=f"run {index}")) for index in range(4)]
    assert all(run.model is None and run.data is None for run in [oldest, *newer])  # released at the end
    # the newest is selected; of the others, the newest two keep their history in memory
    assert [run.history_resident for run in [oldest, *newer]] == [False, True, True, True]
    assert window.runs.row_texts(oldest)[BEST].endswith("%")  # the row still shows its best accuracy
    window.session.select([oldest])
    assert window.plots.curve_point_counts()["train_loss"] == 2  # read back from its run directory
    assert [card.finding.id for card in window.diagnosis.cards] == [finding.id for finding in oldest.findings]
    assert [run.history_resident for run in [oldest, *newer]] == [True, False, True, True]


def test_a_disk_that_fails_is_told_once_and_the_run_can_be_saved_elsewhere(
        window, tiny, run_to_end, summary_of, tmp_path, monkeypatch):
    from workbench.core.rundir import writer

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "write_text_atomic", disk_full)
    run = run_to_end(tiny(train__epochs=3))
    monkeypatch.undo()
    assert run.status == "completed" and run.history.epochs_run == 3  # trained on, in memory
    told = [text for text in open_messages(window) if "No space left on device" in text]
    assert len(told) == 1 and "Save run to folder" in told[0]
    assert window.runs.row_texts(run)[STATUS] == "⚠ completed"
    actions = window.selection_actions
    assert actions.save_run.isEnabled() and not actions.export_script.isEnabled()
    assert not run.evict_history()  # memory holds its only copy

    monkeypatch.setattr(window.dialogs, "export_folder", lambda *_: str(tmp_path / "elsewhere"))
    actions.save_run.trigger()
    assert run.directory == tmp_path / "elsewhere" / run.directory.name
    assert summary_of(run.directory)["status"] == "completed" and summary_of(run.directory)["epochs_run"] == 3
    assert window.runs.row_texts(run)[STATUS] == "completed"
    assert actions.export_script.isEnabled() and not actions.save_run.isEnabled()
    assert window.status.currentMessage().startswith("Saved tiny moons in")


def test_while_a_fix_is_tested_the_run_says_so(window, qtbot, tiny):
    """Training is over but a short run of the leading fix trains (verified diagnosis): the panel, the runs
    list and the status bar say which, instead of a finished run whose cards then change unannounced; Pause
    holds the probe like the run, and when it ends the run reads as it finished."""
    window.set_experiment(tiny(**{"train.optimizer": "sgd", "train.lr": 10.0, "train.epochs": 20,
                                  "data.n_samples": 1000, "train.verify_fixes": True}))
    window.run_action.trigger()
    controller = window.controller
    run = controller.active_run
    qtbot.waitUntil(lambda: run.testing is not None, timeout=RUN_TIMEOUT_MS)
    window.pause_action.trigger()
    probe = run.testing
    assert probe is not None, "the probe ended before it could be held: make it longer"
    assert (probe.finding_id, probe.index, probe.total, probe.epochs) == ("lr_too_high", 1, 1, 10)
    qtbot.waitUntil(lambda: window.diagnosis.message.text().startswith("Testing the fix"), timeout=STEP_TIMEOUT_MS)
    assert "in a short run of 10 epochs (1 of 1)" in window.diagnosis.message.text()
    # the live refresh that notices a probe starting leaves the cards and the Runs list to a later turn, after
    # its plots have painted: both in one turn were one stall of 57-60 ms for a run that ends in its first second
    window.live_run._testing_shown = None
    heard = []
    window.session.updated.connect(heard.append)
    window.live_run.refresh()
    assert heard == []
    qtbot.waitUntil(lambda: run in heard, timeout=STEP_TIMEOUT_MS)  # (other updates of the run may come too)
    window.session.updated.disconnect(heard.append)
    assert window.runs.row_texts(run)[STATUS] == "testing fixes"
    assert window.status.speed.text() == "testing fix 1 of 1"
    with qtbot.waitSignal(controller.run_ended, timeout=RUN_TIMEOUT_MS):
        window.pause_action.trigger()
    assert run.testing is None and run.findings[0].confidence == "verified"
    assert not window.diagnosis.message.text().startswith("Testing")
    assert window.runs.row_texts(run)[STATUS] == "completed"
    assert window.status.eta.text().startswith("completed in")
