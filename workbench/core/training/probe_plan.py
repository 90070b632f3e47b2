"""Which findings a short run can test, and the probes that test them: the fix applied (or, for a fault a
toggle injected into the data, the injection taken out), the probes together at most half of the run's epochs.
verify.py runs them; probe_judgement.py judges the findings by what they measured."""

from __future__ import annotations

import math

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ConfigError, ExperimentConfig, apply_overrides
from workbench.core.experiment.values import format_value

CANDIDATES = 2  # leading findings whose fix is tested
# The probes together train this share of the planned epochs, split evenly between them (each at least
# MIN_PROBE_EPOCHS): they cost at most half of the run itself. A lone candidate gets all of it, which is what
# lets its probe tell a fault that cost accuracy from one that only slowed training (see Effect.cost_no_accuracy).
PROBE_BUDGET = 0.5
MIN_PROBE_EPOCHS = 2
# What a short run cannot show: these appear only late in training.
LATE_FAULTS = ("overfitting", "late_collapse", "label_noise")
# What validation accuracy cannot judge: a fix that saves wall-clock time trains the same model.
NOT_ABOUT_ACCURACY = ("slow_training",)
# Faults that validation accuracy cannot see, so a short run cannot judge their fixes by it: a test set unlike
# what training covered (validation is drawn from the training pool), training labels unlike validation's
# (validation is already fine; the fix shows in the training loss).
VALIDATION_BLIND = ("distribution_shift", "train_val_mismatch")
UNTESTABLE = (*LATE_FAULTS, *NOT_ABOUT_ACCURACY, *VALIDATION_BLIND)  # never probed
# Faults of the data itself among them: no probe can test them, and a verified fix of what they cause does not
# make them any less the cause (diagnosis benchmark, seed 0's tune split: label noise and training labels
# unlike validation's lost first place to the plateau and the learning rate their noise brought about).
DATA_FAULTS = ("label_noise", "train_val_mismatch", "distribution_shift")


def probe_epochs(config: ExperimentConfig, probes: int) -> int:
    """The epochs each of `probes` probes trains."""
    share = PROBE_BUDGET / max(1, probes)
    return min(config.train.epochs, max(MIN_PROBE_EPOCHS, math.ceil(share * config.train.epochs)))


def injection_off(finding: Finding, config: ExperimentConfig) -> dict:
    """The settings that take out what a toggle injected into the training data, where `finding` is such a
    fault of the data and the toggle is on; else {}. Its fix (early stopping for noisy labels) is one that
    works on real data, which a short run cannot judge, but the experiment without the injection measures
    what the fault cost (diagnosis benchmark: labels made 20-40% noisy on sets whose classes barely overlap
    cost nothing at three seeds, yet were warnings on 3-4 of about 220 healthy runs per held-out draw)."""
    if finding.id == "label_noise" and config.data.label_noise > 0:
        return {"data.label_noise": 0.0}
    if finding.id == "train_val_mismatch":  # its fix is the injected toggles turned off (diagnosis.data_splits)
        settings = config.flat()
        return {key: value for key, value in finding.fix.items() if settings.get(key) != value}
    return {}


def _probe_overrides(finding: Finding, config: ExperimentConfig) -> dict:
    """What a probe of `finding` changes: its fix, or the injection of a fault of the data turned off (only
    what the fault cost is measured then); {} where a short run can test nothing."""
    if finding.caused_by:
        return {}
    if finding.id in DATA_FAULTS:
        return injection_off(finding, config)
    # notes (info) too: their fix is offered like any other, so it is tested like any other (fix benchmark,
    # a fresh draw: a class-weight fix offered by a note, untested, cost 3 points of validation accuracy)
    return dict(finding.fix) if finding.id not in UNTESTABLE else {}


def _tested(run) -> list[Finding]:
    """The leading findings a short run can test."""
    return [finding for finding in run.findings
            if (overrides := _probe_overrides(finding, run.config)) and _applies(run.config, overrides)][:CANDIDATES]


def _applies(config: ExperimentConfig, overrides: dict) -> bool:
    """Whether the experiment takes these overrides (a rule's fix always should; one it refused would
    be a fix the user could not apply either)."""
    try:
        apply_overrides(config, overrides)
    except ConfigError:
        return False
    return True


def probes_needed(run) -> int:
    """How many distinct probes test the leading findings: findings whose probes would be the same experiment
    (noisy labels and the mismatch they cause, both probed without the noise) share one."""
    return len({repr(sorted(_probe_overrides(finding, run.config).items())) for finding in _tested(run)})


def probe_plan(run) -> list[tuple[Finding, dict]]:
    """The findings whose fix is tested, each with the overrides that make its probe: the fix, the probe's
    epochs, and nothing that would stop it early or test fixes of its own."""
    tested = _tested(run)
    epochs = probe_epochs(run.config, probes_needed(run))
    return [(finding, {**_probe_overrides(finding, run.config), "train.epochs": epochs, "train.verify_fixes": False,
                       "train.early_stopping": 0}) for finding in tested]


def settings_text(settings: dict) -> str:
    return ", ".join(f"{key} = {format_value(value)}" for key, value in settings.items())
