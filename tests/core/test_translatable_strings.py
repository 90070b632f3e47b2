"""Every sentence the core and the CLI show a person goes through the catalogue (workbench/core/i18n.py) as
one whole template: an AST scan of workbench/core and the command line modules, and the scan's own rules tried on
small sources that break them."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI_MODULES = ("workbench/cli/",)  # the command line: what they print is for people
SCANNED = sorted([*(ROOT / "workbench" / "core").rglob("*.py"), *(ROOT / "workbench" / "cli").rglob("*.py")])
# Modules whose strings are for people: the findings, the experiment-file problems, the dataset errors, the
# run-directory refusals, the CLI and its report. An f-string that holds words there is a sentence built
# outside the catalogue, and so is a plain string sentence (docstrings aside) that no _() wraps.
TEXT_MODULES = ("workbench/core/diagnosis/", "workbench/core/experiment/config.py", "workbench/core/data/",
                "workbench/core/rundir/claim.py", "workbench/core/reports/text.py", "workbench/core/sweeps/",
                *CLI_MODULES)
# Strings of those modules that people never read, by module and text: words a program matches.
MACHINE_TEXTS = {
    # torchvision's own words for missing files, which the loaders recognise (read_cifar10 raises them too)
    ("workbench/core/data/torchvision_sets.py", "dataset not found"),
    ("workbench/core/data/cifar_batches.py", "Dataset not found. You can use download=True to download it"),
    ("workbench/core/data/csv_file.py", "no bad feature value to report"),  # an invariant, for a traceback
}
# The translation functions and how many of their leading arguments are templates.
TRANSLATION_CALLS = {"_": 1, "ngettext": 2, "N_": 1}  # N_: marked here, translated where shown
# Exceptions whose message is one sentence shown to the user as is.
ERRORS_WITH_SENTENCES = {"ConfigError", "DatasetError", "RunDirError", "CompareError", "ExportError", "SweepError"}
FINDING_TEXTS = {2: "title", 3: "evidence", 4: "suggestion"}  # Finding(id, severity, title, evidence, ...)
ARGPARSE_TEXTS = {"help", "description"}
# Two words in a row: what makes a string a sentence rather than a key (train.lr), an id or a path.
SENTENCE = re.compile(r"[A-Za-z]{2,} +[A-Za-z]{2,}")


def _literal_text(node: ast.AST) -> str | None:
    """The words of a string literal or of an f-string's literal parts (placeholders cut them apart)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "\0".join(part.value for part in node.values if isinstance(part, ast.Constant))
    return None


def _is_sentence(node: ast.AST) -> bool:
    text = _literal_text(node)
    return text is not None and bool(SENTENCE.search(text))


def _callee(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def _sink_arguments(call: ast.Call, relative: str) -> list[ast.AST]:
    """The arguments of a call whose string literals a user reads."""
    name = _callee(call)
    if name == "Finding":
        return [arg for index, arg in enumerate(call.args) if index in FINDING_TEXTS] + \
            [keyword.value for keyword in call.keywords if keyword.arg in FINDING_TEXTS.values()]
    if name in ERRORS_WITH_SENTENCES and call.args:
        first = call.args[0]
        if isinstance(first, ast.List):
            return list(first.elts)
        if isinstance(first, ast.ListComp):
            return [first.elt]
        return [first]
    if name == "print" and relative.startswith(CLI_MODULES):
        return list(call.args)
    if name in ("add_argument", "add_parser", "ArgumentParser"):
        return [keyword.value for keyword in call.keywords if keyword.arg in ARGPARSE_TEXTS]
    return []


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _imports_translation(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module == "workbench.core.i18n"
               and any(alias.name == "_" for alias in node.names) for node in ast.walk(tree))


def untranslated(source: str, relative: str) -> list[str]:
    """What in `source` (the module at `relative`) breaks the rules, one line per problem."""
    tree = ast.parse(source)
    problems: list[str] = []
    templates: set[int] = set()  # the string nodes that are catalogue templates
    in_f_string: set[int] = set()  # the literal parts of f-strings, judged with their f-string
    text_module = relative.startswith(TEXT_MODULES)

    def report(node: ast.AST, what: str) -> None:
        problems.append(f"{relative}:{node.lineno}: {what}: {ast.unparse(node)[:80]}")

    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            in_f_string.update(id(part) for part in node.values)
            for inner in ast.walk(node):  # pybabel's extractor does not look inside an f-string's fields
                if isinstance(inner, ast.Call) and _callee(inner) in TRANSLATION_CALLS:
                    report(inner, "a translation call inside an f-string never reaches the catalogue")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATION_CALLS:
            for template in node.args[:TRANSLATION_CALLS[_callee(node)]]:
                if isinstance(template, ast.Constant) and isinstance(template.value, str):
                    templates.add(id(template))
                else:  # _(f"...") or _(a + b): the catalogue would hold no template, or a fragment
                    report(node, "a translation call needs one whole string literal, not an expression")
        if isinstance(node, ast.Call):
            for argument in _sink_arguments(node, relative):
                if _is_sentence(argument):
                    report(argument, f"a sentence passed to {_callee(node)}() without _()")
    if text_module:
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if id(node) in templates or id(node) in docstrings or id(node) in in_f_string:
                continue
            if _is_sentence(node) and (relative, _literal_text(node)) not in MACHINE_TEXTS:
                report(node, "a sentence outside the catalogue")
    if _imports_translation(tree):
        for node in ast.walk(tree):
            # a local `_` hides the translation function in the whole function: UnboundLocalError there
            if (isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)) or \
                    (isinstance(node, ast.arg) and node.arg == "_"):
                report(node, "`_` is the translation function here; give the unused value a name")
    return problems


