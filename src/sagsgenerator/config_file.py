"""The municipality's configuration file, sagsgenerator.toml, over the built-in default.

Keys are Danish, as the people who edit the file are. Every value knows where it came from
(`Config.origins`: key -> "sagsgenerator.toml, linje 4" or "indbygget standard"), so that
`sagsgenerator konfig` can show it and a bad value can be named by key and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from .config import DEFAULT_CONFIG, Config, Deadlines, Meeting, Theme
from .casenumber import parse_pattern
from .errors import CaseNumberPatternError, SagsgeneratorError

FILE_NAME = "sagsgenerator.toml"
BUILT_IN = "indbygget standard"

# TOML key -> Config field, per table; lists are lists of text.
KOMMUNE = {"navn": "municipality", "forvaltning": "administration", "logo": "logo",
           "sagsnummer": "case_number_pattern"}
LISTER = {"centre": "centres", "udvalg": "committees", "fokusomraader": "focus_areas",
          "forebyggelsespakker": "prevention_packages", "finansiering": "financing_types"}
FRISTER = {"centerchef_dage": "centre_chief_days", "direktion_dage": "executive_board_days",
           "naer_dage": "close_days"}
PERIODE = {"fra": "from", "til": "to"}
TABLES = {"kommune": KOMMUNE, "lister": LISTER, "frister": FRISTER, "periode": PERIODE,
          "tema": None, "moede": None}
# Bounds on what a configuration may hold: a value past them is a mistake, not a setting.
MAX_TEXT = 200                   # a municipality's or an administration's name
MAX_LIST_ITEM = 200
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")


class ConfigError(SagsgeneratorError):
    """Raised when the configuration file cannot be used; names the key and line."""


def find_config(explicit: Path | None, folder: Path | None = None) -> Path | None:
    """The file given with --konfig, else sagsgenerator.toml in the working folder, else None."""
    if explicit is not None:
        return explicit
    candidate = (folder or Path.cwd()) / FILE_NAME
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> Config:
    """The configuration in force: the built-in default, overridden by the file's values."""
    if path is None:
        return DEFAULT_CONFIG.model_copy(update={"origins": _default_origins()})
    try:
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: konfigurationsfilen er over 1 MB; en konfiguration "
                              "fylder normalt et par kB. Tjek at det er den rigtige fil.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: konfigurationsfilen findes ikke.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: konfigurationsfilen kan ikke læses ({exc}). Gem den som "
                          "UTF-8-tekst.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: fejl i konfigurationsfilen: {_danish_toml_error(exc)}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{path}: fejl i konfigurationsfilen: lister eller tabeller er lagt "
                          "for dybt inden i hinanden. En konfiguration har højst lister i "
                          "tabeller.") from exc
    return _apply(data, text, path)


def _danish_toml_error(exc: tomllib.TOMLDecodeError) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    where = f"linje {match.group(1)}, kolonne {match.group(2)}" if match else "ukendt sted"
    return (f"{where}: teksten er ikke gyldig TOML ({str(exc).split(' (at')[0]}). Tjek "
            "anførselstegn, kommaer og klammer.")


def _default_origins() -> dict[str, str]:
    keys = [f"kommune.{k}" for k in KOMMUNE] + [f"lister.{k}" for k in LISTER]
    keys += [f"frister.{k}" for k in FRISTER] + ["periode", "lister.aliaser", "tema", "moede"]
    return dict.fromkeys(keys, BUILT_IN)


def line_of(text: str, table: str, key: str | None = None) -> int | None:
    """The line where `[table]` (or `[[table]]`) sets `key`, for messages."""
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\[?\s*([\w.]+)\s*\]\]?", line)
        if header:
            current = header.group(1)
            if key is None and current == table:
                return number
            continue
        if current == table and key and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


