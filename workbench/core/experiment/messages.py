"""How a refused experiment file reads: each problem one sentence in the words of a TOML file, naming
the key, the value and what would be allowed (with a did-you-mean for a near miss)."""

from __future__ import annotations

import datetime
import difflib
from typing import Any

from workbench.core.i18n import _, ngettext


def did_you_mean(word: str, options) -> str:
    """A hint that ends a problem's first clause, e.g. " (did you mean 'epochs'?)", or "" when none is close."""
    options = [str(option) for option in options]
    exact = [option for option in options if option.lower() == str(word).lower()]
    close = exact or difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return _(" (did you mean '{suggestion}'?)").format(suggestion=close[0]) if close else ""


def show_value(value: Any) -> str:
    """A value as the message quotes it: booleans, dates and times as the file spells them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat() if isinstance(value, datetime.date | datetime.time) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def needed_type(kind: str) -> str:
    """What a key needs, by pydantic's strict-mode type error, in the words of a TOML file."""
    return {
        "int_type": _("an integer"), "float_type": _("a number"), "bool_type": _("true or false"),
        "string_type": _("a string"), "list_type": _("an array"),
    }[kind]


def toml_type(value: Any) -> str:
    """The TOML type of a parsed value, as the TOML specification names it."""
    kinds = [(bool, _("a boolean")), (int, _("an integer")), (float, _("a float")), (str, _("a string")),
             (list, _("an array")), (dict, _("a table")), (datetime.datetime, _("a date-time")),
             (datetime.date, _("a date")), (datetime.time, _("a time"))]  # bool before int, datetime before date
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def constraint_text(kind: str, context: dict) -> str | None:
    """Why a value breaks its key's bounds, for pydantic's range and length errors (in pydantic's English
    words); None for other kinds, whose message pydantic gives."""
    if kind == "finite_number":
        return _("must be a finite number")
    bounds = {
        "greater_than": (_("input should be greater than {limit}"), "gt"),
        "greater_than_equal": (_("input should be greater than or equal to {limit}"), "ge"),
        "less_than": (_("input should be less than {limit}"), "lt"),
        "less_than_equal": (_("input should be less than or equal to {limit}"), "le"),
    }
    if kind in bounds:
        template, bound = bounds[kind]
        limit = context.get(bound)
        # as pydantic writes it: 0, not 0.0
        return template.format(limit=int(limit) if isinstance(limit, float) and limit.is_integer() else limit)
    if kind in ("too_short", "too_long", "string_too_long"):
        limit = context.get("min_length" if kind == "too_short" else "max_length", 0)
        if kind == "too_short":
            template = ngettext("it should have at least {limit} item", "it should have at least {limit} items",
                                limit)
        elif kind == "too_long":
            template = ngettext("it should have at most {limit} item", "it should have at most {limit} items",
                                limit)
        else:
            template = ngettext("it should have at most {limit} character",
                                "it should have at most {limit} characters", limit)
        return template.format(limit=limit)
    return None
