"""What a run trains with besides its loop: the device, the CPU threads, the one garbage-collector freeze,
the pause/stop control the GUI sets, and the reports the loop yields."""

from __future__ import annotations

import gc
import os
import threading
import time
from dataclasses import dataclass, field

import torch

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ConfigError
from workbench.core.i18n import _

# Multiply-adds per step (batch size x parameters) below which one CPU thread is used: a rough bound
# under which each operation is too small to split across threads (every toy-set and digits preset).
PARALLEL_WORK_THRESHOLD = 2**26


_torch_objects_frozen = False


def freeze_torch_objects_once() -> None:
    """torch creates ~230k objects at the first optimizer step; freezing them keeps full garbage
    collections (which stall the GUI thread too) short. DESIGN.md, measured pitfalls.

    Once per process: a freeze also pins every object alive at that moment, including the current run's,
    and the reference cycles among those are never collected (~165 objects per run, measured with
    tests/bench/soak_core.py when every run froze)."""
    global _torch_objects_frozen
    if not _torch_objects_frozen:
        gc.freeze()
        _torch_objects_frozen = True


class RunControl:
    """Thread-safe pause/stop flags and the queue of settings to steer (training/steering.py): the GUI
    sets them, the training loop reads them every step."""

    def __init__(self):
        self._resume = threading.Event()
        self._resume.set()
        self.stop_requested = False
        self._lock = threading.Lock()
        self._requested_changes: list[tuple[str, float]] = []
        self.changes_pending = False  # read every step without the lock: a plain flag is enough there

    def request_change(self, key: str, value: float) -> None:
        """Ask the loop to set `key` (checked by steering.check_change) before its next step."""
        with self._lock:
            self._requested_changes.append((key, value))
            self.changes_pending = True

    def take_changes(self) -> list[tuple[str, float]]:
        """The changes asked for since the last call, oldest first (the training loop's side)."""
        with self._lock:
            taken, self._requested_changes = self._requested_changes, []
            self.changes_pending = False
        return taken

    def request_stop(self) -> None:
        self.stop_requested = True
        self._resume.set()

    def pause(self) -> None:
        self._resume.clear()

    def resume(self) -> None:
        self._resume.set()

    @property
    def paused(self) -> bool:
        return not self._resume.is_set()

    def wait_while_paused(self) -> float:
        """Block while the run is paused; the seconds it blocked (0 when it was not paused)."""
        if self._resume.is_set():
            return 0.0
        started = time.perf_counter()
        self._resume.wait()
        return time.perf_counter() - started


@dataclass
class StepReport:
    step: int
    epoch: int
    loss: float
    steps_per_s: float


@dataclass
class TrainingLoop:
    """What the loop trains with besides the model and data: callbacks that keep or restore a training
    state (training/variants.py) reach it as `run.loop`."""

    optimizer: torch.optim.Optimizer
    scheduler: object | None
    order_generator: torch.Generator  # the order of each epoch's batches
    augment_generator: torch.Generator


@dataclass
class EpochReport:
    epoch: int
    metrics: dict[str, float]
    findings: list[Finding] = field(default_factory=list)


def choose_device(name: str) -> torch.device:
    """`auto`: CUDA, then Apple MPS, then CPU. An unavailable explicit choice is a clear error."""
    cuda, mps = torch.cuda.is_available(), torch.backends.mps.is_available()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if (name == "cuda" and not cuda) or (name == "mps" and not mps):
        raise ConfigError([_("train.device: \"{name}\" but no {device} device is available on this machine; use "
                             "\"auto\" or \"cpu\"").format(name=name, device=name.upper())])
    return torch.device(name)


def cpu_threads_for(model, batch_size: int) -> int:
    """One thread for small per-step work, all cores for large. On small MLPs extra intra-op threads
    only add synchronisation, and when the cores are busy (the GUI, other programs) their spin-waits
    collapse throughput: digits on 2 loaded cores ran at 197 samples/s with 2 threads, 43,600 with 1."""
    work = batch_size * sum(p.numel() for p in model.parameters())
    if getattr(model, "conv_blocks", None):
        work *= model.image_shape[-1] * model.image_shape[-2]  # a conv weight is applied at every pixel
    work *= getattr(model, "time_steps", 1)  # a recurrent weight is applied at every step of the sequence
    return 1 if work < PARALLEL_WORK_THRESHOLD else max(1, os.cpu_count() or 1)


def device_label(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type
