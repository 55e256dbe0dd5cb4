"""planfit batch: many sites → a ranked summary table, an HTML page and one folder per site."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..errors import PlanfitError, os_reason
from ..messages import has, join, msg
from .exits import FINDINGS, INTERRUPTED, OK, SITE_ERRORS, UserError, output_error
from .options import default_lang, lang_option, profile_option, vocabulary_option
from .render import style_option

SORT_CHOICES = ("rank", "input", "site", "name", "tier", "verdict", "building_area", "service_activity_area",
                "minimum", "margin", "windows", "equipment", "errors", "warnings", "infos", "highest_tier_met")


def _chart(out: Path, rows, zones, lang: str) -> tuple[bytes | None, tuple[str, ...]]:
    """OUTDIR/chart.png and chart.svg, and the PNG for the page; without matplotlib, no chart."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return None, ()
    from ..batch.chart import write_chart

    return write_chart(out, rows, zones, lang), ("chart.png", "chart.svg")


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _progress(total: int, lang: str):
    """A progress bar on a terminal, plain lines otherwise (both on stderr)."""
    state = {"n": 0}
    if sys.stderr.isatty():
        bar = click.progressbar(length=total, file=sys.stderr, label="planfit batch", show_pos=True,
                                item_show_func=lambda s: s or "")
        bar.__enter__()

        def step(task, row, skipped):
            bar.update(1, task["site"])

        return step, lambda: bar.__exit__(None, None, None)

    def line(task, row, skipped):
        state["n"] += 1
        verdict = row.get("verdict")
        if lang == "zh" and has(f"batch.verdict.{verdict}"):
            verdict = msg(f"batch.verdict.{verdict}", lang)
        what = msg("batch.skipped", lang) if skipped else (row.get("error") or verdict)
        click.echo(msg("batch.progress_line", lang, i=state["n"], n=total, site=task["site"], what=what), err=True)

    return line, lambda: None


def parse_size(text: str, lang: str = "en") -> int:
    """Bytes from '2GB', '500MB', '1.5G' or a plain number of bytes."""
    import re

    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)i?b?\s*", str(text), re.IGNORECASE)
    if not m or float(m.group(1)) <= 0:
        raise UserError(msg("error.max_memory", lang, text=text), lang)
    return int(float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}[m.group(2).lower()])


LOCK_NAME = ".planfit-batch.lock"


def _lock(out: Path, lang: str):
    """An exclusive lock on the output folder: a second batch writing there refuses with one line
    instead of removing the first one's work in flight. Held while the returned file stays open."""
    import fcntl

    try:
        fh = open(out / LOCK_NAME, "a+")
    except OSError as exc:
        raise output_error(out, exc, lang) from None
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        who = fh.read().strip()
        fh.close()
        raise UserError(msg("error.locked_by" if who else "error.locked", lang, path=out, pid=who), lang) from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()

    def release() -> None:
        (out / LOCK_NAME).unlink(missing_ok=True)
        fh.close()

    return release


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR",
              help="Output folder: summary.csv, summary.json, index.html and one folder per site.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Sites checked in parallel (default: the number of cores).")
@click.option("--resume", is_flag=True, help="Skip sites already done in OUTDIR with the same input file contents.")
@click.option("--sort", "sort", type=click.Choice(SORT_CHOICES), default="rank",
              help="Row order: rank (verdict, then area margin; default), input order, or a column "
                   "(numbers largest first).")
@click.option("--reverse", is_flag=True, help="Reverse the row order.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run on an existing Dask distributed cluster (needs the dask extra; inputs and OUTDIR on a "
                   "file system the workers share).")
@click.option("--images/--no-images", default=True, help="Draw the annotated plan images (default: on).")
@click.option("--report-pdf", is_flag=True,
              help="Also write each site's review report as PDF (review.pdf; seconds per site). The HTML review "
                   "report is always written.")
@style_option
@click.option("--units", type=click.Choice(["mm", "cm", "m", "in", "ft"]), default=None,
              help="Drawing unit for every site, overriding the header and the geometry check.")
@click.option("--reader", type=click.Choice(["fast", "full"]), default="fast",
              help="DXF reader, as in planfit check: fast (falls back to the full reader by itself) or full.")
@profile_option
@vocabulary_option
@lang_option
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              help="Lowest severity that makes a site count as failing (default: error).")
@click.option("--baseline", default=None, metavar="OLD_OUTDIR", type=click.Path(exists=True, file_okay=False),
              help="An earlier batch output folder: add a changed_since column (rooms added, removed, changed; "
                   "findings fixed, new) and a diff.json per site.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Stop a site that takes longer (default: 300); it becomes an error row and the run goes on.")
@click.option("--max-memory", default=None, metavar="SIZE",
              help="Stop a site that uses more memory, e.g. 2GB or 500MB (default: 2GB); it becomes an error row.")
