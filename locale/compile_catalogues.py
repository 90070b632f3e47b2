"""Compile each language's catalogue, locale/<language>/LC_MESSAGES/workbench.po, into the .mo file that the
package carries (`make translations` runs this after pybabel extract and update).

Not `pybabel compile`: it writes an untranslated plural message into the .mo with the English singular as
its only translation (python-babel/babel#697), so Chinese, which has one plural form, would read "3 example"
until someone translates that message. A message left out of the .mo falls back to the English template,
with both of its forms.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent
DOMAIN = "workbench"


def is_translated(message: Message) -> bool:
    """Every form filled in, and not fuzzy (a guess pybabel update made from a similar template)."""
    forms = message.string if isinstance(message.string, list | tuple) else (message.string,)
    return all(forms) and not message.fuzzy


def read_catalogue(po: Path) -> Catalog:
    with po.open("rb") as stream:
        return read_po(stream)


def compile_catalogue(po: Path) -> tuple[int, int]:
    """Write po's .mo beside it with only the translated messages; (translated, total) messages."""
    catalog = read_catalogue(po)
    messages = [message for message in catalog if message.id]
    for message in messages:
        if not is_translated(message):
            del catalog[message.id]
    with po.with_suffix(".mo").open("wb") as stream:
        write_mo(stream, catalog)
    return len(catalog), len(messages)


def main() -> None:
    for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        translated, total = compile_catalogue(po)
        print(f"{po.relative_to(LOCALE)}: {translated} of {total} messages translated")


if __name__ == "__main__":
    main()
