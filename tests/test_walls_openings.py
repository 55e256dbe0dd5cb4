"""Rooms from walls drawn the way architects draw them: openings without door
blocks, door swings as linework, grid axes through the plan, sheet frames
around it, and tables or sections next to it."""

from __future__ import annotations

import math
from functools import partial

import pytest

from planfit.measure import measure
from planfit.read import read_plan
from planfit.vocabulary import Vocabulary


def two_rooms(b, layer="WALL", opening=(1.5, 2.4), faces=2, caps=True):
    """Two 4 × 4 m rooms side by side behind a 0.2 m double-line wall (x = 4 … 4.2), with an
    opening in that wall; faces=1 draws the partition as one broken line instead."""

    line = partial(b.line, layer=layer)

    b.wall_rect(-0.2, -0.2, 8.6, 4.4, layer=layer)  # outer face
    lo, hi = opening
    for x0, x1 in ((0.0, 4.0), (4.2, 8.2)):
        line((x0, 0), (x1, 0))
        line((x0, 4), (x1, 4))
    line((0, 0), (0, 4))
    line((8.2, 0), (8.2, 4))
    xs = (4.0, 4.2) if faces == 2 else (4.1,)
    for x in xs:
        line((x, 0), (x, lo))
        line((x, hi), (x, 4))
    if faces == 2 and caps:
        line((4.0, lo), (4.2, lo))
        line((4.0, hi), (4.2, hi))
    if faces == 1:
        line((4.0, 0), (4.2, 0))
        line((4.0, 4), (4.2, 4))
    b.text("办公室", 2, 3)
    b.text("会议室", 6.2, 3)
    return b


def rooms_of(path):
    vocab = Vocabulary.load()
    m = measure([read_plan(path, layers=vocab.layers)], vocab)
    return m, sorted((r.name, round(r.area, 6)) for r in m.rooms)


