"""pyqtgraph views of a run: loss and accuracy, per-layer gradients, activations, updates, decision boundary."""

from workbench.ui.plots.area import PlotsArea

__all__ = ["PlotsArea"]
