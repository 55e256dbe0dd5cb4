"""Synthetic floor plans, drawn as an architect would: the one generator of every benchmark.

    python benchmarks/synthetic.py 200 plan.dxf

A grid of rooms in millimetres (INSUNITS=4): walls as pairs of face lines on
WALL, 200 mm thick, broken at every opening; a door block M1021 on DOOR in
every room's lower wall; window blocks C1515 on WINDOW in the outer walls;
hatched columns on COLUMN at wall crossings; a Chinese MTEXT label
("办公室\\P20.00m²"), a TEXT room number and a door tag in every room;
furniture blocks (desks with attributes, chairs, computers, a cabinet, a
plant) on FURN; ceiling lights and sockets on E-LITE/E-POWR; a level mark
with its attribute; a floor hatch on PUB_HATCH; a chain of linear dimensions
on DIM (each with its own anonymous block, as CAD programs write them); a
600 mm floor tile grid and an entrance pattern as lines. About 80 modelspace
entities per room, as the issues' reference plans (2000 rooms ≈ 160 000
entities), DXF R2018.

`plan_path(rooms)` writes each plan once into a cache directory outside the
repository (PLANFIT_BENCH_CACHE, else the system temp directory) and
returns its path; read_bench.py, rooms_bench.py and render_bench.py time
these plans. `make_site(folder, n, rooms)` writes site n of a batch
(batch_bench.py): the same plan with a room count and room width that vary
from site to site, and a sidecar with the site's name and tier.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

NAMES = ["办公室", "便民服务大厅", "党员活动室", "阅览室", "议事厅", "调解室", "档案室", "休息区", "多功能厅",
         "儿童之家", "卫生间", "储藏室", "书记工作室", "等候区", "会议室"]
W, H, T = 6000.0, 4500.0, 200.0  # room grid and wall thickness, mm
GENERATOR_VERSION = 2  # bump when the drawing changes: cached files are regenerated


def _blocks(doc) -> None:
    door = doc.blocks.new("M1021")
    door.add_line((0, 0), (1000, 0))
    door.add_line((0, 0), (0, 1000))
    door.add_arc((0, 0), 1000, 0, 90)
    win = doc.blocks.new("C1515")
    for y in (0, 66, 133, 200):
        win.add_line((0, y), (1500, y))
    desk = doc.blocks.new("办公桌")
    desk.add_lwpolyline([(0, 0), (1400, 0), (1400, 700), (0, 700)], close=True)
    desk.add_arc((700, 700), 300, 0, 180)
    desk.add_attdef("编号", (100, 100), dxfattribs={"height": 150})
    chair = doc.blocks.new("椅子")
    chair.add_circle((0, 0), 250)
    chair.add_line((-250, 250), (250, 250))
    cab = doc.blocks.new("文件柜")
    cab.add_lwpolyline([(0, 0), (900, 0), (900, 450), (0, 450)], close=True)
    cab.add_line((450, 0), (450, 450))
    pc = doc.blocks.new("电脑")
    pc.add_lwpolyline([(0, 0), (500, 0), (500, 50), (0, 50)], close=True)
    pc.add_lwpolyline([(100, 80), (400, 80), (400, 300), (100, 300)], close=True)
    plant = doc.blocks.new("绿植")
    plant.add_circle((0, 0), 300)
    plant.add_circle((0, 0), 150)
    lamp = doc.blocks.new("吸顶灯")
    lamp.add_circle((0, 0), 200)
    lamp.add_line((-140, -140), (140, 140))
    lamp.add_line((-140, 140), (140, -140))
    socket = doc.blocks.new("插座")
    socket.add_arc((0, 0), 100, 0, 180)
    socket.add_line((-100, 0), (100, 0))
    level = doc.blocks.new("标高")
    level.add_lwpolyline([(0, 0), (-300, 300), (300, 300), (0, 0)])
    level.add_attdef("标高", (0, 350), dxfattribs={"height": 200})


def make_plan(path: str | Path, rooms: int, room_width: float = W) -> str:
    """Write a plan of `rooms` rooms, each `room_width` mm wide between wall axes, to `path`; return the path."""
    import ezdxf

    w = room_width
    doc = ezdxf.new("R2018", setup=True)
    doc.header["$INSUNITS"] = 4
    for name in ("WALL", "DOOR", "WINDOW", "COLUMN", "PUB_TEXT", "ANNO", "FURN", "PUB_HATCH", "DIM", "FLOOR-PATT",
                 "E-LITE", "E-POWR"):
        doc.layers.add(name)
    _blocks(doc)
    msp = doc.modelspace()
    cols = max(1, round((rooms * 1.5) ** 0.5))
    t2 = T / 2

    def hline(y, x0, x1, openings):
        for off in (-t2, t2):
            s = x0
            for start, width in sorted(openings) + [(x1, 0.0)]:
                if start - s > 1e-6:
                    msp.add_line((s, y + off), (start, y + off), dxfattribs={"layer": "WALL"})
                s = start + width

    def vline(x, y0, y1, openings):
        for off in (-t2, t2):
            s = y0
            for start, width in sorted(openings) + [(y1, 0.0)]:
                if start - s > 1e-6:
                    msp.add_line((x + off, s), (x + off, start), dxfattribs={"layer": "WALL"})
                s = start + width

    placed = [(k % cols, k // cols) for k in range(rooms)]
    cells = set(placed)
    for i, j in placed:
        x0, y0 = i * w, j * H
        # lower wall with the door; the top row and the right column close their own outer walls
        hline(y0, x0, x0 + w, [(x0 + 800, 1000.0)])
        msp.add_blockref("M1021", (x0 + 800, y0 + t2), dxfattribs={"layer": "DOOR"})
        if (i, j + 1) not in cells:
            hline(y0 + H, x0, x0 + w, [(x0 + 2250, 1500.0)])
            msp.add_blockref("C1515", (x0 + 2250, y0 + H - t2), dxfattribs={"layer": "WINDOW"})
        if i == 0:
            vline(x0, y0, y0 + H, [(y0 + 1500, 1500.0)])
            msp.add_blockref("C1515", (x0 + t2, y0 + 1500), dxfattribs={"layer": "WINDOW", "rotation": 90})
        else:
            vline(x0, y0, y0 + H, [])
        if (i + 1, j) not in cells:
            vline(x0 + w, y0, y0 + H, [])
        col = msp.add_hatch(color=8, dxfattribs={"layer": "COLUMN"})
        col.paths.add_polyline_path([(x0 - t2, y0 - t2), (x0 + t2, y0 - t2), (x0 + t2, y0 + t2),
                                     (x0 - t2, y0 + t2)], is_closed=True)
        floor = msp.add_hatch(color=9, dxfattribs={"layer": "PUB_HATCH"})
        floor.set_pattern_fill("ANSI31", scale=50)
        floor.paths.add_polyline_path([(x0 + t2, y0 + t2), (x0 + w - t2, y0 + t2), (x0 + w - t2, y0 + H - t2),
                                       (x0 + t2, y0 + H - t2)], is_closed=True)
        k = j * cols + i
        area = (w - T) * (H - T) / 1e6
        msp.add_mtext(f"{NAMES[k % len(NAMES)]}\\P{area:.2f}m²", dxfattribs={
            "layer": "PUB_TEXT", "char_height": 300, "insert": (x0 + w / 2, y0 + H / 2 + 600),
            "attachment_point": 5})
        msp.add_text(f"{j + 1}{i + 1:02d}", height=250, dxfattribs={"layer": "ANNO"}).set_placement(
            (x0 + w - 900, y0 + 400))
        for d in range(2):
            desk = msp.add_blockref("办公桌", (x0 + 900 + d * 2000, y0 + 2600), dxfattribs={"layer": "FURN"})
            desk.add_attrib("编号", f"ZB-{k}-{d}", (x0 + 1000 + d * 2000, y0 + 2700), dxfattribs={"height": 150})
            for c in range(2):
                msp.add_blockref("椅子", (x0 + 1300 + d * 2000 + c * 600, y0 + 2300), dxfattribs={"layer": "FURN"})
        msp.add_blockref("文件柜", (x0 + w - 1300, y0 + H - 800), dxfattribs={"layer": "FURN"})
        for d in range(2):  # a computer on each desk, visitors' chairs, a plant
            msp.add_blockref("电脑", (x0 + 1100 + d * 2000, y0 + 2900), dxfattribs={"layer": "FURN"})
            msp.add_blockref("椅子", (x0 + 1500 + d * 2000, y0 + 3700), dxfattribs={"layer": "FURN", "rotation": 180})
        msp.add_blockref("绿植", (x0 + w - 500, y0 + 700), dxfattribs={"layer": "FURN"})
        for n in range(4):  # ceiling lights and sockets
            msp.add_blockref("吸顶灯", (x0 + w * (1 + 2 * (n % 2)) / 4, y0 + H * (1 + 2 * (n // 2)) / 4),
                             dxfattribs={"layer": "E-LITE"})
            msp.add_blockref("插座", (x0 + 600 + n * 1400, y0 + H - t2 - 150), dxfattribs={"layer": "E-POWR"})
        mark = msp.add_blockref("标高", (x0 + w - 800, y0 + 1200), dxfattribs={"layer": "ANNO"})
        mark.add_attrib("标高", "±0.000", (x0 + w - 800, y0 + 1550), dxfattribs={"height": 200})
        msp.add_text("M1021", height=200, dxfattribs={"layer": "ANNO"}).set_placement((x0 + 900, y0 + 350))
        for n in range(1, 10):  # 600 mm floor tiles
            msp.add_line((x0 + t2 + n * 600, y0 + t2), (x0 + t2 + n * 600, y0 + H - t2),
                         dxfattribs={"layer": "FLOOR-PATT"})
        for n in range(1, 8):
            msp.add_line((x0 + t2, y0 + t2 + n * 600), (x0 + w - t2, y0 + t2 + n * 600),
                         dxfattribs={"layer": "FLOOR-PATT"})
        for n in range(16):  # floor pattern in the entrance
            msp.add_line((x0 + 400 + n * 80, y0 + 300), (x0 + 400 + n * 80, y0 + 900),
                         dxfattribs={"layer": "FLOOR-PATT"})
        for n in range(8):
            msp.add_line((x0 + 300, y0 + 300 + n * 80), (x0 + 1700, y0 + 300 + n * 80),
                         dxfattribs={"layer": "FLOOR-PATT"})
        dim = msp.add_linear_dim(base=(x0, y0 - 800), p1=(x0, y0), p2=(x0 + w, y0), dimstyle="EZDXF",
                                 dxfattribs={"layer": "DIM"})
        dim.render()
        for a, b in ((x0, x0 + 800), (x0 + 800, x0 + 1800), (x0 + 1800, x0 + w)):  # the door's position
            dim = msp.add_linear_dim(base=(x0, y0 - 400), p1=(a, y0), p2=(b, y0), dimstyle="EZDXF",
                                     dxfattribs={"layer": "DIM"})
            dim.render()
        if i == 0:
            dim = msp.add_linear_dim(base=(x0 - 800, y0), p1=(x0, y0), p2=(x0, y0 + H), angle=90,
                                     dimstyle="EZDXF", dxfattribs={"layer": "DIM"})
            dim.render()
    doc.saveas(path)
    return str(path)


def cache_dir() -> Path:
    d = Path(os.environ.get("PLANFIT_BENCH_CACHE") or Path(tempfile.gettempdir()) / "planfit-bench")
    d.mkdir(parents=True, exist_ok=True)
    return d


def plan_path(rooms: int) -> str:
    """The cached plan of `rooms` rooms, generated on first use."""
    p = cache_dir() / f"plan_{rooms}_v{GENERATOR_VERSION}.dxf"
    if not p.exists():
        tmp = p.with_suffix(".tmp")
        make_plan(tmp, rooms)
        os.replace(tmp, p)
    return str(p)


def make_site(folder: str | Path, n: int, rooms: int) -> Path:
    """Site n of a generated batch: folder/siteNNN.dxf, a plan of about `rooms` rooms (rooms + 4·(n mod 5),
    rooms 6.0–6.6 m wide), and its sidecar (name, community tier, old or new building). Returns the DXF path."""
    folder = Path(folder)
    path = folder / f"site{n:03d}.dxf"
    make_plan(path, rooms + (n % 5) * 4, room_width=W + 100 * (n % 7))
    (folder / f"site{n:03d}.planfit.toml").write_text(
        f'name = "芝罘区第{n + 1}社区党群服务中心"\ntier = "community"\nbuilt_before_2015 = {str(n % 2 == 0).lower()}\n',
        encoding="utf-8")
    return path


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = sys.argv[2] if len(sys.argv) > 2 else str(cache_dir() / f"plan_{n}.dxf")
    print(make_plan(out, n))
