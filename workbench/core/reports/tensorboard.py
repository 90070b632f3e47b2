"""Export a run as TensorBoard event files (the optional `tensorboard` extra)."""

from __future__ import annotations

from pathlib import Path

from workbench.core.history import EPOCH_COLUMNS
from workbench.core.i18n import _
from workbench.core.reports.script import ExportError


def write_tensorboard(loaded_run, log_dir: str | Path) -> Path:
    """Write a loaded run's scalars (per-epoch metrics, per-step loss, per-layer gradient norms) and, per
    epoch, a histogram of each layer's gradient norms, as TensorBoard event files under `log_dir`."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise ExportError(_("Writing TensorBoard files needs the tensorboard package: pip install tensorboard (or "
                            "pip install 'workbench[tensorboard]').")) from None
    history = loaded_run.history
    if history is None:
        raise ExportError(_("{path} has no readable history to write ({problem}).").format(
            path=loaded_run.directory, problem=loaded_run.problem))
    log_dir = Path(log_dir)
    with SummaryWriter(log_dir=str(log_dir)) as writer:
        epochs = history.epochs.view()
        for row in epochs:
            epoch = int(row[0])
            for name in ("train_loss", "train_acc", "val_loss", "val_acc", "lr"):
                writer.add_scalar(f"epoch/{name}", float(row[EPOCH_COLUMNS.index(name)]), epoch)
        for step, loss in history.step_loss.view():
            writer.add_scalar("step/loss", float(loss), int(step))
        probe_steps = history.probe_steps.view()[:, 0]
        grad_norms = history.grad_norm.view()
        for index, name in enumerate(history.layer_names):
            for step, norm in zip(probe_steps, grad_norms[:, index], strict=True):
                writer.add_scalar(f"gradient_norm/{name}", float(norm), int(step))
        epoch_of_probe = (probe_steps - 1) // max(1, history.steps_per_epoch) + 1
        for epoch in sorted(set(epoch_of_probe.astype(int).tolist())):
            in_epoch = grad_norms[epoch_of_probe == epoch]
            for index, name in enumerate(history.layer_names):
                writer.add_histogram(f"gradient_norm_histogram/{name}", in_epoch[:, index], epoch)
    return log_dir
