"""The error of a sweep that cannot start: its backend is missing or unreachable."""


class SweepError(Exception):
    """One sentence saying why the sweep cannot run and what to do."""
