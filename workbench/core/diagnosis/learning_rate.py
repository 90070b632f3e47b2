"""Loss-dynamics rules: divergence, learning rate too high or too low, plateau (batch-size noise: batch_size.py)."""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _, ngettext

# Divergence without NaN: the training loss of the last epochs this many times above its start and
# above chance (tuned here: healthy runs never end above their step-0 loss).
DIVERGENCE_GROWTH = 10.0
DIVERGENCE_EPOCHS = 2

# ||delta W|| / ||W|| per step. DeepDiagnosis (ICSE'22) judges the learning rate by this ratio outside
# [1e-5, 1e-1]; Karpathy (CS231n) calls ~1e-3 healthy.
UPDATE_RATIO_HIGH = 1e-1
# Too low: the largest layer's ratio below Karpathy's healthy level. DeepDiagnosis's 1e-5 misses Adam at
# lr 1e-5, which sits at ~1e-4 here and learns nothing in 20 epochs.
UPDATE_RATIO_HEALTHY = 1e-3
RECENT_PROBES = 10  # probes before a divergence whose updates are judged
# Oscillation: the epoch's training loss rose by this share of the chance-level loss, in at least
# OSCILLATION_SHARE of the epochs (AUTOTRAINER ICSE'21 monitor.py: swings in >= 20% of the epochs).
OSCILLATION_RISE = 0.1
OSCILLATION_SHARE = 0.2
# "Not settled / not fitting": the final training loss still above this share of the loss of a model
# that learned only the class shares (tuned here: healthy toy and digit runs end below 0.3 of it).
UNFIT_LOSS_SHARE = 0.5
GOOD_TRAIN_SKILL = 0.9  # a model this far from guessing on its training set had learning rate enough
# Too slow: tiny updates and a loss still falling every epoch count from this share of that loss on, as
# healthy runs end below it (tune split: rates 1e-4 under momentum ended at 0.38-0.43 of it, 0.88 accuracy).
SLOW_LOSS_SHARE = 0.3
# Steady fall: the training loss fell in at least this share of the epochs of the second half.
STEADY_FALL_SHARE = 0.8
# A too-low rate is raised so the largest layer's ratio reaches this (tuned here: healthy Adam and SGD
# runs on the toy sets and digits show 2e-3..6e-3 there), by a factor of at least 10, at most 100 or as far
# as the optimizer's typical rate, whichever is more (fix benchmark, tune split: momentum at 1e-6 raised
# 100x to 1e-4 still learned too slowly to fit, its finding still there).
LR_FIX_TARGET_RATIO = 1e-2
LR_RAISE_LIMITS = (10.0, 100.0)

# Plateau: the best training loss stays within this share of the start (issue 7: 2-5% of the initial).
PLATEAU_TOLERANCE = 0.05
# ...and the training accuracy never got this far from guessing the most common class (skill, see
# signals.skill). Tuned here: std-1 normal init on digits keeps its loss 40x above ln(10), dominated by a
# few confidently wrong examples, while training accuracy reaches 0.98: that model learned.
PLATEAU_MAX_SKILL = 0.3

GRAD_CLIP_FIX = 1.0


