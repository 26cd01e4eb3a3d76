"""The command line: parse options, call the library, print in Danish, exit with its status."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, cli_danish
from .errors import FolderNotWritable, SagsgeneratorError, TemplatesInvalid
from .kinds import KINDS
from .processes import Stopped, end_early_helpers, stop_on_signals

if TYPE_CHECKING:
    from .config import Config
    from .findings import Report

# Everything else is imported inside the command that needs it: `sagsgenerator --help`
# starts without loading pydantic, openpyxl, docx or the web stack.

DEFAULT_OUT = Path("output")
cli_danish.install()


class InternalError(click.ClickException):
    """A fault in sagsgenerator itself (exit status 3): said in Danish, no traceback, unless
    SAGSGENERATOR_FEJLSOEGNING=1."""

    exit_code = 3

    def show(self, file=None) -> None:
        click.echo(f"Intern fejl i sagsgenerator: {self.format_message()}", err=True)


class UsageError(click.ClickException):
    """A run that stops before anything is checked (exit status 2), shown in Danish."""

    exit_code = 2

    def show(self, file=None) -> None:  # click's own prefix is English
        click.echo(f"Fejl: {self.format_message()}", err=True)


def stops_cleanly(command):
    """Turn the library's errors into a Danish line and exit status, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SagsgeneratorError as exc:
            raise UsageError(exc.danish) from exc
        except (KeyboardInterrupt, Stopped) as exc:
            _stopped(exc)
        except BrokenPipeError:
            # The reader of our output went away (`... | head`): stop without a word.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            os._exit(0)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:
            if os.environ.get("SAGSGENERATOR_FEJLSOEGNING"):
                raise
            raise InternalError(f"{type(exc).__name__}: {exc}. Intet er ændret i inddata. "
                                "Kør igen med SAGSGENERATOR_FEJLSOEGNING=1 for detaljer, og "
                                "meld fejlen.") from exc
    return wrapper


# readable=False: an unreadable file is reported by the reader on its own line, and the
# other files of the batch are still checked.
inputs_argument = click.argument("inputs", nargs=-1, required=True, metavar="FIL|MAPPE...",
                                 type=click.Path(path_type=Path, readable=False))
strict_option = click.option("--streng", "strict", is_flag=True,
                             help="Behandl advarsler som fejl.")


def config_option(command):
    """--konfig FIL, else sagsgenerator.toml in the working folder, else the built-in default;
    the command receives `config: Config`."""
    @click.option("--konfig", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                  default=None, help="Konfigurationsfil [standard: sagsgenerator.toml i den "
                  "aktuelle mappe, ellers den indbyggede].")
    @functools.wraps(command)
    def wrapper(*args, config_path: Path | None = None, **kwargs):
        from .config_file import find_config, load_config

        try:
            found = find_config(config_path)
            click.get_current_context().meta["sagsgenerator.config_path"] = found
            config = load_config(found)
        except SagsgeneratorError as exc:
            raise UsageError(exc.danish) from exc
        return command(*args, config=config, **kwargs)
    return wrapper


def register_option(command):
    """--register FIL (default: sagsgenerator.db beside the configuration file, else in the
    working folder) and --uden-register; the command receives `register: Path | None`.
    Apply below config_option."""
    @click.option("--register", "register_file", type=click.Path(path_type=Path, dir_okay=False),
                  default=None, help="Registret (SQLite-fil) med forslag, sagsnumre og "
                  "beslutninger [standard: sagsgenerator.db ved konfigurationsfilen, ellers i "
                  "den aktuelle mappe].")
    @click.option("--uden-register", "no_register", is_flag=True,
                  help="Brug ikke registret: sagsnumre tælles fra 1 i hver kørsel.")
    @functools.wraps(command)
    def wrapper(*args, register_file: Path | None = None, no_register: bool = False, **kwargs):
        from .batch import register_path

        if no_register and register_file is not None:
            raise UsageError("Vælg enten --register eller --uden-register, ikke begge.")
        config_path = click.get_current_context().meta.get("sagsgenerator.config_path")
        register = None if no_register else register_path(register_file, config_path)
        return command(*args, register=register, **kwargs)
    return wrapper


