"""geom's helpers give what the shapely calls they stand for give."""

from __future__ import annotations

import numpy as np
import shapely
from shapely import STRtree

from planfit.geom import dwithin_pairs, xy_array


def _segments(n: int, seed: int):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0, 100, (n, 2))
    b = a + rng.uniform(-5, 5, (n, 2))
    return shapely.linestrings(np.stack([a, b], axis=1))


def test_dwithin_pairs_are_the_pairs_of_shapely_s_dwithin_query():
    geoms = _segments(400, 1)
    tree = STRtree(geoms)
    reach = np.random.default_rng(2).uniform(0.5, 6, len(geoms))
    qi, ti = tree.query(geoms, predicate="dwithin", distance=reach)
    expected = set(zip(qi.tolist(), ti.tolist()))
    assert len(expected) > 1000
    got = set(zip(*(x.tolist() for x in dwithin_pairs(tree, geoms, geoms, reach))))
    assert got == expected
    # keep: only the pairs it keeps are tested, and every one of them that is within the distance is there
    keep = lambda a, b: (a + b) % 3 == 0  # noqa: E731
    got = set(zip(*(x.tolist() for x in dwithin_pairs(tree, geoms, geoms, reach, keep=keep))))
    assert got == {(a, b) for a, b in expected if (a + b) % 3 == 0}
    # within: a smaller box per geom; pairs whose tree geometry's box misses it are left out, the rest found
    b = shapely.bounds(geoms)
    within = np.column_stack([b[:, 0] - 1, b[:, 1] - 1, b[:, 2] + 1, b[:, 3] + 1])
    got = set(zip(*(x.tolist() for x in dwithin_pairs(tree, geoms, geoms, reach, within=within))))

    def meets(a: int, c: int) -> bool:
        return bool(b[c, 0] <= within[a, 2] and b[c, 2] >= within[a, 0] and b[c, 1] <= within[a, 3]
                    and b[c, 3] >= within[a, 1])

    assert got == {(a, c) for a, c in expected if meets(a, c)}
    assert len(got) < len(expected)


def test_xy_array_is_numpy_s_array_of_the_points():
    lines = [[(0.0, 1.0), (2.5, 3.0)], [(4.0, 5.0)], [(6.0, 7.0), (8.0, 9.0), (1e6, -2.0)]]
    n = sum(len(line) for line in lines)
    assert np.array_equal(xy_array(lines, n), np.array([p for line in lines for p in line], dtype=float))
