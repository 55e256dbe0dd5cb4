"""The planfit command line: one group, one module per command."""

from __future__ import annotations

import click

from .. import __version__
from .batch import batch_cmd
from .check import check_cmd
from .diff import diff_cmd
from .export import export_cmd
from .render import render_cmd
from .report import report_cmd
from .rules import rules_cmd
from .usage import Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 80, "max_content_width": 80})
@click.version_option(__version__, prog_name="planfit")
def cli() -> None:
    """Check DXF floor plans of party-masses service centers (党群服务中心)
    against the Yantai standard."""


cli.add_command(check_cmd)
cli.add_command(rules_cmd)
cli.add_command(render_cmd)
cli.add_command(report_cmd)
cli.add_command(batch_cmd)
cli.add_command(diff_cmd)
cli.add_command(export_cmd)


def main() -> None:
    import os
    import warnings

    if not os.environ.get("PLANFIT_DEBUG"):
        # numeric warnings of numpy or shapely on odd geometry are not the user's to read: what matters
        # is reported as findings or as one line
        warnings.simplefilter("ignore")
    try:
        cli(prog_name="planfit")
    finally:
        # the work is done: the collection Python runs on exit need not walk every object a check made
        # (a quarter of a second for a 200-room plan)
        import gc

        gc.freeze()