def divergence(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    nonfinite = signals.first_nonfinite_step(history)
    if nonfinite is not None:
        step, value = nonfinite
        epoch = signals.epoch_of_step(history, step)
        evidence = _("the loss became {value} at step {step} (epoch {epoch})").format(value=value, step=step, epoch=epoch)
    elif history.status == "diverged":
        epoch = history.epochs_run
        note = history.events[-1] if history.events else _("the loss became non-finite")
        evidence = note
    else:
        train_loss = history.epoch_column("train_loss")
        start = max(history.initial_loss, signals.expected_initial_loss(history.n_classes, config.train.loss))
        if len(train_loss) < DIVERGENCE_EPOCHS or not math.isfinite(start) or signals.fits_well(history, config):
            # a finite loss that grew while the run fit its data grew through a few confidently wrong
            # answers, not a runaway: "diverged" would contradict the accuracy (the high rate behind it is
            # lr_too_high's to report; benchmark, held-out split: 3 runs at 0.96-1.0 validation accuracy)
            return None
        tail = train_loss[-DIVERGENCE_EPOCHS:]
        if not (np.isfinite(tail).all() and (tail >= DIVERGENCE_GROWTH * start).all()):
            return None
        epoch = history.epochs_run - DIVERGENCE_EPOCHS + 1
        evidence = _("the training loss grew to {loss}, {growth}x its start").format(
            loss=i18n.number(float(tail[-1])), growth=i18n.number(float(tail[-1]) / start))
    fix: dict = {"train.lr": signals.calmer_lr(config)}
    if not 0 < config.train.grad_clip <= GRAD_CLIP_FIX:
        fix["train.grad_clip"] = GRAD_CLIP_FIX
    why = _("Each step moved the weights so far that the loss got worse instead of better, and the next, "
            "larger gradient moved them further still, until the numbers overflowed. A lower learning rate "
            "and gradient clipping keep steps small; a bad initialization or unnormalized inputs start the "
            "run where gradients are already huge.")
    return Finding("divergence", "error", _("Training diverged"), evidence, why, fix, epoch)


def _largest_layer_update_ratio(history: RunHistory) -> float:
    """Median over the second half of the probes of the largest layer's update ratio."""
    ratios = history.update_ratio.view()
    ratios = ratios[np.isfinite(ratios).all(axis=1)] if len(ratios) else ratios
    if not len(ratios):
        return math.nan
    recent = ratios[len(ratios) // 2 :]
    return float(np.median(recent.max(axis=1)))


def _unfit(history: RunHistory, config: ExperimentConfig, loss_share: float = UNFIT_LOSS_SHARE) -> bool:
    final_loss = float(history.epoch_column("train_loss")[-1])
    final_acc = float(history.epoch_column("train_acc")[-1])
    return (final_loss >= loss_share * signals.prior_loss(history, config.train.loss)
            and signals.skill(history, final_acc) < GOOD_TRAIN_SKILL)


def _trends_down(losses: np.ndarray) -> bool:
    """A least-squares line through the losses falls by more than twice its slope's standard error."""
    if len(losses) < 3:
        return False
    epochs = np.arange(len(losses), dtype=float)
    slope, intercept = np.polyfit(epochs, losses, 1)
    residuals = losses - (slope * epochs + intercept)
    error = math.sqrt(float(residuals @ residuals) / (len(losses) - 2) / float(((epochs - epochs.mean()) ** 2).sum()))
    return bool(slope < -2.0 * error)


def _climb_row(history: RunHistory) -> int | None:
    """The row of the epoch that ends the run's first half, where the run stopped short of a fit on its
    training set with validation accuracy still rising: over the second half by more than the sampling noise
    of a difference of two accuracies (the budget ran out before the rate's use did); else None."""
    train_acc, val_acc = history.epoch_column("train_acc"), history.epoch_column("val_acc")
    if len(val_acc) < 4 or signals.skill(history, float(train_acc[-1])) >= GOOD_TRAIN_SKILL:
        return None
    row = len(val_acc) // 2 - 1
    rise = float(val_acc[-1]) - float(val_acc[row])
    return row if rise > signals.difference_noise(history, float(val_acc[row]), float(val_acc[-1])) else None


def _usual_rate(config: ExperimentConfig) -> str:
    typical = registry.OPTIMIZER_TABLE[config.train.optimizer].typical_lr
    return _("the learning rate {lr} is {factor}x the usual {typical} for {optimizer}").format(
        lr=i18n.number(config.train.lr), factor=i18n.number(config.train.lr / typical),
        typical=i18n.number(typical), optimizer=config.train.optimizer)


def lr_too_high(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    ratios = history.update_ratio.view()
    finite_rows = np.flatnonzero(np.isfinite(ratios).all(axis=1)) if len(ratios) else np.zeros(0, dtype=int)
    if not len(finite_rows):
        # the loss overflowed before any probe saw a finite update: only the rate itself can say it
        if signals.diverged(history) and signals.lr_is_high(config, signals.FAR_TOO_HIGH_LR_FACTOR):
            return _lr_too_high(history, config, _usual_rate(config), 1)
        return None
    per_probe = np.median(ratios[finite_rows], axis=1)
    first_big = int(finite_rows[np.argmax(per_probe > UPDATE_RATIO_HIGH)])
    if signals.diverged(history):
        # The last updates before the overflow tell whether the steps were too big; a rate far above the
        # optimizer's usual one is the cause even when the overflow came before a probe could see it
        # (benchmark, tune split: SGD at lr 10-50 was reported as exploding gradients, 7 of 24).
        before = float(np.median(per_probe[-RECENT_PROBES:]))
        if before <= UPDATE_RATIO_HIGH and not signals.lr_is_high(config, signals.FAR_TOO_HIGH_LR_FACTOR):
            return None
        if before > UPDATE_RATIO_HIGH:
            evidence = _("each step changed the weights by {ratio} of their size before the loss became "
                         "non-finite (healthy: about {healthy})").format(ratio=i18n.number(before),
                                                                         healthy=i18n.number(UPDATE_RATIO_HEALTHY))
        else:  # the weights had blown up (or their gradients died) by then: small updates, far too high a rate
            evidence = _usual_rate(config)
        return _lr_too_high(history, config, evidence, signals.probe_epoch(history, first_big))
    if not (signals.history_ready(history, config) and signals.finite_epoch_rows(history)):
        return None
    # The first probed update falls in the run's first steps, which say more about where it started than about
    # its rate: the gradients of a fresh initialization or of unscaled inputs, and an adaptive optimizer still
    # warming up (RMSprop's running mean of squared gradients starts at zero, so its first steps are up to 10x
    # its rate; Adagrad's shrink as its sum grows). The rate is judged by the probes after it (diagnosis
    # benchmark, seed 12's held-out split: Adagrad at 0.019 on a healthy MNIST-1D run was "too high" on its first
    # probe's 0.12 alone, its other 39 at 0.013-0.088).
    peak = float(per_probe[1:].max()) if len(per_probe) > 1 else float(per_probe[0])
    # A rate far above the optimizer's usual one is evidence by itself: its first steps blow the weights
    # up so much that later updates look small next to them, and units die (issue 14's confusion 1: SGD
    # at lr 10-30 on ReLU networks was read as dead units or exploding gradients, never as the rate).
    high_rate = signals.lr_is_high(config, signals.FAR_TOO_HIGH_LR_FACTOR)
    if peak <= UPDATE_RATIO_HIGH and not high_rate:
        return None
    train_loss = history.epoch_column("train_loss")
    rises = np.diff(train_loss) > OSCILLATION_RISE * signals.expected_initial_loss(history.n_classes,
                                                                                   config.train.loss)
    oscillating = len(rises) > 0 and rises.mean() >= OSCILLATION_SHARE
    start = history.initial_loss
    climbed = math.isfinite(start) and float(train_loss[-1]) > start
    # ...or one that blew up, an epoch's loss DIVERGENCE_GROWTH times its start, and then came down short of a
    # fit: the weights the blow-up left behind are what the run had to learn from (diagnosis benchmark, seed
    # 38: RMSprop at 0.1 on circles, 2,800 in its first epoch against 0.70 at step 0, stopped at 0.79 with
    # no finding; no healthy run of seeds 17 and 33-38 under a high rate's updates blew up and fell short)
    worst = int(np.argmax(train_loss))
    blew_up = (math.isfinite(start) and float(train_loss[worst]) >= DIVERGENCE_GROWTH * start
               and not climbed and not signals.fits_well(history, config))
    # a network too small to fit stays unfit at any rate: only a bouncing or climbing loss blames the rate
    unfit = _unfit(history, config) and not signals.low_capacity(config)
    # ...and at a rate far above the usual one, a run that ends short of a good fit having lost validation
    # accuracy from its best is evidence enough (benchmark, tune split: Adam at 0.5 on a sigmoid net, units
    # saturated, 0.81 against 0.97). One that kept its best is a note: the rate is named and its probe judges
    # what it cost, a warning only where the calmer rate did measurably better by the run's end (verify;
    # diagnosis benchmark, seeds 33-41: Adam at 0.1 on MNIST-1D at 0.53 against 0.63 without the rate, Adagrad
    # at 2-10 on CSVs at 0.88-0.90 against 0.95-0.97, all still climbing, had no finding; one healthy run, at
    # 0.944 against 0.938, was the only other run at such a rate short of a fit with no finding of it)
    short = high_rate and not signals.fits_well(history, config) and not signals.low_capacity(config)
    lost_its_best = short and not signals.validation_held_its_best(history)
    if not (oscillating or climbed or unfit or short or blew_up):
        return None
    if peak > UPDATE_RATIO_HIGH:
        clauses = [_("steps changed the weights by up to {ratio} of their size (healthy: about {healthy})").format(
            ratio=i18n.number(peak), healthy=i18n.number(UPDATE_RATIO_HEALTHY))]
    else:
        clauses = [_usual_rate(config)]
    epoch = signals.wait_epoch(config)
    if oscillating:
        clauses.append(ngettext("the training loss rose in {rises} of {epochs} epoch",
                                "the training loss rose in {rises} of {epochs} epochs", len(rises)).format(
            rises=int(rises.sum()), epochs=len(rises)))
        epoch = int(np.argmax(rises)) + 2
    if climbed:
        clauses.append(_("it ends at {loss}, above its start of {start}").format(
            loss=i18n.number(float(train_loss[-1])), start=i18n.number(start)))
    elif blew_up:
        clauses.append(_("the training loss rose to {loss} in epoch {epoch}, {growth}x its start of {start}").format(
            loss=i18n.number(float(train_loss[worst])), epoch=int(history.epoch_column("epoch")[worst]),
            growth=i18n.number(float(train_loss[worst]) / start), start=i18n.number(start)))
        if not oscillating:
            epoch = int(history.epoch_column("epoch")[worst])
    elif not oscillating:
        clauses.append(ngettext("the training loss is still {loss} after {epochs} epoch",
                                "the training loss is still {loss} after {epochs} epochs", history.epochs_run
                                ).format(loss=i18n.number(float(train_loss[-1])), epochs=history.epochs_run))
    severity = "warning" if oscillating or climbed or unfit or lost_its_best or blew_up else "info"
    return _lr_too_high(history, config, i18n.join_clauses(clauses), epoch, severity,
                        bounced=oscillating or climbed or blew_up)


def _lr_too_high(history: RunHistory, config: ExperimentConfig, evidence: str, epoch: int,
                 severity: str = "warning", bounced: bool = True) -> Finding:
    """The finding, whose explanation fits what the loss did: bounced, climbed or blew up, or fell smoothly
    (a rate far above the usual one whose run fell short all the same)."""
    if bounced:
        why = _("Steps that large overshoot the valley the loss is in: the weights jump from one side to the "
                "other, the loss bounces or climbs instead of settling, and units can die or saturate. "
                "A learning rate ten times lower usually settles, and one far above the optimizer's usual rate goes "
                "back near it; a schedule that decays it helps too.")
    else:
        why = _("Steps that large throw the weights far in the first updates; even where the loss then falls "
                "smoothly, the run learns on from where they landed, often more slowly and to a lower level than "
                "at the optimizer's usual rate. A rate near the usual one is the test; a schedule that decays it "
                "helps too.")
    return Finding("lr_too_high", severity, _("Learning rate too high"), evidence, why,
                   {"train.lr": signals.calmer_lr(config)}, epoch)


def lr_too_low(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if not (signals.history_ready(history, config) and signals.finite_epoch_rows(history)):
        return None
    unfit, climb_row = _unfit(history, config, SLOW_LOSS_SHARE), _climb_row(history)
    if not unfit and climb_row is None:
        return None
    if signals.lr_is_high(config, factor=1.0) and config.train.loss != "mse":
        # a rate at or above where people start with this optimizer (on cross-entropy, which those rates are
        # for) is not too low, whatever the steps measure: units that died or saturated stop moving their
        # weights (the batch-size-one preset, SGD at 0.2 with 77% of a layer dead: steps of 8e-6 at the
        # end, and a "fix" of lr 20). Squared error's gradient is a fraction of cross-entropy's.
        return None
    # The largest layer's ratio: vanishing gradients make early layers slow while the rate is fine.
    ratio = _largest_layer_update_ratio(history)
    if not math.isfinite(ratio) or ratio <= 0 or ratio >= UPDATE_RATIO_HEALTHY:
        return None  # a ratio of 0: nothing moves at all, which no learning rate explains
    # "Falls, but too slowly": a loss that does not fall is a plateau, whose cause (dead units, vanishing
    # gradients) a higher rate would not cure, unless even the largest layer's steps are a tenth of
    # healthy or less: then no other cause is needed for a loss that barely moves, noisily or not. Nor is
    # one for a loss that trends down through its noise under a rate far below its optimizer's usual one
    # (signals.FAR_TOO_LOW_LR_FACTOR).
    train_loss = history.epoch_column("train_loss")
    second_half = np.diff(train_loss[len(train_loss) // 2 :])
    if not len(second_half):
        return None
    steady = (second_half < 0).mean() >= STEADY_FALL_SHARE
    far_too_low = signals.lr_is_far_too_low(config) and _trends_down(train_loss[len(train_loss) // 2 :])
    if not steady and ratio > UPDATE_RATIO_HEALTHY / 10 and not far_too_low:
        return None
    start = history.initial_loss if math.isfinite(history.initial_loss) else train_loss[0]
    if steady:
        template = ngettext("each step changes the weights by at most {ratio} of their size (healthy: about "
                            "{healthy}); after {epochs} epoch the training loss is {loss}, {share} of its start "
                            "and still falling steadily",
                            "each step changes the weights by at most {ratio} of their size (healthy: about "
                            "{healthy}); after {epochs} epochs the training loss is {loss}, {share} of its start "
                            "and still falling steadily", history.epochs_run)
    else:
        template = ngettext("each step changes the weights by at most {ratio} of their size (healthy: about "
                            "{healthy}); after {epochs} epoch the training loss is {loss}, {share} of its start",
                            "each step changes the weights by at most {ratio} of their size (healthy: about "
                            "{healthy}); after {epochs} epochs the training loss is {loss}, {share} of its start",
                            history.epochs_run)
    evidence = template.format(ratio=i18n.number(ratio), healthy=i18n.number(UPDATE_RATIO_HEALTHY),
                               epochs=history.epochs_run, loss=i18n.number(float(train_loss[-1])),
                               share=i18n.percent(float(train_loss[-1]) / start))
    if far_too_low:
        evidence = i18n.join_clauses([evidence, _usual_rate(config)])
    if not unfit:  # a loss low enough for a fit: the climb is the evidence
        val_acc = history.epoch_column("val_acc")
        evidence = i18n.join_clauses([evidence, _(
            "validation accuracy was still rising, from {middle} at epoch {epoch} to {end} at the end").format(
            middle=i18n.number(float(val_acc[climb_row])), epoch=int(history.epoch_column("epoch")[climb_row]),
            end=i18n.number(float(val_acc[-1])))])
    low, high = LR_RAISE_LIMITS
    typical = registry.OPTIMIZER_TABLE[config.train.optimizer].typical_lr
    factor = min(max(high, typical / config.train.lr), max(low, LR_FIX_TARGET_RATIO / ratio))
    why = _("Each step moves the weights so little that the budget of epochs runs out long before the "
            "loss gets low: the loss falls, but far too slowly. The update per step should be about a "
            "thousandth of the weights' size; raise the learning rate (or use an adaptive optimizer "
            "such as Adam).")
    return Finding("lr_too_low", "warning", _("Learning rate too low"), evidence, why,
                   {"train.lr": signals.scaled_lr(config, factor)}, signals.wait_epoch(config))


def loss_plateau(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if not (signals.history_ready(history, config) and signals.finite_epoch_rows(history)):
        return None
    reference = signals.prior_loss(history, config.train.loss)
    if math.isfinite(history.initial_loss):
        reference = min(reference, history.initial_loss)
    if reference <= 0:  # a single-class training set: nothing to learn, no plateau to judge
        return None
    best = float(np.min(history.epoch_column("train_loss")))
    if best < (1.0 - PLATEAU_TOLERANCE) * reference:
        return None
    if signals.skill(history, float(np.max(history.epoch_column("train_acc")))) >= PLATEAU_MAX_SKILL:
        return None
    evidence = ngettext("after {epochs} epoch the best training loss is {best}, {share} of the {reference} of a "
                        "model that learned nothing",
                        "after {epochs} epochs the best training loss is {best}, {share} of the {reference} of a "
                        "model that learned nothing", history.epochs_run).format(epochs=history.epochs_run, best=i18n.number(best),
                                                share=i18n.percent(best / reference),
                                                reference=i18n.number(reference))
    recipe = {"train.optimizer": "adam", "train.lr": 0.001, "model.init": "default"}
    if config.model.activation in registry.SATURATING:
        recipe["model.activation"] = "relu"  # sigmoid/tanh nets sit on flat plateaus that ReLU avoids
    current = config.flat()
    fix = {key: value for key, value in recipe.items() if current[key] != value}
    if not fix:
        fix = {"train.lr": signals.scaled_lr(config, 3.0)}
        if config.model.normalization == "none":
            fix["model.normalization"] = signals.normalization_fix(config)
    why = _("The loss never left its starting value: the network learns nothing. Usual causes are a "
            "learning rate far too low (or so high that every step is undone), gradients that vanish "
            "before the first layers, dead or saturated units, or weights initialized symmetric. Adam "
            "at 1e-3 with PyTorch's initialization is a reliable starting point.")
    return Finding("loss_plateau", "error", _("Loss is stuck at its starting value"), evidence, why, fix,
                   signals.wait_epoch(config))
