"""Order findings root cause first and mark the consequences of each root cause.

Rules produce evidence independently; this module alone decides what is a cause and what a symptom
(rule-based tools that rank after detecting do best: see DESIGN.md, "lessons from the published tools").

Order of root causes, by tier (earlier tiers explain later ones):
  1. the data and the starting point: bad_initialization, unnormalized_inputs, unshuffled_data,
     class_imbalance, train_val_mismatch, label_noise, distribution_shift
  2. hyperparameters: over_regularized, lr_too_high, lr_too_low, small_batch_noise, large_batch
  3. mechanisms inside the network: saturated_activations, vanishing_gradients, exploding_gradients,
     dead_relu
  4. what the curves show: divergence, loss_plateau, late_collapse, overfitting, underfitting
  5. the machine's time, not learning: slow_training (it explains no other finding and none explains it)
Sorting: root causes before consequences; "info" findings after the others; then tier, then severity
(error, warning), then the order above. After sorting, a root cause that is a warning takes the error of
what it caused.

A finding becomes a consequence (caused_by = the root's id) when one of its possible causes below also
fired; chains are followed to the root (bad init -> exploding gradients -> divergence: both of the
latter get caused_by="bad_initialization"). Weight decay that shrinks the weights toward zero makes every
step large next to them, so over-regularization explains a high update ratio (lr_too_high), and so does a
fixed-spread init that draws the weights far too small (initialization.drawn_far_too_small). The gradient
passes back through the weights, so a penalty that shrank them (weight decay or L1, not dropout) explains
gradients that vanish on the way (diagnosis benchmark, seed 64: vanishing gradients led weight decay 1, and their
batch norm and Kaiming init, verified at 0.90 in a 7-epoch probe, ended at 0.53 after 25 epochs). Saturation
and dead ReLUs are taken as causes of vanishing gradients: units pinned on a flat tail, or silent, are
what zeroes the backpropagated gradient. Memorized label noise is what makes validation accuracy
collapse after its early peak. A rate far above the optimizer's usual one (signals.FAR_TOO_HIGH_LR_FACTOR) throws
the weights far, and a model left there is confidently wrong on sound labels: what looks like noisy labels is the
rate's. Underfitting is dropped when a loss plateau is found: a plateau already
says that both training and validation are poor. A training loss that cannot fall because the training data
differs from the validation data (train_val_mismatch) is what that plateau shows; it comes before label
noise, which names one way the labels can differ. Too few updates per epoch (large_batch) leave a run
unfit or on its plateau.
"""

from __future__ import annotations

import dataclasses

from workbench.core.diagnosis import initialization, regularization, signals
from workbench.core.diagnosis.finding import SEVERITIES, Finding
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _

TIERS: tuple[tuple[str, ...], ...] = (
    ("bad_initialization", "unnormalized_inputs", "unshuffled_data", "class_imbalance", "train_val_mismatch",
     "label_noise", "distribution_shift"),
    ("over_regularized", "lr_too_high", "lr_too_low", "small_batch_noise", "large_batch"),
    ("saturated_activations", "vanishing_gradients", "exploding_gradients", "dead_relu"),
    ("divergence", "loss_plateau", "late_collapse", "overfitting", "underfitting"),
    ("slow_training",),
)
PRIORITY: tuple[str, ...] = tuple(finding_id for tier in TIERS for finding_id in tier)

_INPUT_AND_INIT = ("bad_initialization", "unnormalized_inputs")
_STOPS_LEARNING = ("over_regularized", "lr_too_low", "lr_too_high", "saturated_activations",
                   "vanishing_gradients", "dead_relu")

