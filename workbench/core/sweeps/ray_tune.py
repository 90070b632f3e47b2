"""The Ray backend: the trials as Ray Tune trials, on a Ray instance started here or on a cluster.
Imported only when a sweep chooses it (`pip install 'workbench[ray]'`).

Each trial runs the same trial function as the local backend (trial.py), reporting every epoch to Tune.
It trains into a scratch folder on whichever node Tune puts it and sends its run directory's files back in
its last report; this process writes them into the sweep directory. So a cluster needs no file system
shared with this machine: only Ray and Workbench installed on its nodes.

Addresses (`[sweep] address`): "" starts a local Ray instance on the loopback address (usage statistics
and the dashboard off). "auto" or "host:port" joins an existing cluster as its driver, which is how the
sweep runs when submitted as a Ray job: `ray job submit --address http://head:8265 -- workbench sweep
FILE --backend ray --address auto`. Ray's documentation recommends the Jobs API over Ray Client for
Tune, because under Ray Client Tune's driver loop runs on the head node and not in this process; a
"ray://host:10001" address still works, but the trials' files arrive when the whole sweep has ended.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.files import write_bytes_atomic
from workbench.core.hooks import Callback
from workbench.core.i18n import _
from workbench.core.rundir.claim import RunDirError, claim_run_dir
from workbench.core.rundir.layout import LOCK, RUN_FILES
from workbench.core.status import RunStatus
from workbench.core.sweeps.errors import SweepError
from workbench.core.sweeps.local import available_cores
from workbench.core.sweeps.plan import Trial
from workbench.core.sweeps.trial import TrialOutcome, run_trial

REACH_TIMEOUT_S = 10  # an address that accepts no connection in this time is reported unreachable
SENT_FILES = RUN_FILES - {LOCK}  # what of a run directory travels back from a trial
OUTCOME, FILES = "workbench_outcome", "workbench_files"  # the keys of a trial's last report
JOBS_SCHEMES = ("http://", "https://")

# Read by the Stopper in the Tune driver loop; a module flag, not the Stopper's own: Tune pickles its
# settings, and a pickled copy of a flag would never be set.
_stop_requested = threading.Event()


def _stopping() -> bool:
    return _stop_requested.is_set()


def _import_ray():
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # read when ray is imported and when an instance starts
    os.environ.setdefault("TUNE_DISABLE_AUTO_CALLBACK_LOGGERS", "1")  # no CSV/JSON/TensorBoard copies of results
    os.environ.setdefault("TUNE_DISABLE_SIGINT_HANDLER", "1")  # Ctrl-C is the sweep's (request_stop)
    os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")  # with verbose=0: Tune prints nothing on stdout
    try:
        import ray
        from ray import tune
    except ImportError:
        raise SweepError(_("the Ray backend needs Ray, which is not installed; install it with "
                           "pip install 'workbench[ray]', or use backend = \"local\"")) from None
    return ray, tune


def _check_reachable(address: str) -> None:
    """One sentence within REACH_TIMEOUT_S for an address nobody answers on (ray.init would wait minutes)."""
    if address.startswith(JOBS_SCHEMES):
        raise SweepError(_("{address} is a Ray Jobs address; submit the sweep to the cluster as a job instead: ray "
                           "job submit --address {address} -- workbench sweep FILE --backend ray --address auto"
                           ).format(address=address))
    host_port = address.removeprefix("ray://")
    if host_port == "auto":
        return
    host, sep, port = host_port.rpartition(":")
    if not sep or not port.isdigit():
        raise SweepError(_("{address} is not a Ray address; give \"\" (a local instance), \"auto\", host:port or "
                           "ray://host:port").format(address=address))
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=REACH_TIMEOUT_S).close()
    except OSError as error:
        raise SweepError(_("cannot reach the Ray cluster at {address}: {reason}; check the address and that the "
                           "cluster is running").format(address=address, reason=error.strerror or error)) from None


class _ReportEpochs(Callback):
    """Each epoch's metrics to Tune, as the trial trains."""

    def on_epoch_end(self, run, epoch: int) -> None:
        from ray import tune

        history = run.history
        tune.report({"epoch": epoch, "val_acc": float(history.epoch_column("val_acc")[-1]),
                     "val_loss": float(history.epoch_column("val_loss")[-1])})


def _tune_trial(params: dict, base: ExperimentConfig, trials: dict[str, Trial]) -> None:
    """A Tune trial: one sweep trial trained in a scratch folder, its files sent back in the last report."""
    import torch
    from ray import tune

    torch.set_num_threads(1)
    trial = trials[params["trial"]]
    with tempfile.TemporaryDirectory(prefix="workbench-trial-") as scratch:
        directory = Path(scratch) / trial.id
        outcome = run_trial(base, trial, directory, callbacks=[_ReportEpochs()])
        files = {path.name: path.read_bytes() for path in directory.iterdir() if path.name in SENT_FILES} \
            if directory.is_dir() else {}
    tune.report({OUTCOME: {"status": outcome.status, "error": outcome.error}, FILES: files})


