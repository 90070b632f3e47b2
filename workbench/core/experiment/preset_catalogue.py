"""The texts of the shipped presets for the catalogue: a Babel extractor that finds the [meta] name and
description of each presets/*.toml, so that `make translations` puts a new preset's text into
locale/workbench.pot without anyone listing it (locale/babel.cfg names this extractor). The app and the
CLI show them through workbench.core.i18n.catalogue_text; the experiment files themselves never change.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import BinaryIO

TRANSLATED_META_KEYS = ("name", "description")


def extract_preset_texts(fileobj: BinaryIO, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel's extractor interface: (line number, function name, message, comments) per text."""
    source = fileobj.read().decode("utf-8")
    meta = tomllib.loads(source).get("meta", {})
    lines = source.splitlines()
    for key in TRANSLATED_META_KEYS:
        text = meta.get(key)
        if isinstance(text, str) and text:
            line = next((number for number, content in enumerate(lines, 1)
                         if content.lstrip().startswith(f"{key} ")), 1)
            yield line, None, text, [f"the [meta] {key} of a preset"]