class _Reader:
    def __init__(self, text: str, path: Path):
        self.text, self.path = text, path
        self.origins = _default_origins()

    def where(self, table: str, key: str | None = None) -> str:
        line = line_of(self.text, table, key)
        return f"{self.path.name}, linje {line}" if line else self.path.name

    def fail(self, table: str, key: str | None, problem: str) -> ConfigError:
        name = f"{table}.{key}" if key else table
        line = line_of(self.text, table, key)
        place = f", linje {line}" if line else ""
        return ConfigError(f"{self.path}{place}: nøglen '{name}' {problem}")

    def table(self, data: dict, table: str) -> dict:
        value = data.get(table, {})
        if not isinstance(value, dict):
            raise self.fail(table, None, "skal være en tabel: skriv [" + table + "] på sin egen linje.")
        return value

    def known(self, table: str, values: dict, keys: dict) -> None:
        for key in values:
            if key not in keys:
                near = difflib.get_close_matches(key, list(keys), n=1)
                hint = f" Mente du '{near[0]}'?" if near else f" Kendte nøgler: {', '.join(keys)}."
                raise self.fail(table, key, f"kendes ikke.{hint}")

    def text_list(self, table: str, key: str, value: Any) -> tuple[str, ...]:
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and v.strip() for v in value)):
            raise self.fail(table, key, 'skal være en liste med tekster, fx ["A", "B"].')
        if any(len(v) > MAX_LIST_ITEM for v in value) or len(value) > 500:
            raise self.fail(table, key, f"er for lang: højst 500 værdier på højst "
                            f"{MAX_LIST_ITEM} tegn.")
        if len({v.strip().casefold() for v in value}) != len(value):
            raise self.fail(table, key, "indeholder den samme værdi to gange.")
        return tuple(v.strip() for v in value)


def _apply(data: dict, text: str, path: Path) -> Config:
    reader = _Reader(text, path)
    for table in data:
        if table not in TABLES:
            near = difflib.get_close_matches(table, list(TABLES), n=1)
            hint = f" Mente du '{near[0]}'?" if near else f" Kendte tabeller: {', '.join(TABLES)}."
            raise reader.fail(table, None, f"kendes ikke.{hint}")
    update: dict[str, Any] = {}
    kommune = reader.table(data, "kommune")
    reader.known("kommune", kommune, KOMMUNE)
    for key, value in kommune.items():
        if not isinstance(value, str) or not value.strip():
            raise reader.fail("kommune", key, "skal være en tekst i anførselstegn.")
        if len(value.strip()) > MAX_TEXT:
            raise reader.fail("kommune", key, f"er {len(value.strip()):,} tegn lang; højst "
                              f"{MAX_TEXT} tegn.".replace(",", "."))
        update[KOMMUNE[key]] = value.strip()
        reader.origins[f"kommune.{key}"] = reader.where("kommune", key)
    if "logo" in update:
        update["logo"] = _logo(reader, path, update["logo"])
    if "case_number_pattern" in update:
        try:
            parse_pattern(update["case_number_pattern"])
        except CaseNumberPatternError as exc:
            raise reader.fail("kommune", "sagsnummer", "kan ikke bruges: "
                              + exc.danish.split(" kan ikke bruges: ", 1)[-1]) from exc
    periode = reader.table(data, "periode")
    reader.known("periode", periode, PERIODE)
    if periode:
        update["period"] = _period(reader, periode)
        reader.origins["periode"] = reader.where("periode")
    lister = reader.table(data, "lister")
    aliases = lister.pop("aliaser", None)
    reader.known("lister", lister, {**LISTER, "aliaser": None})
    for key, value in lister.items():
        update[LISTER[key]] = reader.text_list("lister", key, value)
        reader.origins[f"lister.{key}"] = reader.where("lister", key)
    if aliases is not None:
        update["aliases"] = _aliases(reader, aliases)
        reader.origins["lister.aliaser"] = reader.where("lister.aliaser")
    frister = reader.table(data, "frister")
    reader.known("frister", frister, FRISTER)
    for key, value in frister.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise reader.fail("frister", key, "skal være et helt antal dage (0 eller mere).")
        reader.origins[f"frister.{key}"] = reader.where("frister", key)
    if frister:
        update["deadlines"] = Deadlines(**{FRISTER[k]: v for k, v in frister.items()})
    if "tema" in data:
        update["themes"] = _themes(reader, data["tema"])
        reader.origins["tema"] = reader.where("tema")
    committees = update.get("committees", DEFAULT_CONFIG.committees)
    if "moede" in data:
        update["meetings"] = _meetings(reader, data["moede"], committees)
        reader.origins["moede"] = reader.where("moede")
    return DEFAULT_CONFIG.model_copy(update={**update, "origins": reader.origins})