def test_an_opening_in_a_double_line_wall_is_closed_without_a_door_block(plan):
    m, rooms = rooms_of(two_rooms(plan()).save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    assert sorted(round(o.length, 6) for o in m.openings if o.kind == "opening") == [0.9, 0.9]


def test_the_opening_is_closed_without_jamb_lines_too(plan):
    _, rooms = rooms_of(two_rooms(plan(), caps=False).save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]


def test_a_gap_in_a_single_line_is_not_an_opening(plan):
    # only one face broken: an open connection, the two labels share one face
    m, rooms = rooms_of(two_rooms(plan(), faces=1).save())
    assert len(rooms) == 1
    assert not [o for o in m.openings if o.kind == "opening"]


def test_an_opening_wider_than_a_door_stays_open(plan):
    _, rooms = rooms_of(two_rooms(plan(), opening=(0.5, 3.5)).save())
    assert len(rooms) == 1


def test_a_wall_ending_short_of_a_cross_wall_is_continued_to_it(plan):
    b = plan()

    line = partial(b.line, layer="WALL")

    # one 8.2 × 4 m space, split by a wall from the bottom that stops 0.9 m short of the top wall
    b.wall_rect(-0.2, -0.2, 8.6, 4.4)
    b.wall_rect(0, 0, 8.2, 4)
    line((4.0, 0), (4.0, 3.1))
    line((4.2, 0), (4.2, 3.1))
    line((4.0, 3.1), (4.2, 3.1))
    b.text("办公室", 2, 2)
    b.text("会议室", 6.2, 2)
    m, rooms = rooms_of(b.save())
    assert [n for n, _ in rooms] == ["会议室", "办公室"]
    assert [a for _, a in rooms] == [pytest.approx(4.0 * 4), pytest.approx(4.0 * 4)]
    assert sorted(round(o.length, 6) for o in m.openings if o.kind == "opening") == [0.9, 0.9]


def test_a_door_swing_drawn_as_an_arc_marks_the_opening_and_is_not_a_wall(plan):
    b = two_rooms(plan())
    s = b.scale
    # hinge at the jamb (4.2, 1.5), leaf open into the right room, arc back to the other jamb
    b.msp.add_line((4.2 * s, 1.5 * s), (5.1 * s, 1.5 * s), dxfattribs={"layer": "WALL"})
    arc = b.msp.add_arc((4.2 * s, 1.5 * s), 0.9 * s, 0, 90, dxfattribs={"layer": "WALL"})
    m, rooms = rooms_of(b.save())
    # without the swing set aside, the quarter circle would be cut out of the right room
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    doors = [o for o in m.openings if o.kind == "door"]
    assert doors and {o.handle for o in doors} == {arc.dxf.handle}


def test_a_rounded_corner_is_not_a_door_swing(plan):
    b = plan()
    s = b.scale

    line = partial(b.line, layer="WALL")

    b.wall_rect(-0.2, -0.2, 4.4, 4.4)
    line((0, 0), (4, 0))
    line((4, 0), (4, 3))
    b.msp.add_arc((3 * s, 3 * s), 1 * s, 0, 90, dxfattribs={"layer": "WALL"})
    line((3, 4), (0, 4))
    line((0, 4), (0, 0))
    b.text("办公室", 2, 2)
    m, rooms = rooms_of(b.save())
    assert rooms == [("办公室", pytest.approx(16 - 1 + math.pi / 4, rel=1e-4))]
    assert not [o for o in m.openings if o.kind == "door"]


def test_grid_axes_crossing_the_walls_do_not_split_rooms(plan):
    b = two_rooms(plan())
    s = b.scale
    for y in (1.0, 3.0):
        b.msp.add_line((-2 * s, y * s), (10.5 * s, y * s), dxfattribs={"layer": "WALL"})
    b.msp.add_line((2 * s, -2 * s), (2 * s, 6 * s), dxfattribs={"layer": "WALL"})
    m, rooms = rooms_of(b.save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    assert len([d for d in m.dropped if d.reason == "line-crosses-walls"]) == 3


def test_a_label_inside_a_sheet_frame_belongs_to_the_wall_face(plan):
    b = two_rooms(plan(), layer="0")
    b.room(None, -20, -20, 50, 40, layer="0")  # the sheet border, a closed polyline on layer 0
    m, rooms = rooms_of(b.save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    assert {r.source for r in m.rooms} == {"walls"}
    assert [d.reason for d in m.dropped if d.area > 1000] == ["unlabelled-not-room-layer"]


def test_a_label_keeps_an_outline_that_is_the_room(plan):
    # an outline on the outer face of the walls is the room, even though the wall face is smaller
    b = two_rooms(plan(), layer="0")
    b.room(None, -0.2, -0.2, 4.3, 4.4, layer="0")
    m, _ = rooms_of(b.save())
    office = [r for r in m.rooms if r.name == "办公室"]
    assert [r.source for r in office] == ["outline"]


def test_labelled_linework_outside_every_floor_is_not_a_room(plan):
    b = two_rooms(plan())
    b.boundary(-0.2, -0.2, 8.6, 4.4, layer="BLK_1_FLR_0_BLT_UP_AREA")
    b.boundary(19.8, -0.2, 8.6, 4.4, layer="BLK_1_FLR_1_BLT_UP_AREA")
    b.wall_rect(20, 0, 8.2, 4)
    b.text("会议室", 24, 2)
    b.wall_rect(50, 0, 3, 1)  # a table cell next to the plans, holding a text shaped like a room label
    b.text("OFFICE 3.00X1.00", 51.5, 0.5)
    m, rooms = rooms_of(b.save())
    assert ("OFFICE", 3.0) not in rooms
    assert [d.area for d in m.dropped if d.reason == "face-outside-floor-plans"] == [pytest.approx(3.0)]
    assert len(rooms) == 3


def test_a_column_drawn_as_a_small_closed_polyline_bounds_rooms(plan):
    b = plan()
    s = b.scale

    line = partial(b.line, layer="0")

    b.wall_rect(-0.2, -0.2, 8.6, 4.4, layer="0")
    b.wall_rect(0, 0, 8.2, 4, layer="0")
    # the partition stops at a 0.2 × 0.3 m column drawn as a closed polyline against the wall
    line((4.0, 0), (4.0, 3.7))
    line((4.2, 0), (4.2, 3.7))
    b.msp.add_lwpolyline([(4.0 * s, 3.7 * s), (4.2 * s, 3.7 * s), (4.2 * s, 4.0 * s), (4.0 * s, 4.0 * s)],
                         close=True, dxfattribs={"layer": "0"})
    b.text("办公室", 2, 2)
    b.text("会议室", 6.2, 2)
    m, rooms = rooms_of(b.save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    assert "taken as columns" in m.floors[0].outline_detail


def test_furniture_standing_free_in_a_room_is_not_a_column(plan):
    b = two_rooms(plan(), layer="0")
    s = b.scale
    b.msp.add_lwpolyline([(1 * s, 1 * s), (1.8 * s, 1 * s), (1.8 * s, 1.6 * s), (1 * s, 1.6 * s)],
                         close=True, dxfattribs={"layer": "0"})  # a table
    _, rooms = rooms_of(b.save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]


def test_an_outline_standing_free_in_a_room_does_not_take_its_label(plan):
    # a marker or a piece of furniture drawn as a closed polyline round the room name
    b = two_rooms(plan(), layer="0")
    b.room(None, 0.5, 0.5, 3.0, 3.0, layer="MARKS")  # more than half the room, clear of its walls
    m, rooms = rooms_of(b.save())
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    assert {r.source for r in m.rooms} == {"walls"}


def _moved(path: str, dx: float, dy: float) -> str:
    """The drawing with every modelspace entity moved by (dx, dy) drawing units, saved beside it."""
    import ezdxf

    doc = ezdxf.readfile(path)
    for e in doc.modelspace():
        e.translate(dx, dy, 0)
    out = path.replace(".dxf", f"_moved_{int(dx)}.dxf")
    doc.saveas(out)
    return out


@pytest.mark.parametrize("km", [0, 1, 500])
def test_a_doorway_exactly_as_wide_as_the_widest_bare_opening_is_closed_wherever_the_drawing_lies(plan, km):
    # 1.3 … 2.8 m: 1.50 m as drawn, a hair over in floating point at the origin, a hair under 1 km away
    path = two_rooms(plan(), opening=(1.3, 2.8)).save()
    m, rooms = rooms_of(_moved(path, km * 1e6, km * 1e6) if km else path)
    assert rooms == [("会议室", 16.0), ("办公室", 16.0)]
    assert sorted(round(o.length, 6) for o in m.openings if o.kind == "opening") == [1.5, 1.5]


def test_a_label_whose_centre_falls_on_a_wall_names_the_small_room_it_starts_in(plan):
    # a toilet 1.1 × 1.9 m beside a bedroom, 0.1 m wall between; the toilet's two-line label starts
    # in the toilet and is long enough for its centre to lie on the wall body
    b = plan()
    b.wall_rect(-0.1, -0.1, 4.4, 2.1)
    b.wall_rect(0, 0, 1.1, 1.9).wall_rect(1.2, 0, 3.0, 1.9)
    b.text("BED ROOM", 3.0, 1.0)
    label = b.msp.add_mtext("TOILET\\P1.10 X 1.90", dxfattribs={
        "layer": "PUB_TEXT", "char_height": 180, "insert": (556, 1000), "attachment_point": 4})
    path = b.save()
    toilet = next(t for t in read_plan(path, layers=Vocabulary.load().layers).texts if t.handle == label.dxf.handle)
    assert 1.1 < toilet.point[0] < 1.2 and toilet.insert[0] < 1.1  # centre on the wall, start in the toilet
    m, rooms = rooms_of(path)
    assert rooms == [("BED ROOM", 5.7), ("TOILET", 2.09)]


def test_the_labels_of_an_outline_holding_another_room_go_to_the_wall_faces_holding_them(plan):
    # an area outline (no room layer) drawn round a bedroom and a closet whose own outline is on a
    # room layer: the area outline is no room, and the bedroom's label, which it held, names the
    # bedroom's wall face
    b = plan()
    b.wall_rect(0, 0, 4, 4).wall_rect(4.2, 0, 2, 2)
    b.room("储藏室", 4.2, 0, 2, 2, layer="SPACE")
    b.room(None, -0.1, -0.1, 6.4, 4.2, layer="AREA-OUTLINE")
    b.text("办公室", 2, 2)
    m, rooms = rooms_of(b.save())
    assert rooms == [("储藏室", 4.0), ("办公室", 16.0)]
    assert [d.reason for d in m.dropped if d.layer == "AREA-OUTLINE"] == ["holds-other-rooms"]


@pytest.mark.parametrize("short_of, split", [(1.49, True), (1.5, False)])
def test_a_wall_ending_exactly_the_widest_bare_opening_short_of_a_cross_wall_is_not_continued(plan, short_of, split):
    # a wall stub whose end faces a wall 1.50 m away bounds a space that deep (a sitout between two
    # wall ends), not a doorway: only a wall face nearer than the bare opening width is reached
    b = plan()
    line = partial(b.line, layer="WALL")
    b.wall_rect(-0.2, -0.2, 8.6, 4.4)
    b.wall_rect(0, 0, 8.2, 4)
    top = 4 - short_of
    line((4.0, 0), (4.0, top))
    line((4.2, 0), (4.2, top))
    line((4.0, top), (4.2, top))
    b.text("办公室", 2, 1)
    b.text("会议室", 6.2, 1)
    m, rooms = rooms_of(b.save())
    assert len(rooms) == (2 if split else 1)
    assert len([o for o in m.openings if o.kind == "opening"]) == (2 if split else 0)
