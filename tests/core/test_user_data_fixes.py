"""Fixes a user can apply to their own data: a class-weighted loss or a balanced sampler for rare
classes, label smoothing for noisy labels; tried on a CSV file, as a user's data would come."""

import csv
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from tiny_experiment import tiny

from workbench.core.data.bundle import load_data
from workbench.core.experiment.config import ConfigError, apply_overrides
from workbench.core.experiment.derived import with_fix
from workbench.core.reports.text import format_report
from workbench.core.training.engine import Run
from workbench.core.training.steps import training_loss


@pytest.fixture(scope="module")
def rare_class_csv(tmp_path_factory):
    """Two overlapping blobs, the second 3% of the rows: a model that ignores it is 97% accurate."""
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal([0, 0], 1.0, (1940, 2)), rng.normal([1.2, 1.2], 1.0, (60, 2))])
    y = [0] * 1940 + [1] * 60
    path = tmp_path_factory.mktemp("csv") / "rare.csv"
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["a", "b", "label"])
        writer.writerows([[*row, label] for row, label in zip(x.tolist(), y, strict=True)])
    return tiny("rare", **{"data.dataset": "csv", "data.path": str(path), "data.target": "label",
                           "train.epochs": 10, "train.batch_size": 32, "train.lr": 0.01})


def test_rare_classes_on_a_csv_get_balanced_batches_that_find_them(rare_class_csv):
    run = Run(rare_class_csv).fit()
    first = run.findings[0]
    assert first.id == "class_imbalance" and first.fix == {"data.sampler": "balanced"}
    rare_recall = run.history.class_recall.view()[-1, 1]
    fixed = Run(with_fix(run.config, first.id, first.fix)).fit()
    assert fixed.history.class_recall.view()[-1, 1] >= rare_recall + 0.3
    # judged as balanced training: a model treating both classes alike is not "underfitting" the 97%
    assert not {"underfitting", "loss_plateau"} & {finding.id for finding in fixed.findings}


def test_a_class_weighted_loss_finds_the_rare_class_of_a_csv_too(rare_class_csv):
    """The other fix the card names (train.class_weights = "balanced"), for a user who prefers it."""
    run = Run(rare_class_csv).fit()
    weighted = Run(apply_overrides(rare_class_csv, {"train.class_weights": "balanced"})).fit()
    assert weighted.history.class_recall.view()[-1, 1] >= run.history.class_recall.view()[-1, 1] + 0.3


def test_a_balanced_sampler_draws_every_class_equally_often(rare_class_csv):
    data = load_data(apply_overrides(rare_class_csv, {"data.sampler": "balanced"}).data)
    batches = data.batch_indices(1, 64, torch.Generator().manual_seed(0))
    drawn = data.train_y[torch.cat(batches)]
    assert len(drawn) == len(data.train_y)
    assert abs(float((drawn == 1).float().mean()) - 0.5) < 0.05  # 3% of the rows, half of the draws


def test_label_smoothing_and_class_weights_change_the_loss_the_optimizer_sees():
    logits = torch.tensor([[8.0, -8.0], [-8.0, 8.0]])
    targets = torch.tensor([0, 1])
    plain = SimpleNamespace(loss="cross_entropy", label_smoothing=0.0)
    smoothed = SimpleNamespace(loss="cross_entropy", label_smoothing=0.1)
    assert training_loss(logits, targets, smoothed, 2) > training_loss(logits, targets, plain, 2) + 0.5
    weights = torch.tensor([1.0, 0.0])  # only class 0 counts
    wrong_on_class_1 = torch.tensor([[8.0, -8.0], [8.0, -8.0]])
    assert float(training_loss(wrong_on_class_1, targets, plain, 2, weights)) < 1e-3
    for loss in ("cross_entropy", "mse"):
        assert torch.isfinite(training_loss(logits, targets, SimpleNamespace(loss=loss, label_smoothing=0.2), 2,
                                            torch.tensor([0.5, 2.0])))


@pytest.mark.parametrize(("key", "value", "message"), [
    ("train.class_weights", "weighted", "train.class_weights: 'weighted' is not a choice"),
    ("data.sampler", "balance", "did you mean 'balanced'"),
    ("train.label_smoothing", 1.0, "train.label_smoothing: 1.0 is not allowed"),
])
def test_the_new_keys_are_validated_by_name(key, value, message):
    with pytest.raises(ConfigError, match=message):
        apply_overrides(tiny(), {key: value})


def test_the_report_says_a_rare_class_fix_was_judged_by_balanced_accuracy(rare_class_csv):
    """The probe of rare classes' fix measures the mean recall over the classes; the CLI report names it."""
    run = Run(apply_overrides(rare_class_csv, {"train.verify_fixes": True})).fit()
    first = run.findings[0]
    assert first.id == "class_imbalance" and first.confidence == "verified"
    report = " ".join(format_report(run, None).split())
    assert (f"tested: with --set data.sampler=\"balanced\", balanced validation accuracy (the mean recall over the classes) "
            f"reached {first.verified['val_acc']:.3g}") in report