def _logo(reader: _Reader, path: Path, value: str) -> Path:
    """The logo file: an existing PNG/JPG/GIF of at most 5 MB that really is a picture."""
    logo = (path.parent / value).resolve()
    if not logo.is_file() or logo.suffix.lower() not in LOGO_SUFFIXES:
        raise reader.fail("kommune", "logo", f"peger på '{value}', som ikke er en billedfil "
                          "(PNG eller JPG) ved siden af konfigurationsfilen.")
    size = logo.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise reader.fail("kommune", "logo", f"peger på '{value}', som fylder "
                          f"{size // (1024 * 1024)} MB; et logo må højst fylde 5 MB. Gem det i "
                          "en mindre udgave.")
    if not _is_picture(logo):
        raise reader.fail("kommune", "logo", f"peger på '{value}', som ikke er et billede, "
                          "der kan læses (filen er måske beskadiget eller har fået forkert "
                          "endelse). Gem logoet igen som PNG eller JPG.")
    return logo


def _is_picture(path: Path) -> bool:
    """True when python-docx (which puts the logo into the documents) can read the picture
    and it has a size."""
    from docx.image.image import Image   # loaded only when a logo is configured

    try:
        image = Image.from_file(str(path))
        return image.px_width > 0 and image.px_height > 0
    except Exception:                    # any unreadable picture is the same to the user
        return False


def _period(reader: _Reader, values: dict) -> str:
    years = []
    for key in PERIODE:
        value = values.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= 2100:
            raise reader.fail("periode", key, "skal være et årstal, fx fra = 2026 og til = 2029.")
        years.append(value)
    if years[1] < years[0]:
        raise reader.fail("periode", "til", "ligger før 'fra'.")
    return f"{years[0]}-{years[1]}"


def _aliases(reader: _Reader, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
            and len(k) <= MAX_LIST_ITEM and len(v) <= MAX_LIST_ITEM for k, v in value.items()):
        raise reader.fail("lister.aliaser", None, 'skal være en tabel med tekster, fx '
                          '"Sundhedsplejen" = "Sundhed og Omsorg".')
    return {k.strip(): v.strip() for k, v in value.items()}


def _themes(reader: _Reader, value: Any) -> tuple[Theme, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise reader.fail("tema", None, "skal skrives som [[tema]] med navn og maal.")
    themes = []
    for item in value:
        reader.known("tema", item, {"navn": None, "maal": None})
        name = item.get("navn")
        if not isinstance(name, str) or not name.strip():
            raise reader.fail("tema", "navn", "mangler: hvert [[tema]] skal have et navn.")
        goals = reader.text_list("tema", "maal", item["maal"]) if "maal" in item else ()
        themes.append(Theme(name=name.strip(), goals=goals))
    return tuple(themes)


def _meetings(reader: _Reader, value: Any, committees: tuple[str, ...]) -> tuple[Meeting, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise reader.fail("moede", None, "skal skrives som [[moede]] med udvalg og datoer.")
    meetings = []
    for item in value:
        reader.known("moede", item, {"udvalg": None, "datoer": None})
        committee = item.get("udvalg")
        if committee not in committees:
            raise reader.fail("moede", "udvalg", f"'{committee}' er ikke et af udvalgene: "
                              f"{', '.join(committees)}.")
        dates = item.get("datoer")
        if not isinstance(dates, list) or not all(isinstance(d, dt.date) for d in dates):
            raise reader.fail("moede", "datoer", "skal være en liste af datoer uden "
                              "anførselstegn, fx [2026-03-12, 2026-04-16].")
        meetings += [Meeting(committee=committee, date=d) for d in dates]
    return tuple(sorted(meetings, key=lambda m: (m.date, m.committee)))
