"""Run → Sanity check and Run → Find learning rate…: the verdict, the curve and "Use this rate"."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from workbench.core.experiment import derived
from workbench.core.training.lr_finder import LrFinderResult
from workbench.ui.lr_finder_dialog import LrFinderDialog

CHECK_TIMEOUT_MS = 60_000


def test_the_lr_finder_dialog_marks_the_suggestion_and_use_this_rate_sets_train_lr(window, qtbot, tiny):
    window.set_experiment(tiny())
    checks = window.checks
    assert checks.lr_find_action.isEnabled() and checks.lr_find_action in window.run_menu.actions()
    checks.lr_find_action.trigger()
    assert not checks.lr_find_action.isEnabled()  # one check at a time
    qtbot.waitUntil(lambda: checks.lr_dialog is not None and checks.lr_dialog.isVisible(), timeout=CHECK_TIMEOUT_MS)
    dialog = checks.lr_dialog
    result = dialog.result
    assert result.suggestion is not None and dialog.rate == float(f"{result.suggestion:.2g}")
    plot = dialog.plot.getPlotItem()
    assert plot.ctrl.logXCheck.isChecked()  # loss against the rate on a log axis
    names = [item.name() for item in plot.listDataItems()]
    assert names[:2] == ["loss", "smoothed loss"] and names[2].startswith("suggested ") and result.rule in names[2]
    assert "rule: " in dialog.summary.text() and "The experiment's learning rate now: 0.02." in dialog.summary.text()
    assert dialog.use_button.isEnabled() and checks.lr_find_action.isEnabled()
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert window.experiment.fields["train.lr"].value() == dialog.rate
    assert window.experiment.config.train.lr == dialog.rate  # the experiment as edited: the next run uses it
    run_config = derived.edited(window.experiment.config, window.experiment.loaded_config)
    assert run_config.name == "tiny moons (edited: train.lr)"  # a hand edit: Run names it so


def test_the_sanity_check_shows_its_verdict_in_a_message(window, qtbot, tiny):
    window.set_experiment(tiny(**{"model.init": "zeros"}))
    window.checks.sanity_action.trigger()
    qtbot.waitUntil(lambda: window.checks.sanity_box is not None and window.checks.sanity_box.isVisible(),
                    timeout=CHECK_TIMEOUT_MS)
    box = window.checks.sanity_box
    assert box.text() == "Sanity check failed"
    assert "identical weights" in box.informativeText()
    assert "What it suggests: bad_initialization" in box.informativeText()
    box.close()


def test_a_test_where_every_rate_diverged_offers_no_rate(qtbot):
    result = LrFinderResult(np.array([1e-7]), np.array([np.nan]), np.array([np.nan]), None, "", diverged_at=1e-7,
                            message="Every rate tried diverged: the loss was nan at the first step.")
    dialog = LrFinderDialog(result, "broken", 0.01)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.use_button.isEnabled() and dialog.rate is None
    assert dialog.summary.text().startswith("Every rate tried diverged")
