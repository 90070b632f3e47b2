"""The core is pure: importing all of it loads no Qt module (DESIGN.md; import-linter holds it too)."""

import subprocess
import sys

CORE_MODULES = [
    "workbench.core.experiment.config", "workbench.core.experiment.registry", "workbench.core.history", "workbench.core.training.engine",
    "workbench.core.data.bundle", "workbench.core.training.models", "workbench.core.rundir.reader", "workbench.core.rundir.writer", "workbench.core.diagnosis",
    "workbench.core.experiment.presets", "workbench.core.reports.text", "workbench.core.reports.comparison", "workbench.core.reports.script",
    "workbench.cli",
]


def test_importing_the_core_loads_no_qt():
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE_MODULES)
        + "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'qtpy'))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_registry_and_config_do_not_import_torch():
    """The app paints its window before torch loads (launch budget 1 s): the choices must be torch-free."""
    code = "import sys, workbench.core.experiment.config, workbench.core.experiment.registry; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
