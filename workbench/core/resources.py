"""Files that travel inside the package: the presets, the icon, the desktop entry, the translations.

workbench/_data/ links to the repository's top folders (presets/, assets/, packaging/, locale/): a source
checkout and an editable install read those folders, and a wheel carries copies of the files that
pyproject.toml lists as package data. importlib.resources finds them the same way in all three, so no path depends on
where the source tree is.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The packaged file or folder at _data/PARTS, e.g. resource_path("presets", "spiral.toml")."""
    # A wheel installs unpacked and an editable install reads the source tree: a real path either way,
    # which the callers need (they glob folders and hand paths to Qt and to shutil).
    return Path(str(files("workbench").joinpath("_data", *parts)))
