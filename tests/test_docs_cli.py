"""The commands a clerk runs explain themselves in Indonesian (docs/panduan.md relies on it)."""

from __future__ import annotations

import re

import pytest
import typer.main

from kinerja.cli import app

CLERK_COMMANDS = ("sync", "status", "validate", "recalc")
# common English words that would give away an untranslated help text
ENGLISH = {"the", "show", "shows", "file", "files", "of", "and", "with", "to", "from", "for",
           "is", "are", "write", "writes", "read", "reads", "print", "prints", "output",
           "input", "when", "default", "number", "list", "database"}
# reported to the command's owner; remove the entry when the help text is fixed
KNOWN: dict[str, str] = {}  # command -> why its help is not Indonesian yet


def help_texts(name: str) -> list[tuple[str, str]]:
    """(where, text) of a command's docstring and every option's help, Click's --help aside."""
    group = typer.main.get_command(app)
    command = group.commands.get(name)
    if command is None:
        pytest.xfail(f"`kinerja {name}` does not exist yet")
    texts = [("docstring", command.help or ""), ("summary", command.short_help or "")]
    texts += [(f"--{p.name}", getattr(p, "help", None) or "") for p in command.params
              if p.name != "help"]
    return [(where, text) for where, text in texts if text]


def english_words(text: str) -> set[str]:
    text = re.sub(r"`[^`]*`|\S+://\S+|--[\w-]+|\S+\.\w{2,4}\b", " ", text)  # code, URLs, files
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN[n])) if n in KNOWN else n
    for n in CLERK_COMMANDS])
def test_clerk_command_help_is_indonesian(name):
    texts = help_texts(name)
    assert texts, f"`kinerja {name}` has no help text"
    found = {where: sorted(english_words(text)) for where, text in texts if english_words(text)}
    assert not found, f"`kinerja {name}`: English words in its help: {found}"


def test_the_detector_sees_english():
    assert english_words("Show the status of the master database") == {
        "Show", "the", "of", "database"}
    assert not english_words("Tampilkan keadaan master: kiriman, karantina, konflik.")
