"""A diagnosis finding: what went wrong, the numbers that prove it, why, and the override that cures it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
# How sure the diagnosis is (CONTRACTS section 5): a short counterfactual run of the fix confirmed it,
# the evidence points to it, or the evidence cannot tell it from the `candidates`.
CONFIDENCES = ("verified", "likely", "possible")
# Validation accuracy a tested fix must add for its finding to count as verified (about the epoch-to-epoch
# noise of validation accuracy on a few hundred examples).
VERIFIED_GAIN = 0.02
# Findings whose fix is judged by balanced accuracy (mean recall over the classes), in its probe and on its
# card: balancing rare classes trades a little plain accuracy on the common ones for the rare ones, which
# plain accuracy would call harm.
JUDGED_BALANCED = ("class_imbalance",)


@dataclass(frozen=True)
class Finding:
    """The texts (title, evidence, suggestion) are in the language the run was made in, and summary.json
    keeps them so: they are for people. Programs read the id, the severity and the fix, which never change
    with the language."""

    id: str  # a CONTRACTS.md section 4 id
    severity: str  # error | warning | info
    title: str
    evidence: str  # measured numbers, e.g. "layer 1 gradient norm 3e-7 is 1e-5 of layer 8's"
    suggestion: str  # why it happens and what cures it, in plain words
    fix: dict[str, Any] = field(default_factory=dict)  # experiment-file overrides ("train.lr": 0.001)
    epoch: int = 0  # epoch at which it was first raised (0 = before training / step 0)
    caused_by: str = ""  # id of the root-cause finding this one is a consequence of, if any
    confidence: str = "likely"  # one of CONFIDENCES
    candidates: tuple[str, ...] = ()  # when "possible": the other ids the evidence cannot rule out
    verified: dict[str, Any] | None = None  # when "verified": fix, epochs, val_acc, baseline_val_acc
    layer: str = ""  # the layer its evidence is about ("layer 1"), when it is about one

    @property
    def fix_withdrawn(self) -> bool:
        """Its fix was tested on the run and made validation worse (training.verify), so none is offered: its
        suggestion still explains the fault in general, but the cure it names did worse here."""
        return self.confidence == "possible"

    def to_dict(self) -> dict[str, Any]:
        """summary.json's form: `candidates` only when there are some, `verified` only when verified, `layer`
        only when it names one."""
        entry = asdict(self)
        if not self.layer:
            del entry["layer"]
        entry["candidates"] = list(self.candidates)
        if not self.candidates:
            del entry["candidates"]
        if self.verified is None:
            del entry["verified"]
        return entry

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Finding:
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        if "candidates" in known:
            known["candidates"] = tuple(known["candidates"])
        return cls(**known)
