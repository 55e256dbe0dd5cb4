"""Batch checks of many candidate sites: one row per site, a ranked summary and an HTML page.

`inputs` turns command-line inputs (DXF files, directories, site files, sites
files in CSV or TOML) into site tasks; `worker.process_site` checks one site
and writes its folder atomically; `runner.run_batch` runs the tasks in
parallel (locally or on a Dask cluster) and `summary` / `html` write the
summary files. Nothing here imports the reader, the checker or matplotlib
until a site is processed.
"""

from __future__ import annotations

__all__ = ["SCHEMA"]

SCHEMA = "planfit.batch/1"
