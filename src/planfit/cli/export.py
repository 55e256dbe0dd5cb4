"""planfit export: rooms and zones as GeoJSON, a rooms CSV and a markup DXF per input file."""

from __future__ import annotations

import click

from .exits import checking, output_error
from .options import (default_lang, fact_options, floor_option, lang_option, profile_option, reader_option,
                      units_option, vocabulary_option)


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

    Exit codes: 0 files written, 2 usage, input, profile or output error, 4 internal error (a bug: please
    report it).
    """
    from ..export import export_run
    from ..pipeline import run_check

    lang = lang or default_lang()
    cli_facts = {"tier": tier, "name": name, "built_before_2015": built_before_2015, "hosted_in": hosted_in}
    with checking(plans, lang):
        run = run_check(list(plans), cli_facts, profile_path, tuple(vocabulary), units, floor=floor, reader=reader)
    try:
        written = export_run(run, outdir, lang)
    except OSError as exc:
        raise output_error(outdir, exc, lang) from None
    for path in written:
        click.echo(path)