def batch_cmd(inputs, outdir, jobs, resume, sort, reverse, scheduler, images, report_pdf, style, units, reader,
              profile_path, vocabulary, lang, fail_on, baseline, timeout, max_memory):
    """Check many sites: DXF files, directories (searched recursively), site files
    (.toml with plans) or sites files (.csv or .toml naming each site with its
    plans and facts). Sidecar facts are honoured as in planfit check.

    Writes OUTDIR/summary.csv, summary.json, index.html and per site the JSON
    report, the review report (HTML, with --report-pdf also PDF) and images. A
    site that cannot be read is an error row; the run goes on.

    Exit codes: 0 every site passes, 1 a site fails, 3 a site could not be
    checked, 2 usage or option error (nothing written), 130 interrupted.
    """
    from ..batch import html, summary, timing
    from ..batch.inputs import collect

    timing.mark("start")
    from ..batch.runner import Interrupted, options_hash, run_batch, write_atomic
    from ..batch.worker import PAGE_FINDINGS, page_findings
    from ..profile import Profile
    from ..vocabulary import Vocabulary

    lang = lang or default_lang()
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise UserError(msg("error.not_a_folder", lang, path=outdir), lang)
    if style and not images:
        raise UserError(msg("error.style_needs_images", lang), lang)
    from ..limits import limits

    timeout = timeout if timeout is not None else float(limits().timeout)
    max_memory = parse_size(max_memory if max_memory is not None else limits().max_memory, lang)
    try:
        profile = Profile.load(profile_path)
        vocab = Vocabulary.load(tuple(vocabulary))
        profile.check_zones(vocab.zones)
        if images:
            from ..render import load_style

            load_style(style)
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None
    if scheduler:
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise UserError(msg("error.needs_dask", lang), lang) from None
    options = {"outdir": str(out.resolve()), "profile": str(Path(profile_path).resolve()) if profile_path else None,
               "vocabulary": [str(Path(v).resolve()) for v in vocabulary], "units": units, "lang": lang,
               "style": style if not style or not Path(style).is_file() else str(Path(style).resolve()),
               "images": images, "report_pdf": report_pdf, "fail_on": fail_on, "reader": reader,
               "baseline": str(Path(baseline).resolve()) if baseline else None}
    options["options_hash"] = options_hash(options)
    options["timeout"], options["max_memory"] = timeout, max_memory  # limits, not results: outside the hash
    tasks = collect(list(inputs))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(outdir, exc, lang) from None
    release = _lock(out, lang)
    try:
        step, close = _progress(len(tasks), lang)
        try:
            rows = run_batch(tasks, options, jobs=jobs or _default_jobs(), scheduler=scheduler, resume=resume,
                             progress=step)
        except Interrupted as exc:
            close()
            click.echo(msg("batch.interrupted", lang, done=exc.done, total=exc.total), err=True)
            sys.exit(INTERRUPTED)
        except OSError as exc:  # e.g. the scheduler cannot be reached
            close()
            raise UserError(msg("error.batch", lang, path=scheduler or outdir, problem=os_reason(exc, lang)),
                            lang) from None
        close()
        timing.mark("sites_done")

        # each site's findings for the page came with its row as it finished
        findings = {r["site"]: r.pop(PAGE_FINDINGS) for r in rows if PAGE_FINDINGS in r}
        ordered = summary.rank(rows, sort, reverse)
        zones = {z: dict(v) for z, v in vocab.zones.items()}
        tiers = {t: {"zh": v.get("zh", t), "en": v.get("en", t)} for t, v in profile.tiers.items()}
        from .. import __version__

        meta = {"planfit": __version__, "profile": profile.id, "sort": sort, "reverse": reverse, "fail_on": fail_on}
        for r in ordered:
            if r.get("report") and findings.get(r["site"]) is None:  # a site skipped by --resume
                try:
                    data = json.loads((out / r["report"]).read_text(encoding="utf-8"))
                    findings[r["site"]] = page_findings(data)
                except (OSError, ValueError):
                    findings[r["site"]] = []
        timing.mark("findings")
        title = profile.title_zh if lang == "zh" else profile.title_en
        counts = json.loads(summary.to_json(ordered, meta))["counts"]
        subtitle = msg("batch.subtitle", lang, version=__version__, title=title, counts=join(
            (msg("batch.count", lang, verdict=msg(f"batch.verdict.{k}", lang) if has(f"batch.verdict.{k}") else k, n=v)
             for k, v in counts.items()), lang))
        try:
            write_atomic(out / "summary.json", summary.to_json(ordered, meta))
            write_atomic(out / "summary.csv", summary.to_csv(ordered, list(zones), lang, zones, tiers))
            timing.mark("summary")
            png, chart_files = _chart(out, ordered, zones, lang)
            timing.mark("chart")
            write_atomic(out / "index.html", html.page(ordered, findings, zones, tiers, lang, subtitle, png,
                                                       chart_files))
            timing.mark("page")
        except OSError as exc:
            raise output_error(outdir, exc, lang) from None

        click.echo(msg("batch.row", lang, **{k: msg(f"batch.head.{k}", lang) for k in ("rank", "verdict", "area",
                                                                                       "margin", "name")}))
        for r in ordered:
            verdict = "error" if r.get("error") and r.get("verdict") in (None, "error") else r.get("verdict")
            area = "" if r.get("building_area") is None else f"{r['building_area']:.2f}"
            margin = "" if r.get("margin") is None else f"{r['margin']:+.2f}"
            extra = "  " + msg("batch.row_error", lang, error=r["error"]) if r.get("error") else ""
            click.echo(msg("batch.row", lang, rank=r["rank"], area=area, margin=margin, name=f"{r['name']}{extra}",
                           verdict=msg(f"batch.verdict.{verdict}", lang) if lang == "zh" else verdict))
        click.echo(msg("batch.wrote", lang, path=out / "index.html"), err=True)
        if any(r.get("error") for r in rows):
            sys.exit(SITE_ERRORS)
        sys.exit(FINDINGS if any(r.get("failing") for r in rows) else OK)
    finally:
        release()
