"""A trained model to try: its weights kept in the run directory (`model.pt`, a state_dict read back with
weights_only=True), exported to ONNX, and run on new input: a point of the 2-D plane or a drawn digit.

The weights of a run are its final ones (after early stopping put the best epoch's back). A TrainedModel
is rebuilt from the run's configuration on the meta device and given the weights, so building one draws
no random numbers and may happen while another run trains.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.files import write_bytes_atomic
from workbench.core.hooks import Callback, TrainingRun
from workbench.core.i18n import _
from workbench.core.rundir.layout import MODEL
from workbench.core.training import inside

INK_THRESHOLD = 0.05  # a drawn pixel with more ink than this (0 blank, 1 full) is part of the digit
MNIST_DIGIT_SHARE = 20 / 28  # MNIST's digits fill a 20-pixel box centred in the 28-pixel image
SMALL_IMAGE = 16  # images up to this side (the 8x8 digits) are filled by their digit edge to edge
ONNX_OPSET = 17


class ExportUnavailable(RuntimeError):
    """The ONNX export cannot run here; the message says what to install."""


def save_weights(model: torch.nn.Module, directory: Path) -> Path:
    """`model.pt` in the run directory: the state_dict, written atomically."""
    buffer = io.BytesIO()
    torch.save({key: value.detach().cpu() for key, value in model.state_dict().items()}, buffer)
    path = Path(directory) / MODEL
    write_bytes_atomic(path, buffer.getvalue())
    return path


def load_weights(path: Path) -> dict[str, torch.Tensor]:
    """A state_dict saved by save_weights; only tensors are read (weights_only=True: no code runs)."""
    return torch.load(path, map_location="cpu", weights_only=True)


class SaveWeights(Callback):
    """Writes model.pt into the run directory when the run ends, while the directory is still claimed;
    a run whose directory could not be written keeps its weights in memory only."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def on_fit_end(self, run: TrainingRun) -> None:
        if run.model is None or run.problem or not self.directory.is_dir():
            return
        try:
            save_weights(run.model, self.directory)
        except OSError as error:
            run.history.events.append(_("the weights could not be saved to {path}: {reason}").format(
                path=self.directory / MODEL, reason=error.strerror or error))


@dataclass
class InputFacts:
    """What the model's inputs are, from the run's data: their shape, how they were standardized (so that
    a drawn digit is scaled as the training images were) and one validation example to show."""

    input_shape: tuple[int, ...]
    kind: str
    class_names: list[str]
    mean: np.ndarray | None
    std: np.ndarray | None
    raw_high: float  # the largest raw input value (16 for the 8x8 digits): a fully inked pixel
    example: np.ndarray  # the first validation input, as the model sees it
    example_label: int


def input_facts(config: ExperimentConfig) -> InputFacts:
    """Loads the run's data (seconds at most): call it off the GUI thread. DatasetError when it cannot."""
    from workbench.core.data.bundle import load_data

    data = load_data(config.data, "cpu")
    mean = None if data.feature_mean is None else data.feature_mean.numpy()
    std = None if data.feature_std is None else data.feature_std.numpy()
    raw = data.train_x if mean is None else data.train_x * data.feature_std + data.feature_mean
    return InputFacts(tuple(data.input_shape), data.kind, list(data.class_names), mean, std,
                      float(raw.max()) if len(raw) else 1.0, data.val_x[0].numpy(), int(data.val_y[0]))


