"""The `workbench` command (CONTRACTS.md sections 2 and 5): the parser and the dispatch to one module per
command. Exit codes: 0 done, 1 a run failed or diverged, 2 bad input, 130/143 stopped by Ctrl-C/SIGTERM."""

from __future__ import annotations

import argparse
import os
import sys

from workbench.cli.app import command_gui, command_install_desktop, version_text
from workbench.cli.argparse_words import speak_argparse
from workbench.cli.checks import command_lr_find, command_sanity
from workbench.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED
from workbench.cli.experiments import command_check, command_compare, command_presets
from workbench.cli.run import command_run
from workbench.core import i18n
from workbench.core.i18n import _

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_RUN_FAILED", "build_parser", "main"]


def command_sweep(args) -> int:
    from workbench.cli.sweep import run_sweep_command  # the sweep's modules load only when one runs

    return run_sweep_command(args)


def _language_option() -> argparse.ArgumentParser:
    """`--lang`, accepted before the command and after it (`workbench --lang zh_CN run x`, `workbench run x
    --lang zh_CN`). SUPPRESS: a command's parser would otherwise overwrite a value given before it."""
    option = argparse.ArgumentParser(add_help=False)
    option.add_argument("--lang", choices=i18n.SUPPORTED_LANGUAGES, default=argparse.SUPPRESS,
                        help=_("the language of what Workbench prints (default: WORKBENCH_LANG, then the system "
                               "locale, then en); file contents never change with it"))
    return option


def _requested_language(argv: list[str]) -> str | None:
    """`--lang`'s value wherever it stands, read before the parser is built, whose help texts are already
    in the chosen language."""
    early = argparse.ArgumentParser(prog="workbench", add_help=False)
    early.add_argument("--lang")
    known, _unparsed = early.parse_known_args(argv)
    return known.lang


def build_parser() -> argparse.ArgumentParser:
    language = _language_option()
    parser = argparse.ArgumentParser(prog="workbench", parents=[language],
                                     description=_("Learn why a neural network trains badly."))
    parser.add_argument("--version", action="store_true", help=_("print the Workbench, torch and Qt versions"))
    commands = parser.add_subparsers(dest="command")

    def command(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        subparser = commands.add_parser(name, help=help_text, parents=[language])
        subparser.set_defaults(handler=handler)
        return subparser

    gui = command("gui", _("open the app (the default)"), command_gui)
    gui.add_argument("file", nargs="?", help=_("an experiment file or a preset name"))
    gui.add_argument("--platform", help=_("a Qt platform plugin, e.g. offscreen (no display needed)"))
    gui.add_argument("--quit-after-paint", action="store_true",
                     help=_("exit once the window has painted (a smoke test)"))
    desktop = command("install-desktop", _("add the app to the applications menu (Linux)"),
                      command_install_desktop)
    desktop.add_argument("--uninstall", action="store_true", help=_("remove the entry and the icon again"))
    run = command("run", _("train headless and print the diagnosis"), command_run)
    run.add_argument("files", nargs="+", metavar="FILE", help=_("experiment files or preset names"))
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help=_("override a key, e.g. train.lr=0.1"))
    run.add_argument("--out", help=_("run directory (one FILE) or folder of run directories (several)"))
    run.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    run.add_argument("--epochs", type=int)
    run.add_argument("--json", action="store_true", help=_("print summary.json to stdout, one line per run"))
    run.add_argument("--verify", action="store_true",
                     help=_("test the leading findings' fixes with short runs (train.verify_fixes = true)"))
    command("presets", _("list the presets"), command_presets)
    check = command("check", _("validate experiment files"), command_check)
    check.add_argument("files", nargs="+", metavar="FILE")
    compare = command("compare", _("compare run directories"), command_compare)
    compare.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    compare.add_argument("--out", required=True, help=_(".html, .csv, .json, .png or .svg"))
    sweep = command("sweep", _("run a sweep: each setting's values and seeds, ranked by validation accuracy"),
                    command_sweep)
    sweep.add_argument("file", metavar="FILE", help=_("an experiment file or a preset name"))
    sweep.add_argument("--grid", action="append", metavar="KEY=V1,V2,...",
                       help=_("sweep a key over these values (TOML literals), e.g. train.lr=1e-3,1e-2"))
    sweep.add_argument("--seeds", type=int, help=_("run each configuration with this many seeds"))
    sweep.add_argument("--backend", choices=("local", "ray"))
    sweep.add_argument("--address", help=_("ray only: a cluster's address (default: a local Ray instance)"))
    sweep.add_argument("--parallel", type=int, help=_("trials at once (default: one per core)"))
    sanity = command("sanity", _("check that the network can overfit one small batch (exit 0 pass, 1 fail)"),
                     command_sanity)
    sanity.add_argument("file", metavar="FILE", help=_("an experiment file or a preset name"))
    lr_find = command("lr-find", _("learning-rate range test: suggests a learning rate"), command_lr_find)
    lr_find.add_argument("file", metavar="FILE", help=_("an experiment file or a preset name"))
    lr_find.add_argument("--out", metavar="FILE", help=_("write the curve: .csv (lr, loss, smoothed), .png or .svg"))
    where = sweep.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", help=_("the sweep directory (new, empty, or a previous sweep's)"))
    where.add_argument("--resume", metavar="DIR", help=_("go on with the sweep in DIR: run only the trials it lacks"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    speak_argparse()  # "usage:", "options" and argparse's errors in the language chosen below
    try:  # before anything is printed, the parser's own help and errors included
        i18n.set_language(i18n.choose_language(_requested_language(argv), os.environ))
    except i18n.UnsupportedLanguage as error:
        build_parser().error(str(error))  # exit 2, with the usage line
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(version_text())
        return EXIT_OK
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    return args.handler(args)
