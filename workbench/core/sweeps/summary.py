"""What a sweep found: its configurations ranked by validation accuracy (mean ± std over seeds), each with
its diagnosis, which swept setting explains most of the variation in validation accuracy, and the
configurations the diagnosis flagged. `workbench sweep` prints format_summary(); the numbers are for any
other view of a sweep.

"What matters" is a one-way variance decomposition: for each swept key, the share of the variance of
validation accuracy over all trials that the key's value alone explains (the spread of the means of the
trials grouped by that value), the share left between seeds of one configuration, and the rest, which is
how the settings act together. A random range is grouped into quartiles of its drawn values.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass

import numpy as np

from workbench.core.i18n import _, columns, ljust, percent
from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import SweepPlan, setting_text, settings_label
from workbench.core.sweeps.results import PENDING, TrialResult

HEALTHY = "healthy"  # the diagnosis column's word for a trial that ended well with no finding (an id-like word)
RANGE_BINS = 4  # a random range's drawn values are grouped into quartiles
ALARMS = ("error", "warning")  # findings that flag a configuration (info findings do not)
SEEDS, INTERPLAY = "seeds", "interplay"  # what_matters()' shares beside the swept keys


@dataclass
class Configuration:
    """The trials of one set of swept values, over the seeds."""

    settings: dict
    results: list[TrialResult]

    @property
    def ran(self) -> list[TrialResult]:
        return [result for result in self.results if result.status != PENDING]

    @property
    def counted(self) -> list[TrialResult]:
        """The trials whose numbers count: ended with a result, not stopped or failed."""
        return [result for result in self.results if result.has_result]

    @property
    def accuracies(self) -> list[float]:
        return [result.val_acc for result in self.counted if result.val_acc is not None]

    @property
    def mean_accuracy(self) -> float | None:
        return statistics.fmean(self.accuracies) if self.accuracies else None

    @property
    def accuracy_spread(self) -> float | None:
        """The standard deviation over seeds (None with fewer than two)."""
        return statistics.stdev(self.accuracies) if len(self.accuracies) > 1 else None

    @property
    def mean_loss(self) -> float | None:
        losses = [result.final.get("val_loss") for result in self.counted]
        finite = [loss for loss in losses if isinstance(loss, int | float) and np.isfinite(loss)]
        return statistics.fmean(finite) if finite else None

    @property
    def outcomes(self) -> Counter:
        """Each ran trial's primary finding, "healthy", or how it ended when it ended without either."""
        return Counter(_outcome(result) for result in self.ran)

    @property
    def alarms(self) -> Counter:
        return Counter(result.first_finding for result in self.ran
                       if result.findings and result.findings[0].severity in ALARMS)


def _outcome(result: TrialResult) -> str:
    if result.first_finding:
        return result.first_finding
    return HEALTHY if RunStatus(result.status).finished_well else result.status


def configurations(results: list[TrialResult]) -> list[Configuration]:
    """The trials grouped by their settings, best mean validation accuracy first (none at all last)."""
    groups: dict[str, Configuration] = {}
    for result in results:
        key = json.dumps(result.trial.settings, sort_keys=True)
        groups.setdefault(key, Configuration(result.trial.settings, [])).results.append(result)
    return sorted(groups.values(), key=lambda group: (group.mean_accuracy is None, -(group.mean_accuracy or 0.0)))


def variance_shares(plan: SweepPlan, results: list[TrialResult]) -> dict[str, float]:
    """The share of the variance of validation accuracy each swept key explains alone, and under "seeds"
    the share between seeds of one configuration; {} when the accuracies do not vary."""
    scored = [result for result in results if result.has_result and result.val_acc is not None]
    accuracy = np.array([result.val_acc for result in scored])
    total = float(((accuracy - accuracy.mean()) ** 2).sum()) if len(scored) > 1 else 0.0
    if total <= 1e-12:
        return {}
    shares = {}
    for key in plan.keys:
        values = [result.trial.settings[key] for result in scored]
        if len({json.dumps(value) for value in values}) > 1:  # a key that kept one value explains nothing
            shares[key] = _between(accuracy, _groups(values, ranged=key in plan.ranged_keys)) / total
    by_settings = [json.dumps(result.trial.settings, sort_keys=True) for result in scored]
    if len(set(by_settings)) < len(scored):  # several seeds of a configuration: their spread is noise
        shares[SEEDS] = 1 - _between(accuracy, _groups(by_settings, ranged=False)) / total
    return shares


