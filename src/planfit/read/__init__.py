"""Reading DXF drawings into the plain plan model (metres, handles and layers kept).

This package is the only part of planfit that touches ezdxf objects:

- records: what both read paths share: the file sniff, the raw records in
  drawing units, the record functions that turn an entity's values into them,
  and build_plan (unit decision, scaling, reader notes);
- full: the full path, the whole drawing loaded and audited by ezdxf;
- fast: the fast path, planfit's own tag reader for modelspace with ezdxf for
  the rest; a file it cannot read cleanly goes through the full path.
"""

from __future__ import annotations

import os

from ..datafiles import LayerRoles
from ..model import Plan
from ..units import SCALE
from .full import _read_full
from .records import clean_text, no_gc, sniff


def read_plan(path: str | os.PathLike, units: str | None = None, layers: LayerRoles | None = None,
              backdrop: bool = False, reader: str = "full") -> Plan:
    """Turn a DXF path into a Plan. Raises InputError for what is not a readable DXF.

    reader="fast" (what planfit check uses) reads the plain entities of
    modelspace with planfit's own tag reader (read.fast) and leaves tables,
    blocks and anything unusual to ezdxf; a file it cannot read cleanly goes
    through the full path automatically. reader="full" loads the whole
    drawing with ezdxf.

    With backdrop=True the plan also carries the whole modelspace (blocks
    exploded, curves flattened, text left out) as strokes for drawing images;
    on the fast path its entities are built by ezdxf from their tags (the
    blocks they insert are in the trimmed document) and drawn as on the full
    path.
    """
    path = str(path)
    layers = layers or LayerRoles.load()
    if reader not in ("fast", "full"):
        raise ValueError(f"unknown reader {reader!r}")
    with no_gc():
        if reader == "fast":
            from .fast import read_fast  # ezdxf's tag reader is imported only when a file is read

            plan = read_fast(path, units, layers, backdrop)
            if plan is not None:
                return plan
        return _read_full(path, units, layers, backdrop)


__all__ = ["read_plan", "sniff", "clean_text", "no_gc", "SCALE"]
