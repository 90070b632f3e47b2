"""Synthetic failing runs for the ids that compare the splits (distribution_shift, train_val_mismatch) and
for large_batch: test_diagnosis_rules.py checks them with every other id, test_diagnosis_splits.py at their
boundaries."""

from __future__ import annotations

import numpy as np
from history_factory import SyntheticRun, experiment


def shifted_test_set():
    """Validation ends at 0.97, the test set (half of it transformed) at 0.70."""
    run = SyntheticRun(test_acc=0.70, test_loss=1.4)
    return run, experiment(data__test_shift=["noise"], data__test_shift_strength=3.0)


def mismatched_training_labels():
    """The training loss stays near ln 2 while validation learns: 40% of the training labels flipped."""
    run = SyntheticRun()
    run.train_loss = np.linspace(0.69, 0.67, run.epochs)
    run.train_acc = np.full(run.epochs, 0.6)
    run.val_loss = np.linspace(0.66, 0.50, run.epochs)
    run.val_acc = np.linspace(0.7, 0.96, run.epochs)
    return run, experiment(data__label_noise=0.4)


def full_batch(steps_per_epoch: int = 1):
    """One update per epoch (or a few): the loss falls steadily but only a little in 20 epochs."""
    run = SyntheticRun(steps_per_epoch=steps_per_epoch, probe_every=1)
    run.train_loss = np.linspace(0.69, 0.55, run.epochs)
    run.val_loss = run.train_loss + 0.01
    run.train_acc = np.linspace(0.5, 0.72, run.epochs)
    run.val_acc = run.train_acc - 0.01
    return run, experiment(train__optimizer="sgd", train__lr=0.1, train__batch_size=1024)


SCENARIOS = {
    "distribution_shift": shifted_test_set, "train_val_mismatch": mismatched_training_labels,
    "large_batch": full_batch,
}
