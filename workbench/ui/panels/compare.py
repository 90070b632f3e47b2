"""The Compare view: several finished runs side by side.

Loss and accuracy of every run overlaid (one colour per run, a key of run names above the plots), the
per-layer gradient norms of each run in a small plot of its own, the final/best metrics and diagnosis ids
per run (accuracies first), and only the settings that differ. Its tables come from
core.reports.comparison, so they say what the exported files say. Every part shrinks (tables scroll), so
the tab never squeezes the side panels of the window.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
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

from workbench.core.i18n import layer_name
from workbench.core.reports.comparison import (
    METRIC_KEYS,
    config_differences,
    metric_summary,
    metric_titles,
    shown_labels,
)
from workbench.core.rundir.reader import LoadedRun
from workbench.ui import export_actions, formatting
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.key import KeyEntry, PlotKey
from workbench.ui.plots.layer_views import PerLayerTrend
from workbench.ui.plots.markers import ChangeMarkers, marks_of
from workbench.ui.plots.ranges import Y_HEADROOM, AxisFollower, clipped_note, loss_ceiling

GRADIENT_COLUMNS = 4  # small gradient plots per row
GRADIENT_PLOT_MIN_SIZE = (120, 110)  # px: four in a row still fit a tab between the two side panels
SYMBOL_SIZE = 5
SAME_SETTINGS = QT_TRANSLATE_NOOP("CompareView", "Every run used the same settings.")
NO_RUNS = QT_TRANSLATE_NOOP("CompareView", "Select two or more runs in the runs list to compare them.")
TEXT_COLUMNS = ("status", "diagnosis")  # left-aligned; the other metric columns are numbers
# What a comparison is read for comes first, so that it shows without scrolling sideways: the
# accuracies, then the diagnosis; the other columns follow in the exported files' order.
LEADING_METRICS = ("final_val_acc", "best_val_acc", "final_test_acc", "final_train_acc", "diagnosis")
METRIC_ORDER = (*LEADING_METRICS, *(key for key in METRIC_KEYS if key not in LEADING_METRICS))
MAX_DIFF_WIDTH = 520  # px: the settings pane asks for the width its values need, up to this
# px: the metrics' Run column fits its names up to this, then elides them in the middle (whole in the tooltip):
# sized to "XOR, PReLU, normal init of std 1 + fix for bad_initialization", it pushed the accuracies out of sight
RUN_COLUMN_MAX_WIDTH = 240


def _item(text: str, *, number: bool = False, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


class RunOverlay(Translated, QWidget):
    """Loss and accuracy per epoch side by side, every run in its own colour (validation bold and solid,
    training thin and dashed, as in the app's live overlay), with a key of run names above them. The
    loss axis is clipped above ten times the runs' step-0 loss, so a diverged run leaves the others
    readable."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = style.make_plot()
        self.accuracy_plot = style.make_plot()
        self._loss_axis = AxisFollower(self.loss_plot, "y", headroom=Y_HEADROOM, floor=0.0)
        self.key = PlotKey()
        self._labels: list[str] = []
        self._runs: list[LoadedRun] = []
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.accuracy_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addLayout(plots, 1)
        self.retranslate()

    def restyle(self) -> None:
        """In a new theme: the training curves are paler by blending with the background, draw them on
        the new one; the key's samples take its colours."""
        self.show_runs(self._runs, self._labels)
        self.key.redraw()

    def retranslate(self) -> None:
        style.label_plot(self.accuracy_plot, self.tr("Accuracy"), self.tr("epoch"), self.tr("accuracy"))
        style.label_plot(self.loss_plot, self._loss_title(), self.tr("epoch"), self.tr("loss"))
        self._show_key()

    def _loss_title(self) -> str:
        note = clipped_note(self._loss_axis)
        return self.tr("Loss ({note})").format(note=note) if note else self.tr("Loss")

    def _show_key(self) -> None:
        if not self._labels:
            self.key.set_entries([])
            return
        self.key.set_entries([
            *(KeyEntry(style.palette_color(index), label) for index, label in enumerate(self._labels)),
            KeyEntry(style.FOREGROUND, self.tr("validation"), "line"),
            KeyEntry(style.TRAINING_SHADE_OF_FOREGROUND, self.tr("training"), "dashed")])

    def show_runs(self, runs: list[LoadedRun], labels: list[str]) -> None:
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.clear()
        self._runs, self._labels = list(runs), list(labels)
        self._show_key()
        self._loss_axis.restart(ceiling=loss_ceiling([run.history.initial_loss for run in runs]))
        for index, run in enumerate(runs):
            color = style.palette_color(index)
            epochs = run.history.epoch_column("epoch")
            for plot, metric in ((self.loss_plot, "loss"), (self.accuracy_plot, "acc")):
                for split in ("val", "train"):
                    values = run.history.epoch_column(f"{split}_{metric}")
                    if split == "val":
                        plot.plot(epochs, values, connect="finite", pen=style.validation_pen(color), symbol="o",
                                  symbolSize=SYMBOL_SIZE, symbolPen=None, symbolBrush=color)
                    else:
                        plot.plot(epochs, values, connect="finite", pen=style.training_pen(color))
                    if metric == "loss":
                        self._loss_axis.include(values)
        self._loss_axis.update(live=False)
        style.title_plot(self.loss_plot, self._loss_title())
        marks = marks_of(runs)  # settings steered while training, and where a fork branched off
        for plot in (self.loss_plot, self.accuracy_plot):
            ChangeMarkers(plot).show(marks)  # clear() above took the previous marks with the curves

    def curve_count(self) -> int:
        return len(self.loss_plot.getPlotItem().listDataItems())


class CompareView(Translated, QWidget):
    """Built from LoadedRuns with `set_runs`; Export writes them with core.reports.comparison's formats."""

    clone_requested = Signal(object)  # the ExperimentConfig of the selected run (same seeds: a twin)
    exported = Signal(Path)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.runs: list[LoadedRun] = []
        self.labels: list[str] = []
        # the export dialogs, replaceable (tests answer them without a modal window)
        self.ask_path: export_actions.SaveDialog = QFileDialog.getSaveFileName
        self.report_error: export_actions.ErrorReport = export_actions.show_error

        self.heading = QLabel()
        self.clone_button = QPushButton()
        self.export_button = QPushButton()
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.curves = RunOverlay()
        self.gradients_area = QWidget()
        # runs with the same layers share the layer colours: one key above the plots says it for all
        self.gradients_title = QLabel()
        self.layer_key = PlotKey()
        self._gradient_grid = QGridLayout()
        gradients_layout = QVBoxLayout(self.gradients_area)
        gradients_layout.setContentsMargins(0, 0, 0, 0)
        gradients_header = QHBoxLayout()
        gradients_header.addWidget(self.gradients_title)
        gradients_header.addWidget(self.layer_key, 1)
        gradients_layout.addLayout(gradients_header)
        gradients_layout.addLayout(self._gradient_grid, 1)
        self.gradient_plots: list[PerLayerTrend] = []
        self.metrics_table = _table(len(METRIC_ORDER) + 1)
        self.metrics_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.metrics_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a fix's run: its original's name + ...
        self.diff_table = _table(1)
        self.diff_note = QLabel()
        self.diff_title, self.metrics_title = QLabel(), QLabel()
        self._skipped: list[str] = []  # runs left out of the comparison: unreadable
        self._written: Path | None = None  # the file the last export wrote
        self._build_layout()
        self.clone_button.clicked.connect(self._request_clone)
        self.export_button.clicked.connect(self.export)
        self._update_buttons()
        style.on_theme_change(self._restyle)
        self.retranslate()

    def _restyle(self) -> None:
        self.curves.restyle()
        self._show_gradients()  # the layers' colours are the theme's

    def retranslate(self) -> None:
        self.clone_button.setText(self.tr("Clone run and change one setting"))
        self.clone_button.setToolTip(self.tr("Load the selected run's experiment, same seeds, to change one "
                                             "setting and run it as a twin"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Write this comparison as an HTML report, CSV, JSON, PNG or SVG"))
        self.gradients_title.setText("<b>" + html.escape(self.tr("Gradient norm per layer")) + "</b>")
        self.diff_title.setText(self.tr("Settings that differ"))
        self.diff_note.setText(self.tr(SAME_SETTINGS))
        self.metrics_title.setText(self.tr("Metrics (final: after training; best: at the lowest validation loss)"))
        titles = metric_titles()  # the core's catalogue, in the language of the app
        self.metrics_table.setHorizontalHeaderLabels([self.tr("Run"), *(titles[key] for key in METRIC_ORDER)])
        self.diff_table.setHorizontalHeaderLabels([self.tr("Setting"), *self.labels])
        for plot in self.gradient_plots:
            plot.set_texts(plot.title, self.tr("gradient norm"))
        self._show_heading()

    def _show_heading(self) -> None:
        self.heading.setText(self.tr("Comparing %n run(s)", "", len(self.runs)) if self.runs else self.tr(NO_RUNS))
        if self._written is not None:
            self.status.setText(self.tr("Wrote {path}").format(path=self._written))
        else:
            self.status.setText(self.tr("Left out (unreadable): {runs}").format(runs=", ".join(self._skipped))
                                if self._skipped else "")

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
        diff_layout.addWidget(self.diff_title)
        diff_layout.addWidget(self.diff_note)
        diff_layout.addWidget(self.diff_table)
        metrics = QWidget()
        metrics_layout = QVBoxLayout(metrics)
        metrics_layout.setContentsMargins(0, 0, 0, 0)
        metrics_layout.addWidget(self.metrics_title)
        metrics_layout.addWidget(self.metrics_table)
        tables = self._tables = QSplitter(Qt.Orientation.Horizontal)
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
        self._skipped = [run.name for run in runs if run.config is None or run.history is None]
        # a preset's run is labelled with the preset's name in the app's language
        self.runs, self.labels, self._written = usable, shown_labels(usable), None
        self._show_heading()
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
            # the run's name in its colour ties the plot to the run's curves and table row; the values
            # under the mouse appear below it once hovered (a hint under every small plot took room)
            plot = PerLayerTrend(lambda h: h.probe_steps, lambda h: h.grad_norm, log_y=True,
                                 title_color=style.palette_color(index), hover_hint=False)
            plot.set_texts(html.escape(label), self.tr("gradient norm"))  # plot titles are rich text
            plot.plot.setMinimumSize(*GRADIENT_PLOT_MIN_SIZE)
            plot.bind(run.history)
            plot.refresh()
            self._gradient_grid.addWidget(plot.widget, index // GRADIENT_COLUMNS, index % GRADIENT_COLUMNS)
            self.gradient_plots.append(plot)
        norms = np.concatenate([run.history.grad_norm.view().ravel() for run in self.runs] or [np.empty(0)])
        norms = norms[np.isfinite(norms) & (norms > 0)]
        layer_names = {tuple(run.history.layer_names) for run in self.runs}
        same_layers = len(layer_names) == 1
        for plot in self.gradient_plots:
            if len(norms):  # one scale for all, so heights compare at a glance (log axis: log10 units)
                plot.plot.setYRange(np.log10(norms.min()), np.log10(norms.max()))
            plot.key.setVisible(not same_layers and bool(plot.key.entries))
        names = [layer_name(name) for name in next(iter(layer_names))] if same_layers else []
        self.layer_key.set_entries([KeyEntry(color, name) for color, name in
                                    zip(style.layer_colors(len(names)), names, strict=True)])

    def _show_metrics(self) -> None:
        table = self.metrics_table
        table.setRowCount(len(self.runs))
        cells = []
        for row, (run, label) in enumerate(zip(self.runs, self.labels, strict=True)):
            name = _item(label, tooltip=f"{label}\n{run.directory}")
            name.setForeground(style.palette_color(row))
            table.setItem(row, 0, name)
            summary = metric_summary(run)
            texts = [formatting.metric(key, summary[key]) for key in METRIC_ORDER]
            cells.append(texts)
            for column, (key, text) in enumerate(zip(METRIC_ORDER, texts, strict=True), start=1):
                table.setItem(row, column, _item(text, number=key not in TEXT_COLUMNS, tooltip=text))
        for column in range(1, table.columnCount()):  # a metric no run has (no test set) takes no room
            table.setColumnHidden(column, bool(cells) and all(row[column - 1] == formatting.MISSING for row in cells))
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, min(table.columnWidth(0), RUN_COLUMN_MAX_WIDTH))
        if self.runs:
            table.selectRow(0)

    def _show_differences(self) -> None:
        differences = config_differences(self.runs) if self.runs else {}
        table = self.diff_table
        table.clear()
        table.setColumnCount(1 + len(self.runs))
        table.setHorizontalHeaderLabels([self.tr("Setting"), *self.labels])
        table.setRowCount(len(differences))
        for row, (key, values) in enumerate(differences.items()):
            table.setItem(row, 0, _item(key))
            for column, value in enumerate(values, start=1):
                table.setItem(row, column, _item(formatting.setting(value)))
        self.diff_note.setVisible(bool(self.runs) and not differences)
        table.setVisible(bool(differences))
        if differences:
            self._fit_differences()

    def _fit_differences(self) -> None:
        """The settings pane as wide as its values need (capped) where the tab has room: it keeps that
        width as the window grows. A minimum width instead would widen the whole tab and squeeze the
        window's side panels; in a narrow tab the table scrolls."""
        table = self.diff_table
        needed = 2 * table.frameWidth() + sum(
            max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))
            for column in range(table.columnCount()))
        metrics_width, diff_width = self._tables.sizes()
        self._tables.setSizes([max(0, metrics_width + diff_width - min(needed, MAX_DIFF_WIDTH)),
                               min(needed, MAX_DIFF_WIDTH)])

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
            self._written = written
            self._show_heading()
            self.exported.emit(written)
        return written
