"""The plots follow the app's light or dark palette (Qt keeps it in step with the desktop's scheme): a dark
palette gives dark plots with light text and keys, training curves blended with the dark background, and
the light one comes back with the light palette."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from workbench.core.diagnosis.finding import Finding
from workbench.ui.plots import style

DARK_WINDOW = "#2b2b2b"


def dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, color in ((QPalette.ColorRole.Window, DARK_WINDOW), (QPalette.ColorRole.Base, "#1e1e1e"),
                        (QPalette.ColorRole.WindowText, "#e0e0e0"), (QPalette.ColorRole.Text, "#e0e0e0"),
                        (QPalette.ColorRole.Button, "#353535"), (QPalette.ColorRole.ButtonText, "#e0e0e0")):
        palette.setColor(role, QColor(color))
    return palette


@pytest.fixture
def light_again(qapp):
    light = QPalette(qapp.palette())
    yield
    qapp.setPalette(light)
    assert style.theme() is style.LIGHT


def background(plot) -> str:
    return plot.backgroundBrush().color().name()


def axis_text(plot) -> str:
    return plot.getPlotItem().getAxis("left").textPen().color().name()


def test_a_dark_palette_gives_dark_plots_and_the_light_one_light_plots(window, qtbot, tiny, run_to_end,
                                                                      light_again):
    first, second = run_to_end(tiny("first")), run_to_end(tiny("second", train__lr=0.05))
    window.session.select([second, first])
    assert window.plots.curve_point_counts()["first / val_acc"] == 2  # the overlay of the two runs
    curves = window.plots.curves
    loss = curves.loss_plot
    assert (background(loss), axis_text(loss)) == (style.LIGHT.background, style.LIGHT.foreground)
    light_training = curves._run_curves[0]["train_loss"].opts["pen"].color().name()
    window.diagnosis.set_findings([Finding("dead_relu", "warning", "ReLU units died", "94% of layer 2", "why")],
                                  running=False)

    QApplication.setPalette(dark_palette())
    qtbot.waitUntil(lambda: style.theme() is style.DARK)
    assert (background(loss), axis_text(loss)) == (style.DARK.background, style.DARK.foreground)
    assert loss.getPlotItem().titleLabel.opts["color"] == style.DARK.foreground
    assert background(window.plots.gradient_norms.plot) == style.DARK.background
    assert background(window.experiment.preview.plot) == style.DARK.background
    assert style.DARK.foreground in curves.key.text()  # "validation" and the like, readable on dark
    dark_training = curves._run_curves[0]["train_loss"].opts["pen"].color().name()
    assert dark_training != light_training  # blended with the dark background, not the white one
    assert dark_training == style.training_pen(style.palette_color(0)).color().name()
    assert style.palette_color(6).name() == style.DARK.foreground  # Okabe–Ito's black, light on dark
    (card,) = window.diagnosis.cards  # its texts take the new palette: no style sheet holds the old one
    assert card.title.palette().color(QPalette.ColorRole.WindowText).name() == "#e0e0e0"
    window.views.setCurrentWidget(window.compare_tab)  # the Compare tab, built while dark, is dark too
    qtbot.waitUntil(lambda: window.compare_tab.view is not None and len(window.compare_tab.view.runs) == 2)
    compare = window.compare_tab.view
    assert background(compare.curves.loss_plot) == style.DARK.background
    assert all(background(plot.plot) == style.DARK.background for plot in compare.gradient_plots)
    assert style.DARK.foreground in compare.curves.key.text()

    QApplication.setPalette(QApplication.style().standardPalette())
    qtbot.waitUntil(lambda: style.theme() is style.LIGHT)
    assert (background(loss), axis_text(loss)) == (style.LIGHT.background, style.LIGHT.foreground)
    assert curves._run_curves[0]["train_loss"].opts["pen"].color().name() == light_training
    assert background(compare.gradient_plots[0].plot) == style.LIGHT.background  # made again, in the light
    assert style.LIGHT.foreground in compare.curves.key.text()


class _Probe:
    """A view that is no Qt object, like the point probe over the decision boundary."""

    def __init__(self):
        self.calls = 0

    def restyle(self) -> None:
        self.calls += 1


def test_a_follower_lives_as_long_as_the_qt_object_that_holds_what_it_draws(qapp, light_again):
    probe = _Probe()
    with pytest.raises(TypeError):
        style.on_theme_change(probe.restyle)  # nothing would tell when its items are gone
    light, holder = QPalette(QApplication.palette()), QWidget()
    style.on_theme_change(probe.restyle, owner=holder)
    QApplication.setPalette(dark_palette())
    style.follow_palette(QApplication.palette())
    assert probe.calls == 1
    shiboken6.delete(holder)  # Qt deletes the window: restyling its leftover items crashed the app
    QApplication.setPalette(light)
    style.follow_palette(QApplication.palette())
    assert probe.calls == 1
