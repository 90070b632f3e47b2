"""Work left to a later turn of the event loop (plots/turns.py)."""

from PySide6.QtCore import QObject

from workbench.ui.plots.turns import NextTurn


class Owner(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.next_turn = NextTurn(self)

    def record(self) -> None:
        self.calls.append("bound method")


def test_work_runs_on_a_later_turn_once_per_bound_method_and_in_order(qtbot):
    owner = Owner()
    owner.next_turn.call(owner.record)
    owner.next_turn.call(lambda: owner.calls.append("lambda"))
    owner.next_turn.call(owner.record)  # queued already: not twice
    assert owner.calls == []  # not in the turn that asked for it
    qtbot.waitUntil(lambda: bool(owner.calls))
    assert owner.calls == ["bound method", "lambda"]


def test_work_queued_by_queued_work_runs_too(qtbot):
    owner = Owner()

    def first() -> None:
        owner.next_turn.call(owner.record)
        owner.calls.append("first")

    owner.next_turn.call(first)
    qtbot.waitUntil(lambda: owner.calls == ["first", "bound method"])


def test_work_is_dropped_with_its_owner(qtbot):
    owner = Owner()
    calls = owner.calls
    owner.next_turn.call(lambda: calls.append("ran"))
    owner.deleteLater()
    qtbot.wait(30)
    assert calls == []