def needs_register(command):
    """--register FIL for the commands that only read or change the register."""
    @click.option("--register", "register_file", type=click.Path(path_type=Path, dir_okay=False),
                  default=None, help="Registret (SQLite-fil) [standard: sagsgenerator.db ved "
                  "konfigurationsfilen, ellers i den aktuelle mappe].")
    @functools.wraps(command)
    def wrapper(*args, register_file: Path | None = None, **kwargs):
        from .batch import register_path

        config_path = click.get_current_context().meta.get("sagsgenerator.config_path")
        register = register_path(register_file, config_path)
        if not register.is_file() and not kwargs.pop("create", False):
            raise UsageError(f"Registret '{register}' findes ikke endnu. Det oprettes, første "
                             "gang 'sagsgenerator generer' kører; vælg en anden fil med "
                             "--register.")
        return command(*args, register=register, **kwargs)
    return wrapper


out_option = click.option("--ud", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                          default=DEFAULT_OUT, show_default=True,
                          help="Mappe til de filer, der skrives.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message="sagsgenerator %(version)s")
def cli() -> None:
    """Fra arbejdsgruppernes indsatsforslag i Excel til sagsfremstillinger, idékatalog og
    handleplan i Word."""


@cli.command("skabelon")
@click.option("--ud", "target", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_OUT / "indsatsforslag-skabelon.xlsx", show_default=True,
              help="Filen, skabelonen skrives til.")
@click.option("--overskriv", "overwrite", is_flag=True,
              help="Overskriv filen, hvis den findes.")
@config_option
@stops_cleanly
def blank(target: Path, overwrite: bool, config: Config) -> None:
    """Skriv det tomme indtagsark (Excel) til arbejdsgrupperne."""
    from .intake.workbook import write_blank
    if target.exists() and not overwrite:
        raise UsageError(f"'{target}' findes allerede og bliver ikke overskrevet: det kan være "
                         "et udfyldt ark. Vælg et andet filnavn med --ud, eller brug "
                         "--overskriv.")
    try:
        write_blank(target, config)
    except FolderNotWritable as exc:
        raise UsageError(f"{exc.danish} Vælg en anden fil med --ud.") from exc
    click.echo(f"Skrev den tomme skabelon: {target}")


@contextlib.contextmanager
def imports_frozen():
    """What the imports made lives as long as the run: the collector need not walk it each
    time thousands of rows have made new objects (a tenth of a second for 10,000 rows), and
    worker processes forked meanwhile leave it alone. Collected as usual afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def option_named(option: str):
    """A folder that cannot be written in is named with the option that chose it."""
    try:
        yield
    except FolderNotWritable as exc:
        raise UsageError(f"{exc.danish} Vælg en anden mappe med {option}.") from exc
    except TemplatesInvalid as exc:
        for finding in exc.findings:
            click.echo(str(finding), err=True)
        raise UsageError(exc.danish) from exc


def print_report(report: Report, summary: bool = True) -> None:
    for finding in report.unusable:
        click.echo(f"{finding.location}: kan ikke bruges: {finding.message}", err=True)
    # One write, not one per line: a report of 10,000 findings printed line by line took a
    # third of a second of flushing.
    lines = [str(finding) for finding in report.findings]
    if summary:
        lines.append(report.summary())
    if lines:
        click.echo("\n".join(lines))


@cli.command("valider")
@inputs_argument
@click.option("--json", "as_json", is_flag=True, help="Skriv rapporten som JSON.")
@strict_option
@click.option("--marker", "mark_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Mappe til de markerede kopier af projektmapperne "
              "[standard: output/].")
@click.option("--ingen-markering", "no_marks", is_flag=True,
              help="Skriv ingen markerede kopier.")
@config_option
@stops_cleanly
def validate(inputs: tuple[Path, ...], as_json: bool, strict: bool, mark_dir: Path | None,
             no_marks: bool, config: Config) -> None:
    """Tjek et eller flere indtagsark (filer eller mapper) og vis fejl og advarsler.

    Exitstatus: 0 gyldigt (advarsler tilladt), 1 fejl i data, 2 en fil kan ikke bruges."""
    from .batch import validate_batch, write_marks
    with imports_frozen():
        result = validate_batch(inputs, config=config, strict=strict)
        # The report first: if a marked copy cannot be written, the findings are still shown.
        if as_json:
            click.echo(result.report.to_json())
        else:
            print_report(result.report)
        if not no_marks:
            with option_named("--marker"):
                marked = write_marks(result, mark_dir or DEFAULT_OUT)
            if not as_json:
                for path in marked:
                    click.echo(f"Markeret kopi: {path}")
    sys.exit(result.exit_code)


def today_option(command):
    return click.option("--dato", "today", type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
                        default=None, help="Dagens dato (ÅÅÅÅ-MM-DD) [standard: i dag].")(command)


def _today(value) -> dt.date:
    """--dato, else SOURCE_DATE_EPOCH, else today."""
    from .batch import run_date

    return value.date() if value else run_date()


def starts_helper(command):
    """Start a small run's helper process before anything else (processes.early_helper);
    the command receives it as `helper`."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .processes import early_helper

        with early_helper(kwargs["inputs"], kwargs["workers"]) as helper:
            return command(*args, helper=helper, **kwargs)
    return wrapper


@cli.command("generer")
@starts_helper
@inputs_argument
@out_option
@click.option("--dokumenter", "kinds", type=click.Choice(KINDS), multiple=True,
              help="Dokumenttype (kan gentages) [standard: alle]: " + ", ".join(KINDS) + ".")
@click.option("--pdf", is_flag=True, help="Skriv også tilgængelig PDF (tagget, med titel og "
              "sprog; kræver LibreOffice).")
@click.option("--pdfa", is_flag=True, help="Skriv PDF/A-2b til arkivering (kræver LibreOffice).")
@strict_option
@click.option("--processer", "workers", type=click.IntRange(1, 64), default=None,
              help="Antal processer til store kørsler [standard: én pr. kerne].")
@click.option("--skabeloner", "template_dir", type=click.Path(path_type=Path, file_okay=False,
              exists=True), default=None, help="Mappe med kommunens egne skabeloner "
              "(se 'skabeloner eksporter'); de manglende tages fra de indbyggede.")
@click.option("--aendringer-siden", "changes_since", type=click.DateTime(formats=["%Y-%m-%d"]),
              default=None, help="Vis ændringer siden denne dato (ÅÅÅÅ-MM-DD) som sporede "
              "ændringer i Word i sagsfremstillinger og idékatalog (kræver registret).")
@today_option
@config_option
@register_option
@stops_cleanly
def generate(inputs: tuple[Path, ...], out_dir: Path, kinds: tuple[str, ...], pdf: bool, pdfa: bool,
             strict: bool, workers: int | None, template_dir: Path | None, changes_since, today,
             config: Config, register: Path | None, helper=None) -> None:
    """Skriv Word-dokumenterne (sagsfremstillinger, idékatalog, handleplan, opfølgning og
    samlede udvalgssager) ud fra de gyldige forslag.

    Rækker med fejl kommer ikke med; de vises her og i en markeret kopi af projektmappen.
    Exitstatus: 0 alt gyldigt, 1 nogle rækker havde fejl, 2 en fil kunne ikke bruges."""
    from .batch import run_batch
    from .documents import KIND_INFO
    kinds = kinds or KINDS
    with progress_bar("Skriver dokumenter") as advance, option_named("--ud"):
        result = run_batch(inputs, out_dir, config=config, kinds=kinds, today=_today(today),
                           template_dir=template_dir, pdf=pdf, strict=strict, workers=workers,
                           progress=advance, register=register, pdfa=pdfa,
                           changes_since=changes_since.date() if changes_since else None,
                           before_render=lambda r: print_report(r.report, False),
                           helper=helper)
    end_early_helpers()     # here, where a Ctrl+C meanwhile is still a clean stop
    written = [w.path for w in result.documents]
    if not written:
        click.echo("Ingen gyldige forslag: der er ikke skrevet nogen dokumenter.")
    elif len(written) <= 25:
        for path in written:
            click.echo(f"Skrev {path}")
    else:
        for kind in kinds:
            count = sum(1 for w in result.documents if w.kind == kind and w.path.suffix == ".docx")
            click.echo(f"Skrev {count} {KIND_INFO[kind].counted} i {out_dir}")
        if pdf or pdfa:
            click.echo(f"Skrev {sum(p.suffix == '.pdf' for p in written)} PDF-filer i {out_dir}")
    for path in result.annotated.values():
        click.echo(f"Markeret kopi: {path}")
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    files = len(result.report.files)
    click.echo(f"{files} {'fil' if files == 1 else 'filer'} læst; {result.report.summary()}; "
               f"{len(written)} filer skrevet på {seconds} s")
    sys.exit(result.exit_code)


@contextlib.contextmanager
def progress_bar(label: str, shown_from: int = 50):
    """advance(n, total): a progress bar on stderr for long runs, only on a terminal."""
    stack = contextlib.ExitStack()
    bar = None

    def advance(n: int, total: int) -> None:
        nonlocal bar
        if total < shown_from or not sys.stderr.isatty():
            return
        if bar is None:
            bar = stack.enter_context(click.progressbar(length=total, label=label,
                                                        file=sys.stderr))
        bar.update(n)

    with stack:
        yield advance


def _proposal_name(proposal) -> str:
    group = proposal.group.name if proposal.group else "Ukendt arbejdsgruppe"
    return f"{group} nr. {proposal.number}: {proposal.title}"


def _input_note(report: Report) -> None:
    if report.exit_code:
        click.echo(f"Bemærk: {report.summary()}. Rækker med fejl er ikke med; kør "
                   "'sagsgenerator valider' for detaljer.", err=True)


@cli.command("kalender")
@inputs_argument
@today_option
@config_option
@stops_cleanly
def calendar(inputs: tuple[Path, ...], today, config: Config) -> None:
    """Vis hvilket udvalgsmøde hvert forslag skal på, fristerne før mødet, og hvilke
    frister der er overskredet eller tæt på."""
    from .batch import validate_batch
    from .danish import format_date
    from .meetings import DeadlineState, book
    day = _today(today)
    result = validate_batch(inputs, config=config)
    report, intakes = result.report, result.intakes
    bookings = book([p for i in intakes for p in i.proposals], config, day)
    click.echo(f"Udvalgskalender pr. {format_date(day)}")
    for committee in dict.fromkeys(b.committee for b in bookings):
        click.echo("")
        group = [b for b in bookings if b.committee == committee]
        click.echo(committee or "Uden udvalg")
        for booking in group:
            click.echo(f"  Sag {booking.case_number}  {_proposal_name(booking.proposal)}")
            if booking.meeting is None:
                click.echo("    Intet kommende møde i kalenderen: tilføj møder under [[moede]] "
                           "i sagsgenerator.toml.")
                continue
            click.echo(f"    Møde: {format_date(booking.meeting.date)}")
            for deadline in booking.deadlines:
                click.echo(f"    Frist for {deadline.what}: {format_date(deadline.date)} "
                           f"({deadline.state})")
            if booking.state is DeadlineState.MISSED:
                reachable = booking.first_reachable
                click.echo("    Første møde, hvor fristerne kan nås: "
                           + (format_date(reachable.date) if reachable else "intet i kalenderen"))
    missed = sum(b.state is DeadlineState.MISSED for b in bookings)
    close = sum(b.state is DeadlineState.CLOSE for b in bookings)
    click.echo("")
    click.echo(f"{len(bookings)} forslag: {missed} med overskredne frister, {close} med frister "
               "tæt på.")
    _input_note(report)
    sys.exit(report.exit_code)


@cli.command("opfoelgning")
@inputs_argument
@today_option
@click.option("--maaneder", "months", type=click.IntRange(0, 120), default=3, show_default=True,
              help="Medtag opfølgninger de næste N måneder.")
@config_option
@register_option
@stops_cleanly
def follow_up(inputs: tuple[Path, ...], today, months: int, config: Config,
              register: Path | None) -> None:
    """Vis indsatser, hvis opfølgning er overskredet eller falder inden for de næste
    måneder, ordnet efter ansvarligt center, med hver indsats' trafiklys. Med registret
    tæller status og beslutninger fra tidligere runder med; uden det kun datoerne."""
    from .batch import validate_batch
    from .danish import format_date
    from .meetings import follow_ups_due
    from .register import ProposalKey, Register, light_without_history
    day = _today(today)
    lights: dict[tuple[str, int], str] = {}
    if register is not None and register.is_file():
        with Register.open(register, config) as store:
            for key in store.keys(config.period):
                lights[(key.group, key.number)] = store.traffic_light(key, day, months).text
    result = validate_batch(inputs, config=config)
    report, intakes = result.report, result.intakes
    due = follow_ups_due([p for i in intakes for p in i.proposals], day, months)
    click.echo(f"Opfølgning pr. {format_date(day)}: overskredne og de næste {months} måneder")
    for centre in dict.fromkeys(d.proposal.centre for d in due):
        click.echo("")
        click.echo(centre)
        for item in (d for d in due if d.proposal.centre == centre):
            state = "Overskredet" if item.overdue else "Kommende"
            click.echo(f"  {state}: {item.period.danish} – {_proposal_name(item.proposal)} "
                       f"({item.proposal.follow_up.text})")
            light = lights.get((ProposalKey.of(item.proposal, config.period).group,
                                item.proposal.number))
            if light is None:       # without the register: what the workbook's dates give
                light = light_without_history(item.proposal.status or "", item.period, day,
                                              months).text
            click.echo(f"    {light}")
    overdue = sum(d.overdue for d in due)
    click.echo("")
    click.echo(f"{len(due)} opfølgninger: {overdue} overskredne, {len(due) - overdue} kommende.")
    _input_note(report)
    sys.exit(report.exit_code)


@cli.group("skabeloner")
def templates() -> None:
    """Kommunens egne Word-skabeloner: eksportér, tjek og se variablerne."""


@templates.command("eksporter")
@click.argument("folder", metavar="MAPPE", type=click.Path(path_type=Path, file_okay=False))
@click.option("--overskriv", "overwrite", is_flag=True, help="Overskriv skabeloner, der "
              "allerede ligger i mappen.")
@stops_cleanly
def export_templates(folder: Path, overwrite: bool) -> None:
    """Kopiér de indbyggede skabeloner til MAPPE, så de kan tilrettes i Word."""
    from .documents import template_path
    from .output import atomic_write
    existing = [kind for kind in KINDS if (folder / f"{kind}.docx").exists()]
    if existing and not overwrite:
        raise UsageError(f"Mappen '{folder}' har allerede skabeloner ({', '.join(existing)}). "
                         "Brug --overskriv for at erstatte dem.")
    for kind in KINDS:
        source = template_path(kind)
        target = atomic_write(folder / source.name,
                              lambda tmp, source=source: tmp.write_bytes(source.read_bytes()))
        click.echo(f"Skrev {target}")
    click.echo(f"Tilret skabelonerne i Word, tjek dem med 'sagsgenerator skabeloner tjek "
               f"{folder}', og brug dem med 'sagsgenerator generer ... --skabeloner {folder}'.")


@templates.command("tjek")
@click.argument("folder", metavar="MAPPE", type=click.Path(path_type=Path, file_okay=False,
                                                           exists=True))
@config_option
@stops_cleanly
def check_templates(folder: Path, config: Config) -> None:
    """Tjek tilrettede skabeloner: Jinja-fejl, ukendte variabler og mærker, som Word har
    delt. Exitstatus 0 uden fejl, 1 med fejl."""
    from .documents.samples import sample_contexts
    from .findings import Severity
    from .render.check import check_folder

    problems, missing = check_folder(folder, KINDS, sample_contexts(config))
    for problem in problems:
        click.echo(str(problem))
    for kind in missing:
        click.echo(f"{folder}: {kind}.docx findes ikke; den indbyggede bruges.")
    errors = sum(p.severity is Severity.ERROR for p in problems)
    click.echo(f"{len(KINDS) - len(missing)} skabeloner tjekket: {errors} fejl, "
               f"{len(problems) - errors} advarsler.")
    sys.exit(1 if errors else 0)


@templates.command("variabler")
@click.option("--ud", "target", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Skriv referencen til en fil (Markdown) i stedet for skærmen.")
@config_option
@stops_cleanly
def template_variables(target: Path | None, config: Config) -> None:
    """Vis alle variabler, skabelonerne kan bruge, med en dansk forklaring."""
    from .output import atomic_write
    from .documents.samples import sample_contexts
    from .render.check import variable_reference

    text = variable_reference(sample_contexts(config))
    if target is None:
        click.echo(text)
    else:
        atomic_write(target, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        click.echo(f"Skrev {target}")


@cli.command("web")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Porten, serveren lytter på.")
@click.option("--vaert", "host", default="127.0.0.1", show_default=True,
              help="Adressen, serveren lytter på. Kun denne computer kan bruge siden, medmindre "
                   "du vælger en anden adresse (fx 0.0.0.0); så kan andre på netværket uploade "
                   "filer og hente dokumenterne, og der vises en advarsel.")
@click.option("--ikke-aabn", "no_browser", is_flag=True, help="Åbn ikke browseren.")
@click.option("--skabeloner", "template_dir", type=click.Path(path_type=Path, file_okay=False,
              exists=True), default=None, help="Mappe med kommunens egne skabeloner; de "
              "manglende tages fra de indbyggede.")
@config_option
@register_option
@stops_cleanly
def web(port: int, host: str, no_browser: bool, template_dir: Path | None, config: Config,
        register: Path | None) -> None:
    """Start den lokale webside: upload projektmapper, se fejl og advarsler, dan
    dokumenterne, og følg forslagene i registret."""
    from .batch import check_templates
    from .web import serve  # fastapi and uvicorn are loaded only for this command

    if template_dir is not None:
        with option_named("--skabeloner"):
            check_templates(template_dir, config)
    config_path = click.get_current_context().meta.get("sagsgenerator.config_path")
    serve(host, port, not no_browser, config, config_path=config_path,
          template_dir=template_dir, register=register)


@cli.command("status")
@today_option
@click.option("--maaneder", "months", type=click.IntRange(0, 120), default=3, show_default=True,
              help="Gult lys, når opfølgningen falder inden for N måneder.")
@config_option
@needs_register
@stops_cleanly
def register_status(today, months: int, config: Config, register: Path) -> None:
    """Vis registret: forslagene pr. arbejdsgruppe med sagsnummer, status, antal udgaver,
    seneste ændring og trafiklys for opfølgningen."""
    from .danish import format_date
    from .register import Register
    day = _today(today)
    with Register.open(register, config) as store:
        entries = store.entries(config.period)
        click.echo(f"Registret {register} · periode {config.period} · {len(entries)} forslag")
        for group in dict.fromkeys(e.group_name for e in entries):
            click.echo("")
            click.echo(group)
            for entry in (e for e in entries if e.group_name == group):
                light = store.traffic_light(entry.key, day, months)
                versions = "1 udgave" if entry.versions == 1 else f"{entry.versions} udgaver"
                state = (f"trukket tilbage {format_date(entry.withdrawn_on)}"
                         if entry.withdrawn_on else entry.status)
                click.echo(f"  nr. {entry.number}  {entry.case_number or 'intet sagsnummer'}  "
                           f"{entry.title}")
                click.echo(f"      {state} · {versions} · ændret {format_date(entry.last_change)}"
                           f" · {light.text}")


@cli.command("aendringer")
@click.option("--siden", "since", default=None, metavar="DATO|RUNDE",
              help="Ændringer siden en dato (ÅÅÅÅ-MM-DD) eller en runde (et tal, se 'sagsgenerator "
              "status') [standard: siden forrige runde].")
@config_option
@needs_register
@stops_cleanly
def changes(since: str | None, config: Config, register: Path) -> None:
    """Vis, hvad der er ændret i forslagene siden en dato eller runde: felt for felt, gammel
    og ny værdi og cellen, den nye værdi kom fra."""
    from .batch import changes_since as register_changes
    from .danish import format_date
    from .register import Register
    with Register.open(register, config) as store:
        rounds = store.rounds()
    point: dt.date | int
    if since is None:
        point = rounds[-2].id if len(rounds) >= 2 else 0
    elif since.isdigit():
        point = int(since)
    else:
        try:
            point = dt.date.fromisoformat(since)
        except ValueError:
            raise UsageError(f"'{since}' er hverken en dato (ÅÅÅÅ-MM-DD) eller et rundenummer.")
    lines = register_changes(register, point, config)
    for line in lines:
        click.echo(line)
    shown = f"runde {point}" if isinstance(point, int) else format_date(point)
    click.echo(f"{len(lines)} ændringer siden {shown}." if lines else
               f"Ingen ændringer siden {shown}.")


@cli.command("beslutninger")
@click.argument("plan", metavar="HANDLEPLAN.XLSX", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--proev", "dry_run", is_flag=True, help="Vis beslutningerne uden at gemme dem.")
@today_option
@config_option
@needs_register
@stops_cleanly
def decisions(plan: Path, dry_run: bool, today, config: Config, register: Path) -> None:
    """Læs chefgruppernes beslutninger (Prioritet, Projektejer, Finansiering, Opstart og
    Status) fra den redigerede handleplan.xlsx ind i registret. Næste 'generer' bruger dem.

    Exitstatus: 0 alt læst, 1 nogle celler havde fejl (de andre er gemt), 2 filen kan ikke
    bruges."""
    from .batch import read_decisions
    result = read_decisions(plan, register=register, config=config, today=_today(today),
                            dry_run=dry_run)
    print_report(result.report, summary=False)
    for line in result.lines:
        click.echo(line)
    count = len(result.lines)
    what = "1 beslutning" if count == 1 else f"{count} beslutninger"
    click.echo(f"{what} {'ville blive gemt (prøvekørsel)' if dry_run else 'gemt i registret'}; "
               f"{result.report.summary()}")
    sys.exit(result.exit_code)


@cli.group("register")
def register_group() -> None:
    """Registret: eksportér eller tag en sikkerhedskopi."""


@register_group.command("eksporter")
@click.argument("target", metavar="FIL.xlsx|FIL.json", type=click.Path(path_type=Path,
                                                                       dir_okay=False))
@config_option
@needs_register
@stops_cleanly
def export_register(target: Path, config: Config, register: Path) -> None:
    """Skriv hele registret til Excel (.xlsx) eller JSON (.json)."""
    from .register import Register
    if target.suffix.lower() not in (".xlsx", ".json"):
        raise UsageError(f"'{target}': vælg en fil, der ender på .xlsx eller .json.")
    with Register.open(register, config) as store:
        click.echo(f"Skrev {store.export(target)}")


@register_group.command("backup")
@click.argument("target", metavar="FIL", type=click.Path(path_type=Path, dir_okay=False))
@config_option
@needs_register
@stops_cleanly
def backup_register(target: Path, config: Config, register: Path) -> None:
    """Tag en sikkerhedskopi af registret (kan tages, mens andre bruger det)."""
    from .register import Register
    with Register.open(register, config) as store:
        click.echo(f"Skrev sikkerhedskopien {store.backup(target)}")


@cli.command("konfig")
@config_option
def show_config(config: Config) -> None:
    """Vis den konfiguration, der gælder, og hvor hver værdi kommer fra."""
    from .config_file import BUILT_IN
    from .danish import format_date
    origins = config.origins

    def line(key: str, value: object) -> None:
        click.echo(f"{key} = {value}    [{origins.get(key, BUILT_IN)}]")

    line("kommune.navn", config.municipality)
    line("kommune.forvaltning", config.administration)
    line("kommune.logo", config.logo or "(intet)")
    line("kommune.sagsnummer", config.case_number_pattern)
    for key, values in (("lister.centre", config.centres), ("lister.udvalg", config.committees),
                        ("lister.fokusomraader", config.focus_areas),
                        ("lister.forebyggelsespakker", config.prevention_packages),
                        ("lister.finansiering", config.financing_types)):
        line(key, ", ".join(values))
    deadlines = config.deadlines
    line("frister.centerchef_dage", deadlines.centre_chief_days)
    line("frister.direktion_dage", deadlines.executive_board_days)
    line("frister.naer_dage", deadlines.close_days)
    click.echo(f"tema    [{origins.get('tema', BUILT_IN)}]")
    for theme in config.themes:
        click.echo(f"  {theme.name}: {'; '.join(theme.goals)}")
    click.echo(f"moede    [{origins.get('moede', BUILT_IN)}]")
    for meeting in config.meetings:
        click.echo(f"  {meeting.committee}: {format_date(meeting.date)}")


for _command in (cli, *cli.commands.values(), *templates.commands.values(),
                 *register_group.commands.values()):
    _command.options_metavar = "[TILVALG]"
cli.subcommand_metavar = "KOMMANDO [ARGUMENTER]..."


def main() -> None:
    """The console script: SIGTERM stops a run as Ctrl+C does, with one Danish line and no
    traceback, also when it arrives outside a command (while click parses the options)."""
    stop_on_signals()
    try:
        cli(prog_name="sagsgenerator")
    except (KeyboardInterrupt, Stopped) as exc:
        _stopped(exc)


def _stopped(exc: BaseException) -> None:
    code = exc.exit_code if isinstance(exc, Stopped) else 130
    try:
        end_early_helpers()
        click.echo("Afbrudt: intet halvt skrevet er efterladt.", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)       # no interpreter shutdown: nothing more is printed
