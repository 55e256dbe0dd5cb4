"""Small geometry helpers shared by measurement modules."""

from __future__ import annotations

from .model import Ring


def polygon(ring: Ring, holes=()):
    """A valid shapely polygon from a ring (the largest part when repair splits it)."""
    from shapely import make_valid
    from shapely.geometry import Polygon

    p = Polygon(ring, [h for h in holes if len(h) >= 3])
    if not p.is_valid:
        p = make_valid(p)
        if p.geom_type != "Polygon":
            polys = [g for g in getattr(p, "geoms", []) if g.geom_type == "Polygon"]
            p = max(polys, key=lambda g: g.area) if polys else Polygon()
    return p
