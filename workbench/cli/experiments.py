"""`workbench check`, `presets` and `compare`: experiment files, the presets, run directories side by side."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.cli.common import EXIT_BAD_INPUT, EXIT_OK, error_line, print_problems
from workbench.core.i18n import _


def command_check(args) -> int:
    from workbench.core.experiment.config import ConfigError
    from workbench.core.experiment.presets import load_named_experiment
    from workbench.core.sweeps.plan import expand

    bad = False
    for name in args.files:
        try:
            config = load_named_experiment(name)
            if config.sweep is not None:  # settings each allowed alone may still clash in one trial
                expand(config)
            print(_("ok: {file}").format(file=name))
        except ConfigError as error:
            error.source = error.source or name
            print_problems(error, sys.stdout)
            bad = True
    return EXIT_BAD_INPUT if bad else EXIT_OK


def command_presets(args) -> int:
    from workbench.core.experiment.presets import list_presets

    presets = list_presets()
    width = max((len(p.key) for p in presets), default=10)
    for preset in presets:
        # the key comes first and the ids stay as they are: scripts read both
        key, meta = preset.key.ljust(width), preset.config.meta
        expected = ", ".join(meta.expect) or _("healthy")
        if meta.fixed_by:
            line = _("{preset}  {description}  [{expected}]  cure: {cure}")
        else:
            line = _("{preset}  {description}  [{expected}]")
        print(line.format(preset=key, description=preset.one_line, expected=expected, cure=meta.fixed_by))
    return EXIT_OK


def command_compare(args) -> int:
    from workbench.core.reports.comparison import CompareError
    from workbench.core.reports.comparison_files import write_comparison

    try:
        written = write_comparison([Path(d) for d in args.run_dirs], Path(args.out))
    except CompareError as error:
        print(error_line(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(_("wrote {path}").format(path=written))
    return EXIT_OK
