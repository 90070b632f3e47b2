"""Where the shown runs' settings were changed while they trained (history.changes, events.csv), and
where a forked run branched off its parent: a labelled vertical line on every plot whose x axis is time
in epochs. Lines are made again only when the marks change, so the 30 ms refresh costs a comparison."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from workbench.ui import formatting
from workbench.ui.plots import style

CHANGE_COLOR = style.PALETTE[3]  # vermillion: apart from the train/validation/best-epoch colours
FORK_COLOR = style.PALETTE[4]
LABEL_POSITION = 0.9  # of the plot's height, from the bottom: above most curves
LABEL_STAGGER = 0.12  # marks close together put their labels at different heights


def change_label(key: str, old: float, new: float) -> str:
    """`train.lr 0.02 → 5`: the experiment-file key (never translated), its old and new value."""
    return QCoreApplication.translate("ChangeMarkers", "{key} {old} → {new}").format(
        key=key, old=formatting.number(old), new=formatting.number(new))


def fork_epoch_of(run) -> int | None:
    """The epoch a run was forked from: a run training now knows it, a run read back has it in summary.json."""
    epoch = getattr(run, "fork_epoch", None)
    summary = getattr(run, "summary", None)
    return epoch if epoch is not None else (summary.get("fork_epoch") if isinstance(summary, dict) else None)


def marks_of(runs) -> list[tuple[float, str, str]]:
    """(x in epochs, label, colour) of every change and fork among `runs`, in order of x; a change a fork
    inherited from its parent is shown once, in the colour of the first run that has it. Over several runs
    a mark takes its run's colour (the overlay's), so that a parent's change after the fork reads as the
    parent's."""
    marks: dict[tuple[float, str], str] = {}
    for index, run in enumerate(runs):
        overlay_color = style.palette_color(index) if len(runs) > 1 else None
        history = run.history
        if history is None:
            continue
        steps_per_epoch = max(1, history.steps_per_epoch)
        for change in history.changes:
            marks.setdefault((change.step / steps_per_epoch, change_label(change.key, change.old, change.new)),
                             overlay_color or CHANGE_COLOR)
        fork_epoch = fork_epoch_of(run)
        if fork_epoch is not None:
            label = QCoreApplication.translate("ChangeMarkers", "forked at epoch {epoch}").format(epoch=fork_epoch)
            marks.setdefault((float(fork_epoch), label), overlay_color or FORK_COLOR)
    return sorted((x, label, color) for (x, label), color in marks.items())


class ChangeMarkers:
    """The marks on one plot."""

    def __init__(self, plot: pg.PlotWidget):
        self.plot = plot
        self._lines: list[pg.InfiniteLine] = []
        self._shown: list[tuple[float, str, str]] = []

    @property
    def labels(self) -> list[str]:
        return [label for _x, label, _color in self._shown]

    def show(self, marks: list[tuple[float, str, str]]) -> None:
        if marks == self._shown:
            return
        for line in self._lines:
            self.plot.removeItem(line)
        self._lines, self._shown = [], list(marks)
        for index, (x, label, color) in enumerate(marks):
            line = pg.InfiniteLine(pos=x, angle=90, pen=style.pen(color, width=1.5, dashed=True), label=label,
                                   labelOpts={"position": LABEL_POSITION - LABEL_STAGGER * (index % 3),
                                              "color": style.resolve(color), "anchors": [(0, 0.5), (0, 0.5)]})
            self.plot.addItem(line, ignoreBounds=True)  # a mark never widens the axes
            self._lines.append(line)

    def restyle(self) -> None:
        marks, self._shown = self._shown, []
        self.show(marks)