# consequence id -> the ids that can cause it, most fundamental first.
POSSIBLE_CAUSES: dict[str, tuple[str, ...]] = {
    "bad_initialization": ("unnormalized_inputs",),  # only with PyTorch's default init: see _causes
    # a rate that was fine at a normal batch size is too high for one or two examples a step: the batch
    # is what changed (benchmark, tune split: tiny batches were read as a high rate first, 3 of 18)
    "lr_too_high": ("unnormalized_inputs", "over_regularized", "small_batch_noise"),
    "lr_too_low": _INPUT_AND_INIT,
    "saturated_activations": (*_INPUT_AND_INIT, "lr_too_high"),
    "vanishing_gradients": (*_INPUT_AND_INIT, "over_regularized", "lr_too_high", "small_batch_noise",
                            "saturated_activations", "dead_relu"),
    "exploding_gradients": (*_INPUT_AND_INIT, "lr_too_high"),
    # steps as noisy as one or two examples make them kill units as a high rate does
    "dead_relu": (*_INPUT_AND_INIT, "lr_too_high", "small_batch_noise"),
    # dropout of 0.8 or more scales the units it keeps 5x or more while training (regularization._dropout_diverged)
    "divergence": (*_INPUT_AND_INIT, "over_regularized", "lr_too_high", "exploding_gradients"),
    "loss_plateau": (*_INPUT_AND_INIT, "unshuffled_data", "train_val_mismatch", *_STOPS_LEARNING, "small_batch_noise",
                     "large_batch", "label_noise"),
    "late_collapse": ("label_noise", "lr_too_high", "exploding_gradients", "dead_relu"),
    "overfitting": ("label_noise", "class_imbalance"),
    "underfitting": (*_INPUT_AND_INIT, "unshuffled_data", "train_val_mismatch", "label_noise", *_STOPS_LEARNING,
                     "small_batch_noise", "large_batch", "loss_plateau"),
}
# consequence -> the finding that makes it redundant: when both fire, the consequence is dropped (not for
# a network too small to fit: then its underfitting is the root and the plateau its consequence).
DUPLICATES = {"underfitting": "loss_plateau"}
# Consequences that offer no fix of their own under these roots, where their fix would treat the root's
# symptom the wrong way, and so are notes beside the root's card: training accuracy that wrong labels hold
# down is no sign of a network too small, and a bigger one, or one trained longer, only fits the wrong labels
# better (fix benchmark, seed 33: a bigger network offered for the underfitting of 40% noisy MNIST-1D labels
# took validation accuracy from 0.34 to 0.31). Nor is a training loss that wrong labels hold near a guess's a
# plateau that another optimizer lifts: with 40% of two classes' labels flipped the best loss on them is 97%
# of ln 2 (fix benchmark, seed 58: Adam at 0.001, offered for the "stuck" loss of 40% noisy XOR labels at
# validation accuracy 0.78, -1.3 points on average over ten seeds, standard error 0.8, lower at six). Nor
# where the training data says something else than validation's (train_val_mismatch): validation learned, so
# the optimizer and the network do, and its training loss is flat because its labels are not validation's
# (diagnosis benchmark, seeds 58-61: 13 such plateaus, errors on runs at validation 0.64-0.95, whose Adam at
# 0.001 trained at five seeds lost 3.0 points on average, and more than a point in 6 of them, up to 16; seed
# 17's tune split: 6 plateaus and underfittings whose fixes gained 4.7 points on average, the least 0.6). Nor
# does a lower rate cure steps that are large only next to weights a regularizer shrank (the docstring above):
# where the regularizer's own fix was refuted, the rate's was the one on offer, and it lost at all ten seeds
# (fix benchmark, seed 41: L1 at 0.01 on MNIST-1D under Adagrad at 0.0196, 7.5 points on average; lr/10 did as
# badly). Nor steps large next to weights drawn far too small: the default init is the cure, and a lower rate
# only slows what is left (diagnosis benchmark, seeds 17 and 33-45: 65 runs under normal inits of std 1e-5 or
# 1e-3 read "steps changed the weights by up to 0.12-0.29 of their size" as a rate too high, second to the
# init; its lower rate, probed, did worse in 26, changed nothing measurable in 34, and the probe it took
# halved the one the init's own fix had).
NO_FIX_UNDER_ROOT = {"underfitting": ("label_noise", "train_val_mismatch"),
                     "loss_plateau": ("label_noise", "train_val_mismatch"),
                     "lr_too_high": ("over_regularized", "bad_initialization")}