def _groups(values: list, *, ranged: bool) -> np.ndarray:
    """A group number per trial: by value, or for a random range by quartile of the drawn values."""
    if ranged:
        edges = np.quantile(np.asarray(values, dtype=float), np.linspace(0, 1, RANGE_BINS + 1)[1:-1])
        return np.searchsorted(edges, np.asarray(values, dtype=float), side="right")
    labels = [json.dumps(value, sort_keys=True) for value in values]
    return np.array([sorted(set(labels)).index(label) for label in labels])


def _between(values: np.ndarray, groups: np.ndarray) -> float:
    """The sum of squares between the groups' means: what the grouping explains."""
    mean = values.mean()
    return float(sum(len(values[groups == group]) * (values[groups == group].mean() - mean) ** 2
                     for group in np.unique(groups)))


def what_matters(plan: SweepPlan, results: list[TrialResult]) -> list[tuple[str, float]]:
    """variance_shares() with the rest, the settings acting together, under INTERPLAY, largest share first."""
    shares = variance_shares(plan, results)
    if not shares:
        return []
    interplay = 1 - sum(shares.values())
    if interplay > 0.005:  # a balanced grid splits the variance exactly; rounding leaves a crumb
        shares[INTERPLAY] = interplay
    return sorted(shares.items(), key=lambda item: -item[1])


def share_name(key: str) -> str:
    """How what_matters() names a share: a swept key as it is, seeds and the interplay in words."""
    return {SEEDS: _("seeds"), INTERPLAY: _("the settings together (interplay)")}.get(key, key)


def flagged_configurations(results: list[TrialResult]) -> list[Configuration]:
    """The configurations with a trial whose primary finding is an error or a warning, best first."""
    return [configuration for configuration in configurations(results) if configuration.alarms]


# -- the printed summary -------------------------------------------------------------------------------

def _accuracy_text(configuration: Configuration) -> str:
    mean, spread = configuration.mean_accuracy, configuration.accuracy_spread
    if mean is None:
        return "–"
    return f"{mean * 100:.1f}% ± {spread * 100:.1f}" if spread is not None else f"{mean * 100:.1f}%"


def _outcomes_text(configuration: Configuration) -> str:
    outcomes, count = configuration.outcomes, len(configuration.ran)
    if not outcomes:
        return PENDING
    if len(outcomes) == 1:  # every seed agrees
        return next(iter(outcomes))
    return ", ".join(f"{outcome} {times}/{count}" for outcome, times in outcomes.most_common())


def format_table(plan: SweepPlan, results: list[TrialResult]) -> str:
    """One line per configuration, best validation accuracy first."""
    header = [*plan.keys, _("val acc"), _("val loss"), _("trials"), _("diagnosis")]
    rows = []
    for configuration in configurations(results):
        loss = configuration.mean_loss
        rows.append([*(setting_text(configuration.settings[key]) for key in plan.keys), _accuracy_text(configuration),
                     "–" if loss is None else f"{loss:.3f}",
                     f"{len(configuration.counted)}/{len(configuration.results)}", _outcomes_text(configuration)])
    widths = [max(columns(row[column]) for row in [header, *rows]) for column in range(len(header))]
    return "\n".join("  ".join(ljust(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
                     for row in [header, *rows])


def format_summary(plan: SweepPlan, results: list[TrialResult]) -> str:
    """The table, what matters, the flagged configurations and the failed trials' reasons."""
    lines = [format_table(plan, results)]
    shares = what_matters(plan, results)
    if shares:
        lines += ["", _("What matters (share of the variance in validation accuracy):")]
        named = {key: share_name(key) for key in [*plan.keys, SEEDS, *(key for key, _share in shares)]}
        width = max(columns(name) for name in named.values())
        lines += [f"  {ljust(named[key], width)}  {percent(share).rjust(4)}" for key, share in shares]
    flagged = flagged_configurations(results)
    if flagged:
        lines += ["", _("Flagged by the diagnosis:")]
        lines += [_("  {settings}: {findings}").format(
            settings=settings_label(configuration.settings) or plan.name,
            findings=", ".join(f"{finding} {times}/{len(configuration.ran)}"
                               for finding, times in configuration.alarms.most_common()))
            for configuration in flagged]
    failed = [result for result in results if result.failed]
    if failed:
        lines += ["", _("Failed trials:")]
        lines += [_("  {trial}: {error}").format(trial=result.trial.id, error=result.error or "–") for result in failed]
    return "\n".join(lines)
