"""Click's usage errors (unknown option, bad value, missing argument) said in Indonesian."""

from __future__ import annotations

import re

from kinerja.cli.errors import click_errors

# Click's and typer's own sentences -> ours; what the pattern captures is kept
_SENTENCES = (
    (r"No such option: (\S+)", r"Opsi tidak dikenal: \1."),
    (r"No such command '(.+)'\.", r"Perintah tidak dikenal: \1."),
    (r"Missing command\.", "Sebutkan perintahnya."),
    (r"Got unexpected extra arguments? \((.+)\)", r"Argumen berlebih: \1."),
    (r"Option '(\S+)' requires (?:an argument|\d+ arguments)\.", r"Opsi \1 perlu diberi nilai."),
    (r"Option '(\S+)' does not take a value\.", r"Opsi \1 tidak memakai nilai."),
)


def usage_message(exc: click_errors.UsageError) -> str:
    """What was wrong, then how the command is used and where its help is."""
    lines = [f"Gagal: {_what(exc)}"]
    ctx = exc.ctx
    if ctx is not None:
        lines.append(ctx.get_usage().replace("Usage:", "Cara pakai:", 1))
        lines.append(f"Lihat '{ctx.command_path} --help' untuk bantuan.")
    return "\n".join(lines)


def _what(exc: click_errors.UsageError) -> str:
    if isinstance(exc, click_errors.MissingParameter):
        return f"{_param(exc)} wajib diisi."
    if isinstance(exc, click_errors.BadParameter):
        if choices := _choices(exc.param):
            return f"Nilai {_param(exc)} tidak dikenal; pilih salah satu: " + ", ".join(
                str(getattr(c, "value", c)) for c in choices) + "."
        return f"Nilai {_param(exc)} tidak sah.\nRincian: {exc.message}"
    for pattern, ours in _SENTENCES:
        if (m := re.fullmatch(pattern, exc.message)) is not None:
            said = m.expand(ours)
            if isinstance(exc, click_errors.NoSuchOption) and exc.possibilities:
                said += " Mungkin maksud Anda: " + ", ".join(sorted(exc.possibilities)) + "."
            return said
    return f"Cara pemakaian perintah salah.\nRincian: {exc.message}"


def _param(exc: click_errors.BadParameter) -> str:
    if exc.param_hint:
        return exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
    if exc.param is not None:
        return exc.param.get_error_hint().replace("'", "")
    return "parameter"


def _choices(param) -> tuple | None:
    for holder in (getattr(param, "type_descriptor", None), getattr(param, "type", None)):
        if choices := getattr(holder, "choices", None):
            return tuple(choices)
    return None
