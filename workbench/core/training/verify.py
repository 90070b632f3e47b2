"""Verified diagnosis: test the leading causes as an engineer would, by running their fixes.

For each leading finding with a fix, a short counterfactual run of the same experiment (same seeds and
data order, the fix applied, together at most half of the epochs) is compared with the run's own validation
accuracy at the same epoch. A fix that measurably helps makes its finding `verified` and the findings are
ranked by the measured effect; a fix that made validation worse is never offered; one that changed nothing
leaves the finding `likely`. Where the whole run ended at or above what its fix reached, the fault cost no
accuracy that shows, and its warning becomes a note that says so. Faults that only show late (overfitting,
late collapse, label noise) cannot be confirmed by a short run and stay as the evidence says; but where a
toggle injected a fault into the data (noisy labels), the experiment without it measures what the fault cost,
and one that cost nothing that shows becomes a note too. The probes run through the run's own control, so
Stop cancels them.

This module runs the probes; probe_plan.py says which findings are tested and for how long, and
probe_judgement.py judges the findings by what the probes measured (probe_effect.Effect)."""

from __future__ import annotations

from collections.abc import Callable

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig, apply_overrides
from workbench.core.hooks import FixTest
from workbench.core.training.probe_judgement import judged_by_probes
from workbench.core.training.probe_plan import DATA_FAULTS, injection_off, probe_plan, settings_text


def verify_findings(run, make_probe: Callable[[ExperimentConfig], object],
                    report: Callable[[FixTest], None] | None = None) -> list[Finding]:
    """The run's findings with their fixes tested; `make_probe(config)` builds an unstarted run sharing
    the run's control (so that stopping the run stops its probes); `report` hears each probe as it starts.
    Findings whose probes would be the same experiment share one (probe_plan.probes_needed)."""
    groups: dict[str, list[tuple[Finding, dict]]] = {}
    for finding, overrides in probe_plan(run):
        groups.setdefault(repr(sorted(overrides.items())), []).append((finding, overrides))
    probed = {}
    for index, group in enumerate(groups.values(), start=1):
        if run.control.stop_requested:
            break
        finding, overrides = group[0]
        config = apply_overrides(run.config, overrides)
        if report is not None:
            without = injection_off(finding, run.config) if finding.id in DATA_FAULTS else {}
            report(FixTest(finding.id, finding.title, index, len(groups), config.train.epochs,
                           without=settings_text(without)))
        probe = make_probe(config)
        probe.fit()
        if probe.status == "stopped":
            break
        probed.update({each.id: probe.history for each, _overrides in group})
    return judged_by_probes(run, probed)
