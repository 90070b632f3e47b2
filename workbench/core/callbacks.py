"""The hook protocol of the engine: typed no-op methods, called at probe points and epoch ends.

Early stopping, live diagnosis and the run-directory writer are ordinary callbacks. Stopping is a
`should_stop` flag the engine reads, never an exception.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.engine import Run


class Callback:
    should_stop: bool = False

    def on_fit_start(self, run: Run) -> None:
        """Data and model are ready, step-0 statistics recorded, nothing trained yet."""

    def on_probe(self, run: Run) -> None:
        """Per-layer probes were just recorded (every few steps)."""

    def on_epoch_end(self, run: Run, epoch: int) -> None:
        """The epoch's metrics row was appended to run.history.epochs."""

    def on_fit_end(self, run: Run) -> None:
        """Training is over (any status); run.status and final metrics are set."""


class EarlyStopping(Callback):
    """Stops when validation loss has not improved for `patience` epochs; remembers the best weights."""

    def __init__(self, patience: int):
        self.patience = patience
        self.best_loss = math.inf
        self.best_epoch = 0
        self.best_state: dict | None = None

    def on_epoch_end(self, run: Run, epoch: int) -> None:
        val_loss = float(run.history.epoch_column("val_loss")[-1])
        if math.isfinite(val_loss) and val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, epoch
            self.best_state = {k: v.detach().clone() for k, v in run.model.state_dict().items()}
        elif epoch - self.best_epoch >= self.patience:
            self.should_stop = True

    def restore_best(self, run: Run) -> bool:
        if self.best_state is None:
            return False
        run.model.load_state_dict(self.best_state)
        run.history.events.append(f"restored the weights of epoch {self.best_epoch} (best validation loss)")
        return True


class LiveDiagnosis(Callback):
    """Runs the live rules at epoch ends and at probes (at most every LIVE_INTERVAL_S); keeps new ids."""

    LIVE_INTERVAL_S = 0.5  # a person cannot read faster; keeps the rules' cost negligible

    def __init__(self):
        self._last_check = -math.inf

    def on_fit_start(self, run: Run) -> None:
        self._check(run)

    def on_probe(self, run: Run) -> None:
        import time

        now = time.perf_counter()
        if now - self._last_check >= self.LIVE_INTERVAL_S:
            self._last_check = now
            self._check(run)

    def on_epoch_end(self, run: Run, epoch: int) -> None:
        self._check(run)

    def _check(self, run: Run) -> None:
        from workbench.core.diagnosis import live_findings

        run.add_findings(live_findings(run.history, run.config))
