"""What the probes of a run's fixes say of its findings: each fix verified (it helped), refuted (never offered)
or left as it was, each fault's cost shown or not by the run's end (a warning or a note), the findings ranked
by the measured effect. verify.py runs the probes; probe_plan.py says which and how long; probe_effect.Effect is
what one probe measured; probe_evidence.py words what the cards say of it."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import ranking, signals
from workbench.core.diagnosis.finding import JUDGED_BALANCED, VERIFIED_GAIN, Finding
from workbench.core.diagnosis.label_noise import contradicted_only
from workbench.core.i18n import _
from workbench.core.training.probe_effect import MAX_LOSS, Effect
from workbench.core.training.probe_evidence import costless_note, overtaken_evidence, refuted_evidence
from workbench.core.training.probe_plan import DATA_FAULTS, probe_epochs, probes_needed, settings_text

# The experiment without an injected fault of the data is compared with the run over this many epochs up to
# the probe's: noisy labels make validation accuracy jump (diagnosis benchmark, seed 12's tune split: a clean
# probe at 0.95 in its 29th epoch and 0.77 in its 30th, where the noisy run stood at 0.78) and comparing
# single epochs called a cost of 17 points none. A plateaued fix's end is compared with the run's end over as
# many (Effect.end_gap).
MEAN_EPOCHS = 3
# A probe this long whose first half already reached its best had stopped learning (Effect.fix_settled) ...
SETTLED_EPOCHS = 4
# ... which says the fault cost nothing only of a run that nearly fit: within signals.FIT_NOISE of the skill
# that signals.fits_well asks for. A run far from it whose fix stopped as low tells that this fix was not enough
# (an SGD rate raised 36x that stalled at 0.87 on moons where 0.24 reached 0.99; an L1 run at 0.68).
NEARLY_FITS_SKILL = signals.FITS_WELL_SKILL - signals.FIT_NOISE
# What a learning rate too high is said to cause inside the network (ranking.POSSIBLE_CAUSES), which a rate near
# its optimizer's usual one, refuted by its probe, no longer explains (_mechanisms_of_a_refuted_rate).
RATE_MECHANISMS = ("saturated_activations", "vanishing_gradients")
# Findings whose fix changes every step from the first (steadier steps: a lower rate, a larger batch; the class
# mix of every batch: balanced batches) rather than giving the run a better start or more room to fit: where
# their probe neither gained VERIFIED_GAIN at its epoch nor showed a cost by the run's end, the fix is withdrawn
# (_noted_where_no_accuracy_lost), and so it is where the run made up its gain by its end (Effect.overtaken,
# _withdrawn_where_overtaken).
EVERY_STEP_FIXES = ("lr_too_high", "small_batch_noise", "class_imbalance")
# Findings whose fix tests exactly what they claim (more capacity and time; a weaker regularizer): a probe of it that
# did worse refutes the claim, not only one cure of it (_errors_only_where_the_run_failed).
CLAIMED_BY_THEIR_FIX = ("underfitting", "over_regularized")


def judged_by_probes(run, probed: dict) -> list[Finding]:
    """The run's findings judged by the histories of their fixes' probes (by finding id)."""
    if not probed:
        return run.findings
    epochs = probe_epochs(run.config, probes_needed(run))
    injections = {finding_id for finding_id in probed if finding_id in DATA_FAULTS}  # probed without the injection
    effects = {}
    for finding_id, history in probed.items():
        balanced = finding_id in JUDGED_BALANCED
        added_late = _added_late(history, epochs, balanced)
        nearly_fits = signals.fits_well(run.history, run.config, NEARLY_FITS_SKILL)
        # an injection's cost is read from the means of the probe's last epochs and the run's at the same ones
        width = MEAN_EPOCHS if finding_id in injections else 1
        # a run that diverged by the probe's epoch (or by its end) learned nothing
        baseline = _mean_val_acc_to(run.history, epochs, balanced, width)
        run_end = _zero_if_nan(_val_acc_at(run.history, run.history.epochs_run, balanced))
        effects[finding_id] = Effect(
            probe=_mean_val_acc_to(history, epochs, balanced, width), baseline=baseline,
            tolerance=_noise(run.history, baseline), run_end=run_end, run_epochs=run.history.epochs_run,
            end_tolerance=_noise(run.history, run_end), run_fits=signals.fits_well(run.history, run.config),
            nearly_fits=nearly_fits, validation_fits=signals.validation_fits(run.history, run.config),
            fix_learning=added_late is not None and added_late > _noise(run.history, baseline),
            fix_settled=added_late is not None and added_late <= _noise(run.history, baseline) and nearly_fits,
            fix_plateaued=added_late is not None and added_late <= VERIFIED_GAIN and nearly_fits,
            end_gap=(_mean_val_acc_to(history, epochs, balanced, MEAN_EPOCHS)
                     - _mean_val_acc_to(run.history, run.history.epochs_run, balanced, MEAN_EPOCHS)),
            chance=1.0 / run.history.n_classes if balanced else signals.chance_accuracy(run.history),
            balanced=balanced)
    ranked = _ranked_by_effect(run.findings, effects, epochs, injections)
    if "label_noise" not in injections:
        ranked = _wrong_labels_refuted(ranked, effects, contradicted_only(run.history, run.config))
    return _notes_last(_mechanisms_of_a_refuted_rate(ranked, effects, run.config))


def _mechanisms_of_a_refuted_rate(findings: list[Finding], effects: dict[str, Effect], config) -> list[Finding]:
    """A learning rate too high, within FAR_TOO_HIGH_LR_FACTOR of its optimizer's usual one, whose lower rate did
    worse in its probe, no longer explains the saturated units or vanishing gradients it was said to cause
    (RATE_MECHANISMS): those, and the rate's other consequences, take the root their other causes give them
    (ranking.released_from), and the findings that become roots go ahead of the rate, whose candidates they join.
    Such a rate is named on its update ratio alone, and Adagrad's steps are near its rate whatever the gradient,
    which inflates that ratio on any stack. Diagnosis benchmark, seeds 17 and 33-46: six- to ten-layer sigmoid
    stacks under Adagrad at 0.03-0.05, injected with vanishing gradients, were led by a refuted rate in six
    failures, the mechanism its consequence; no run led by a rate refuted at such a rate had another root. A rate
    far above the usual one is evidence by itself (Adagrad at 10 and 50, RMSprop at 3 beside saturated sigmoid
    units) and keeps its consequences."""
    effect = effects.get("lr_too_high")
    rate = next((f for f in findings if f.id == "lr_too_high" and not f.caused_by), None)
    if (rate is None or effect is None or not effect.refuted
            or signals.lr_is_high(config, signals.FAR_TOO_HIGH_LR_FACTOR)
            or not any(f.caused_by == rate.id and f.id in RATE_MECHANISMS for f in findings)):
        return findings
    released = ranking.released_from(findings, rate.id, config)
    freed = [new for old, new in zip(findings, released, strict=True) if old.caused_by == rate.id and not new.caused_by]
    rate = dataclasses.replace(rate, candidates=tuple(dict.fromkeys((*rate.candidates, *(f.id for f in freed)))))
    ordered = []
    for finding in released:
        if finding.id == rate.id:
            ordered += [*freed, rate]
        elif finding not in freed:
            ordered.append(finding)
    return ordered


def _notes_last(findings: list[Finding]) -> list[Finding]:
    """The findings in their order, except that notes go after the warnings and errors: where a probe made a
    finding a note (its fault cost no accuracy that shows), a warning that still stands comes before it, as the
    ranking puts notes last (ranking.rank). A note whose consequence is a warning counts as a warning, so it keeps
    its place ahead of what it caused (weight decay's note, the underfitting it explains a warning). Diagnosis
    benchmark: a rate's note at a probe's 0.26 ahead of the overfitting warning of a 120-example MNIST-1D run
    offered the lower rate, which lost 1.6 points on average over ten seeds (seed 45)."""
    loud = {finding.id for finding in findings if finding.severity != "info"}
    loud |= {finding.caused_by for finding in findings if finding.severity != "info" and finding.caused_by}
    return sorted(findings, key=lambda finding: finding.id not in loud)


def _wrong_labels_refuted(findings: list[Finding], effects: dict[str, Effect], contradicted: float) -> list[Finding]:
    """Noisy labels resting only on the training labels the model confidently contradicts (`contradicted`, a
    share: label_noise.contradicted_only), where a verified fix reached a validation accuracy above 1 - that
    share by more than the noise: validation's labels, from the same source, would be as wrong, and no model
    could score that on them. The confident errors were the model's own: a note, a consequence of that fix's
    finding, with no fix of its own (its fix would treat labels just shown to be sound). Diagnosis
    benchmark, seed 17's tune split: batch size 1 and a linear network, confidently wrong on 16% and 12% of
    clean labels, were read as noisy labels first; their fixes reached 0.98."""
    if math.isnan(contradicted):
        return findings
    refuting = next((f for f in findings if f.confidence == "verified" and f.id in effects and not f.caused_by
                     and effects[f.id].probe > 1.0 - contradicted + effects[f.id].tolerance), None)
    if refuting is None:
        return findings
    noise = [f for f in findings if f.id == "label_noise"]  # a root, or a far-too-high rate's consequence (ranking)
    refuted = [dataclasses.replace(f, caused_by=refuting.id, severity="info", fix={}, evidence=_(
        "{evidence}; yet with {fix} validation accuracy reached {probe}, more than labels this wrong would allow: "
        "the model's confident errors are its own").format(
        evidence=f.evidence, fix=settings_text(refuting.verified["fix"]),
        probe=i18n.number(refuting.verified["val_acc"]))) for f in noise]
    return [f for f in findings if f not in noise] + refuted


def _mean_val_acc_to(history, epoch: int, balanced: bool, width: int) -> float:
    """The mean validation accuracy over the `width` epochs that end at `epoch` (0 for one that diverged)."""
    return float(np.mean([_zero_if_nan(_val_acc_at(history, each, balanced))
                          for each in range(max(1, epoch - width + 1), max(1, epoch) + 1)]))


def _val_acc_at(history, epoch: int, balanced: bool = False) -> float:
    """Validation accuracy at the end of `epoch` (the last one reached, if the run ended sooner), or the
    balanced accuracy (mean recall over classes) for a fix of rare classes; NaN for a run that never
    finished an epoch or whose value is not finite (it diverged)."""
    if history is None or not history.epochs_run:
        return math.nan
    row = min(epoch, history.epochs_run) - 1
    value = (float(history.class_recall.view()[row].mean()) if balanced
             else float(history.epoch_column("val_acc")[row]))
    return value if math.isfinite(value) else math.nan


def _added_late(history, epochs: int, balanced: bool) -> float | None:
    """What the second half of a fix's probe added to the best validation accuracy of its first half: about
    nothing once it had stopped learning, so that more epochs with the fix would not have added to what it
    reached. None for a probe shorter than SETTLED_EPOCHS, too short to tell."""
    if history is None or min(epochs, history.epochs_run) < SETTLED_EPOCHS:
        return None
    reached = [_zero_if_nan(_val_acc_at(history, epoch, balanced)) for epoch in range(1, epochs + 1)]
    return max(reached) - max(reached[:math.ceil(len(reached) / 2)])


def _noise(history, accuracy: float) -> float:
    """The difference of validation accuracies that may be chance, at `accuracy` on the run's examples."""
    return max(MAX_LOSS, signals.accuracy_noise(history, accuracy))


def _zero_if_nan(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _ranked_by_effect(findings: list[Finding], effects: dict[str, Effect], epochs: int,
                      injections: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """The findings with each tested fix judged: verified from VERIFIED_GAIN, refuted (never offered) when
    it lost more than its tolerance, else left as it was. A fix that changes every step (EVERY_STEP_FIXES) whose
    gain the run made up by its end (Effect.overtaken) is not verified either (_withdrawn_where_overtaken).
    `injections` holds the faults of the data whose probe took out what a toggle injected (injection_off) rather
    than testing their fix: what they cost is judged, their fix is neither verified nor refuted."""
    judged = []
    for finding in findings:
        effect = effects.get(finding.id)
        if effect is None or finding.id in injections:
            judged.append(finding)
        elif finding.id in EVERY_STEP_FIXES and effect.overtaken:  # the run made up the probe's gain
            judged.append(finding)  # neither verified nor refuted: _withdrawn_where_overtaken
        elif effect.gain >= VERIFIED_GAIN:
            judged.append(dataclasses.replace(finding, confidence="verified", verified={
                "fix": dict(finding.fix), "epochs": epochs, "val_acc": round(effect.probe, 4),
                "baseline_val_acc": round(effect.baseline, 4)}))
        elif effect.refuted:  # the fix made things worse: never offered, and the card says by how much
            others = tuple(f.id for f in findings if f.id != finding.id and not f.caused_by)
            judged.append(dataclasses.replace(finding, fix={}, confidence="possible", candidates=others,
                                              evidence=refuted_evidence(finding, effect, epochs)))
        else:
            judged.append(finding)
    judged = _warned_where_accuracy_lost(_noted_where_no_accuracy_lost(judged, effects, epochs, injections),
                                         effects)
    judged = _withdrawn_where_overtaken(judged, effects, epochs)
    judged = _errors_only_where_the_run_failed(judged, effects, injections)
    # the measured effect of every verified fix: a probe's, or a rule's exact replay (overfitting's early stopping)
    gains = {finding.id: finding.verified["val_acc"] - finding.verified["baseline_val_acc"] for finding in judged
             if finding.confidence == "verified" and finding.verified}
    tolerances = {finding_id: effect.tolerance for finding_id, effect in effects.items()}
    verified = _by_measured_gain([f for f in judged if f.id in gains], gains, tolerances)
    # Verified findings lead the rest, except a fault of the data, which keeps the rules' place (DATA_FAULTS)
    held = {index: finding for index, finding in enumerate(judged)
            if finding.id in DATA_FAULTS and finding.id not in gains and not finding.caused_by}
    rest = iter(verified + [f for index, f in enumerate(judged) if f.id not in gains and index not in held])
    return [held[index] if index in held else next(rest) for index in range(len(judged))]


def _errors_only_where_the_run_failed(findings: list[Finding], effects: dict[str, Effect],
                                     injections: frozenset[str] | set[str]) -> list[Finding]:
    """An error whose one tested cure did worse (refuted), in a run that learned something, becomes a warning:
    the card can no longer say this fault is what failed the run, and a red card beside a run at 0.925 whose
    default-init probe reached 0.887 claimed it did. It stays an error where the run ended at guessing, and
    for a divergence, which is how the run ended. A refuted error is never made a note (a digits run that lost
    13 points to a large init, whose default-init probe did worse at half the epochs, twenty-seventh session).

    The findings whose fix is their claim (CLAIMED_BY_THEIR_FIX) go one step further, from a warning to a note:
    underfitting claims the model lacks capacity or time, and its fix tested more width and twice the epochs (or
    the activation a saturating stack lacks); too much regularization claims the regularizer holds the network
    back, and its fix tested a weaker one. A probe that did worse leaves them only the description. Other
    findings keep their warning: their fix is one cure of several (diagnosis benchmark, seeds 17 and 33-39:
    making every refuted warning a note unwarned 8 failures and quieted no healthy run; underfitting alone
    quieted two MNIST-1D bases at 0.43 and unwarned no failure; too much regularization, seeds 17 and 58-63,
    quieted weight decay 0.03 on an MNIST-1D run at 0.62, above its fault-free base's 0.57, whose weaker decay
    lost 4-6 points at three seeds, and unwarned no failure)."""
    judged = []
    for finding in findings:
        refuted = (finding.id in effects and finding.id not in injections and effects[finding.id].refuted
                   and effects[finding.id].run_learned)
        if refuted and finding.severity == "error" and finding.id != "divergence":
            finding = dataclasses.replace(finding, severity="warning")
        elif refuted and finding.severity == "warning" and finding.id in CLAIMED_BY_THEIR_FIX:
            finding = dataclasses.replace(finding, severity="info")
        judged.append(finding)
    return judged


def _withdrawn_where_overtaken(findings: list[Finding], effects: dict[str, Effect], epochs: int) -> list[Finding]:
    """A fix that changes every step (EVERY_STEP_FIXES) still offered though its probe was not verified, where the
    run, without it, made up the probe's gain by its end (Effect.overtaken: a gain within the noise and a run that
    ended above the probe, or, for rare classes, a run that ended above it by more than the noise): nothing
    measured says it helps, and the class mix or the steps it changes do not catch up later, so it is not
    offered; the card says what its probe measured. The finding keeps its severity
    (rare classes missed are missed) and its place. A note that no accuracy was lost has withdrawn it already
    (_noted_where_no_accuracy_lost).

    Fix benchmark, seeds 58-67 (all seen when this was written): ten such fixes, nine balanced batches on rare
    classes and one lower rate, verified on gains of 2.4-6.0 points within noises of 2.9-7.8; trained in full at
    their own seed they changed validation by -4.0 to +4.0 points, +0.0 on average, three of them lowering it by
    1.6, 3.2 and 4.0 points. Rare classes outrun by the run (Effect.outrun) joined in the forty-first session."""
    judged = []
    for finding in findings:
        effect = effects.get(finding.id)
        if (finding.id in EVERY_STEP_FIXES and finding.fix and finding.confidence != "verified"
                and effect is not None and effect.overtaken):
            finding = dataclasses.replace(finding, fix={}, evidence=overtaken_evidence(finding, effect, epochs))
        judged.append(finding)
    return judged


def _noted_where_no_accuracy_lost(findings: list[Finding], effects: dict[str, Effect], epochs: int,
                                  injections: frozenset[str] | set[str]) -> list[Finding]:
    """Findings whose tested fix would not have ended the run better (Effect.cost_no_accuracy) become notes
    saying so, and their consequences with them (a note already, its consequences may still be warnings):
    the fault may be real and its fix stays offered (it may save epochs), but the run shows no accuracy lost
    to it. So do faults of the data whose injection, taken out, would not have (`injections`).

    A fix that changes every step from the first (EVERY_STEP_FIXES) is withdrawn from such a note where its probe
    was not verified: no further ahead than the run at the probe's epoch, it saved no epochs either, and steadier
    steps or a balanced class mix do not catch up later as a better start does. Fix benchmark, seeds 33-48, the
    fixes offered by such unverified notes: a lower rate or a larger batch, 14, of which 5 removed the finding and
    improved validation and 6 lowered it at their own seed, two on average over ten seeds beyond their standard
    error (a lower rate, -1.6 points, standard error 0.3; a batch of 16 for one of 2, -2.5, standard error 0.6);
    the default init 30, of which 25 removed and improved; a weaker regularizer 23, of which 22. Balanced
    batches joined in the thirty-fourth session (seeds 33-51: 38 such fixes, 14 raising balanced accuracy by
    more than a point at their own seed and 10 lowering it, 1.0-3.5 points; seed 51's lowered it at five seeds
    of ten and raised it at none, -1.3 points on average, standard error 0.5)."""
    costless = {finding.id for finding in findings if finding.id in effects and (
        effects[finding.id].injection_cost_nothing if finding.id in injections
        else (finding.fix and effects[finding.id].cost_no_accuracy)
        # an error says the run failed (it diverged): a note would contradict it (a run that diverged in its
        # last epochs after reaching 0.97, its divergence "possible" once a smaller batch was refuted), unless
        # its validation accuracy ended at a fit (a large init's error on a run at 0.996)
        or (effects[finding.id].refuted_in_a_fit
            and (finding.severity != "error" or effects[finding.id].validation_fits)))}
    noted = []
    for finding in findings:
        if finding.id in costless:
            effect = effects[finding.id]
            evidence = costless_note(
                finding.id in injections, effect.probe > effect.run_end, effect.refuted, effect.balanced).format(
                evidence=finding.evidence, epochs=epochs, probe=i18n.number(effect.probe),
                run_end=i18n.number(effect.run_end), run_epochs=effect.run_epochs)
            withdrawn = (finding.id in EVERY_STEP_FIXES and finding.fix and finding.confidence != "verified"
                         and not effect.refuted)
            if withdrawn:
                evidence = _("{evidence}; by the probe's epoch it was no further ahead than this run, so it saved no "
                             "epochs either: no fix is offered").format(evidence=evidence)
            finding = dataclasses.replace(finding, severity="info", evidence=evidence,
                                          fix={} if withdrawn else finding.fix)
        elif finding.caused_by in costless:
            finding = dataclasses.replace(finding, severity="info")
        noted.append(finding)
    return noted


def _warned_where_accuracy_lost(findings: list[Finding], effects: dict[str, Effect]) -> list[Finding]:
    """Notes whose verified fix measured a cost that shows by the end (Effect.cost_shows) become warnings: a
    rule keeps a finding to a note where its evidence alone cannot tell a cost, and the probe just measured
    one (diagnosis benchmark: 13 more failures warned on seed 12's tune split, 4 on seed 11's held-out one, no
    healthy run on either)."""
    return [dataclasses.replace(finding, severity="warning")
            if finding.severity == "info" and finding.confidence == "verified" and finding.id in effects
            and effects[finding.id].cost_shows else finding for finding in findings]


def _by_measured_gain(verified: list[Finding], gains: dict[str, float],
                      tolerances: dict[str, float]) -> list[Finding]:
    """Verified findings, taken in the rules' order, each moved ahead of those whose gain its own exceeds by
    more than the noise of either: gains within the noise keep the rules' order, which puts causes before
    their consequences (diagnosis benchmark, tune split: a dropout fix and a class weighting lost first place
    to fixes 1.1-1.2 points better on 160 and 287 validation examples, where the noise is 5-8 points)."""
    ordered: list[Finding] = []
    for finding in verified:
        position = len(ordered)
        while position and gains[finding.id] > gains[ordered[position - 1].id] + max(
                tolerances.get(finding.id, MAX_LOSS), tolerances.get(ordered[position - 1].id, MAX_LOSS)):
            position -= 1
        ordered.insert(position, finding)
    return ordered
