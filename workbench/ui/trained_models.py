"""The trained model of a run, for the views that look inside it (Filters, Neurons) and for trying it (a
click on the plane, a drawn digit, the ONNX export): built from the run's newest weights (core/training/
trained.py: the epoch end the app kept while it trains, model.pt once it has ended) and facts about its
inputs, which need its data and are read on a background thread.

`model_of(run)` answers at once: the model, or a sentence saying why there is none yet; `changed` fires
when facts that were being read arrive, so that a view asks again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from workbench.ui.worker import call_in_background

FACTS_KEPT = 8  # runs whose input facts stay cached (their data is not: only its shape, scale and one example)


class TrainedModels(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        # the epoch states the app keeps of a run (forking.EpochStatesByRun.of), set by the window's wiring
        self.kept_states_of: Callable[[object], object] = lambda _run: None
        # id(run) -> (run, InputFacts or the sentence why they are missing): the run kept, so an id is never reused
        self._facts: dict[int, tuple[object, object]] = {}
        self._loading: set[int] = set()
        self._models: dict[int, tuple[object, str, object]] = {}  # id(run) -> (run, weights key, TrainedModel)

    def model_of(self, run):
        """The run's TrainedModel with its newest weights, or a sentence: loading, not kept, failed."""
        if run is None or run.config is None:
            return self.tr("No run is shown.")
        from workbench.core.status import RunStatus
        from workbench.core.training.trained import TrainedModel, weights_source

        source = weights_source(run, self.kept_states_of(run))
        if source is None and run.status == RunStatus.RUNNING:
            return self.tr("Shown from the end of the first epoch: the weights are taken at each epoch end.")
        if source is None:
            return self.tr("This run's weights were not kept: runs saved before Workbench wrote model.pt, and "
                           "runs whose folder could not be written, have none to look at.")
        facts = self._facts_of(run)
        if isinstance(facts, str):
            return facts
        cached = self._models.get(id(run))
        if cached is not None and cached[0] is run and cached[1] == source.key:
            return cached[2]
        try:
            model = TrainedModel(run.config, facts, source.load(), source.epoch)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            return self.tr("The weights of this run could not be read: {error}").format(error=error)
        self._models[id(run)] = (run, source.key, model)
        if len(self._models) > FACTS_KEPT:
            del self._models[next(iter(self._models))]
        return model

    def _facts_of(self, run):
        cached = self._facts.get(id(run))
        if cached is not None and cached[0] is run:
            return cached[1]
        if id(run) not in self._loading:
            self._loading.add(id(run))
            config = run.config
            call_in_background(lambda: _read_facts(config), self,
                               lambda result: self._facts_read(run, result),
                               lambda error: self._facts_read(run, str(error)))
        return self.tr("Reading the run's data…")

    def _facts_read(self, run, facts) -> None:
        self._loading.discard(id(run))
        self._facts[id(run)] = (run, facts if not isinstance(facts, str) else self.tr(
            "The run's data could not be read: {error}").format(error=facts))
        while len(self._facts) > FACTS_KEPT:
            del self._facts[next(iter(self._facts))]
        self.changed.emit()


def _read_facts(config):
    from workbench.core.training.trained import input_facts

    return input_facts(config)
