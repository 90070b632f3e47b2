"""The diagnosis side panel: each finding as a card (severity, title, evidence, why, cause) with an
Apply fix button, a plain word when a run is healthy, and for presets whether the expected finding came.
Following a runs session, it shows the session's shown run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from workbench.core.data.attainable import ceiling_text
from workbench.core.diagnosis.finding import JUDGED_BALANCED, Finding
from workbench.core.fix_outcome import fix_outcome, outcome_text
from workbench.core.i18n import catalogue_text, layer_name
from workbench.core.session import RunRecord, RunsSession
from workbench.core.status import RunStatus
from workbench.ui import formatting
from workbench.ui.language import Translated
from workbench.ui.plots.evidence import EVIDENCE_VIEWS, FIRST_LAYER

IDLE_MESSAGE = QT_TRANSLATE_NOOP("DiagnosisPanel", "The diagnosis of a run appears here while it trains.")
WATCHING_MESSAGE = QT_TRANSLATE_NOOP("DiagnosisPanel", "Watching… no problems so far.")
HEALTHY_MESSAGE = QT_TRANSLATE_NOOP("DiagnosisPanel", "No problems found: this run trained healthily.")
SEVERITY_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
# Okabe & Ito's vermillion, orange and blue, as the plots' colours; the icon says the severity too
SEVERITY_COLORS = {"error": "#D55E00", "warning": "#E69F00", "info": "#0072B2"}
SEVERITY_LABELS = {"error": QT_TRANSLATE_NOOP("FindingCard", "error"),
                   "warning": QT_TRANSLATE_NOOP("FindingCard", "warning"),
                   "info": QT_TRANSLATE_NOOP("FindingCard", "info")}
ICON_SIZE = 28
# Narrower, a card's longest unbreakable line (a fix button, a diagnosis id) ran past the panel's edge
# and was cut off mid-word.
PANEL_MIN_WIDTH = 280
CARD_STRIPE_WIDTH = 4  # px, the severity-coloured edge that lets a glance sort the cards
CARD_CORNER_RADIUS = 3.0


def fix_button_text(fix: dict[str, Any]) -> str:
    """ "Apply fix:" and each override on a line of its own: a button does not wrap, and "Apply fix:
    model.activation = leaky_relu" on one line made the card wider than the panel, cutting off its text."""
    overrides = [f"{key} = {formatting.setting(value)}" for key, value in fix.items()]
    text = QCoreApplication.translate("FindingCard", "Apply fix: {overrides}")
    return text.format(overrides="\n" + "\n".join(overrides)).replace(" \n", "\n", 1)


def raised_text(epoch: int) -> str:
    if epoch <= 0:
        return QCoreApplication.translate("FindingCard", "raised before training (step 0)")
    return QCoreApplication.translate("FindingCard", "raised at epoch {epoch}").format(epoch=epoch)


