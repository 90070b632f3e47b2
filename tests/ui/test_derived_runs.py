"""Runs made from another experiment say what they are: a one-click fix is never labelled, judged or
exported as the failure it cures, and a preset edited by hand is not run under the preset's name."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.core.diagnosis.finding import Finding
from workbench.ui import language
from workbench.ui.app import build_window
from workbench.ui.panels import diagnosis as diagnosis_panel

STEP_TIMEOUT_MS = 60_000
FAILURE = {"meta.name": "Too fast", "meta.description": "A learning rate far too high.",
           "meta.expect": ["lr_too_high"], "meta.fixed_by": "too-fast-fixed", "meta.group": "learning_rate"}
LOWER_RATE = Finding("lr_too_high", "error", "Loss jumps", "loss rose 3 times", "Lower the rate.",
                     fix={"train.lr": 0.005})


def test_a_fix_run_is_named_described_and_exported_as_the_fix(window, qtbot, tiny, run_to_end, summary_of,
                                                              tmp_path, monkeypatch):
    failure = run_to_end(tiny(**FAILURE))
    assert window.banner.cure_button.isVisible()  # the failure's run offers its cure
    with qtbot.waitSignal(window.controller.run_ended, timeout=STEP_TIMEOUT_MS) as ended:
        window.diagnosis.fix_requested.emit(LOWER_RATE)
    fixed = ended.args[0]
    assert fixed.name == "Too fast + fix for lr_too_high"
    assert summary_of(fixed.directory)["name"] == fixed.name
    assert fixed.config.meta.expect == [] and fixed.config.meta.fixed_by == "" and fixed.config.meta.group == ""
    assert window.runs.row_texts(fixed)[0] == fixed.name
    # the banner describes the fix, expects nothing and offers no cure; the panel judges nothing
    banner = window.banner.text.text()
    assert "with the fix for lr_too_high: train.lr = 0.005" in banner
    assert "far too high" not in banner and "Expected" not in banner
    assert window.banner.cure_button.isHidden()
    assert window.diagnosis.expected.isHidden() and "not found" not in window.diagnosis.expected.text()
    assert window.session.selected == [fixed, failure]

    monkeypatch.setattr(window.dialogs, "export_file",
                        lambda parent, caption, start, filters: (str(tmp_path / "fixed.py"), filters))
    window.selection_actions.export_script.trigger()
    script = (tmp_path / "fixed.py").read_text(encoding="utf-8")
    assert script.startswith('# Standalone PyTorch script of the Workbench run "Too fast + fix for lr_too_high".')
    assert "'description': 'Too fast with the fix for lr_too_high: train.lr = 0.005.'" in script
    assert "far too high" not in script and "'expect': []" in script


def test_a_preset_edited_by_hand_runs_under_a_name_that_says_what_changed(window, tiny, run_to_end):
    window.set_experiment(tiny(**FAILURE))
    window.experiment.fields["model.activation"].widget.setCurrentText("tanh")
    lr = window.experiment.fields["train.lr"].widget
    lr.setText("0.05")
    lr.textEdited.emit("0.05")
    edited = run_to_end()
    assert edited.name == "Too fast (edited: model.activation, train.lr)"
    assert edited.config.model.activation == "tanh" and edited.config.train.lr == 0.05
    assert edited.config.meta.expect == [] and "set by hand" in edited.config.meta.description
    assert window.banner.cure_button.isHidden()  # an edited run is not the preset's: no cure offered
    assert window.diagnosis.expected.isHidden()
    unchanged = run_to_end(tiny(**FAILURE))  # loaded again, not edited: the preset's own name
    assert unchanged.name == "Too fast"


def test_a_fix_run_says_what_the_fix_did_and_one_that_did_worse_offers_the_original_settings_back(
        window, qtbot, tiny, run_to_end):
    healthy = run_to_end(tiny(**{"meta.name": "Fits"}))
    crawl = Finding("lr_too_high", "warning", "Loss jumps", "loss rose", "Lower the rate.", fix={"train.lr": 1e-7})
    with qtbot.waitSignal(window.controller.run_ended, timeout=STEP_TIMEOUT_MS) as ended:
        window.diagnosis.fix_requested.emit(crawl)
    crawled = ended.args[0]
    qtbot.waitUntil(lambda: window.diagnosis.fix_result.isVisible(), timeout=STEP_TIMEOUT_MS)
    result = window.diagnosis.fix_result.text()
    assert result.startswith("The fix for lr_too_high lowered validation accuracy from ") and "against “Fits”" in result
    assert window.diagnosis.back_button.text() == "Back to the original settings"
    assert window.diagnosis.back_button.toolTip() == "Back to the settings of “Fits”"
    # a button does not wrap: it fits the panel at its narrowest, whatever the original's name
    assert window.diagnosis.back_button.sizeHint().width() < diagnosis_panel.PANEL_MIN_WIDTH
    language.use_language("zh_CN")  # the sentence follows the language, as the cards do
    try:
        qtbot.waitUntil(lambda: window.diagnosis.back_button.toolTip() == "回到“Fits”的设置")
        assert window.diagnosis.back_button.text() == "回到原来的设置"
        assert "lr_too_high 的修复把验证准确率从" in window.diagnosis.fix_result.text()
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: window.diagnosis.fix_result.text() == result)
    qtbot.mouseClick(window.diagnosis.back_button, Qt.MouseButton.LeftButton)
    assert window.experiment.config == healthy.config  # the editor holds the original's settings again
    # the original, shown alone, is no fix: nothing to say about one
    window.session.select([healthy])
    assert window.diagnosis.fix_result.isHidden() and window.diagnosis.back_button.isHidden()
    window.session.select([crawled])
    assert window.diagnosis.fix_result.isVisible()


def test_a_fix_run_read_back_after_a_restart_is_judged_against_its_original_again(qtbot, tiny):
    from workbench.core.rundir.layout import runs_root
    from workbench.core.rundir.summary import FixFor
    from workbench.core.training.engine import Run

    original = Run(tiny(**{"meta.name": "Fits"}), run_dir=runs_root() / "20250101-000000-fits").fit()
    Run(tiny(**{"meta.name": "Fits + fix for lr_too_high", "train.lr": 1e-7}),
        run_dir=runs_root() / "20250101-000001-fits-fix", fix_for=FixFor(original.directory, "lr_too_high")).fit()
    window = build_window(None)  # the app opened again: both runs are read from their run directories
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.controller.ready, timeout=STEP_TIMEOUT_MS):
        window.show()
    qtbot.waitUntil(lambda: len(window.session.runs) == 2, timeout=STEP_TIMEOUT_MS)
    by_name = {entry.name: entry for entry in window.session.runs}
    window.session.select([by_name["Fits + fix for lr_too_high"]])
    assert window.diagnosis.fix_result.isVisible()
    assert window.diagnosis.fix_result.text().startswith("The fix for lr_too_high lowered validation accuracy from ")
    qtbot.mouseClick(window.diagnosis.back_button, Qt.MouseButton.LeftButton)
    assert window.experiment.config == by_name["Fits"].config
    window.close()
