"""Click's own words (Usage, Options, Error ...) in Danish.

Click translates its texts with gettext but ships no Danish catalogue, so the command line
would mix Danish help with English frames. Each click module binds `_` from gettext at
import; we bind it to this small catalogue instead. Unknown texts stay as they are.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

CATALOGUE = {
    "Usage:": "Brug:",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Show the version and exit.": "Vis versionen og afslut.",
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' for at få hjælp.",
    "Missing argument": "Mangler argumentet",
    "Missing option": "Mangler tilvalget",
    "Missing parameter": "Mangler en værdi",
    "Missing command.": "Skriv en kommando.",
    "No such command {name!r}.": "Kommandoen {name!r} findes ikke.",
    "No such option {name!r}.": "Tilvalget {name!r} findes ikke.",
    "Option {name!r} does not take a value.": "Tilvalget {name!r} tager ingen værdi.",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "Aborted!": "Afbrudt.",
    "default: {default}": "standard: {default}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke læses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger ikke i intervallet {range}.",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "integer": "helt tal",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en af: {possibilities}?)",
    "Option {name!r} requires an argument.": "Tilvalget {name!r} skal have en værdi.",
    "Option {name!r} requires {nargs} arguments.": "Tilvalget {name!r} skal have {nargs} værdier.",
    "{value!r} is not {choice}.": "{value!r} er ikke {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} er ikke en af {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} passer ikke til formatet {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} passer ikke til formaterne "
                                                      "{formats}.",
    "Missing parameter: {param_name}": "Mangler en værdi: {param_name}",
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kan ikke åbnes: {message}",
    "Got unexpected extra argument ({args})": "Uventet ekstra argument ({args})",
    "Got unexpected extra arguments ({args})": "Uventede ekstra argumenter ({args})",
}


def danish(text: str) -> str:
    return CATALOGUE.get(text, text)


def danish_plural(singular: str, plural: str, n: int) -> str:
    return danish(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Danish (idempotent)."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.termui, click.types):
        module._ = danish
        if hasattr(module, "ngettext"):
            module.ngettext = danish_plural
