"""Trying the shown run's model in the main window: Run → Try the model… (draw a digit for image data; for
2-D data, a click on the decision-boundary plane), File → Export ONNX…, the point probe on that plane,
and the dataset preview's picked example handed to the Filters tab. The model comes from the plots area's
TrainedModels, which reads the epoch states the controller keeps while a run trains."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import QObject, QSettings

from workbench.core.i18n import catalogue_text
from workbench.ui.actions import describe, new_action
from workbench.ui.try_model import DrawDigitDialog, PointProbe

SETTINGS_EXPORT_FOLDER = "files/export_folder"


class ModelActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.trained = window.plots.trained
        controller = window.controller
        self.trained.kept_states_of = lambda run: (controller.epoch_states.of(run)
                                                   if controller.epoch_states is not None else None)
        self.try_action = new_action(window, self.try_model, ["Ctrl+T"])
        self.export_onnx_action = new_action(window, self.export_onnx)
        self.probe = PointProbe(window.plots.boundary.plot, lambda: self.trained.model_of(window.session.shown))
        self.dialog: DrawDigitDialog | None = None
        window.session.selection_changed.connect(lambda _runs: self.probe.clear())
        self.trained.changed.connect(self.probe.answer_when_ready)  # a click made while the data was read
        window.experiment.preview.example_picked.connect(self.show_example)

    def retranslate(self) -> None:
        describe(self.try_action, self.tr("&Try the model…"),
                 self.tr("Draw a digit for the shown run's model, or click the decision boundary's plane, and see "
                         "its class probabilities"))
        if importlib.util.find_spec("onnx") is None:
            describe(self.export_onnx_action, self.tr("Export O&NNX… (needs: pip install onnx)"),
                     self.tr("The ONNX export needs the onnx package: pip install onnx"))
        else:
            describe(self.export_onnx_action, self.tr("Export O&NNX…"),
                     self.tr("Save the shown run's trained model as an ONNX file (for Netron and other tools)"))

    def _shown_model(self, title: str):
        """The shown run and its model, or None after saying why there is none."""
        run = self.window.session.shown
        model = self.trained.model_of(run)
        if isinstance(model, str) or model is None:
            self.window.dialogs.error(title, model or self.tr("Select a run first."))
            return None
        return run, model

    def try_model(self) -> None:
        shown = self._shown_model(self.tr("Cannot try the model"))
        if shown is None:
            return
        run, model = shown
        plots = self.window.plots
        if model.facts.kind == "image" and (len(model.facts.input_shape) == 2 or model.facts.input_shape[0] == 1):
            self.dialog = DrawDigitDialog(model, catalogue_text(run.name), self.window)
            self.dialog.show()
        elif plots.tabs.isTabVisible(plots.tabs.indexOf(plots.boundary.widget)):
            self.window.views.setCurrentWidget(plots)
            plots.tabs.setCurrentWidget(plots.boundary.widget)
            self.window.status.showMessage(self.tr("Click a point of the plane to see the model's prediction there."))
        else:
            self.window.dialogs.error(self.tr("Cannot try the model"), self.tr(
                "Trying a model works for grey images such as digits (draw one) and for 2-D data (click the plane); "
                "this run's data is neither."))

    def export_onnx(self) -> None:
        from workbench.core.rundir.layout import slug
        from workbench.core.training.trained import ExportUnavailable

        title = self.tr("Cannot export ONNX")
        shown = self._shown_model(title)
        if shown is None:
            return
        run, model = shown
        folder = Path(str(QSettings().value(SETTINGS_EXPORT_FOLDER, str(Path.home()))))
        path, _filter = self.window.dialogs.export_file(self.window, self.tr("Export ONNX"),
                                                        str(folder / f"{slug(run.name)}.onnx"),
                                                        self.tr("ONNX model (*.onnx)"))
        if not path:
            return
        path = Path(path).with_suffix(".onnx")
        try:
            model.export_onnx(path)
        except ExportUnavailable as error:
            self.window.dialogs.error(title, str(error))
            return
        except (OSError, RuntimeError) as error:
            self.window.dialogs.error(title, f"{path}: {error}")
            return
        QSettings().setValue(SETTINGS_EXPORT_FOLDER, str(path.parent))
        self.window.status.showMessage(self.tr("Exported {path}").format(path=path))

    def show_example(self, raw, label: int) -> None:
        """An image picked in the dataset preview: its feature maps in the Filters tab, when that tab applies."""
        plots = self.window.plots
        plots.filters.set_example(raw, label)
        if plots.tabs.isTabVisible(plots.tabs.indexOf(plots.filters)):
            self.window.views.setCurrentWidget(plots)
            plots.tabs.setCurrentWidget(plots.filters)
