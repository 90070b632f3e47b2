"""End to end: every diagnosis id comes out of a real training run, named first or as a root cause, and
the one-click fix it offers makes it disappear.

Each id is produced by a preset (presets/*.toml), trained headless on the CPU exactly as
`workbench run PRESET --json` would. The fix is applied with `apply_overrides`, as the app's Apply fix
button does, and the run is repeated with the same seed. Runs are cached for the module: several ids
share a preset, and several fixes lead to the same configuration.
"""

import json

import pytest

from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig, apply_overrides
from workbench.core.experiment.presets import list_presets
from workbench.core.training.engine import Run

PRESETS = {preset.key: preset.config for preset in list_presets()}

# id -> the preset that produces it (presets state the ids they must produce in meta.expect).
PRODUCED_BY = {
    "divergence": "lr-too-high",
    "exploding_gradients": "lr-too-high",
    "vanishing_gradients": "deep-sigmoid",
    "dead_relu": "dead-relu",
    "saturated_activations": "tanh-saturation",
    "lr_too_high": "dead-relu",
    "lr_too_low": "lr-too-low",
    "loss_plateau": "sigmoid-plateau",
    "underfitting": "linear-spiral",
    "overfitting": "overfitting",
    "late_collapse": "label-noise",
    "bad_initialization": "zero-init",
    "unnormalized_inputs": "raw-pixels",
    "unshuffled_data": "unshuffled",
    "over_regularized": "over-regularized",
    "small_batch_noise": "batch-size-one",
    "label_noise": "label-noise",
    "class_imbalance": "class-imbalance",
    "distribution_shift": "test-shift",
    "train_val_mismatch": "train-val-mismatch",
    "large_batch": "full-batch",
    "slow_training": "probe-every-step",
}


@pytest.fixture(scope="module")
def finished():
    """Train a config once per module (keyed by its full content) and return the finished Run."""
    cache: dict[str, Run] = {}

    def run(config: ExperimentConfig) -> Run:
        config = apply_overrides(config, {"train.device": "cpu"})
        key = json.dumps(config.model_dump(), sort_keys=True)
        if key not in cache:
            cache[key] = Run(config).fit()
        return cache[key]

    return run


def _finding(run: Run, finding_id: str):
    return next((finding for finding in run.findings if finding.id == finding_id), None)


def test_every_contract_id_is_produced_by_a_preset_that_expects_it():
    assert set(PRODUCED_BY) == set(registry.DIAGNOSIS_IDS)
    for finding_id, key in PRODUCED_BY.items():
        assert finding_id in PRESETS[key].meta.expect, f"{key} does not list {finding_id} in meta.expect"


@pytest.mark.parametrize("finding_id", sorted(PRODUCED_BY))
def test_the_id_is_named_first_or_as_a_root_cause(finding_id, finished):
    run = finished(PRESETS[PRODUCED_BY[finding_id]])
    ids = [finding.id for finding in run.findings]
    finding = _finding(run, finding_id)
    assert finding is not None, f"{PRODUCED_BY[finding_id]}: {finding_id} not found in {ids}"
    assert finding.severity in ("error", "warning")
    # First, a root cause of its own, or the consequence of the finding that leads the list.
    assert ids[0] == finding_id or finding.caused_by in ("", ids[0]), (
        f"{finding_id} is caused by {finding.caused_by!r}, which does not lead {ids}")
    assert 0 <= finding.epoch <= run.config.train.epochs


# Faults in the data whose fix works on a user's own data (early stopping before noisy labels are memorized) without
# removing the fault itself: the finding stays true after the fix, and validation must not suffer.
STILL_TRUE_AFTER_THE_FIX = ("label_noise",)


@pytest.mark.parametrize("finding_id", sorted(PRODUCED_BY))
def test_applying_the_fix_makes_the_finding_disappear(finding_id, finished):
    config = PRESETS[PRODUCED_BY[finding_id]]
    finding = _finding(finished(config), finding_id)
    assert finding is not None and finding.fix, f"{finding_id}: no fix to apply"
    fixed = finished(apply_overrides(config, finding.fix))
    assert fixed.config.train.seed == config.train.seed
    remaining = [(f.id, f.evidence) for f in fixed.findings]
    if finding_id in STILL_TRUE_AFTER_THE_FIX:
        # a fix for data a user cannot clean limits the harm; the labels stay wrong, and the finding true
        original_val = finished(config).final_metrics["val_acc"]
        assert fixed.final_metrics["val_acc"] >= original_val - 0.01, f"fix {finding.fix} made validation worse"
        return
    assert _finding(fixed, finding_id) is None, f"fix {finding.fix} left {finding_id}: {remaining}"


def test_a_weak_model_memorizing_noisy_labels_is_read_as_label_noise_from_the_labels_it_doubts(finished):
    """MNIST-1D with 40% of its training labels wrong (the benchmark's held-out draw of seed 8): a ten-class
    MLP at 0.35 validation accuracy that memorizes the wrong labels. It never contradicts one with p > 0.9
    and trails validation on accuracy, so before the doubted labels were recorded the run showed only an
    overfitting note; from the first epochs it doubts far more of its training labels than of validation's."""
    config = ExperimentConfig.model_validate({
        "data": {"dataset": "mnist1d", "seed": 3, "train_size": 2000, "label_noise": 0.4},
        "model": {"normalization": "batch", "hidden": [128, 128]},
        "train": {"optimizer": "rmsprop", "lr": 0.00141, "batch_size": 64, "epochs": 10, "seed": 3,
                  "device": "cpu"}})
    run = finished(config)
    assert run.history.train_label_disagreement < 0.05  # never confidently against a label
    first = run.findings[0]
    assert first.id == "label_noise" and first.severity == "warning"
    assert "training labels under half the probability of a guess" in first.evidence