class TrainedModel:
    """A run's network with given weights, on the CPU in eval mode, and what it needs to take new input."""

    def __init__(self, config: ExperimentConfig, facts: InputFacts, weights: dict[str, torch.Tensor],
                 epoch: int | None = None):
        from workbench.core.training.models import build_model

        self.config, self.facts = config, facts
        self.epoch = epoch  # the epoch end whose weights these are; None: the run's final weights (model.pt)
        with torch.device("meta"):
            model = build_model(config.model, facts.input_shape, len(facts.class_names))
        model.load_state_dict(weights, assign=True)
        self.model = model.eval()

    @property
    def is_cnn(self) -> bool:
        return inside.is_cnn(self.model)

    def standardized(self, raw: np.ndarray) -> np.ndarray:
        """Raw inputs (as the dataset stores them) scaled as the run's training inputs were."""
        raw = np.asarray(raw, dtype=np.float32)
        if self.facts.mean is None:
            return raw
        return (raw - self.facts.mean) / self.facts.std

    @torch.no_grad()
    def probabilities(self, inputs: np.ndarray) -> np.ndarray:
        """(n, classes) class probabilities for inputs as the model sees them, (n, *input_shape)."""
        x = torch.as_tensor(np.asarray(inputs, dtype=np.float32)).reshape(-1, *self.facts.input_shape)
        return self.model(x).float().softmax(dim=1).numpy()

    def filters(self) -> np.ndarray:
        return inside.first_filters(self.model)

    def feature_maps(self, example: np.ndarray) -> list[np.ndarray]:
        return inside.feature_maps(self.model, torch.as_tensor(np.asarray(example, dtype=np.float32)))

    def neuron_maps(self, x_range, y_range, size: int) -> list[np.ndarray]:
        return inside.neuron_maps(self.model, x_range, y_range, size)

    def unstandardized(self, inputs: np.ndarray) -> np.ndarray:
        """Inputs as the model sees them back in the dataset's raw values (to show them as images)."""
        inputs = np.asarray(inputs, dtype=np.float32)
        return inputs if self.facts.mean is None else inputs * self.facts.std + self.facts.mean

    def drawn_input(self, ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A drawing (height, width; 0 blank .. 1 full ink) as an image of the dataset's size (values 0..1:
        the ink's bounding box centred and scaled as the dataset's digits are) and as the model's input
        (that image in the dataset's raw range, standardized)."""
        image = drawing_to_image(ink, self.facts.input_shape)
        return image, self.standardized(image * self.facts.raw_high)

    def export_onnx(self, path: Path) -> Path:
        """The network as an ONNX file (input `input`: (batch, *input_shape), standardized as in training;
        output `logits`). ExportUnavailable when the onnx package is missing."""
        if importlib.util.find_spec("onnx") is None:
            raise ExportUnavailable(_("ONNX export needs the onnx package: pip install onnx (or pip install "
                                      "'workbench[onnx]')"))
        import warnings

        example = torch.zeros(1, *self.facts.input_shape)
        with warnings.catch_warnings():  # the TorchScript exporter says it is the legacy one: it needs no onnxscript
            warnings.simplefilter("ignore")
            torch.onnx.export(self.model, (example,), str(path), dynamo=False, opset_version=ONNX_OPSET,
                              input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        return Path(path)


def drawing_to_image(ink: np.ndarray, image_shape: tuple[int, ...]) -> np.ndarray:
    """A drawing as one image of `image_shape` ((C, H, W) or (H, W)), values 0..1: the ink's bounding box
    made square, scaled to fill the image (small images) or MNIST's 20-pixel box, and centred."""
    shape = tuple(image_shape) if len(image_shape) == 3 else (1, *image_shape)
    channels, height, width = shape
    ink = np.clip(np.asarray(ink, dtype=np.float32), 0.0, 1.0)
    rows, columns = np.nonzero(ink > INK_THRESHOLD)
    if not len(rows):
        return np.zeros(image_shape, dtype=np.float32)
    top, bottom, left, right = rows.min(), rows.max() + 1, columns.min(), columns.max() + 1
    side = max(bottom - top, right - left)
    square = np.zeros((side, side), dtype=np.float32)
    row_offset, column_offset = (side - (bottom - top)) // 2, (side - (right - left)) // 2
    square[row_offset:row_offset + bottom - top, column_offset:column_offset + right - left] = ink[top:bottom, left:right]
    share = 1.0 if max(height, width) <= SMALL_IMAGE else MNIST_DIGIT_SHARE
    box = max(1, round(min(height, width) * share))
    scaled = torch.nn.functional.interpolate(torch.from_numpy(square)[None, None], size=(box, box), mode="area")[0, 0]
    image = np.zeros((height, width), dtype=np.float32)
    top, left = (height - box) // 2, (width - box) // 2
    image[top:top + box, left:left + box] = scaled.numpy()
    image = image / max(float(image.max()), 1e-6)  # a thin stroke averaged down still reads as full ink
    return np.broadcast_to(image, shape).reshape(image_shape).copy()


@dataclass
class WeightsSource:
    key: str  # changes when the weights do
    load: Callable[[], dict[str, torch.Tensor]]
    epoch: int | None  # the epoch end they were kept at; None: the run's final weights, from model.pt


def weights_source(run, kept_states) -> WeightsSource | None:
    """Where a run's newest weights are: a key that changes when they do, and how to read them. For a run
    training now, the newest epoch end the app kept (`kept_states`, a KeepEpochStates or None); for a
    finished one its model.pt, else its newest kept epoch. None when neither is there (a run read from
    disk that was saved before runs kept model.pt)."""
    from workbench.core.status import RunStatus

    kept = kept_states.states if kept_states is not None else {}
    epochs = list(kept)  # the training thread may add one meanwhile: take the keys once
    path = Path(run.directory) / MODEL if run.directory is not None else None
    if run.status != RunStatus.RUNNING and path is not None and path.is_file():
        return WeightsSource(f"{path}:{path.stat().st_mtime_ns}", lambda: load_weights(path), None)
    newest = kept.get(max(epochs)) if epochs else None
    if newest is not None:
        return WeightsSource(f"epoch {newest.epoch}", lambda: newest.model, newest.epoch)
    return None
