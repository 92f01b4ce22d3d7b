"""The command line: thin wrappers that parse options and call one module per command.

Exit codes: 0 success, 1 content or configuration errors (printed as `path:line: message`),
2 usage errors (click's own); stopped by SIGINT or SIGTERM, the process ends by that signal
(a shell shows 130 or 143).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click
from click.exceptions import NoArgsIsHelpError

from sitegen import __version__
from sitegen.build import BuildOptions, Progress, build
from sitegen.diagnostics import Diagnostic, SitegenError, capped, one_line
from sitegen.source import shortened, unusable


class UsablePath(click.Path):
    """A path argument the OS can look up: a name too long or a symbolic link loop is one
    line (exit 1) here, before pathlib's resolve() or stat() raise it deep in a command."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        problem = unusable(value)
        if problem is not None:
            raise SitegenError([problem])
        return path


# More worker processes than this only fill memory (each holds the site's model): a typo's
# 100000 forked until the machine stalled.
MAX_JOBS = max(64, 4 * (os.cpu_count() or 1))

SITE_OPTION = click.option(
    "--site",
    type=UsablePath(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="current folder",
    help="The site folder (where site.toml is).",
)


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in capped(diagnostics):
        click.echo(diagnostic.format(), err=True)


def _terminal_progress() -> Progress | None:
    """A one-line progress display on a terminal, shown once the build passes one second."""
    if sys.stderr is None or not sys.stderr.isatty():  # None: closed (`2>&-`)
        return None
    started = time.perf_counter()
    shown = [False]

    def report(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - started < 1.0:
            return
        shown[0] = True
        end = "\n" if stage == "pages" and done == total else ""
        click.echo(f"\r{stage}: {done:,}/{total:,}", err=True, nl=False)
        if end:
            click.echo("\r\033[K", err=True, nl=False)

    return report


def _relative(path: Path) -> str:
    """The path as the user would type it: relative below the current folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class OneLineUsageError(click.ClickException):
    """A usage error on one line, like every other error ('sitegen build: No such option
    '--nope'. See 'sitegen build --help'.'), where click prints the usage and a hint first."""

    exit_code = 2

    def __init__(self, error: click.UsageError, where: str = "sitegen") -> None:
        where = error.ctx.command_path if error.ctx is not None else where
        message = " ".join(error.format_message().split())  # click's hints may break lines
        super().__init__(f"{where}: {message} See '{where} --help'.")

    def show(self, file: object = None) -> None:
        click.echo(self.format_message(), err=True)


class SitegenCommand(click.Command):
    """A command whose usage errors are one line (the group's too: it derives from this)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: object,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NoArgsIsHelpError:
            raise  # 'sitegen' alone shows the help
        except click.UsageError as error:
            where = " ".join(p for p in (parent and parent.command_path, info_name) if p)
            raise OneLineUsageError(error, where) from None


class SitegenGroup(SitegenCommand, click.Group):
    command_class = SitegenCommand

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise OneLineUsageError(error) from None
        except SitegenError as error:
            _print_diagnostics(error.diagnostics)
            ctx.exit(error.exit_code)


@click.group(cls=SitegenGroup)
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """sitegen: turn daily briefings into a dated static site with a page per actor."""


@main.command("build")
@SITE_OPTION
@click.option("--out", type=UsablePath(path_type=Path), help="Output folder [default: build/].")
@click.option("--base-url", help="Override base_url from site.toml, e.g. for a preview host.")
@click.option("--drafts", is_flag=True, help="Include briefings marked draft: true.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--jobs",
    type=click.IntRange(0, MAX_JOBS),
    default=0,
    help="Worker processes [default: cores].",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Ignore the build cache (.sitegen-cache/) and check every file.",
)
@click.option("--timings", is_flag=True, help="Print the seconds each stage of the build took.")
def build_command(
    site: Path,
    out: Path | None,
    base_url: str | None,
    drafts: bool,
    strict: bool,
    jobs: int,
    no_cache: bool,
    timings: bool,
) -> None:
    """Build the site into the output folder."""
    options = BuildOptions(site, out, base_url, drafts, strict, jobs, no_cache=no_cache)
    result = build(options, _terminal_progress(), lambda line: click.echo(line, err=True))
    if timings:
        stages = " ".join(f"{name}={seconds:.3f}" for name, seconds in result.stages.items())
        click.echo(f"timings: {stages} total={result.seconds:.3f}", err=True)
    _print_diagnostics(result.warnings)
    count = len(result.warnings)
    warnings = f", {count:,} warning{'s' if count != 1 else ''}" if count else ""
    reused = result.pages - result.rendered
    unchanged = f" ({reused:,} unchanged)" if reused else ""
    click.echo(
        one_line(
            f"Built {result.pages:,} pages{unchanged} and {result.assets} assets into "
            f"{_relative(result.output)}/ in {result.seconds:.2f} s{warnings}"
        )
    )


def _refuse_an_empty_path(
    ctx: click.Context, param: click.Parameter, paths: tuple[str, ...]
) -> tuple[str, ...]:
    if "" in paths:  # the OS reads '' as the current folder: ingest it all, unasked
        raise click.BadParameter("an empty path names no file or folder.")
    return paths  # a loop or a name too long is one input's failure: the others are ingested


def _open_streams(paths: tuple[str, ...]) -> None:
    """Refuse, in one line, a closed stdout (`>&-`: no report could be written) or, when
    `-` is read, a closed stdin; Python leaves them None, which ingest cannot use."""
    if sys.stdout is None:
        raise SitegenError([Diagnostic("<stdout>", None, "closed")])
    if sys.stdin is None and "-" in paths:
        raise SitegenError([Diagnostic("<stdin>", None, "closed")])


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, callback=_refuse_an_empty_path)
@SITE_OPTION
@click.option("--dry-run", is_flag=True, help="Write nothing; show what would be written.")
@click.option("--force", is_flag=True, help="Overwrite edited briefings (a backup is kept).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to report what was done.",
)
@click.option("--no-cache", is_flag=True, help="Analyse every input again (ignore the cache).")
@click.pass_context
def ingest_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    site: Path,
    dry_run: bool,
    force: bool,
    fmt: str,
    no_cache: bool,
) -> None:
    """Turn raw briefing text (files, folders of .txt, or - for stdin) into content files."""
    _open_streams(paths)
    from sitegen.ingest import run_ingest  # imported here: the build does not need it

    code = run_ingest(
        list(paths),
        site,
        dry_run=dry_run,
        force=force,
        fmt=fmt,
        stdin=sys.stdin,
        out=sys.stdout,
        err=sys.stderr,
        use_cache=not no_cache,
    )
    ctx.exit(code)


@main.command("deploy")
@SITE_OPTION
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="The deploy branch.")
@click.option("--message", help="The commit message [default: names the source commit].")
@click.option("--no-push", is_flag=True, help="Commit to the branch, but do not push.")
@click.option("--force", is_flag=True, help="Deploy even if the remote branch has moved on.")
def deploy_command(
    site: Path, remote: str, branch: str, message: str | None, no_push: bool, force: bool
) -> None:
    """Build the site afresh and publish it on a branch (GitHub Pages), history kept."""
    from sitegen.deploy import DeployOptions, deploy

    options = DeployOptions(site, remote, branch, message, push=not no_push, force=force)
    result = deploy(options, _terminal_progress())
    _print_diagnostics(result.warnings)
    click.echo(one_line(result.summary))


@main.command("init")
@click.argument("directory", type=UsablePath(path_type=Path))
def init_command(directory: Path) -> None:
    """Create a new site in DIRECTORY (new or empty) that builds at once."""
    from sitegen.scaffold import create_site

    created = create_site(directory)
    click.echo(one_line(f"Created a site in {_relative(directory)}/:"))
    click.echo("".join(f"  {name}\n" for name in created), nl=False)
    click.echo(f"Next: sitegen build --site {_shell_quoted(_relative(directory))}")  # to paste


def _shell_quoted(text: str) -> str:
    """`text` as a shell word to paste: quoted as shlex does, or, when it holds a control
    character (shown raw, an ESC would drive the terminal), as bash's $'...' with escapes."""
    if text.isprintable():
        return shlex.quote(text)
    quoted = (one_line(char) if char not in "'\\" else "\\" + char for char in text)
    return "$'" + "".join(quoted) + "'"


def _checked_host(ctx: click.Context, param: click.Parameter, host: str) -> str:
    """A host name or address the resolver can take (it encodes names as IDNA: a byte that
    is not UTF-8 or a 5,000-character name failed there with a traceback). An empty host
    listened on every interface while the URL shown was 'http://:8000/'."""
    if not host:
        raise click.BadParameter("it is empty (127.0.0.1: this machine only; 0.0.0.0: all).")
    try:
        host.encode("idna")
        usable = host.isprintable() and " " not in host
    except UnicodeError:
        usable = False
    if not usable:
        raise click.BadParameter(f"'{one_line(shortened(host))}' is not a host name or address.")
    return host


@main.command("serve")
@SITE_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=_checked_host,
    help="The address to listen on.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port."
)
@click.option("--drafts", is_flag=True, help="Include briefings marked draft: true.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_context
def serve_command(
    ctx: click.Context, site: Path, host: str, port: int, drafts: bool, open_browser: bool
) -> None:
    """Preview the site: rebuild on every save, reload the browser, show errors in the page."""
    from sitegen.serve import ServeOptions, serve  # imported here: builds do not need tornado

    gc.enable()  # `run` turned it off for one-shot commands; the preview server lives on
    options = ServeOptions(site, host, port, drafts, open_browser)
    ctx.exit(serve(options, _echo_one_line, lambda line: click.echo(line, err=True)))


def _echo_one_line(line: str) -> None:
    """A report line whose paths (the site's, a changed file's) may hold control characters."""
    click.echo(one_line(line))


# The signal that stopped the command (SIGINT: Ctrl-C; SIGTERM: `kill`), if one did.
_stopped_by: list[int] = []


def _stop_as_if_interrupted(signum: int, frame: object) -> None:
    """Ctrl-C (SIGINT) and `kill` (SIGTERM) stop a command the same way: its workers
    stopped, its staging folder removed, one line; not a silent death that leaves workers
    to fail on their own. `serve` puts handlers of its own in place while it serves. A
    second signal while the first is being handled (Ctrl-C pressed again) ends the command
    at once, by the signal: raised there, it printed a traceback over the first's line."""
    _stopped_by.append(signum)
    if len(_stopped_by) > 1:
        _end_by_signal(_stopped_by[0])
    raise KeyboardInterrupt


def _catch_stop_signals() -> None:
    signal.signal(signal.SIGTERM, _stop_as_if_interrupted)
    # a SIGINT that was ignored when we started (a background job of a script) stays so
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _stop_as_if_interrupted)


def _end_by_signal(signum: int) -> None:
    """End as the signal's default action would, once the command has cleaned up: the
    shell then reports 128 + the signal (130 for Ctrl-C, 143 for `kill`), and a script
    that ran the command stops too, as it does for Hugo, Zola and Python itself; an exit
    status of 130 alone would let a shell script go on with its next line."""
    _flush_standard_streams()
    signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signum])
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # (not reached: the signal ends the process)


def _flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed when we started (`>&-`)
            continue
        with contextlib.suppress(OSError):  # (what a full disk kept: one line said so)
            stream.flush()


def run() -> None:
    """The console script: `main`, then a quick exit. After a big build, tearing down
    millions of objects one by one takes most of a second and frees nothing the OS would
    not free anyway. For the same reason the garbage collector stays off (`build` leaves it
    as it found it): its first full pass over a big build's objects would take another half
    second before the process ends. `serve`, which lives on, turns it back on."""
    gc.disable()
    _catch_stop_signals()
    try:
        code = main(standalone_mode=False)
    except click.exceptions.Exit as exit_:
        code = exit_.exit_code
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        if _stopped_by:
            _end_by_signal(_stopped_by[0])
        code = 1
    except OSError as exc:
        if exc.errno not in _CANNOT_REPORT:
            raise
        # the work is done, but its report cannot be written (stdout on a full disk)
        with contextlib.suppress(OSError):
            click.echo(f"<stdout>: cannot write: {exc.strerror}", err=True)
        code = 1
    _flush_standard_streams()
    os._exit(code if isinstance(code, int) else 0)


_CANNOT_REPORT = {errno.ENOSPC, errno.EDQUOT, errno.EIO}
