"""Small geometry helpers shared by measurement modules."""

from __future__ import annotations

from .model import Ring


def polygon(ring: Ring, holes=()):
    """A valid shapely polygon from a ring (the largest part when repair splits it)."""
    import numpy as np
    from shapely import make_valid
    from shapely.geometry import Polygon

    # from arrays: shapely skips its per-point loop
    p = Polygon(np.asarray(ring, dtype=float), [np.asarray(h, dtype=float) for h in holes if len(h) >= 3])
    if not p.is_valid:
        p = make_valid(p)
        if p.geom_type != "Polygon":
            polys = [g for g in getattr(p, "geoms", []) if g.geom_type == "Polygon"]
            p = max(polys, key=lambda g: g.area) if polys else Polygon()
    return p


def xy_array(polylines, n: int):
    """The n points of the polylines (sequences of (x, y) points) as one (n, 2) array, without numpy's
    slow conversion of nested sequences."""
    from itertools import chain

    import numpy as np

    return np.fromiter(chain.from_iterable(chain.from_iterable(polylines)), dtype=float, count=2 * n).reshape(-1, 2)


def dwithin_pairs(tree, tree_geoms, geoms, distance, keep=None, within=None):
    """Pairs (index into geoms, index into tree_geoms) within distance (one number, or one per geom):
    exactly what STRtree.query(geoms, predicate="dwithin", distance=distance) gives (the same boxes
    grown by the distance, the same prepared GEOS test), in a different order, less the pairs that
    keep or within leave out. keep(qi, ti), when given, is a cheap test of the candidate pairs (a
    boolean array): only the pairs it keeps get the distance test, which is what costs. within, when
    given, is a smaller box per geom ((n, 4) xmin, ymin, xmax, ymax) holding every tree geometry
    wanted: only tree geometries meeting it are candidates.

    tree: STRtree of tree_geoms; geoms: a numpy array of non-empty geometries (they get prepared)."""
    import numpy as np
    import shapely

    d = np.broadcast_to(np.asarray(distance, dtype=float), (len(geoms),))
    b = shapely.bounds(geoms)
    grown = np.column_stack([b[:, 0] - d, b[:, 1] - d, b[:, 2] + d, b[:, 3] + d])
    if within is None:
        qi, ti = tree.query(shapely.box(*grown.T))
    else:
        qi, ti = tree.query(shapely.box(*np.asarray(within, dtype=float).T))
        g, t = grown[qi], shapely.bounds(tree_geoms[ti])  # the query's own box test
        pick = (t[:, 0] <= g[:, 2]) & (t[:, 2] >= g[:, 0]) & (t[:, 1] <= g[:, 3]) & (t[:, 3] >= g[:, 1])
        qi, ti = qi[pick], ti[pick]
    if keep is not None:
        pick = keep(qi, ti)
        qi, ti = qi[pick], ti[pick]
    shapely.prepare(geoms)
    ok = shapely.dwithin(geoms[qi], tree_geoms[ti], d[qi])
    return qi[ok], ti[ok]