# Under an init that scales the weights to the layer width (registry.SCALED_INITS), a huge first loss comes from
# the inputs (benchmark, tune split: raw pixels and raw CSV columns were reported as a bad init first, 6 of 8).
# What a network too small to fit (signals.low_capacity) shows besides underfitting: a loss that cannot
# fall, units that die or saturate in a layer too narrow to spare them (tune split: capacity faults were
# reported as a plateau, vanishing gradients or dead units, 21 of 25), and a high first loss under a
# scaled init, which sets a layer's spread for a sum over many units: over two to four the sum is often far
# off (measured, three ReLU layers on the spiral, 30 seeds: 2 units wide, a step-0 loss over twice ln 2 at
# up to 10% of the draws of a scaled init, and at 27-50% of orthogonal, Xavier and Kaiming draws in a residual
# stack; 64 units wide, at none but Kaiming's in a residual stack). There the width, not the init, is what to
# change (issue 14, case 7; fix benchmark, seed 18's tune split: the default init took a residual stack of
# 2-unit layers from 0.65 to 0.57, a wider one reached 0.69 in a quarter of the epochs).
# Failures to learn that a high first loss under a scaled init does not explain: the weights are of the size a
# rate is chosen for, so steps a thousandth of the usual size next to them, and a loss that never falls, are the
# rate's (a fixed-spread init of std 3-10 is another matter: weights that large make any step small next to them).
# Diagnosis benchmark: learning rates of 1e-7 to 1e-4 under Kaiming or Xavier inits in residual stacks, whose
# first loss was 2-3x ln C, were reported as a bad init with the rate its consequence (seed 17's tune split 1,
# held-out seeds 34-36 4; every such consequence of a fixed-spread init there was a large init's own failure).
NOT_CAUSED_BY_A_SCALED_INIT = ("lr_too_low", "loss_plateau", "underfitting")
CAPACITY_CONSEQUENCES = ("bad_initialization", "loss_plateau", "vanishing_gradients", "dead_relu",
                         "saturated_activations", "lr_too_low")


def _causes(finding_id: str, config: ExperimentConfig) -> tuple[str, ...]:
    if finding_id == "bad_initialization" and config.model.init not in registry.SCALED_INITS:
        return ()  # a fixed-spread or constant init is itself a cause, whatever the inputs
    small = signals.low_capacity(config)
    if finding_id == "underfitting" and small:
        return ()  # a network that small underfits whatever else happens: it is the root
    causes = POSSIBLE_CAUSES.get(finding_id, ())
    if finding_id in NOT_CAUSED_BY_A_SCALED_INIT and config.model.init in registry.SCALED_INITS:
        causes = tuple(cause for cause in causes if cause != "bad_initialization")
    if finding_id == "label_noise":
        # Diagnosis benchmark, seeds 17 and 33-47: every run at 30x its optimizer's usual rate or more that was
        # read as noisy labels (16, on confident contradictions alone: 10-24% of the training labels) had clean
        # ones; it led the rate in 5 failures. The calmer rate's probe can say so afterwards (probe_judgement.
        # _wrong_labels_refuted), but only where it verified an accuracy those labels would not allow.
        return ("lr_too_high",) if signals.lr_is_high(config, signals.FAR_TOO_HIGH_LR_FACTOR) else ()
    if finding_id == "vanishing_gradients" and not regularization.shrinks_weights(config):
        causes = tuple(cause for cause in causes if cause != "over_regularized")  # dropout shrinks no weight
    if finding_id == "lr_too_high" and initialization.drawn_far_too_small(config):
        causes = ("bad_initialization", *causes)  # weights that start tiny make any step large next to them
    if config.model.kind == "rnn" and not config.train.grad_clip:
        # Unclipped, a recurrent network's gradient can grow exponentially with the distance in time
        # (Pascanu, Mikolov and Bengio 2013): that is what makes its steps too large, and clipping the cure.
        if finding_id == "lr_too_high":
            causes = ("exploding_gradients", *causes)
        elif finding_id == "exploding_gradients":
            causes = tuple(cause for cause in causes if cause != "lr_too_high")
    return ("underfitting", *causes) if small and finding_id in CAPACITY_CONSEQUENCES else causes