def _text_label(*, bold: bool = False, secondary: bool = False) -> QLabel:
    """Plain text (evidence may contain '<'), wrapped, selectable so numbers can be copied."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    if secondary:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _set_text(label: QLabel, text: str) -> None:
    """Only touch a label whose text changed, so live updates do not relayout (and flicker)."""
    if label.text() != text:
        label.setText(text)
    label.setVisible(bool(text))


class FindingCard(Translated, QFrame):
    """One finding; updated in place when the same id comes back with new numbers."""

    fix_requested = Signal(object)
    evidence_requested = Signal(object)  # the finding whose evidence view was asked for

    def __init__(self, finding: Finding, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("findingCard")
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = _text_label(bold=True)
        self.raised = _text_label(secondary=True)
        self.evidence = _text_label()
        self.why = _text_label()
        self.cause = _text_label(secondary=True)
        self.tested = _text_label(bold=True)  # what a short run of the fix measured (verified diagnosis)
        self.fix_button = QPushButton()
        self.fix_button.clicked.connect(lambda: self.fix_requested.emit(self.finding))
        self.evidence_button = QPushButton()  # opens the view that shows the evidence (plots/evidence.py)
        self.evidence_button.clicked.connect(lambda: self.evidence_requested.emit(self.finding))

        text = QVBoxLayout()
        text.setSpacing(4)
        for widget in (self.title, self.raised, self.tested, self.evidence, self.why, self.cause):
            text.addWidget(widget)
        text.addWidget(self.evidence_button, 0, Qt.AlignmentFlag.AlignLeft)
        text.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.finding: Finding | None = None
        self._cause_title = ""
        self.show_finding(finding, "")

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        """A rounded border in the palette's mid colour, the left edge in the severity's: painted, not a
        style sheet, which would keep the card's texts in the palette they had when it was applied (a
        desktop turning dark would leave them black on black)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
        painter.drawRoundedRect(outline, CARD_CORNER_RADIUS, CARD_CORNER_RADIUS)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SEVERITY_COLORS[self._severity]))
        painter.drawRoundedRect(QRectF(outline.left(), outline.top(), CARD_STRIPE_WIDTH, outline.height()),
                                CARD_CORNER_RADIUS / 2, CARD_CORNER_RADIUS / 2)

    def retranslate(self) -> None:
        """The card's own words; the finding's texts stay in the language the run was made in."""
        if self.finding is not None:
            self.icon.setToolTip(self.tr(SEVERITY_LABELS[self._severity]))
            self.show_finding(self.finding, self._cause_title)

    @property
    def _severity(self) -> str:
        return self.finding.severity if self.finding.severity in SEVERITY_ICONS else "info"

    def show_finding(self, finding: Finding, cause_title: str) -> None:
        if self.finding is None or finding.severity != self.finding.severity:
            self.finding = finding
            icon = self.style().standardIcon(SEVERITY_ICONS[self._severity])
            self.icon.setPixmap(icon.pixmap(ICON_SIZE, ICON_SIZE))
            self.icon.setToolTip(self.tr(SEVERITY_LABELS[self._severity]))
            self.update()  # the stripe takes the severity's colour
        self.finding, self._cause_title = finding, cause_title
        _set_text(self.title, finding.title)
        _set_text(self.raised, f"{finding.id} · {raised_text(finding.epoch)}")
        _set_text(self.evidence, self.tr("Evidence: {evidence}").format(evidence=finding.evidence)
                  if finding.evidence else "")
        why = (self.tr("Why, in general (the cure it names did worse on this run): {why}") if finding.fix_withdrawn
               else self.tr("Why: {why}"))
        _set_text(self.why, why.format(why=finding.suggestion) if finding.suggestion else "")
        _set_text(self.cause, self.tr("A consequence of: {cause}").format(cause=cause_title)
                  if finding.caused_by else "")
        _set_text(self.tested, self._tested_text(finding))
        button_text = fix_button_text(finding.fix) if finding.fix else ""
        if self.fix_button.text() != button_text:
            self.fix_button.setText(button_text)
        self.fix_button.setVisible(bool(finding.fix))
        view = EVIDENCE_VIEWS.get(finding.id)
        evidence_text = "" if view is None else self.tr(view.button).format(
            layer=layer_name(finding.layer or FIRST_LAYER), epoch=finding.epoch if view.kind else max(1, finding.epoch))
        if self.evidence_button.text() != evidence_text:
            self.evidence_button.setText(evidence_text)
        self.evidence_button.setVisible(view is not None)


    def _tested_text(self, finding: Finding) -> str:
        if finding.verified is not None:
            tested = finding.verified
            template = (self.tr("✓ Verified: with this fix, balanced validation accuracy (the mean recall over the "
                                "classes) reached {value} after {epochs} epochs, against {baseline} without")
                        if finding.id in JUDGED_BALANCED else
                        self.tr("✓ Verified: with this fix, validation accuracy reached {value} after {epochs} "
                                "epochs, against {baseline} without"))
            return template.format(
                value=formatting.percent(tested["val_acc"]), epochs=tested["epochs"],
                baseline=formatting.percent(tested["baseline_val_acc"]))
        if finding.fix_withdrawn and finding.candidates:
            return self.tr("Its fix made validation worse in a short run, so none is offered; the evidence "
                           "cannot rule out: {candidates}").format(candidates=", ".join(finding.candidates))
        if finding.fix_withdrawn:  # no other finding to name
            return self.tr("Its fix made validation worse in a short run, so none is offered")
        return ""


