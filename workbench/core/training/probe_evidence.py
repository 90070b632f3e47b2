"""What a card says of a finding its probe judged: the measured numbers added to its evidence, where a probe
refuted its fix, found it overtaken by the run, or showed no accuracy lost to its fault. probe_judgement.py decides
which applies; these are only the words."""

from __future__ import annotations

from workbench.core import i18n
from workbench.core.diagnosis.finding import Finding
from workbench.core.i18n import _
from workbench.core.training.probe_effect import Effect
from workbench.core.training.probe_plan import settings_text


def refuted_evidence(finding: Finding, effect: Effect, epochs: int) -> str:
    """The finding's evidence and what its withdrawn fix measured: the probe's validation accuracy (balanced for
    a fix of rare classes) against the run's at the same epoch."""
    template = (_("{evidence}; its fix ({fix}), tested for {epochs} epochs, reached balanced validation accuracy "
                  "{probe}, against {baseline} without it")
                if effect.balanced else
                _("{evidence}; its fix ({fix}), tested for {epochs} epochs, reached validation accuracy {probe}, "
                  "against {baseline} without it"))
    return template.format(evidence=finding.evidence, fix=settings_text(finding.fix), epochs=epochs,
                           probe=i18n.number(effect.probe), baseline=i18n.number(effect.baseline))


def overtaken_evidence(finding: Finding, effect: Effect, epochs: int) -> str:
    """The finding's evidence and why its fix is not offered: its probe's gain within the noise, and the run's
    end above what the probe reached, or, for rare classes, its gain beyond the noise and the run's end above what
    the probe reached by more than the noise there (Effect.overtaken, probe_judgement._withdrawn_where_overtaken)."""
    if effect.outrun and effect.gain >= effect.tolerance:
        template = _("{evidence}; its fix ({fix}), tested for {epochs} epochs, reached balanced validation accuracy "
                     "{probe} against {baseline} without it, and this run went on to {run_end} after {run_epochs} "
                     "epochs without it, above that by more than the sampling noise: no fix is offered")
    elif effect.balanced:
        template = _("{evidence}; its fix ({fix}), tested for {epochs} epochs, reached balanced validation accuracy "
                     "{probe} against {baseline} without it, within the sampling noise, and this run went on to "
                     "{run_end} after {run_epochs} epochs without it: no fix is offered")
    else:
        template = _("{evidence}; its fix ({fix}), tested for {epochs} epochs, reached validation accuracy {probe} "
                     "against {baseline} without it, within the sampling noise, and this run went on to {run_end} "
                     "after {run_epochs} epochs without it: no fix is offered")
    return template.format(evidence=finding.evidence, fix=settings_text(finding.fix), epochs=epochs,
                           probe=i18n.number(effect.probe), baseline=i18n.number(effect.baseline),
                           run_end=i18n.number(effect.run_end), run_epochs=effect.run_epochs)


def costless_note(injected: bool, within_noise: bool, refuted: bool = False, balanced: bool = False) -> str:
    """The evidence template of a note that no accuracy lost shows: measured without an injected fault of the
    data or with a fix, the run's end at or above what that reached, or below it within the sampling noise. A
    refuted fix's evidence already says what its probe reached (refuted_evidence). A fix of rare classes is
    judged by balanced accuracy, the probe's and the run's end alike, and the note says so."""
    if refuted:
        return _("{evidence}; the run ended at {run_end} after {run_epochs} epochs: no accuracy lost to it shows by "
                 "the end")
    if injected and within_noise:
        return _("{evidence}; the same experiment without what the toggle injected reached validation accuracy "
                 "{probe} in {epochs} epochs, and this run ended at {run_end} after {run_epochs} epochs, within the "
                 "sampling noise of it: no accuracy lost to it shows by the end")
    if injected:
        return _("{evidence}; the same experiment without what the toggle injected reached validation accuracy "
                 "{probe} in {epochs} epochs, and this run ended at {run_end} after {run_epochs} epochs: no accuracy "
                 "lost to it shows by the end")
    if balanced and within_noise:
        return _("{evidence}; its fix, tested for {epochs} epochs, reached balanced validation accuracy {probe}, and "
                 "this run, without it, ended at {run_end} after {run_epochs} epochs, within the sampling noise of it: "
                 "no accuracy lost to it shows by the end")
    if balanced:
        return _("{evidence}; its fix, tested for {epochs} epochs, reached balanced validation accuracy {probe}, and "
                 "this run, without it, ended at {run_end} after {run_epochs} epochs: no accuracy lost to it shows by "
                 "the end")
    if within_noise:
        return _("{evidence}; its fix, tested for {epochs} epochs, reached validation accuracy {probe}, and this "
                 "run, without it, ended at {run_end} after {run_epochs} epochs, within the sampling noise of it: no "
                 "accuracy lost to it shows by the end")
    return _("{evidence}; its fix, tested for {epochs} epochs, reached validation accuracy {probe}, and this run, "
             "without it, ended at {run_end} after {run_epochs} epochs: no accuracy lost to it shows by the end")
