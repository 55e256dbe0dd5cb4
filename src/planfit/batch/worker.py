"""Check one site and write its folder: the JSON report, the review report, the images and a manifest.

`process_site` is a top-level function of plain data in, plain data out, so
it runs the same in this process, in a spawned worker process or on a Dask
worker. The site folder is built under a hidden temporary name and swapped
in with os.replace, so an interrupted or killed run leaves either the old
complete folder or the new complete folder, never a half-written one.
Whatever happens, one row comes back.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from ..errors import PlanfitError
from ..files import json_text, write_atomic
from ..messages import msg

MANIFEST = "manifest.json"
REPORT = "report.json"
ROOMS = "rooms.geojson"
DIFF = "diff.json"
REVIEW = "review.html"
REVIEW_PDF = "review.pdf"
PAGE_FINDINGS = "_findings"  # a row's findings for the page, on the row only between worker and parent
PAGE_FINDING_KEYS = ("n", "code", "clause", "severity", "message_zh", "message_en")
VERDICT_ORDER = {"pass": 0, "undecided": 1, "fail": 2, "no-plan": 3, "error": 4}
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _swap_in(tmp: Path, target: Path) -> None:
    """Replace target (a folder, maybe absent) by tmp; each step leaves a complete folder or none."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove(target: Path) -> None:
    if target.exists():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
        os.replace(target, old)
        shutil.rmtree(old, ignore_errors=True)


def base_row(task: dict[str, Any]) -> dict[str, Any]:
    return {"site": task["site"], "name": task.get("name") or task["site"], "inputs": list(task["inputs"]),
            "tier": None, "verdict": "error", "building_area": None, "service_activity_area": None,
            "minimum": None, "minimum_of": None, "margin": None, "zones": {}, "zones_missing": [],
            "windows": 0, "equipment": 0, "errors": 0, "warnings": 0, "infos": 0, "highest_tier_met": None,
            "changes_needed": [], "implausible": [], "failing": False, "error": None, "report": None, "review": None,
            "review_pdf": None, "images": [], "thumbs": []}


