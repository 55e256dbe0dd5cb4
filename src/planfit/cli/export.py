"""planfit export: rooms and zones as GeoJSON, a rooms CSV and a markup DXF per input file."""

from __future__ import annotations

import click

from .options import (UserError, default_lang, fact_options, floor_option, lang_option, profile_option,
                      reader_option, units_option, vocabulary_option)


@click.command("export")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR",
              help="Output folder: rooms.geojson, zones.geojson, rooms.csv and <plan>-planfit.dxf per DXF file.")
@fact_options
@floor_option
@units_option
@reader_option
@profile_option
@vocabulary_option
@lang_option
def export_cmd(plans, outdir, tier, name, built_before_2015, hosted_in, floor, units, reader, profile_path,
               vocabulary, lang):
    """Export what planfit measured in PLAN (DXF files of one center, or a site
    .toml file): rooms and zones as GeoJSON (metres, the drawing's own local
    coordinates, no CRS), a rooms CSV for spreadsheets, and per DXF file a markup
    DXF of rooms, zones and findings that overlays the original.

    Exit codes: 0 files written, 2 usage, input, profile or output error.
    """
    import os

    from ..errors import PlanfitError
    from ..export import export_run
    from ..pipeline import run_check

    lang = lang or default_lang()
    cli_facts = {"tier": tier, "name": name, "built_before_2015": built_before_2015, "hosted_in": hosted_in}
    try:
        run = run_check(list(plans), cli_facts, profile_path, tuple(vocabulary), units, floor=floor, reader=reader)
    except PlanfitError as exc:
        raise UserError.from_error(exc) from None
    except Exception as exc:
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        raise UserError(f"internal error while checking {', '.join(plans)}: {type(exc).__name__}: {exc} "
                        "(set PLANFIT_DEBUG=1 for details)") from None
    try:
        written = export_run(run, outdir, lang)
    except OSError as exc:
        raise UserError(f"output error: {outdir}: {exc.strerror or exc}") from None
    for path in written:
        click.echo(path)