def _direct_cause(finding_id: str, fired: set[str], config: ExperimentConfig) -> str:
    return next((cause for cause in _causes(finding_id, config) if cause in fired), "")


def _root(finding_id: str, direct: dict[str, str]) -> str:
    seen = {finding_id}
    current = direct[finding_id]
    while direct.get(current) and direct[current] not in seen:
        seen.add(current)
        current = direct[current]
    return current


def released_from(findings: list[Finding], cause_id: str, config: ExperimentConfig) -> list[Finding]:
    """The findings with `cause_id` no longer taken as a cause (a probe refuted it): each of its consequences gets
    the root its other causes that fired give it, or becomes a root of its own."""
    fired = {finding.id for finding in findings} - {cause_id}
    direct = {finding.id: _direct_cause(finding.id, fired, config) for finding in findings}
    return [dataclasses.replace(finding, caused_by=_root(finding.id, direct) if direct[finding.id] else "")
            if finding.caused_by == cause_id else finding for finding in findings]


def _sort_key(finding: Finding) -> tuple:
    tier = next(index for index, ids in enumerate(TIERS) if finding.id in ids)
    return (bool(finding.caused_by), finding.severity == "info", tier, SEVERITIES.index(finding.severity),
            PRIORITY.index(finding.id))


def rank(findings: list[Finding], config: ExperimentConfig) -> list[Finding]:
    """Root causes first; consequences marked with caused_by (their root) and placed after them, without their
    fix where it would treat that root's symptom the wrong way (NO_FIX_UNDER_ROOT)."""
    fired = {finding.id for finding in findings}
    titles = {finding.id: finding.title for finding in findings}
    direct = {finding.id: _direct_cause(finding.id, fired, config) for finding in findings}
    kept = []
    for finding in findings:
        if DUPLICATES.get(finding.id) in fired and not signals.low_capacity(config):
            continue
        root = _root(finding.id, direct) if direct[finding.id] else ""
        if root in NO_FIX_UNDER_ROOT.get(finding.id, ()):
            # what the root explains, with nothing of its own to act on: a note beside the root's card, saying so
            # (its own explanation, written for the fault alone, may read otherwise)
            evidence = _("{evidence}; “{root}” explains it, so no fix of its own is offered").format(
                evidence=finding.evidence, root=titles[root])
            finding = dataclasses.replace(finding, evidence=evidence, fix={}, severity="info")
        kept.append(dataclasses.replace(finding, caused_by=root))
    return _as_severe_as_what_they_caused(sorted(kept, key=_sort_key))


def _as_severe_as_what_they_caused(findings: list[Finding]) -> list[Finding]:
    """Each root cause that is a warning made an error of what it caused: the panel lists the findings most
    important first, and a learning rate's yellow card above the red ones of the divergence it caused (the
    lr-too-high preset, looked at in the app) said otherwise. The order stays the rules' (the lift comes after
    sorting); a note stays a note (a probe may have found its fault cost nothing that shows)."""
    errors = {finding.caused_by for finding in findings if finding.caused_by and finding.severity == "error"}
    return [dataclasses.replace(finding, severity="error")
            if not finding.caused_by and finding.severity == "warning" and finding.id in errors else finding
            for finding in findings]
