"""slow_training: a setting that wastes the machine's time, read from where the steps' time went
(history.timings, measured by training/timing.py).

Wall-clock times on a shared machine vary by factors from one run to the next, so nothing here compares a
time with a fixed budget: the evidence is how one run's own time divided between its phases (what a
busy machine slows alike), and every case needs a setting the fix changes. A run on its defaults can
therefore never get this finding, however loaded the machine was.
"""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import STEP_PHASES, TIMING_COLUMNS, RunHistory, probe_interval
from workbench.core.i18n import _

# Too little measured time to judge its split (a run of a few steps): a scheduler tick is ~4 ms.
MIN_MEASURED_S = 0.1
# Probes: fire when automatic probing would give back at least this share of the steps' time (probing
# every step of a tiny MLP takes 25-40% of it, measured on a loaded 2-core machine; a wasted tenth is
# worth a setting change, and a run with automatic probing cannot get here).
PROBE_SAVING_SHARE = 0.1
# Data: getting the batch takes longer than the forward pass, backward pass and update together
# (measured: 1-9% of a step without augmentation).
DATA_TO_COMPUTE = 1.0
# GPU: batches this small leave a GPU waiting on kernel launches; the fix's batch size.
SMALL_GPU_BATCH = 4
GPU_BATCH_FIX = 32
# Threads: weights x batch below this is far too little work to split across CPU threads (the engine's
# automatic choice uses one thread up to 2**26; 2 threads made a tiny MLP 20x slower on 2 busy cores).
SMALL_WORK = 2**20
COMPUTE = ("forward", "backward", "optimizer")


def _column(rows: np.ndarray, name: str) -> np.ndarray:
    return rows[:, TIMING_COLUMNS.index(name)]


def _seconds(rows: np.ndarray) -> dict[str, float]:
    return {phase: float(np.nansum(_column(rows, f"{phase}_s"))) for phase in STEP_PHASES}


def _phase_names() -> dict[str, str]:
    return {"data": _("data"), "forward": _("forward pass"), "backward": _("backward pass"),
            "optimizer": _("optimizer"), "probes": _("probes")}


def _shares_text(seconds: dict[str, float], total: float) -> str:
    names = _phase_names()
    return i18n.join_list([_("{phase} {share}").format(phase=names[phase], share=i18n.percent(value / total))
                           for phase, value in seconds.items()])


def _weights(history: RunHistory) -> int:
    """Weights between the probed layers (the first layer's inputs are not known here: a lower bound)."""
    widths = [layer.width for layer in history.layers]
    return sum(a * b for a, b in zip(widths, widths[1:], strict=False))


def slow_training(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    rows = history.timings.view()
    if not len(rows):
        return None
    seconds = _seconds(rows)
    total = sum(seconds.values())
    if not math.isfinite(total) or total < MIN_MEASURED_S:
        return None
    speed = float(np.nansum(_column(rows, "samples")) / max(float(np.nansum(_column(rows, "steps_s"))), 1e-12))
    on_gpu = bool(np.isfinite(_column(rows, "gpu_memory_mb")).any())
    for case in (_probes_dominate, _data_slower_than_model, _tiny_gpu_batch, _too_many_threads):
        found = case(history, config, seconds, total, on_gpu)
        if found is not None:
            cause, fix = found
            evidence = _("{cause}; the steps' time split: {shares} ({speed} samples/s)").format(
                cause=cause, shares=_shares_text(seconds, total), speed=i18n.number(speed))
            return Finding("slow_training", "warning", _("A setting wastes the machine's time"), evidence,
                           _why(), fix, 1)
    return None


def _probes_dominate(history, config, seconds, total, on_gpu):
    every = config.train.probe_every
    automatic = probe_interval(0, history.steps_per_epoch)
    if not every or every >= automatic:
        return None
    saving = seconds["probes"] * (1.0 - every / automatic) / total
    if saving < PROBE_SAVING_SHARE:
        return None
    cause = _("probes took {share} of the steps' time with train.probe_every = {every}; automatic probing, "
              "every {automatic} steps here, would give back about {saving} of it").format(
        share=i18n.percent(seconds["probes"] / total), every=every, automatic=automatic,
        saving=i18n.percent(saving))
    return cause, {"train.probe_every": 0}


def _data_slower_than_model(history, config, seconds, total, on_gpu):
    compute = sum(seconds[phase] for phase in COMPUTE)
    if not config.data.augment or seconds["data"] < DATA_TO_COMPUTE * compute:
        return None
    cause = _("getting each batch took {data}, {ratio}x the forward pass, backward pass and update together "
              "({compute}): the augmentation ({augment}) costs more than the model").format(
        data=i18n.percent(seconds["data"] / total), ratio=i18n.number(seconds["data"] / max(compute, 1e-12)),
        compute=i18n.percent(compute / total), augment=", ".join(config.data.augment))
    return cause, {"data.augment": []}


def _tiny_gpu_batch(history, config, seconds, total, on_gpu):
    batch = config.train.batch_size
    if not on_gpu or batch > SMALL_GPU_BATCH:
        return None
    cause = _("batches of {batch} on a GPU: each step launches the same kernels as a large batch would, for "
              "{batch} examples, so the GPU mostly waits").format(batch=batch)
    return cause, {"train.batch_size": GPU_BATCH_FIX}


def _too_many_threads(history, config, seconds, total, on_gpu):
    threads = int(np.nanmax(_column(history.timings.view(), "threads")))
    work = _weights(history) * config.train.batch_size
    if on_gpu or config.train.threads < 2 or threads < 2 or config.model.kind != "mlp" or work >= SMALL_WORK:
        return None
    cause = _("train.threads = {threads} for about {work} multiply-adds per step: work this small is not worth "
              "splitting, the threads mostly wait on each other").format(threads=threads, work=i18n.number(work))
    return cause, {"train.threads": 0}


def _why() -> str:
    return _("Wall-clock time is lost to how the run is set up, not to learning: the fix changes how fast the "
             "same training runs (the Speed view shows where each step's time goes). If instead the steps "
             "are fast but the loss needs many epochs, that is slow convergence, a different cause: see "
             "vanishing gradients (early layers barely learn), a learning rate that is too low, or a deep "
             "network without batch normalization, which speeds convergence.")
