"""Findings that follow a setting the user changed while the run trained (history.changes, events.csv).

A run steered mid-way is judged with the settings it ended with (a learning rate raised to 5 is a high
rate, whatever config.toml started with). A finding whose rule did not fire on the records from before
the change, and that a change in its direction explains (a rate raised before lr_too_high, weight decay
raised before over_regularized), says so in its evidence, and its fix undoes that change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from workbench.core import i18n
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment import derived
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory, SettingChange
from workbench.core.i18n import _

# finding id -> the key whose change can cause it, and the direction of that change (+1 raised, -1 lowered)
EXPLAINED_BY = {
    "lr_too_high": ("train.lr", +1),
    "divergence": ("train.lr", +1),
    "exploding_gradients": ("train.lr", +1),
    "dead_relu": ("train.lr", +1),
    "late_collapse": ("train.lr", +1),
    "lr_too_low": ("train.lr", -1),
    "loss_plateau": ("train.lr", -1),
    "over_regularized": ("train.weight_decay", +1),
    "underfitting": ("model.dropout", +1),
}


def steered_config(config: ExperimentConfig, history: RunHistory) -> ExperimentConfig:
    """The configuration with the settings in effect at the run's end (config itself when none changed)."""
    if not history.own_changes:
        return config
    return derived.steered(config, derived.settings_at(config, history.own_changes, history.steps))


def explain_user_changes(findings: list[Finding], history: RunHistory, config: ExperimentConfig,
                         rule_of: Callable[[str], Callable]) -> list[Finding]:
    """`findings` with those that follow a user's change labelled (evidence) and their fix undoing it.
    `config` is the starting configuration; `rule_of(id)` the rule that made a finding."""
    if not history.own_changes:
        return findings
    return [_explained(finding, history, config, rule_of) for finding in findings]


def _explained(finding: Finding, history: RunHistory, config: ExperimentConfig,
               rule_of: Callable[[str], Callable]) -> Finding:
    if finding.id not in EXPLAINED_BY:
        return finding
    key, direction = EXPLAINED_BY[finding.id]
    change = next((change for change in reversed(history.own_changes)
                   if change.key == key and (change.new - change.old) * direction > 0), None)
    if change is None or _fired_before(finding.id, change, history, config, rule_of):
        return finding
    clause = _("it follows your change of {key} from {old} to {new} at step {step} (epoch {epoch})").format(
        key=key, old=i18n.number(change.old), new=i18n.number(change.new), step=change.step, epoch=change.epoch)
    fix = dict(finding.fix)
    if key in fix or not fix:
        fix = {key: change.old}  # undo the change: the run was on its way without it
    return dataclasses.replace(finding, evidence=i18n.join_clauses([finding.evidence, clause]), fix=fix,
                               epoch=max(finding.epoch, change.epoch))


def _fired_before(finding_id: str, change: SettingChange, history: RunHistory, config: ExperimentConfig,
                  rule_of: Callable[[str], Callable]) -> bool:
    """Whether the rule already fired on the records up to the change, with the settings then in effect."""
    finished = change.epoch - 1  # epochs completed before the change
    if finished < 1:
        return False
    before = history.prefix(finished, change.step)
    before.status = "running"
    settings = derived.settings_at(config, [earlier for earlier in history.own_changes if earlier.step < change.step],
                                   change.step)
    return rule_of(finding_id)(before, derived.steered(config, settings)) is not None
