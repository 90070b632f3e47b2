"""The Compare view: several finished runs side by side.

Loss and accuracy of every run overlaid (one colour per run, legend by run name), the per-layer gradient
norms of each run in a small plot of its own, the final/best metrics and diagnosis ids per run, and only
the settings that differ. Its tables come from core.compare, so they say what the exported files say.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.reports.comparison import (
    METRIC_COLUMNS,
    config_differences,
    display_value,
    format_metric,
    metric_summary,
    run_labels,
)
from workbench.core.rundir.reader import LoadedRun
from workbench.ui import export_actions
from workbench.ui.plots import style
from workbench.ui.plots.layer_views import PerLayerTrend

GRADIENT_COLUMNS = 4  # small gradient plots per row
SYMBOL_SIZE = 5
SAME_SETTINGS = "Every run used the same settings."
NO_RUNS = "Select two or more runs in the runs list to compare them."
TEXT_COLUMNS = ("status", "diagnosis")  # left-aligned; the other metric columns are numbers
MAX_DIFF_WIDTH = 520  # px: the settings table takes the width its values need, up to this


def _color_key(entries: list[tuple[str, str]]) -> str:
    """A one-line key of coloured squares and labels (rich text): legends that never cover a curve."""
    return "&nbsp;&nbsp;&nbsp;".join(f'<span style="color:{color}">&#9632;</span>&nbsp;{html.escape(label)}'
                                     for color, label in entries)


def _item(text: str, *, number: bool = False, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


class RunOverlay(QWidget):
    """Loss and accuracy per epoch side by side, every run in its own colour (validation solid, training
    dashed, as in the app's live overlay), with a legend of run names."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = style.make_plot("Loss (solid: validation, dashed: training)", "epoch", "loss")
        self.accuracy_plot = style.make_plot("Accuracy (solid: validation, dashed: training)", "epoch",
                                             "accuracy")
        # the run key sits above the plots: an in-plot legend of several runs would cover their curves
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.accuracy_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addLayout(plots, 1)

    def show_runs(self, runs: list[LoadedRun], labels: list[str]) -> None:
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.clear()
        self.legend.setText(_color_key([(style.palette_color(index).name(), label)
                                        for index, label in enumerate(labels)]))
        for index, run in enumerate(runs):
            color = style.palette_color(index)
            epochs = run.history.epoch_column("epoch")
            for plot, metric in ((self.loss_plot, "loss"), (self.accuracy_plot, "acc")):
                for split, dashed in (("val", False), ("train", True)):
                    plot.plot(epochs, run.history.epoch_column(f"{split}_{metric}"), connect="finite",
                              pen=style.pen(color, dashed=dashed), symbol="o", symbolSize=SYMBOL_SIZE,
                              symbolPen=None, symbolBrush=color)

    def curve_count(self) -> int:
        return len(self.loss_plot.getPlotItem().listDataItems())


class CompareView(QWidget):
    """Built from LoadedRuns with `set_runs`; Export writes them with core.compare's formats."""

    clone_requested = Signal(object)  # the ExperimentConfig of the selected run (same seeds: a twin)
    exported = Signal(Path)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.runs: list[LoadedRun] = []
        self.labels: list[str] = []
        # the export dialogs, replaceable (tests answer them without a modal window)
        self.ask_path: export_actions.SaveDialog = QFileDialog.getSaveFileName
        self.report_error: export_actions.ErrorReport = export_actions.show_error

        self.heading = QLabel(NO_RUNS)
        self.clone_button = QPushButton("Clone run and change one setting")
        self.clone_button.setToolTip("Load the selected run's experiment, same seeds, to change one setting "
                                     "and run it as a twin")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write this comparison as an HTML report, CSV, JSON, PNG or SVG")
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.curves = RunOverlay()
        self.gradients_area = QWidget()
        # runs with the same layers share the layer colours: one key above the plots says it for all
        self.layer_key = QLabel()
        self.layer_key.setTextFormat(Qt.TextFormat.RichText)
        self.layer_key.setWordWrap(True)
        self._gradient_grid = QGridLayout()
        gradients_layout = QVBoxLayout(self.gradients_area)
        gradients_layout.setContentsMargins(0, 0, 0, 0)
        gradients_layout.addWidget(self.layer_key)
        gradients_layout.addLayout(self._gradient_grid, 1)
        self.gradient_plots: list[PerLayerTrend] = []
        self.metrics_table = _table(["Run", *METRIC_COLUMNS.values()])
        # the diagnosis ids beside the run name: the first thing to read, visible however narrow the tab
        diagnosis_column = 1 + list(METRIC_COLUMNS).index("diagnosis")
        self.metrics_table.horizontalHeader().moveSection(diagnosis_column, 1)
        self.diff_table = _table(["Setting"])
        self.diff_note = QLabel(SAME_SETTINGS)
        self._build_layout()
        self.clone_button.clicked.connect(self._request_clone)
        self.export_button.clicked.connect(self.export)
        self._update_buttons()

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.clone_button)
        header.addWidget(self.export_button)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.curves)
        plots.addWidget(self.gradients_area)
        plots.setSizes([350, 250])
        diff = QWidget()
        diff_layout = QVBoxLayout(diff)
        diff_layout.setContentsMargins(0, 0, 0, 0)
        diff_layout.addWidget(QLabel("Settings that differ"))
        diff_layout.addWidget(self.diff_note)
        diff_layout.addWidget(self.diff_table)
        metrics = QWidget()
        metrics_layout = QVBoxLayout(metrics)
        metrics_layout.setContentsMargins(0, 0, 0, 0)
        metrics_layout.addWidget(QLabel("Metrics (final: after training; best: at the lowest validation loss)"))
        metrics_layout.addWidget(self.metrics_table)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(metrics)
        tables.addWidget(diff)
        tables.setSizes([700, 300])
        tables.setStretchFactor(0, 1)  # a wider window widens the metrics; the settings keep their fit
        tables.setStretchFactor(1, 0)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(plots)
        body.addWidget(tables)
        body.setSizes([600, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(body, 1)
        layout.addWidget(self.status)

    # -- content --------------------------------------------------------------------------------
    def set_runs(self, runs: list[LoadedRun]) -> None:
        """Show these runs; a run without a readable config or history is left out and named below."""
        usable = [run for run in runs if run.config is not None and run.history is not None]
        skipped = [run.name for run in runs if run.config is None or run.history is None]
        self.runs, self.labels = usable, run_labels(usable)
        self.heading.setText(f"Comparing {len(usable)} runs" if usable else NO_RUNS)
        self.status.setText(f"Left out (unreadable): {', '.join(skipped)}" if skipped else "")
        self.curves.show_runs(usable, self.labels)
        self._show_gradients()
        self._show_metrics()
        self._show_differences()
        self._update_buttons()

    def _show_gradients(self) -> None:
        for plot in self.gradient_plots:
            self._gradient_grid.removeWidget(plot.widget)
            plot.widget.deleteLater()
        self.gradient_plots = []
        for index, (run, label) in enumerate(zip(self.runs, self.labels, strict=True)):
            title = f"Gradient norm: {html.escape(label)}"  # plot titles are rich text
            plot = PerLayerTrend(title, "gradient norm", lambda h: h.probe_steps,
                                 lambda h: h.grad_norm, log_y=True)
            plot.bind(run.history)
            plot.refresh()
            # the title in the run's colour ties the plot to the run's curves and table row
            plot.widget.getPlotItem().setTitle(title, color=style.palette_color(index),
                                               size=style.TITLE_SIZE)
            self._gradient_grid.addWidget(plot.widget, index // GRADIENT_COLUMNS, index % GRADIENT_COLUMNS)
            self.gradient_plots.append(plot)
        norms = np.concatenate([run.history.grad_norm.view().ravel() for run in self.runs] or [np.empty(0)])
        norms = norms[np.isfinite(norms) & (norms > 0)]
        layer_names = {tuple(run.history.layer_names) for run in self.runs}
        same_layers = len(layer_names) == 1
        for plot in self.gradient_plots:
            if len(norms):  # one scale for all, so heights compare at a glance (log axis: log10 units)
                plot.widget.setYRange(np.log10(norms.min()), np.log10(norms.max()))
            plot.widget.getPlotItem().legend.setVisible(not same_layers)
        names = list(next(iter(layer_names))) if same_layers else []
        self.layer_key.setText(_color_key(list(zip([color.name() for color in style.layer_colors(len(names))],
                                                   names, strict=True))))
        self.layer_key.setVisible(same_layers)

    def _show_metrics(self) -> None:
        table = self.metrics_table
        table.setRowCount(len(self.runs))
        for row, (run, label) in enumerate(zip(self.runs, self.labels, strict=True)):
            name = _item(label, tooltip=str(run.directory))
            name.setForeground(style.palette_color(row))
            table.setItem(row, 0, name)
            summary = metric_summary(run)
            for column, key in enumerate(METRIC_COLUMNS, start=1):
                text = format_metric(key, summary[key])
                table.setItem(row, column, _item(text, number=key not in TEXT_COLUMNS, tooltip=text))
        if self.runs:
            table.selectRow(0)

    def _show_differences(self) -> None:
        differences = config_differences(self.runs) if self.runs else {}
        table = self.diff_table
        table.clear()
        table.setColumnCount(1 + len(self.runs))
        table.setHorizontalHeaderLabels(["Setting", *self.labels])
        table.setRowCount(len(differences))
        for row, (key, values) in enumerate(differences.items()):
            table.setItem(row, 0, _item(key))
            for column, value in enumerate(values, start=1):
                table.setItem(row, column, _item(display_value(value)))
        self.diff_note.setVisible(bool(self.runs) and not differences)
        table.setVisible(bool(differences))
        if differences:
            self._fit_differences()

    def _fit_differences(self) -> None:
        """The settings table at least as wide as its values need (capped): no value is cut off."""
        table = self.diff_table
        needed = 2 * table.frameWidth() + sum(
            max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))
            for column in range(table.columnCount()))
        table.setMinimumWidth(min(needed, MAX_DIFF_WIDTH))

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(bool(self.runs))
        self.clone_button.setEnabled(bool(self.runs))

    # -- actions --------------------------------------------------------------------------------
    def selected_run(self) -> LoadedRun | None:
        rows = self.metrics_table.selectionModel().selectedRows()
        index = rows[0].row() if rows else 0
        return self.runs[index] if index < len(self.runs) else None

    def _request_clone(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.clone_requested.emit(run.config)

    def export(self) -> Path | None:
        written = export_actions.export_runs(self, [run.directory for run in self.runs], ask_path=self.ask_path,
                                             report_error=self.report_error)
        if written is not None:
            self.status.setText(f"Wrote {written}")
            self.exported.emit(written)
        return written
