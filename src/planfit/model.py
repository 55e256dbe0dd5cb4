"""The plain plan model: what the reader hands to everything downstream.

Every value here is immutable and free of ezdxf or shapely objects, so the
reader can be replaced without touching measurement or checks. All lengths
are metres, all areas square metres; every element keeps the DXF handle and
layer it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]
Ring = tuple[Point, ...]


@dataclass(frozen=True)
class UnitClue:
    """One kind of evidence for the drawing unit, and how well each candidate unit fits it."""

    kind: str  # "header" | "convention" | "extent" | "wall_thickness" | "door_width" | "door_swing" | ...
    count: int  # how many sizes were measured
    value: float  # their median in drawing units (units² for areas; metres per unit for written areas)
    power: int  # 1 for lengths, 2 for areas, 0 for a scale (metres per drawing unit)
    scores: tuple[tuple[str, float], ...] = ()  # (unit, score); empty when the clue was measured but not used
    share: float = 1.0  # for wall thickness: the share of wall segments that agree on the value
    used: bool = True


@dataclass(frozen=True)
class Units:
    """The drawing unit chosen for a file and why."""

    name: str  # "mm" | "cm" | "m" | "in" | "ft"
    scale: float  # metres per drawing unit
    header: str  # unit named by $INSUNITS ("unitless" when 0 or absent)
    source: str  # "header" | "geometry" | "override" | "default"
    reason_en: str
    reason_zh: str
    candidates: tuple[tuple[str, float], ...] = ()  # (unit, total score), best first
    evidence: tuple[UnitClue, ...] = ()
    confidence: str = "none"  # "strong" | "weak" | "none" (nothing in the drawing tells the unit)
    insunits: int | None = None  # the header value as read
    evidence_unit: str = ""  # the unit the evidence alone picks (differs from name under --units)


@dataclass(frozen=True)
class Outline:
    """A closed boundary: a closed polyline or a hatch boundary path."""

    handle: str
    layer: str
    kind: str  # "polyline" | "hatch"
    ring: Ring  # exterior, metres, not repeated at the end
    holes: tuple[Ring, ...] = ()
    closed_by: str = "flag"  # "flag" | "geometry" | "hatch"
    has_arcs: bool = False


@dataclass(frozen=True)
class Linework:
    """Open geometry on a wall layer (lines, arcs, open polylines)."""

    handle: str
    layer: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Stroke:
    """A flattened piece of the original drawing, for drawing it underneath an image."""

    layer: str
    kind: str  # "line" (open or closed polyline) | "fill" (a solid hatch area)
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Text:
    """A piece of drawing text: TEXT, MTEXT (plain text) or a block attribute."""

    handle: str
    layer: str
    kind: str  # "TEXT" | "MTEXT" | "ATTRIB"
    text: str  # plain text, lines separated by "\n"
    point: Point  # estimated centre of the text, metres
    insert: Point  # insertion point, metres
    height: float  # character height, metres
    size: tuple[float, float] = (0.0, 0.0)  # estimated width and height of the text block, metres
    block: str = ""  # block name for attributes
    tag: str = ""  # attribute tag


@dataclass(frozen=True)
class Insert:
    """A block reference, with its real block name resolved."""

    handle: str
    layer: str
    name: str  # real block name (anonymous dynamic blocks resolved)
    raw_name: str  # name as referenced (may be "*U4")
    point: Point
    rotation: float
    attribs: tuple[tuple[str, str], ...] = ()
    footprint: Ring = ()  # the block's extents as 4 corners in WCS metres (empty if the block is empty)
    nested: tuple[str, ...] = ()  # real names of the blocks nested inside, at any depth, with repeats


@dataclass(frozen=True)
class ReadNote:
    """Something the reader noticed or repaired, reported as a finding later."""

    code: str  # rule code the note belongs to (e.g. "D105")
    message_en: str
    message_zh: str
    handles: tuple[str, ...] = ()
    severity: str = "info"
    undecided: bool = False  # what the note concerns was not measured: the plan cannot pass


@dataclass(frozen=True)
class Plan:
    """One DXF file as planfit sees it."""

    path: str
    dxf_version: str
    codepage: str
    encoding: str
    units: Units
    outlines: tuple[Outline, ...]
    texts: tuple[Text, ...]
    linework: tuple[Linework, ...]
    inserts: tuple[Insert, ...]
    entity_counts: tuple[tuple[str, int], ...]
    header_facts: tuple[tuple[str, str], ...] = ()
    notes: tuple[ReadNote, ...] = ()
    reader: str = "ezdxf"
    recovered: bool = False
    proxy_entities: int = 0
    extents: tuple[float, float, float, float] | None = None
    layers: tuple[str, ...] = field(default=())
    backdrop: tuple[Stroke, ...] = ()  # only when read with backdrop=True (images)
    wall_source: str = "none"  # where the wall linework came from
