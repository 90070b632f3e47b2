"""What a fix's probe measured against the run it tests, and what that says of the fault: verified (the fix
helped), refuted (it made validation worse), or a cost that shows, or does not, by the run's end. verify.py
runs the probes; probe_judgement.py judges the findings by these."""

from __future__ import annotations

import dataclasses
import math

from workbench.core.diagnosis.finding import VERIFIED_GAIN

# Validation accuracy a fix must lose to count as harmful (a verified one adds finding.VERIFIED_GAIN): at
# least this, and more than the sampling noise of an accuracy on the run's validation examples
# (signals.accuracy_noise: fix benchmark, seed 3's tune split: probes 1-2 points below a run's lucky epoch
# on 160 examples refuted a learning rate, a dropout and a shuffle that then gained 7-37 points in full).
MAX_LOSS = 0.01


@dataclasses.dataclass(frozen=True)
class Effect:
    """What a probe measured: validation accuracy with the fix after the probe's epochs, the run's own at the
    same epoch, and the loss within which a difference may be chance; the run's own at its end (after
    run_epochs) with the noise there, whether the run ended fitting its data (signals.fits_well), and what
    guessing scores."""

    probe: float
    baseline: float
    tolerance: float = MAX_LOSS
    run_end: float | None = None
    run_epochs: int = 0
    end_tolerance: float = MAX_LOSS
    run_fits: bool = False
    nearly_fits: bool = False  # the run ended near a fit of its data (signals.fits_well at probe_judgement.NEARLY_FITS_SKILL)
    validation_fits: bool = False  # its validation accuracy ended at a fit, whatever training did (signals.validation_fits)
    fix_learning: bool = False  # the probe's second half added more than the noise to its first half's best
    fix_settled: bool = False  # the probe had stopped learning, in a run that nearly fit (probe_judgement.NEARLY_FITS_SKILL)
    fix_plateaued: bool = False  # ... and its second half added less than VERIFIED_GAIN to its first's best
    end_gap: float = math.inf  # the mean of the probe's last probe_judgement.MEAN_EPOCHS epochs less the run's
    chance: float = 0.0
    balanced: bool = False  # judged by balanced accuracy (finding.JUDGED_BALANCED: rare classes)

    @property
    def gain(self) -> float:
        return self.probe - self.baseline

    @property
    def run_learned(self) -> bool:
        """The run's end beats guessing by more than the noise there."""
        return self.run_end is not None and self.run_end - self.chance > self.end_tolerance

    @property
    def cost_shows(self) -> bool:
        """Whether the fix, verified at the probe's epoch, also reached more than the whole run did by its end,
        by more than the noise: the fault cost accuracy that shows, whatever its rule made of the evidence."""
        return self.rare_classes_gained or (self.run_end is not None and self.gain >= VERIFIED_GAIN
                                            and self.probe - self.run_end > self.end_tolerance)

    @property
    def rare_classes_gained(self) -> bool:
        """A fix for rare classes raised balanced accuracy by VERIFIED_GAIN at the probe's epoch: the rare classes'
        recall, measurably short of what the same epochs give with balanced batches. The class mix is in every
        batch the run takes, so more epochs of it do not make that up, and the run's end, ahead of a probe half
        as long, is no evidence that nothing was lost (twenty-seventh session, diagnosis benchmark: such
        findings were notes, most saying no accuracy was lost, on 39 failures of fourteen held-out draws that
        lost 3-25 points to a 10:1-100:1 imbalance, and on no healthy run)."""
        return self.balanced and self.gain >= VERIFIED_GAIN

    @property
    def overtaken(self) -> bool:
        """A gain of VERIFIED_GAIN or more at the probe's epoch that the run itself, without the fix, made up by its
        end: still within the sampling noise at the probe's epoch, where the run went on to end above what the probe
        reached; or, for a fix of rare classes (judged by balanced accuracy), beyond that noise, where the run ended
        above the probe by more than the noise at its end (outrun). Nothing measured says the fix ends the run
        higher. For a fix that changes every step (probe_judgement.EVERY_STEP_FIXES) such a probe is no
        verification (probe_judgement._withdrawn_where_overtaken)."""
        if self.run_end is None or self.gain < VERIFIED_GAIN:
            return False
        return self.probe < self.run_end if self.gain < self.tolerance else self.outrun

    @property
    def outrun(self) -> bool:
        """A fix of rare classes whose probe's gain was beyond the noise, in a run that, on its imbalanced batches,
        ended above what the probe reached by more than the noise there: the run, without the fix, got further on
        its own than the fix had shown it would (fix benchmark, seeds 58-72, all seen when this was written: five
        balanced-batch fixes so verified, on MNIST-1D and circles at 10:1-100:1, changed balanced validation
        accuracy by -6.4 to -0.7 points at their own seed, -2.5 on average; a lower rate and a larger batch so
        verified gained 12.6 and 2.5, so steadier steps are not judged by it)."""
        return (self.balanced and self.run_end is not None
                and self.run_end - self.probe > self.end_tolerance)

    @property
    def refuted(self) -> bool:
        """The fix made validation worse by more than the noise; where the run fell after the probe's epoch
        (it collapsed or diverged later), worse than the run's end too. A probe that ended before the fault
        showed tests how fast the fix learns, not whether it prevents the fall (diagnosis benchmark, seed 23's
        tune split: batch size 1 on moons at 1.0 by its third epoch, NaN in its seventh; a larger batch and a
        lower rate, three epochs each, reached 0.84 against the run's 1.0 at that epoch and were both
        withdrawn, leaving the one-click fix to the underfitting the divergence caused (a wider network that
        diverged too, where a batch of 16 reached 0.96). Judged on all ten draws, no first finding or alarm
        of a failure or a healthy run moved; on the fix benchmark that one case changed)."""
        if self.gain > -self.tolerance:
            return False
        fell_later = self.run_end is not None and self.run_end < self.baseline - self.tolerance
        return not fell_later or self.probe < self.run_end - self.end_tolerance

    @property
    def refuted_in_a_fit(self) -> bool:
        """A refuted fix, in a run that ended near a fit of its data anyway: whatever the fault, no accuracy lost
        to it shows, and the one fix that was tested would have cost some. A refuted fix alone says nothing
        about a fault's cost (a learning rate refuted at its probe's epoch cost 24 points by the end of a run
        at 0.76); a run that nearly fits is the evidence (diagnosis benchmark, seed 14's held-out split: a
        learning rate "too high" on a run at 0.988, where 0.996 was the fault-free base, stayed a warning when
        its probe lost 1.7 points at the seventh epoch).

        "Near a fit" is probe_judgement.NEARLY_FITS_SKILL, as for a fix that stopped learning where the run ended; it
        was a fit's own skill (signals.validation_fits) until the twenty-sixth session. Eleven judged draws:
        warnings on healthy runs 35 -> 32 of 2,575 (batches of 1-2 on XOR ending at 0.92-0.93, skill 0.84-0.86,
        whose larger batch's probe did worse), one failure of 2,867 unwarned (Adam at 0.5 on XOR, ending at
        0.90: 4 points lost at its own seed, 1 and 10 at two others; its lower rate's probe did worse)."""
        return self.refuted and (self.nearly_fits or self.validation_fits)

    @property
    def injection_cost_nothing(self) -> bool:
        """For a fault a toggle injected into the data, probed without it (means of the last epochs, see
        probe_judgement.MEAN_EPOCHS): the run, having learned something, was no better without the injection at the
        probe's epoch (a gain under VERIFIED_GAIN) and ended within the noise of what that reached or above it."""
        return self.run_learned and self.gain < VERIFIED_GAIN and self.probe - self.run_end <= self.end_tolerance

    @property
    def cost_no_accuracy(self) -> bool:
        """Whether the run, having learned something (its end beats guessing by more than the noise), ended at
        or above what its fix reached in a fraction of the epochs: the fault, if real, cost no accuracy that
        shows by the end. Diagnosis benchmark, seed 0: on the held-out split the warnings on healthy runs (41
        of 44 of them injected faults that did no harm, a large or tiny init on a set whose noise caps
        accuracy) fell 44 -> 22 of 304, while 19 of 258 failures kept their finding only as a note (10 of
        330 on the tune split); requiring the probe to beat the run's end by the noise instead kept 31 and
        25 failures from a warning. A run left at chance is harmed, whatever its probe reached.

        A run that ended fitting its data also shows no cost where its fix changed nothing measurable
        (a gain under VERIFIED_GAIN at the probe's epoch) and the fix's end is within the noise of the
        run's: tenth session, four held-out draws, warnings on healthy runs 91 -> 83 of 1,207 (faults that
        did 0-2.5 points of harm: 0.921 against a probe's 0.925 on 240 examples), no failure lost its
        warning on any split; without the fit, 22 fewer but 10 failures unwarned, some that lost 9-40
        points.

        So does a run that nearly fit where the fix's probe had stopped learning at the level the run ended
        at (thirteenth session, diagnosis benchmark with three-seed labels; probe_judgement.NEARLY_FITS_SKILL chosen on the
        tune splits of seeds 7 and 8, where 1 failure of 639 lost its warning). Held out: seeds 7 and 8
        (seen while choosing) warnings on healthy runs 23 -> 16 of 472, faults of a small harm 33 -> 25 of 90,
        3 of 577 failures unwarned (harm at their own seed 0-3.8 points); seed 9, a fresh draw judged once,
        4 -> 3 of 246, 11 -> 9 of 47, and 2 of 278 failures unwarned (4.2 and 5.0 points: fixes that stopped
        short of the fault-free run, whose notes now say that no lost accuracy shows).

        And so does a run that nearly fit, whatever its fix gained at the probe's epoch, where the fix's probe
        stopped learning (its second half added under VERIFIED_GAIN) and the run's last three epochs ended
        within VERIFIED_GAIN of the probe's last three: the fault cost time, not accuracy (eighteenth
        session: a zero init that held a run at guessing for four epochs before it reached 0.95, against a
        probe's 0.96). Seed 12's tune split unchanged; the seen held-out draws of seeds 11-14, warnings on
        healthy runs 20 -> 15 of 919, 4 of 1,167 failures unwarned (0-5 points at their own seed); seed
        15, a fresh draw judged once, 2 -> 1 of 224 and no failure unwarned. Single epochs instead of means,
        or the noise instead of VERIFIED_GAIN, unwarned 24 failures for 7 healthy runs.

        A run that did not fit, ending at or below a fix's probe that was still learning (its second half added
        more than the noise to its first half's best) and had gained VERIFIED_GAIN at its epoch, matches only
        a fix stopped early: no evidence that nothing was lost (twentieth session: notes saying no accuracy
        lost on 100:1 class imbalance that cost 21-53 points, on a 1e-3 init that cost 10). Seed 12's tune
        split 309 -> 313 of 374 failures warned, healthy runs still 0 of 156; the seen held-out draws of
        seeds 8-16, 2,223 -> 2,241 of 2,562 failures warned, healthy alarms 27 -> 34 of 2,122; seed 17, a
        fresh draw judged once, 251 -> 254 of 281 and 3 -> 3 of 234. A run that fit has no room left to
        lose: without that exception, one more healthy alarm (dropout on a run that ended at 1.0)."""
        if not self.run_learned or self.rare_classes_gained:
            return False
        if self.probe <= self.run_end:
            return self.run_fits or not (self.fix_learning and self.gain >= VERIFIED_GAIN)
        if self.probe - self.run_end > self.end_tolerance:
            return False
        return ((self.run_fits or self.fix_settled) and self.gain < VERIFIED_GAIN
                or self.fix_plateaued and self.end_gap < VERIFIED_GAIN)
