"""Running a variant of a run: the same configuration, seeds and data order with some overrides, from
step 0 or from a kept epoch's state (training/state.py). The result is a Run like any other (cancellable
through its control, written to a run directory when given one). The diagnosis's counterfactual probes,
forks, the learning-rate finder and sweep trials are variants.

From step 0, the same seeds give the same data order and initial weights by construction. From an epoch
the parent kept, the variant starts with the parent's weights, optimizer and scheduler state, random
generators and records up to that epoch, so that with no override it continues exactly as the parent did.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.core.experiment.config import ConfigError, apply_overrides
from workbench.core.hooks import Callback
from workbench.core.i18n import _
from workbench.core.training.engine import Run
from workbench.core.training.state import TrainingState

# A variant resumed mid-run keeps the parent's network and data, so only these tables may change (meta
# only names and describes), and these keys of others (dropout has no weights: a resumed network takes
# a new rate as it is).
RESUMABLE_TABLES = ("train", "meta")
RESUMABLE_KEYS = ("model.dropout",)


def variant(parent_config, overrides: dict[str, Any], *, start: TrainingState | None = None,
            run_dir: Path | None = None, control=None, callbacks: Iterable[Callback] = ()):
    """An unstarted Run of `parent_config` with `overrides` (experiment-file keys), from step 0 or from
    `start`. ConfigError when an override cannot apply mid-run (the network or the data would change)."""
    if start is not None:
        check_resumable(overrides, start.epoch)
    config = apply_overrides(parent_config, overrides)
    return Run(config, run_dir=run_dir, control=control, callbacks=callbacks, start=start)


def check_resumable(overrides: dict[str, Any], epoch: int) -> None:
    """ConfigError naming each override that a run continued from `epoch` cannot take."""
    changed = sorted(key for key in overrides
                     if key.split(".", 1)[0] not in RESUMABLE_TABLES and key not in RESUMABLE_KEYS)
    if changed:
        raise ConfigError([_("{key}: changes the network or the data, so a variant with it must start from step "
                             "0, not from epoch {epoch}").format(key=key, epoch=epoch) for key in changed])