def test_every_sentence_of_the_core_and_the_cli_goes_through_the_catalogue():
    problems = [problem for path in SCANNED
                for problem in untranslated(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("source", [
    'Finding("x", "error", "Training diverged", evidence, why)',
    'Finding("x", "error", _("Training diverged"), f"the loss became {value} at step {step}", why)',
    'Finding(id="x", severity="error", title=_("A"), evidence=_("b"), suggestion="Lower the rate")',
    'raise ConfigError([f"{key}: unknown key; allowed: {allowed}"])',
    'raise ConfigError([f"{key}: changes the network" for key in keys])',
    'raise DatasetError(f"{path} is empty (0 bytes)")',
    'raise RunDirError("cannot use that folder")',
    'raise CompareError(f"{out} has an unknown format")',
    'raise ExportError("the run cannot be exported")',
    'parser.add_argument("--out", help="run directory of the run")',
])
def test_a_sentence_given_to_a_user_facing_call_without_translation_is_refused(source):
    assert untranslated(source, "workbench/core/reports/comparison.py")


@pytest.mark.parametrize("source", [
    'message = _(f"{path} is empty")',  # the catalogue would hold "{path} is empty" with no `path` to fill
    'message = _("the loss became " + str(value))',
    'message = _("{path} is empty".format(path=path))',
    'message = ngettext(f"{count} example", "{count} examples", count)',
    'message = _(template)',
    'html = f"<p>{_(\'Healthy: no problems found.\')}</p>"',  # extracted by no pybabel
])
def test_a_translation_call_takes_one_whole_string_literal(source):
    assert untranslated(source, "workbench/core/reports/comparison.py")


def test_in_a_text_module_a_sentence_outside_the_catalogue_is_refused():
    assert untranslated('why = ("Steps that large overshoot the valley")', "workbench/core/diagnosis/x.py")
    assert untranslated('evidence = f"{share} of units output 0"', "workbench/core/diagnosis/x.py")
    assert untranslated('print(f"ok: {name} is valid")', "workbench/cli/run.py")
    # keys, ids, paths and docstrings are not sentences
    assert untranslated('"""Sentences in a docstring."""\nkey = f"data.{name}"\nfix = {"model.init": "default"}',
                        "workbench/core/diagnosis/x.py") == []


def test_a_local_underscore_that_would_hide_the_translation_function_is_refused():
    source = "from workbench.core.i18n import _\n\ndef f(pairs):\n    for _, value in pairs:\n        pass\n"
    assert untranslated(source, "workbench/core/rundir/x.py")
    without_translation = source.replace("from workbench.core.i18n import _\n", "")
    assert untranslated(without_translation, "workbench/core/rundir/x.py") == []


def test_translated_sentences_pass():
    source = ('from workbench.core.i18n import _, ngettext\n'
              'raise DatasetError(_("{path} is empty").format(path=path))\n'
              'problems.append(ngettext("{count} field", "{count} fields", count).format(count=count))\n'
              'Finding("x", "error", _("Training diverged"), evidence, why)\n')
    assert untranslated(source, "workbench/core/data/x.py") == []
