"""argparse's own words (usage:, options, its error messages) in the CLI's language.

argparse looks each of them up with the `_` of its module (gettext's) at the moment it prints it. The CLI
points that lookup at Workbench's catalogue, for the templates below: argparse's own msgids, copied from
Python's argparse.py and marked with N_ so that `make translations` extracts them
(tests/cli/test_languages.py checks that argparse still says each of them).
"""

from __future__ import annotations

import argparse

from workbench.core import i18n
from workbench.core.i18n import N_

ARGPARSE_TEMPLATES = frozenset({
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
})


def _argparse_text(message: str) -> str:
    """argparse's message in the current language, when it is one people read."""
    return i18n.catalogue_text(message) if message in ARGPARSE_TEMPLATES else message


def speak_argparse() -> None:
    """argparse's messages follow Workbench's language from now on."""
    argparse._ = _argparse_text