class RayBackend:
    """Runs trials as Ray Tune trials; connect() before run()."""

    def __init__(self, address: str = "", parallel: int = 0):
        self.address = address
        self.parallel = parallel
        self._ray = self._tune = None

    def connect(self) -> None:
        """Import Ray and start or reach the instance; SweepError (one sentence) when it cannot."""
        self._ray, self._tune = _import_ray()
        if self.address:
            _check_reachable(self.address)
        options = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
        try:
            if self.address:
                self._ray.init(address=self.address, **options)
            else:
                self._ray.init(address="local", num_cpus=self.parallel or available_cores(),
                               _node_ip_address="127.0.0.1", **options)
        except (ConnectionError, RuntimeError) as error:
            raise SweepError(_("cannot start or reach Ray at {address}: {reason}").format(
                address=self.address or "127.0.0.1", reason=error)) from None

    def close(self) -> None:
        if self._ray is not None and self._ray.is_initialized():
            self._ray.shutdown()

    def request_stop(self) -> None:
        _stop_requested.set()

    request_abort = request_stop  # Tune ends stopped trials' workers at once either way

    def run(self, base: ExperimentConfig, trials: list[Trial], directory: Path,
            on_outcome: Callable[[TrialOutcome], None]) -> None:
        if not trials:
            return
        ray, tune = self._ray, self._tune
        delivered: set[str] = set()

        def deliver(trial_id: str, report: dict) -> None:
            if trial_id in delivered:
                return
            delivered.add(trial_id)
            try:
                _write_run_files(directory / trial_id, report[FILES])
            except (OSError, RunDirError) as error:
                reason = error.strerror or error if isinstance(error, OSError) else error
                on_outcome(TrialOutcome(trial_id, RunStatus.FAILED, _(
                    "its run directory could not be written: {reason}").format(reason=reason)))
                return
            on_outcome(TrialOutcome(trial_id, report[OUTCOME]["status"], report[OUTCOME]["error"]))

        def fail(trial_id: str, error: str) -> None:
            if trial_id not in delivered:
                delivered.add(trial_id)
                on_outcome(TrialOutcome(trial_id, RunStatus.FAILED, _("its Ray worker failed: {error}").format(
                    error=error)))

        _stop_requested.clear()
        collector, stopper = _tune_classes(tune)
        client = ray.util.client.ray.is_connected()  # Tune's loop runs on the head node: collect at the end
        storage = tempfile.mkdtemp(prefix="workbench-ray-")
        trainable = tune.with_resources(tune.with_parameters(_tune_trial, base=base,
                                                             trials={trial.id: trial for trial in trials}), {"cpu": 1})
        try:
            tuner = tune.Tuner(
                trainable,
                param_space={"trial": tune.grid_search([trial.id for trial in trials])},
                tune_config=tune.TuneConfig(max_concurrent_trials=self.parallel or None),
                run_config=tune.RunConfig(storage_path=storage, name="workbench-sweep", verbose=0, stop=stopper(),
                                          callbacks=[] if client else [collector(deliver, fail)]),
            )
            grid = tuner.fit()
            for result in grid:
                if result.metrics and FILES in result.metrics:
                    deliver(result.config["trial"], result.metrics)
                elif result.error is not None and not _stop_requested.is_set():
                    fail(result.config["trial"], str(result.error))
        finally:
            shutil.rmtree(storage, ignore_errors=True)


def _tune_classes(tune):
    """The Tune callback that hands each trial's last report to this process, and the Stopper that ends
    the experiment when the sweep is asked to stop; made once Ray is imported."""

    class Collect(tune.Callback):
        def __init__(self, deliver, fail):
            self.deliver, self.fail = deliver, fail

        def __getstate__(self):  # Tune pickles its settings to resume later; the delivery is this process's
            return {}

        def on_trial_result(self, iteration, trials, trial, result, **info):
            if FILES in result:
                self.deliver(trial.config["trial"], result)

        def on_trial_error(self, iteration, trials, trial, **info):
            self.fail(trial.config["trial"], str(trial.get_error()))

    class StopWhenAsked(tune.Stopper):
        def __call__(self, trial_id, result):
            return _stopping()

        def stop_all(self):
            return _stopping()

    return Collect, StopWhenAsked


def _write_run_files(directory: Path, files: dict[str, bytes]) -> None:
    """A trial's run directory from the files it sent (names checked: a report never names a path)."""
    if not files:  # it trained nothing (refused by its data): it has no run directory
        return
    claim = claim_run_dir(directory)
    try:
        for name, content in files.items():
            if name in SENT_FILES:
                write_bytes_atomic(directory / name, content)
    finally:
        claim.release(keep=True)
