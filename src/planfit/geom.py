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


def dwithin_pairs(tree, tree_geoms, geoms, distance, keep=None):
    """Pairs (index into geoms, index into tree_geoms) within distance (one number, or one per geom):
    exactly what STRtree.query(geoms, predicate="dwithin", distance=distance) gives (the same boxes
    grown by the distance, the same prepared GEOS test), in a different order. keep(qi, ti), when
    given, is a cheap test of the candidate pairs (a boolean array): only the pairs it keeps get the
    distance test, which is what costs, and are returned.

    tree: STRtree of tree_geoms; geoms: a numpy array of non-empty geometries (they get prepared)."""
    import numpy as np
    import shapely

    d = np.broadcast_to(np.asarray(distance, dtype=float), (len(geoms),))
    b = shapely.bounds(geoms)
    qi, ti = tree.query(shapely.box(b[:, 0] - d, b[:, 1] - d, b[:, 2] + d, b[:, 3] + d))
    if keep is not None:
        pick = keep(qi, ti)
        qi, ti = qi[pick], ti[pick]
    shapely.prepare(geoms)
    ok = shapely.dwithin(geoms[qi], tree_geoms[ti], d[qi])
    return qi[ok], ti[ok]
