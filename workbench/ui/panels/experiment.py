"""The experiment panel: every data, network and training toggle, validated as the user types.

Every edit re-validates the whole experiment with `apply_overrides`, so the messages are the file
loader's own. The dataset preview and the parameter count need torch: they are computed on a pool
thread, a moment after the last edit, and stale answers are dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from workbench.core.experiment import registry
from workbench.core.experiment.applicability import APPLIES_WHEN, applies
from workbench.core.experiment.config import ConfigError, ExperimentConfig, apply_overrides
from workbench.ui.language import Translated
from workbench.ui.panels import setting_help
from workbench.ui.panels.dataset_preview import DatasetPreview
from workbench.ui.panels.fields import BoolField, ChoiceField, Field, MultiChoiceField, NumberField, TextField
from workbench.ui.panels.network import WidthListField
from workbench.ui.worker import call_in_background

PREVIEW_DELAY_MS = 200  # wait for typing to pause before reloading the preview
# Preview sample size: enough that every class shows up, so the class count (for the parameter count)
# can be read off the labels (0..K-1); the image grid uses the first 16.
PREVIEW_SAMPLES = 256
PANEL_MIN_WIDTH = 340
PROBLEM_STYLE = "color: #b00020;"

def _sections() -> list[tuple[str, list[tuple[str, Field]]]]:
    """(section title, [(row label, field)]) in the order of the experiment file. Titles, labels and field
    texts are marked in the panel's context (pyside6-lupdate finds them there); the panel translates them
    whenever the language changes."""
    choice = ChoiceField
    return [
        (QT_TRANSLATE_NOOP("ExperimentPanel", "Data"), [
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Dataset"),
             choice("data.dataset", registry.DATASETS, registry.dataset_descriptions)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Samples"), NumberField("data.n_samples")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Noise"), NumberField("data.noise")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Sequence length"), NumberField("data.seq_len")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "CSV file"),
             TextField("data.path", QT_TRANSLATE_NOOP("ExperimentPanel", "path to a .csv file"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Target column"),
             TextField("data.target", QT_TRANSLATE_NOOP("ExperimentPanel", "name of the label column"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Data folder"),
             TextField("data.data_dir", QT_TRANSLATE_NOOP("ExperimentPanel", "default: the user cache folder"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Train size"), NumberField("data.train_size")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Validation share"), NumberField("data.val_fraction")),
            ("", BoolField("data.normalize", QT_TRANSLATE_NOOP("ExperimentPanel", "Normalize inputs"))),
            ("", BoolField("data.shuffle", QT_TRANSLATE_NOOP("ExperimentPanel", "Shuffle every epoch"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Order"), choice("data.order", registry.ORDERS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Label noise"), NumberField("data.label_noise")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Imbalance"), NumberField("data.imbalance")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Augment"), MultiChoiceField("data.augment", registry.AUGMENTATIONS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Test shift"),
             MultiChoiceField("data.test_shift", registry.AUGMENTATIONS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Shift strength"), NumberField("data.test_shift_strength")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Data seed"), NumberField("data.seed")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Sampler"), choice("data.sampler", registry.SAMPLERS)),
        ]),
        (QT_TRANSLATE_NOOP("ExperimentPanel", "Network"), [
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Kind"), choice("model.kind", registry.MODEL_KINDS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Cell"), choice("model.cell", registry.RECURRENT_CELLS)),
            ("", BoolField("model.bidirectional", QT_TRANSLATE_NOOP("ExperimentPanel", "Bidirectional"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Conv blocks"),
             WidthListField("model.channels", QT_TRANSLATE_NOOP("ExperimentPanel", "channels"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Hidden layers"),
             WidthListField("model.hidden", QT_TRANSLATE_NOOP("ExperimentPanel", "units"))),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Activation"), choice("model.activation", registry.ACTIVATIONS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Init"), choice("model.init", registry.INITS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Init std"), NumberField("model.init_std")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Normalization"),
             choice("model.normalization", registry.NORMALIZATIONS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Dropout"), NumberField("model.dropout")),
            ("", BoolField("model.residual", QT_TRANSLATE_NOOP("ExperimentPanel", "Residual connections"))),
        ]),
        (QT_TRANSLATE_NOOP("ExperimentPanel", "Training"), [
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Optimizer"), choice("train.optimizer", registry.OPTIMIZERS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Learning rate"), NumberField("train.lr")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Momentum"), NumberField("train.momentum")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Batch size"), NumberField("train.batch_size")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Epochs"), NumberField("train.epochs")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Loss"), choice("train.loss", registry.LOSSES)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "L2 (weight decay)"), NumberField("train.weight_decay")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "L1"), NumberField("train.l1")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Grad clip"), NumberField("train.grad_clip")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "LR schedule"), choice("train.lr_schedule", registry.LR_SCHEDULES)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "LR decay"), NumberField("train.lr_decay")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "LR step"), NumberField("train.lr_step")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Early stopping"), NumberField("train.early_stopping")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Class weights"),
             choice("train.class_weights", registry.CLASS_WEIGHTS)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Label smoothing"), NumberField("train.label_smoothing")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Probe every"), NumberField("train.probe_every")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "CPU threads"), NumberField("train.threads")),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Device"), choice("train.device", registry.DEVICES)),
            (QT_TRANSLATE_NOOP("ExperimentPanel", "Seed"), NumberField("train.seed")),
            ("", BoolField("train.verify_fixes", QT_TRANSLATE_NOOP("ExperimentPanel", "Verify the fixes with short runs"))),
        ]),
    ]


def _load_preview(data_config):
    from workbench.core.data.bundle import input_preview

    return input_preview(data_config, PREVIEW_SAMPLES)


def _problem_text(error: Exception) -> str:
    from workbench.core.data.bundle import DatasetError

    return str(error) if isinstance(error, DatasetError) else f"{type(error).__name__}: {error}"


class ExperimentPanel(Translated, QWidget):
    """The validator's messages on top, then one tab per table: Data, Network, Training."""

    config_changed = Signal(object)  # a valid ExperimentConfig, after every edit that leaves one
    problems_changed = Signal(list)  # the validator's messages; empty when the experiment is valid

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        self.fields: dict[str, Field] = {}
        self._forms: dict[str, QFormLayout] = {}
        self._config: ExperimentConfig | None = None
        self._base: ExperimentConfig | None = None
        self.problems: list[str] = []
        self._loading = False
        self._inspecting = False  # preview and parameter count wait for start_inspection()
        self._preview_for = None  # the DataConfig the preview shows (or is being loaded for)
        self._sample_shape: tuple[tuple[int, ...], int] | None = None  # input shape, class count
        self._requests = {"preview": 0, "describe": 0}  # newest request id per kind: older answers are stale
        self._preview_problem = False  # the preview's dataset could not be loaded
        self._labels: list[tuple[QLabel, str]] = []  # the rows' labels and their English text
        self._tab_titles: list[str] = []

        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.hide()
        self.dataset_description = QLabel()
        self.dataset_description.setWordWrap(True)
        self.preview = DatasetPreview()
        self.parameter_count = QLabel()
        self.parameter_count.setObjectName("parameter_count")
        self.parameter_count.setWordWrap(True)
        self.tabs = QTabWidget()
        for title, rows in _sections():
            page = QWidget()
            page_layout = QVBoxLayout(page)
            form = QFormLayout()
            page_layout.addLayout(form)
            page_layout.addStretch(1)  # rows keep their height; spare room goes below them
            for label, field in rows:
                self.fields[field.key] = field
                self._forms[field.key] = form
                form.addRow(label, field.widget)
                if label:
                    self._labels.append((form.labelForField(field.widget), label))
                field.on_change(self._edited)
                if field.key == "data.dataset":
                    form.addRow(self.dataset_description)
                    form.addRow(self.preview)
            if title == "Network":
                form.addRow(self.parameter_count)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, title)
            self._tab_titles.append(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.tabs, 1)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._refresh_inspection)
        self.retranslate()

    def retranslate(self) -> None:
        for index, title in enumerate(self._tab_titles):
            self.tabs.setTabText(index, self.tr(title))
        for label, text in self._labels:
            label.setText(self.tr(text))
        for key, field in self.fields.items():
            field.retranslate()
            tip = setting_help.tooltip(key)
            field.widget.setToolTip(tip)
            label = self._forms[key].labelForField(field.widget)
            if label is not None:
                label.setToolTip(tip)
        self.dataset_description.setText(registry.dataset_descriptions().get(self.fields["data.dataset"].value(), ""))
        if self._preview_problem:
            self.parameter_count.setText(self.tr("Parameter count: needs the dataset"))
        elif self._sample_shape is not None and self.config is not None:
            self._describe(self.config)  # the core describes the network in the language now chosen
        else:
            self.parameter_count.setText(self.tr("Parameter count: computing…"))

    # -- the experiment -------------------------------------------------------------------------
    @property
    def config(self) -> ExperimentConfig | None:
        """The experiment as edited, or None while an edit leaves it invalid."""
        return None if self.problems else self._config

    @property
    def loaded_config(self) -> ExperimentConfig | None:
        """The experiment as it was loaded (a preset, a file, a fix or a twin), before any edit by hand."""
        return self._base

    def set_config(self, config: ExperimentConfig) -> None:
        self._base = config
        self._loading = True
        try:
            for key, value in config.flat().items():
                if key in self.fields:
                    self.fields[key].set_value(value)
        finally:
            self._loading = False
        self._edited()

    def set_setting(self, key: str, value: Any) -> None:
        """Change one setting as if the user had typed it into its field (a suggestion taken with one click)."""
        self.fields[key].set_value(value)
        self._edited()

    def values(self) -> dict[str, Any]:
        return {key: field.value() for key, field in self.fields.items()}

    def _edited(self) -> None:
        if self._loading or self._base is None:
            return
        values = self.values()
        self._show_applicable_rows(values)
        try:
            config = apply_overrides(self._base, values)
        except ConfigError as error:
            self._show_problems(error.problems)
            return
        self._config = config
        self._show_problems([])
        self.config_changed.emit(config)
        self._preview_timer.start()

    def _show_problems(self, problems: list[str]) -> None:
        self.problems = list(problems)
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))
        for key, field in self.fields.items():
            field.mark_invalid(any(problem.startswith((key + ":", key + "[")) for problem in problems))
        self.problems_changed.emit(self.problems)

    def row_shown(self, key: str) -> bool:
        """Whether the key's row is shown (rows that do not apply to the experiment are hidden)."""
        return self._forms[key].isRowVisible(self.fields[key].widget)

    def _show_applicable_rows(self, values: dict[str, Any]) -> None:
        """Rows of settings that do not apply to this experiment are hidden (core.experiment.applicability)."""
        for key in APPLIES_WHEN:
            self._forms[key].setRowVisible(self.fields[key].widget, applies(key, values))
        self.dataset_description.setText(registry.dataset_descriptions().get(values["data.dataset"], ""))

    # -- preview and parameter count (pool thread) ----------------------------------------------
    def start_inspection(self) -> None:
        """Begin showing the preview and parameter count (they load torch: not before the first paint)."""
        self._inspecting = True
        self._refresh_inspection()

    def _refresh_inspection(self) -> None:
        config = self.config
        if config is None or not self._inspecting:
            return
        if config.data != self._preview_for:
            self._preview_for, self._sample_shape, self._preview_problem = config.data, None, False
            self.preview.show_message(self.tr("Loading the dataset preview…"))
            self.parameter_count.setText(self.tr("Parameter count: computing…"))
            request = self._next_request("preview")
            call_in_background(lambda: _load_preview(config.data), self,
                               lambda result: self._preview_loaded(request, result),
                               lambda error: self._preview_failed(request, error))
        elif self._sample_shape is not None:
            self._describe(config)

    def _next_request(self, kind: str) -> int:
        self._requests[kind] += 1
        return self._requests[kind]

    def _preview_loaded(self, request: int, result) -> None:
        if request != self._requests["preview"]:
            return
        x, y, kind = result
        self._sample_shape = (tuple(x.shape[1:]), int(y.max()) + 1 if len(y) else 1)
        self.preview.show_samples(x, y, kind)
        if self.config is not None:
            self._describe(self.config)

    def _preview_failed(self, request: int, error: Exception) -> None:
        if request != self._requests["preview"]:
            return
        self._preview_problem = True
        self.preview.show_message(_problem_text(error))
        self.parameter_count.setText(self.tr("Parameter count: needs the dataset"))

    def _describe(self, config: ExperimentConfig) -> None:
        from_shape, n_classes = self._sample_shape
        request = self._next_request("describe")

        def describe():
            from workbench.core.training.models import describe

            return describe(config.model, from_shape, n_classes)

        call_in_background(describe, self, lambda text: self._described(request, text),
                           lambda error: self._described(
                               request, self.tr("cannot build this network: {error}").format(error=error)))

    def _described(self, request: int, text: str) -> None:
        if request == self._requests["describe"]:
            self.parameter_count.setText(text)
