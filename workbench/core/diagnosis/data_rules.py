"""Data rules: inputs on the wrong scale, batches that follow the label order, unbalanced classes."""

from __future__ import annotations

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _

# Input scale. DeepDiagnosis (ICSE'22) flags any input outside [-1, 1]; that would flag standardized
# data (a few values beyond 3 sigma are normal), so we are more tolerant: overall std above 5 or |mean|
# above 3 (raw pixels 0..255 have std ~80 and mean ~30-120; raw 8x8 digits std ~6, mean ~5).
INPUT_STD_LIMIT = 5.0
INPUT_MEAN_LIMIT = 3.0
# Values beyond this are far outside what standardized inputs produce, but per-feature standardization
# of a pixel that is almost always 0 gives a few such values too: only a sign together with a std
# above INPUT_STD_HINT (tuned here: standardized data has std <= 1).
INPUT_MAX_ABS_LIMIT = 20.0
INPUT_STD_HINT = 2.0
# Features whose spreads differ by this factor, on raw (unstandardized) inputs (tuned here: the toy sets
# stay below 3, a CSV mixing metres and millimetres reaches 1000).
FEATURE_SCALE_RATIO = 100.0

# Unshuffled: mean distinct classes per batch below this share of what random batches would hold
# (tuned here: label-sorted batches reach 1/C..2/C of it, random ones 0.9-1.1).
DIVERSITY_SHARE = 0.6
# Saw-tooth: share of the within-epoch step-loss variance explained by the position in the epoch
# (tuned here: shuffled runs give ~1/epochs, label-sorted ones 0.4-0.9). Evidence wording only.
SAWTOOTH_SHARE = 0.3

# Imbalance: largest / smallest class count from which the imbalance counts as strong (the brief of
# issue 7 says ~10; imbalance-learn's docs call 1:10 "moderate"; tuned here down to 5 because the rule
# also needs the minority classes to be missed).
IMBALANCE_RATIO = 5.0
# ...and the smallest class's validation recall at most this while the largest's is this much higher.
MINORITY_RECALL = 0.7
RECALL_GAP = 0.2
# A smaller recall gap that holds to the end is a note (info): tune split, every strongly imbalanced run
# whose rare class trailed by 0.16-0.25 lost 7-15 points of balanced validation accuracy, yet a healthy
# one trailed by as much, so it is no alarm.
RECALL_NOTE_GAP = 0.1