class DiagnosisPanel(Translated, QWidget):
    """Findings of the shown run, most important first."""

    fix_requested = Signal(object)  # the Finding whose Apply fix was pressed
    evidence_requested = Signal(object)  # the Finding whose "Show …" button was pressed
    settings_requested = Signal(object)  # the ExperimentConfig of the run a fix did not help: to go back to it

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        self.message = _text_label()
        self.expected = _text_label()
        self.expected.setVisible(False)
        # a run of a fix applied in this session: what it did against the run it was meant to cure
        self.fix_result = _text_label()
        self.fix_result.setVisible(False)
        self.back_button = QPushButton()
        self.back_button.setVisible(False)
        self.back_button.clicked.connect(self._back_to_original)
        self._original = None  # the run whose settings back_button loads
        self._run: RunRecord | None = None  # the run shown
        self._session: RunsSession | None = None
        self._cards_widget = QWidget()
        self._cards_layout = QVBoxLayout(self._cards_widget)
        self._cards_layout.setContentsMargins(0, 0, 0, 0)
        self._cards_layout.addStretch(1)  # cards stack from the top
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._cards_widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.fix_result)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.expected)
        layout.addWidget(scroll, 1)
        self._cards: dict[str, FindingCard] = {}
        self._expected_ids: list[str] = []
        self._running = False
        self._testing = None  # the shown run's probe of a fix (core.training.verify.FixTest), if one trains
        self._shown = False  # a run's findings were given (as opposed to the idle state)
        self.retranslate()

    def retranslate(self) -> None:
        self._update_message()
        self._update_expected()
        self._show_fix_result(self._run)

    @property
    def cards(self) -> list[FindingCard]:
        """The cards in the order shown."""
        return [self._cards_layout.itemAt(index).widget() for index in range(len(self._cards))]

    def follow(self, session: RunsSession) -> None:
        """Show the session's shown run (the newest selected), live while it trains."""
        self._session = session
        session.selection_changed.connect(lambda _runs: self.show_run(session.shown))
        session.updated.connect(lambda run: self.show_run(run) if run is session.shown else None)

    def show_run(self, run: RunRecord | None) -> None:
        """The run's findings and, for a preset's run, whether the diagnosis it expects came."""
        if run is None:
            self.clear()
            return
        self._run = run  # before the message, which says what the run's data allow
        self._testing = run.testing
        self.set_findings(run.findings, running=run.status == RunStatus.RUNNING or run.testing is not None)
        self.set_expected(run.config.meta.expect if run.config is not None else [])
        self._show_fix_result(run)

    def _show_fix_result(self, run: RunRecord | None) -> None:
        """For the run of a fix applied in this session, once it and its original have ended: what the fix did,
        and where it did worse, a button back to the original's settings."""
        self._run = run
        fix = self._session.fix_of(run) if self._session is not None and run is not None else None
        outcome = fix_outcome(fix[0], run, fix[1]) if fix is not None else None
        self._original = fix[0] if outcome is not None and outcome.harmed and fix[0].config is not None else None
        _set_text(self.fix_result, outcome_text(outcome) if outcome is not None else "")
        self._update_back_button()

    def _update_back_button(self) -> None:
        """A short label (a button does not wrap: with the run's name in it, it was cut off at both ends in a panel
        of the usual width); the sentence above it names the original, and so does the tooltip."""
        if self._original is not None:
            self.back_button.setText(self.tr("Back to the original settings"))
            self.back_button.setToolTip(self.tr("Back to the settings of “{run}”").format(
                run=catalogue_text(self._original.name)))
        self.back_button.setVisible(self._original is not None)

    def _back_to_original(self) -> None:
        if self._original is not None:
            self.settings_requested.emit(self._original.config)

    def set_findings(self, findings: Iterable[Finding], running: bool) -> None:
        """Show this list (ranked, root causes first). Cards of ids already shown are updated in place;
        only new ids get a card and only vanished ids lose theirs."""
        ranked, seen = [], set()
        for finding in findings:  # a repeated id keeps its first (higher-ranked) entry
            if finding.id not in seen:
                seen.add(finding.id)
                ranked.append(finding)
        self._running, self._shown = running, True
        titles = {finding.id: finding.title for finding in ranked}
        for finding_id in [key for key in self._cards if key not in titles]:
            card = self._cards.pop(finding_id)
            self._cards_layout.removeWidget(card)
            card.deleteLater()
        for index, finding in enumerate(ranked):
            card = self._cards.get(finding.id)
            if card is None:
                card = FindingCard(finding)
                card.fix_requested.connect(self.fix_requested)
                card.evidence_requested.connect(self.evidence_requested)
                self._cards[finding.id] = card
            cause = titles.get(finding.caused_by, finding.caused_by)
            card.show_finding(finding, cause)
            if self._cards_layout.indexOf(card) != index:
                self._cards_layout.insertWidget(index, card)
        self._update_message()
        self._update_expected()

    def set_expected(self, ids: Iterable[str] | None) -> None:
        """The diagnosis ids a preset is built to show; empty hides the line."""
        self._expected_ids = list(ids or [])
        self._update_expected()

    def clear(self) -> None:
        """Back to the idle state (no run shown)."""
        self._testing = None
        self._show_fix_result(None)
        self.set_findings([], running=False)
        self._shown = False
        self._update_message()
        self._update_expected()

    def _update_message(self) -> None:
        count = len(self._cards)
        if not self._shown:
            text = self.tr(IDLE_MESSAGE)
        elif self._testing is not None:
            template = (self.tr("Measuring what “{title}” cost in a short run of {epochs} epochs without it "
                                "({without}) ({index} of {total}): the findings may still change.")
                        if self._testing.without else
                        self.tr("Testing the fix for “{title}” in a short run of {epochs} epochs ({index} of {total}): "
                                "the findings may still change."))
            text = template.format(title=self._testing.title, epochs=self._testing.epochs,
                                   index=self._testing.index, total=self._testing.total, without=self._testing.without)
        elif not count:
            text = self.tr(WATCHING_MESSAGE) if self._running else self.tr(HEALTHY_MESSAGE)
        elif self._running:
            text = self.tr("Watching… %n finding(s) so far, most important first.", "", count)
        else:
            text = self.tr("%n finding(s), most important first.", "", count)
        config = self._run.config if self._shown and self._run is not None else None
        if config is not None and (ceiling := ceiling_text(config.data.dataset, config.data.noise)):
            text = f"{text}\n{ceiling}"
        _set_text(self.message, text)

    def _update_expected(self) -> None:
        lines = []
        for expected_id in self._expected_ids:
            if expected_id in self._cards:
                line = self.tr("Expected: {id} — found ✓")
            elif self._running or not self._shown:
                line = self.tr("Expected: {id} — not found yet")
            else:
                line = self.tr("Expected: {id} — not found ✗")
            lines.append(line.format(id=expected_id))
        _set_text(self.expected, "\n".join(lines))