def page_findings(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings as the batch page shows them (number, code, clause, severity, message)."""
    return [{k: f.get(k) for k in PAGE_FINDING_KEYS} for f in data.get("findings", [])]


def _minimum(data: dict[str, Any], profile) -> tuple[float | None, str | None]:
    """The area minimum the site was checked against: from the A101/A102 outcome and finding."""
    rules = {r["code"]: r for r in data.get("rules", [])}
    center = data.get("center", {})
    for code, measure in (("A101", "building_area"), ("A102", "service_activity_area")):
        status = rules.get(code, {}).get("status")
        if status == "failed":
            for f in data.get("findings", []):
                if f["code"] == code and f.get("required") is not None:
                    return float(f["required"]), measure
        if status in ("passed", "failed"):
            cases = [m for m in profile.minimums if m.tier == center.get("tier") and m.measure == measure]
            decided = [m for m in cases if all(center.get(k) == v for k, v in m.when)]
            open_ = [m for m in cases if all(center.get(k) in (None, v) for k, v in m.when)]
            if decided:
                return float(decided[0].minimum), measure
            if open_:
                pick = max if status == "passed" else min
                return float(pick(m.minimum for m in open_)), measure
    return None, None


def changes_needed(data: dict[str, Any]) -> list[dict[str, Any]]:
    """What must change: the tier margin's changes, then every other rule with an error finding, each with
    the remedy of its first finding and the number of its findings. `measured` and `required` come from the
    first finding (m² gaps, counts), `undecided` when planfit could not decide the rule."""
    by_code: dict[str, list[dict[str, Any]]] = {}
    for f in data.get("findings", []):
        by_code.setdefault(str(f.get("code")), []).append(f)
    out = []
    seen = set()
    for m in (data.get("margin") or {}).get("missing", []):
        code = str(m.get("code"))
        fs = by_code.get(code, [])
        first = fs[0] if fs else {}
        out.append({"code": code, "zh": m.get("zh"), "en": m.get("en"), "remedy_zh": first.get("remedy_zh"),
                    "remedy_en": first.get("remedy_en"), "findings": len(fs), "undecided": bool(first.get("undecided"))})
        seen.add(code)
    for code, fs in by_code.items():
        errors = [f for f in fs if f.get("severity") == "error"]
        if code in seen or not errors:
            continue
        first = errors[0]
        out.append({"code": code, "zh": first.get("message_zh"), "en": first.get("message_en"),
                    "remedy_zh": first.get("remedy_zh"), "remedy_en": first.get("remedy_en"),
                    "findings": len(errors), "undecided": bool(first.get("undecided"))})
    return out


def implausible(data: dict[str, Any], profile) -> list[dict[str, Any]]:
    """Values that are probably misread (tolerances.toml [plausibility]): a room larger than the building
    area it is counted in (a site outline or title frame taken for a room), a building area far outside what
    any center of the profile needs (units or outline wrong). Each with its message in both languages."""
    from ..messages import both
    from ..tolerances import tolerances

    tol = tolerances()["plausibility"]
    out = []
    total = (data.get("building_area") or {}).get("value")
    floors = {f["id"]: f.get("building_area") for f in data.get("floors", [])}
    for r in data.get("rooms", []):
        area = r.get("area")
        building = floors.get(r.get("floor"))
        if not building:  # a room outside every floor is counted against the whole building
            building = total
        if area is None or not building or area <= tol["room_over_building"] * building:
            continue
        zh, en = both("batch.implausible.room", room=r.get("name") or r.get("id"), area=f"{area:.2f}",
                      building=f"{building:.2f}")
        if all(o["en"] != en for o in out):  # one room drawn twice (two outlines, one label) is said once
            out.append({"kind": "room", "id": r.get("id"), "zh": zh, "en": en})
    minimums = [float(m.minimum) for m in profile.minimums]
    if total is not None and minimums:
        low, high = tol["building_area_low"] * min(minimums), tol["building_area_high"] * max(minimums)
        if not low <= total <= high:
            zh, en = both("batch.implausible.building_area", area=f"{total:.2f}", low=f"{low:.0f}",
                          high=f"{high:.0f}")
            out.append({"kind": "building_area", "id": None, "zh": zh, "en": en})
    return out


def row_from_run(task: dict[str, Any], data: dict[str, Any], profile, fail_on: str) -> dict[str, Any]:
    row = base_row(task)
    center = data.get("center", {})
    counts = data.get("counts", {})
    row["name"] = center.get("name") or row["name"]
    row["tier"] = center.get("tier")
    row["verdict"] = data.get("verdict")
    ba = (data.get("building_area") or {}).get("value")
    sa = (data.get("service_activity_area") or {}).get("value")
    row["building_area"] = round(ba, 2) if ba is not None else None
    row["service_activity_area"] = round(sa, 2) if sa is not None else None
    minimum, measure = _minimum(data, profile)
    if minimum is not None:
        value = ba if measure == "building_area" else sa
        row["minimum"], row["minimum_of"] = round(minimum, 2), measure
        row["margin"] = round(value - minimum, 2) if value is not None else None
    row["zones"] = {z["id"]: round(z["area"], 2) for z in data.get("zones", []) if z.get("rooms")}
    required = (profile.tiers.get(row["tier"]) or {}).get("zones", []) if row["tier"] else []
    row["zones_missing"] = [z for z in required if z not in row["zones"]]
    items = (data.get("blocks") or {}).get("items", [])
    row["windows"] = sum(1 for i in items if i.get("role") == "service-window")
    row["equipment"] = sum(1 for i in items if i.get("role") == "equipment")
    row["errors"], row["warnings"], row["infos"] = (int(counts.get(k, 0)) for k in ("error", "warning", "info"))
    margin = data.get("margin") or {}
    row["highest_tier_met"] = margin.get("highest_tier_met")
    row["changes_needed"] = changes_needed(data)
    row["implausible"] = implausible(data, profile)
    if fail_on != "never":
        threshold = SEVERITY_RANK[fail_on]
        row["failing"] = any(SEVERITY_RANK.get(f.get("severity"), 0) >= threshold for f in data.get("findings", []))
    return row


def _error_text(exc: BaseException, lang: str = "en") -> str:
    from ..errors import error_text
    from ..messages import msg

    if isinstance(exc, PlanfitError):
        return error_text(exc, lang)
    if isinstance(exc, OSError):
        return msg("error.output", lang, path=exc.filename or "", problem=exc.strerror or exc)
    return msg("error.internal_site", lang, kind=type(exc).__name__, problem=exc)


def _task_error(task: dict[str, Any], lang: str) -> str:
    """Why a site could not even be started, in the report's language."""
    from .. import errors

    parts = task.get("error_parts")
    kind = getattr(errors, parts[0], None) if parts else None
    if lang == "en" or not (isinstance(kind, type) and issubclass(kind, errors.PlanfitError)):
        return task["error"]
    exc = kind.__new__(kind)
    errors.PlanfitError.__init__(exc, parts[1], parts[2])
    return errors.error_text(exc, lang)


def msg_image_error(text: str, lang: str) -> str:
    from ..messages import msg

    return msg("error.image", lang, error=text)


def process_site(task: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Check one site, write OUTDIR/<site>/ (report.json, review.html and with --report-pdf review.pdf, images,
    manifest.json); return its row."""
    outdir = Path(options["outdir"])
    target = outdir / task["site"]
    row = base_row(task)
    if task.get("error"):
        row["error"] = _task_error(task, options.get("lang", "en"))
        _remove(target)
        return row
    tmp = outdir / f".{task['site']}.tmp-{uuid.uuid4().hex}"
    try:
        from ..pipeline import run_check
        from ..report import to_json

        cli_facts = dict(task.get("facts") or {})
        if task.get("name"):
            cli_facts["name"] = task["name"]
        targets = [task["site_file"]] if task.get("site_file") else list(task["plans"])
        try:
            run = run_check(targets, cli_facts, options.get("profile"), tuple(options.get("vocabulary") or ()),
                            options.get("units"), backdrop=bool(options.get("images")),
                            **({"reader": options["reader"]} if options.get("reader") else {}))
        except Exception as exc:  # one error row; the batch goes on
            if os.environ.get("PLANFIT_DEBUG"):
                raise
            row["error"] = _error_text(exc, options.get("lang", "en"))
            _remove(target)
            return row
        data = run.data
        if task.get("facts_source"):  # facts from a sites file were passed as options: say where they came from
            sources = data.get("center", {}).get("sources", {})
            for k in cli_facts:
                if sources.get(k) == "command line":
                    sources[k] = task["facts_source"]
        row = row_from_run(task, data, run.profile, options.get("fail_on", "error"))
        tmp.mkdir(parents=True)
        write_atomic(tmp / REPORT, to_json(data))
        row["report"] = f"{task['site']}/{REPORT}"
        _write_rooms_and_baseline_diff(run, task, options, tmp, row)
        pages = []
        if options.get("images"):
            try:
                from ..render import render_run

                pages = render_run(run, str(tmp / "plan.png"), style=options.get("style"),
                                   lang=options.get("lang", "en"))
                names = list(dict.fromkeys(Path(p.path).name for p in pages))
                row["images"] = [f"{task['site']}/{n}" for n in names]
                from .thumbs import write_thumbnails

                row["thumbs"] = [f"{task['site']}/{n}" for n in write_thumbnails(run, pages, tmp)]
            except Exception as exc:
                if os.environ.get("PLANFIT_DEBUG"):
                    raise
                row["error"] = msg_image_error(_error_text(exc, options.get("lang", "en")), options.get("lang", "en"))
        _write_review(run, task, options, tmp, row, pages)
        manifest = {"hashes": task["hashes"], "options": options.get("options_hash"), "row": row}
        write_atomic(tmp / MANIFEST, json_text(manifest))
        _swap_in(tmp, target)
        # what the batch page shows of the findings travels with the row, so that the parent reads no
        # report.json after the last site (it takes this off the row before the summary)
        return dict(row, **{PAGE_FINDINGS: page_findings(data)})
    except Exception as exc:
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        row["error"] = _error_text(exc, options.get("lang", "en"))
        return row
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _page_images(run, pages) -> list[tuple[str, bytes]]:
    """The PNG pages just written, named as `planfit report` names them: the floor's name (a plan without
    floors by its file name), a continuation page with its number."""
    floors = list(run.result.measurement.floors)
    covered = {f.file for f in floors}
    names = [f.name or f.id for f in floors] + [Path(p.path).stem for p in run.plans if p.path not in covered]
    out, k = [], -1
    for page in pages:
        k += page.continues == 0
        path = Path(page.path)
        if path.suffix.lower() != ".png" or not path.is_file() or not 0 <= k < len(names):
            continue
        name = names[k] if not page.continues else f"{names[k]} ({page.continues + 1})"
        out.append((name, path.read_bytes()))
    return out


def _write_review(run, task: dict[str, Any], options: dict[str, Any], folder: Path, row, pages) -> None:
    """review.html, the review report `planfit report` writes, with the floor images just drawn, and with
    options["report_pdf"] the same as review.pdf. Written into the folder under construction, which is swapped
    in whole: a site that fails here has no folder of this run, never half a report."""
    from ..cli.report import report_date
    from ..review import to_html, to_pdf

    lang = options.get("lang", "en")
    args = (run.data, run.profile, lang, _page_images(run, pages), report_date(), "A4")
    write_atomic(folder / REVIEW, to_html(*args))
    row["review"] = f"{task['site']}/{REVIEW}"
    if options.get("report_pdf"):
        (folder / REVIEW_PDF).write_bytes(to_pdf(*args))
        row["review_pdf"] = f"{task['site']}/{REVIEW_PDF}"


def _write_rooms_and_baseline_diff(run, task: dict[str, Any], options: dict[str, Any], folder: Path, row) -> None:
    """rooms.geojson (room outlines, so that this folder can serve as a later run's baseline) and, with
    --baseline, diff.json and the row's "changed since" cell."""
    from .. import diff
    from ..export import rooms_geojson

    write_atomic(folder / ROOMS, rooms_geojson(run))
    if options.get("baseline"):
        row["changed_since"], d = diff.changed_since_baseline(options["baseline"], task["site"],
                                                              diff.Revision.from_run(run), options.get("lang", "en"))
        if d is not None:
            write_atomic(folder / DIFF, diff.to_json(d))


def load_done(task: dict[str, Any], options: dict[str, Any]) -> dict[str, Any] | None:
    """The stored row of a site already checked with the same inputs and options, else None."""
    folder = Path(options["outdir"]) / task["site"]
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    row = manifest.get("row") or {}
    if manifest.get("hashes") != task["hashes"] or manifest.get("options") != options.get("options_hash"):
        return None
    if row.get("error") or row.get("inputs") != task["inputs"]:
        return None
    files = [row.get("report"), row.get("review")] + list(row.get("images") or []) + list(row.get("thumbs") or [])
    if row.get("review_pdf"):
        files.append(row["review_pdf"])
    if not all(f and (Path(options["outdir"]) / f).is_file() for f in files):
        return None
    return row


# --- one site under a time limit and a memory ceiling ------------------------------------------------

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when the process that started it ends (Linux), so that no
    worker outlives a batch that was killed."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's watch (a closed pipe) still ends the site
        pass


def _rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _size_text(n: int) -> str:
    return f"{n / 1e9:g} GB" if n >= 1e9 else f"{n / 1e6:g} MB"


def run_site(task: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """process_site in a child process stopped when it runs past options["timeout"] seconds or uses more
    than options["max_memory"] bytes: the site is an error row saying why, and the batch goes on. With
    PLANFIT_BATCH_TIMINGS set, its start and end go to the timings file (batch_bench.py)."""
    from . import timing

    if not timing.enabled():
        return _run_site(task, options)
    import time

    t0 = time.time()
    row = _run_site(task, options)
    timing.mark("site", site=task["site"], start=t0)
    return row


def _run_site(task: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    import pickle
    import select
    import signal
    import time

    timeout = options.get("timeout")
    ceiling = options.get("max_memory")
    if not (timeout or ceiling) or not hasattr(os, "fork"):
        return process_site(task, options)
    lang = options.get("lang", "en")
    r, w = os.pipe()
    parent = os.getpid()
    # Ctrl-C is held back while forking: a KeyboardInterrupt raised in an at-fork hook (logging has some)
    # would be ignored there and the interrupt lost; held back, it arrives below, where it stops the site
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    if pid == 0:  # the child: check the site, send its row, end without running the parent's exit code
        code = 0
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(r)
            die_with_parent()
            if os.getppid() != parent:
                os._exit(1)
            try:
                row = process_site(task, options)
            except MemoryError:
                row = dict(base_row(task), error=msg("batch.stop.out_of_memory", lang))
            data = pickle.dumps(row)
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    deadline = time.monotonic() + timeout if timeout else None
    chunks: list[bytes] = []
    why = None
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        while True:
            wait = 0.2 if deadline is None else min(0.2, deadline - time.monotonic())
            if deadline is not None and wait <= 0:
                why = msg("batch.stop.timeout", lang, seconds=f"{timeout:g}")
                break
            if select.select([r], [], [], max(wait, 0))[0]:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            if ceiling and _rss(pid) > ceiling:
                why = msg("batch.stop.memory", lang, size=_size_text(ceiling))
                break
    finally:
        if why is not None or not chunks:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.close(r)
        _, status = os.waitpid(pid, 0)
    if why is None and chunks:
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:
            why = msg("batch.stop.damaged", lang)
    if why is None:
        sig = -os.waitstatus_to_exitcode(status) if os.WIFSIGNALED(status) else 0
        why = msg("batch.stop.signal" if sig else "batch.stop.no_result", lang, signal=sig)
    # what the stopped process had begun in the output folder is removed; the last complete folder stays
    outdir = Path(options["outdir"])
    for leftover in outdir.glob(f".{task['site']}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return dict(base_row(task), error=why)