def unnormalized_inputs(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    stats = history.input_stats
    if stats is None:
        return None
    largest = max(abs(stats.min), abs(stats.max))
    problems = []
    if stats.std > INPUT_STD_LIMIT:
        problems.append(_("std {value}").format(value=i18n.number(stats.std)))
    if abs(stats.mean) > INPUT_MEAN_LIMIT:
        problems.append(_("mean {value}").format(value=i18n.number(stats.mean)))
    if largest > INPUT_MAX_ABS_LIMIT and stats.std > INPUT_STD_HINT:
        problems.append(_("values up to {value}").format(value=i18n.number(largest)))
    if not config.data.normalize and stats.feature_std_ratio > FEATURE_SCALE_RATIO:
        problems.append(_("feature spreads differing {factor}x").format(factor=i18n.number(stats.feature_std_ratio)))
    if not problems:
        return None
    evidence = _("training inputs have {problems} (standardized inputs have mean 0, std 1; range {low}..{high})"
                 ).format(problems=i18n.join_list(problems), low=i18n.number(stats.min), high=i18n.number(stats.max))
    why = _("A layer's output is a weighted sum of its inputs, so inputs on a large scale (or features on "
            "very different scales) make pre-activations and gradients huge for the weights of the big "
            "features and tiny for the others: one learning rate cannot suit both, units saturate or die, "
            "and training is slow or diverges. Standardizing each feature to mean 0, std 1 with the "
            "training-set statistics fixes the scale.")
    return Finding("unnormalized_inputs", "warning", _("Inputs are not normalized"), evidence, why,
                   {"data.normalize": True}, 0)


def _random_batch_diversity(history: RunHistory, batch_size: int) -> float:
    """Expected distinct classes per random batch / min(batch, classes), from the class shares."""
    priors = signals.class_priors(history)
    expected_distinct = float(np.sum(1.0 - (1.0 - priors) ** batch_size))
    return expected_distinct / min(batch_size, history.n_classes)


def _sawtooth_share(history: RunHistory) -> float:
    """Share of within-epoch loss variance that repeats at the same position every epoch."""
    per_epoch = history.steps_per_epoch
    losses = history.step_loss.view()[:, 1]
    epochs = len(losses) // max(1, per_epoch)
    if epochs < 2 or per_epoch < 4:
        return float("nan")
    grid = losses[: epochs * per_epoch].reshape(epochs, per_epoch)
    if not np.isfinite(grid).all():
        return float("nan")
    centred = grid - grid.mean(axis=1, keepdims=True)
    total = float(np.mean(centred**2))
    profile = centred.mean(axis=0)
    return float(np.mean(profile**2)) / total if total > 0 else float("nan")


def unshuffled_data(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if config.data.shuffle and config.data.order == "random":
        return None  # batches are drawn at random every epoch: they cannot follow the data order
    diversity = history.batch_label_diversity.view()
    batch_size = config.train.batch_size
    if not len(diversity) or batch_size < 2 or history.n_classes < 2:
        return None
    observed = diversity[:, 1]
    expected = _random_batch_diversity(history, batch_size)
    low = np.isfinite(observed) & (observed < DIVERSITY_SHARE * expected)
    start = signals.trailing_run_start(low)
    if start is None:
        return None
    possible = min(batch_size, history.n_classes)
    clauses = [_("batches of {batch_size} hold {observed} distinct classes on average; random batches would hold "
                 "{expected}").format(batch_size=batch_size,
                                      observed=i18n.number(float(np.mean(observed[start:])) * possible),
                                      expected=i18n.number(expected * possible))]
    sawtooth = _sawtooth_share(history)
    if np.isfinite(sawtooth) and sawtooth >= SAWTOOTH_SHARE:
        clauses.append(_("the step loss repeats the same saw-tooth every epoch ({share} of its variation within "
                         "an epoch)").format(share=i18n.percent(sawtooth)))
    why = _("When the training data is ordered by label, each batch holds one class: every step pulls the "
            "weights toward predicting that class, the next block of batches pulls them back, and the "
            "loss saw-tooths instead of falling; the model ends up favouring the classes seen last. "
            "Shuffling every epoch makes each batch a fair sample of all classes.")
    return Finding("unshuffled_data", "warning", _("Batches follow the label order"), i18n.join_clauses(clauses),
                   why,
                   {"data.shuffle": True, "data.order": "random"}, int(diversity[start, 0]))


def class_imbalance(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    stats = history.input_stats
    recall = history.class_recall.view()
    if stats is None or len(stats.label_counts) < 2 or not len(recall):
        return None
    if not signals.history_ready(history, config):
        return None
    counts = np.asarray(stats.label_counts, dtype=float)
    if counts.min() <= 0:
        ratio, smallest = float("inf"), int(np.argmin(counts))
    else:
        ratio, smallest = float(counts.max() / counts.min()), int(np.argmin(counts))
    if ratio < IMBALANCE_RATIO:
        return None
    largest = int(np.argmax(counts))
    gap = recall[:, largest] - recall[:, smallest]
    start = signals.trailing_run_start((recall[:, smallest] <= MINORITY_RECALL) & (gap >= RECALL_GAP))
    severity = "warning"
    if start is None and not history.balanced_training:  # balanced already: what is left is too few examples
        start = signals.trailing_run_start(gap >= RECALL_NOTE_GAP)
        severity = "info"
    if start is None:
        return None
    evidence = _("class {rare} has {rare_count} training examples, class {common} has {common_count} "
                 "({ratio}:1); validation recall is {rare_recall} for class {rare} against {common_recall} "
                 "for class {common}").format(
        rare=smallest, rare_count=int(counts[smallest]), common=largest, common_count=int(counts[largest]),
        ratio=i18n.number(ratio), rare_recall=i18n.percent(float(recall[-1, smallest])),
        common_recall=i18n.percent(float(recall[-1, largest])))
    if config.data.imbalance > 1:  # the toggle is named, but the fix is one that works on real data
        evidence = _("{evidence} (this experiment subsamples the classes {ratio}:1: data.imbalance = 1 turns "
                     "that off)").format(evidence=evidence, ratio=i18n.number(config.data.imbalance))
    why = _("With far more examples of some classes, the loss is lowered most by predicting those: the "
            "model learns to ignore the rare classes and its accuracy still looks fine. Draw every class "
            "equally often (or weight the loss by inverse class frequency: train.class_weights = "
            "\"balanced\"), collect more of the rare classes, and judge the model by per-class recall.")
    # Balanced batches rather than a weighted loss: weights of up to the imbalance ratio scale each rare
    # example's step as much, and a run can blow up late. Diagnosis benchmark, seeds 17, 18 and 23, every
    # imbalance case at three seeds, trained in full: with SGD-family optimizers (37 cases) mean balanced
    # validation accuracy 0.75 weighted against 0.79 sampled, runs 10 points below no fix at all 10 and 3;
    # with adaptive ones (117 cases) 0.78 against 0.80, 2 and 0; one weighted digits run went from 0.89 to
    # 0.34 in its last two epochs (training loss 0.3 -> 6.4), where sampling reached 0.89.
    fix = {"data.sampler": "balanced"}
    if history.balanced_training:
        # weighted or balanced already: offering the weights again would change nothing
        evidence = _("{evidence}; the classes already weigh equally in training, so what is left is too few "
                     "examples of class {rare}: collect more of them").format(evidence=evidence, rare=smallest)
        fix = {}
    return Finding("class_imbalance", severity, _("Rare classes are missed"), evidence, why, fix, start + 1)
