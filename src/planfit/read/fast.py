"""The fast read path: planfit's own DXF tag reader for modelspace, ezdxf for the rest.

`ezdxf.readfile` builds a full object for every entity of the drawing and
`doc.audit()` then walks them all again; planfit needs a handful of values
from most of them. This reader

1. splits the text into group-code/value pairs once (str.split, no per-line
   reads) and finds the sections;
2. hands ezdxf a trimmed copy of the file: HEADER, CLASSES, TABLES, OBJECTS
   and the BLOCKS that modelspace inserts reach (other block definitions are
   kept but emptied; an anonymous one, e.g. the geometry block of a
   dimension, is left out whole when nothing refers to it), with an empty
   ENTITIES section; a left-out entity that a kept part refers to (the owner
   of an extension dictionary...) stays as a stand-in (_trimmed_document).
   ezdxf loads and audits that small document;
3. walks the ENTITIES section itself. The common entities in their plain form
   (LINE; LWPOLYLINE, ARC, CIRCLE, TEXT, MTEXT, INSERT with its ATTRIBs,
   DIMENSION, HATCH with polyline boundary paths, without extrusion,
   extended data or embedded objects, and with attributes ezdxf's auditor
   would accept) are read directly from their tags, and their values go
   through the same record functions as the full path (records.text_record,
   records.insert_record, ...). Every other entity is built as an ezdxf object
   from its own tags (ezdxf's tag compiler and entity factory), audited
   against the trimmed document, and read by the same code as the full path
   (records._collect). With PLANFIT_FASTREAD_VERIFY=1 every directly read entity
   is also built and read the ezdxf way, and any difference is an error;
4. walks the content of the emptied blocks for the auditor's sake: planfit
   reads none of it, but the full path's audit fixes what it finds there.

Repairs. What ezdxf's auditor fixes on the full path is fixed here too and
reported in the same reader notes (D105): the fixes of the trimmed document's
audit (tables, objects, the kept blocks: the same entities and checks as on
the full path), of every modelspace entity built and audited (ezdxf repairs
the entity before planfit reads it, as on the full path; an entity the
auditor deletes is not read), and of the emptied blocks' entities (passed
over when their tags show that the auditor accepts them as they are
(_Reader.clean), built and audited otherwise). Only fixes whose outcome
depends on the entity itself and the tables are taken (LOCAL_FIXES); the
trimmed copy keeps the tables whole, so these come out as on the full path.
No repair outside modelspace can change what planfit reads: it reads the
header, the tables and the blocks that modelspace inserts reach, all of which
the trimmed document holds and audits as the full path does.

Whatever it cannot read cleanly makes it give up (return None) and the
caller reads the file on the full path: binary DXF, a byte-order mark, DXF
R12, text that does not decode strictly in the file's code page, a broken
section structure, unparsable numbers, sub-entities out of place, entities in
the *Model_Space block definition, a block that references itself, a fix
outside LOCAL_FIXES (groups, dictionary entries...) and a sub-entity the
auditor deletes.
"""

from __future__ import annotations

import codecs
import io
import math
import os
from collections import Counter
from typing import NamedTuple

import ezdxf
import numpy as np
from ezdxf.audit import AuditError, Auditor
from ezdxf.entities import factory
from ezdxf.entities.boundary_paths import BoundaryPaths
from ezdxf.entities.dimension import linear_measurement
from ezdxf.entities.ellipse import is_valid_ratio
from ezdxf.entities.polygon import PATH_CODES as HATCH_PATH_CODES
from ezdxf.entities.mtext import escape_dxf_line_endings, fast_plain_mtext
from ezdxf.entities.subentity import entity_linker
from ezdxf.filemanagement import dxf_file_info
from ezdxf.lldxf import const, validator
from ezdxf.lldxf.const import DXFStructureError
from ezdxf.lldxf.extendedtags import ExtendedTags
from ezdxf.lldxf.tagger import tag_compiler
from ezdxf.lldxf.tags import Tags
from ezdxf.lldxf.types import DXFTag
from ezdxf.math import NULLVEC, OCS, X_AXIS, Y_AXIS, Z_AXIS, ConstructionArc, Matrix44, Vec3, arc_segment_count
from ezdxf.path.converter import from_hatch_boundary_path
from ezdxf.tools.text import plain_text

from ..datafiles import LayerRoles
from ..limits import Implausible
from ..model import Plan
from .full import BACKDROP_SKIP, PlainLine, _backdrop
from .records import (
    arc_points,
    audit_notes,
    curve_record,
    swing_record,
    _collect,
    _is_window,
    _may_be_wall,
    _Raw,
    build_plan,
    dimension_record,
    hatch_record,
    insert_record,
    mtext_record,
    polyline_points,
    polyline_record,
    resolve_block_name,
    sniff,
    text_attachment,
    text_record,
)

BINARY_DXF_MAGIC = b"AutoCAD Binary DXF"
# group codes a LINE may carry and still be read directly: handle, owner, subclass markers, layer,
# linetype, colours, lineweight, transparency, linetype scale, visibility, thickness, plot style,
# material, shadow mode, paper space flag, points
LINE_CODES = frozenset((5, 330, 100, 8, 6, 62, 370, 440, 420, 430, 48, 60, 39, 347, 390, 284, 67, 10, 20, 30, 11, 21,
                        31))
SUB_ENTITIES = ("ATTRIB", "VERTEX", "SEQEND")
# AcDbEntity group codes a directly read entity may carry (the auditor checks the ones it repairs)
ENTITY_CODES = frozenset((8, 6, 62, 370, 440, 420, 430, 48, 60, 67, 347, 390, 284))
# the entity's own group codes, by subclass position (2 = the first after AcDbEntity); codes outside
# these send the entity to the ezdxf build (extrusion 210, extended data, embedded objects, columns...)
EXTRUSION = (210, 220, 230)
TEXT_CODES = frozenset((10, 20, 30, 40, 1, 50, 41, 51, 7, 71, 72, 73, 11, 21, 31, 39, *EXTRUSION))
MTEXT_CODES = frozenset((10, 20, 30, 40, 41, 46, 71, 72, 1, 3, 7, 11, 21, 31, 42, 43, 50, 73, 44, *EXTRUSION))
INSERT_CODES = frozenset((66, 2, 10, 20, 30, 41, 42, 43, 50, 44, 45, 70, 71, *EXTRUSION))  # 44..71: MINSERT grid
ATTRIB_TEXT_CODES = frozenset((10, 20, 30, 40, 1, 50, 41, 51, 7, 71, 72, 11, 21, 31, 39, *EXTRUSION))
ATTRIB_CODES = frozenset((280, 2, 70, 73, 74, 71, 72, 11, 21, 31))  # 72, 11..31: ignored by ezdxf here
DIMENSION_CODES = frozenset((280, 2, 3, 10, 20, 30, 11, 21, 31, 12, 22, 32, 70, 71, 72, 41, 42, 1, 53, 51, 52, 73,
                             74, 75, 13, 23, 33, 14, 24, 34, 50, 15, 25, 35, 16, 26, 36, 40, *EXTRUSION))
# entity types a block may hold that Reader.clean can pass over, with the group codes it reads beyond
# the common attributes: their audit is ezdxf's common one (DXFGraphic.audit) and, for text, attribute
# definitions, block references, dimensions and ellipses, the checks named in Reader.clean
CLEAN_TYPES = {"LINE": (), "POINT": (), "ARC": (), "CIRCLE": (), "SOLID": (), "TRACE": (), "3DFACE": (),
               "LWPOLYLINE": (), "TEXT": (7,), "MTEXT": (7,), "ATTDEF": (7, 2), "INSERT": (2,),
               "DIMENSION": (2, 3), "ELLIPSE": (11, 21, 31, 40)}
LWPOLYLINE_CODES = frozenset((90, 70, 43, 38, 39, 10, 20, 91, 40, 41, 42, *EXTRUSION))
LWPOLYLINE_VERTEX_CODES = frozenset((10, 20, 91, 40, 41, 42))
CIRCLE_CODES = frozenset((10, 20, 30, 40, 39, *EXTRUSION))
SUBCLASSES = {  # entity → its subclasses in order: marker names (space-separated alternatives), group codes
    "ARC": (("AcDbCircle", CIRCLE_CODES), ("AcDbArc", frozenset((50, 51)))),
    "CIRCLE": (("AcDbCircle", CIRCLE_CODES),),
    "LWPOLYLINE": (("AcDbPolyline", LWPOLYLINE_CODES),),
    "TEXT": (("AcDbText", TEXT_CODES), ("AcDbText", TEXT_CODES)),
    "MTEXT": (("AcDbMText", MTEXT_CODES),),
    "INSERT": (("AcDbBlockReference AcDbMInsertBlock", INSERT_CODES),),
    "ATTRIB": (("AcDbText", ATTRIB_TEXT_CODES), ("AcDbAttribute", ATTRIB_CODES)),
    "SEQEND": (),
    "HATCH": (),  # read by _Reader.hatch
    "DIMENSION": (("AcDbDimension", DIMENSION_CODES), ("AcDbAlignedDimension", DIMENSION_CODES),
                  ("AcDbRotatedDimension", DIMENSION_CODES)),
}


END_TAG = DXFTag(0, "ENDSEC")  # the tag compiler looks one tag ahead to finish a point
# group codes of HATCH boundary paths before the tag compiler joins coordinates into points
RAW_PATH_CODES = frozenset(HATCH_PATH_CODES) | {20, 21, 22, 23}


class _GiveUp(Exception):
    """The fast path cannot read this file faithfully: use the full path."""


class FidelityError(AssertionError):
    """A directly read entity gave other values than ezdxf's reading of it (PLANFIT_FASTREAD_VERIFY)."""


def read_fast(path: str, units: str | None, layers: LayerRoles, backdrop: bool = False) -> Plan | None:
    """A Plan read on the fast path, or None when the file needs the full path."""
    return try_fast(path, units, layers, backdrop)[0]


def try_fast(path: str, units: str | None, layers: LayerRoles, backdrop: bool = False) -> tuple[Plan | None, str]:
    """The plan read on the fast path and "", or None and why the file needs the full path. With backdrop,
    the plan carries the strokes of the whole modelspace for images, as on the full path."""
    sniff(path)
    try:
        return _read(path, units, layers, backdrop), ""
    except _GiveUp as exc:
        return None, str(exc)
    except FidelityError:
        raise
    except Exception as exc:  # anything unexpected on a strange file: the full path decides
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        return None, f"unexpected {type(exc).__name__}"


SPLIT_BLOCK = 1 << 22  # bytes read and split at a time


def _split(path: str) -> tuple[list[str], list[str], object]:
    """Group codes and values of an ASCII DXF file, decoded as ezdxf.readfile decodes it.

    The file is read, decoded and split a block at a time, and every line that repeats (group codes,
    layer names, subclass markers, handles, common numbers) is kept once: a drawing of 160 000
    entities has 3 million lines but only a few hundred thousand different ones, so the tag lists take
    a fifth of the memory that one string per line would, and the whole text is never held at once."""
    with open(path, "rb") as fh:
        head = fh.read(len(BINARY_DXF_MAGIC))
        if head.startswith(BINARY_DXF_MAGIC) or head.startswith(b"\xef\xbb\xbf"):
            raise _GiveUp("binary DXF or byte-order mark")
        info = dxf_file_info(path)
        if info.version <= "AC1009":
            raise _GiveUp("DXF R12 or older")
        try:
            decoder = codecs.getincrementaldecoder(info.encoding)("strict")
        except LookupError:
            raise _GiveUp("text does not decode in the file's code page") from None
        fh.seek(0)
        codes: list[str] = []
        values: list[str] = []
        once: dict[str, str] = {}
        keep = once.setdefault
        rest = ""  # the unfinished last line of the text decoded so far
        final = False
        while not final:
            block = fh.read(SPLIT_BLOCK)
            final = not block
            try:
                text = rest + decoder.decode(block, final)
            except UnicodeDecodeError:
                raise _GiveUp("text does not decode in the file's code page") from None
            if "\r" in text:  # universal newlines, as a file opened in text mode
                carry = "\r" if text.endswith("\r") and not final else ""  # may be the start of "\r\n"
                if carry:
                    text = text[:-1]
                text = text.replace("\r\n", "\n").replace("\r", "\n") + carry
            lines = text.split("\n")
            del text
            if not final:
                rest = lines.pop()
            even, odd = lines[0::2], lines[1::2]
            del lines
            if len(codes) > len(values):  # the previous block ended with a group code
                even, odd = odd, even
            codes.extend(map(keep, even, even))
            values.extend(map(keep, odd, odd))
    del codes[len(values):]
    return codes, values, info


def _positions(items: list, item, a: int = 0, b: int | None = None) -> list[int]:
    """Indices of `item` in items[a:b]: list.index does the scanning (millions of tags), fast for small
    integers, which are compared by identity first."""
    b = len(items) if b is None else b
    out: list[int] = []
    k = a - 1
    try:
        while True:
            k = items.index(item, k + 1, b)
            out.append(k)
    except ValueError:
        return out


def _sections(icodes: list[int], values: list[str]) -> tuple[dict[str, tuple[int, int]], int]:
    """Tag index ranges of the sections (from the SECTION tag to the ENDSEC tag) and of EOF."""
    out: dict[str, tuple[int, int]] = {}
    start = -1
    name = ""
    marks = ("SECTION", "ENDSEC", "EOF")
    for k in _positions(icodes, 0):
        v = values[k]
        if v not in marks:
            continue
        if v == "SECTION":
            if start >= 0 or k + 1 >= len(values) or icodes[k + 1] != 2:
                raise _GiveUp("broken section structure")
            start, name = k, values[k + 1]
        elif v == "ENDSEC":
            if start < 0 or name in out:
                raise _GiveUp("broken section structure")
            out[name] = (start, k)
            start = -1
        else:
            if start >= 0:
                raise _GiveUp("EOF inside a section")
            return out, k
    raise _GiveUp("no EOF")


def _tag_value(icodes, values, a: int, b: int, code: int) -> str | None:
    for k in range(a + 1, b):
        if icodes[k] == code:
            return values[k]
    return None


# group codes whose values are handles of other entities and objects (pointers and owners; extended data)
POINTER_CODES = frozenset((*range(320, 370), *range(390, 400), 480, 481, 1005))


class _Trim(NamedTuple):
    """The trimmed drawing loaded by ezdxf (not audited yet) and what it leaves out."""

    doc: object
    block_names: set[str]  # every block the file defines
    emptied: list[tuple[str, list[int]]]  # blocks whose content is left out: name, starts of their entities
    stubs: list[str]  # handles of the stand-ins (see _trimmed_document)
    whole: dict[str, str]  # anonymous blocks left out whole (block record too): name -> block record handle


def _trimmed_document(codes, icodes, values, sections, eof: int, ent_starts: list[int], whole: bool = True) -> _Trim:
    """The drawing for ezdxf to load and audit: all of it but the entities of ENTITIES and the content of
    the blocks no modelspace insert reaches (their BLOCK, ENDBLK and block record are kept). With `whole`,
    an anonymous block that no insert reaches (the geometry of a dimension, mostly: thousands of them in
    a large drawing) is left out whole, block record too, when nothing kept refers to it or to anything
    in it by handle, its handles are its own (no other entity has one) and its BLOCK matches its record:
    then the full path's audit finds nothing in the three (its content is checked as the other left-out
    content is, and the read gives up on an entity there that would need the auditor).

    A left-out entity that a kept part refers to by handle (the owner of an extension dictionary, a
    group member, the image an image definition serves...) is kept as a stand-in: a POINT with its
    handle on layer 0, in the same layout, which the auditor accepts as it is. So the audit finds every
    handle the full path finds, and the fixes it makes are the file's own, not the trimming's."""
    ent_a, ent_b = sections["ENTITIES"]
    wanted: set[str] = set()
    for i, k in enumerate(ent_starts[:-1]):
        if values[k] == "INSERT":
            name = _tag_value(icodes, values, k, ent_starts[i + 1], 2)
            if name is not None:
                wanted.add(name)
    left_out: list[tuple[int, int, bool]] = [(k, ent_starts[i + 1], True) for i, k in enumerate(ent_starts[:-1])]
    blocks: dict[str, tuple[int, int, list[str]]] = {}  # name -> content range, inserted names
    emptied: list[tuple[str, list[int]]] = []
    whole_spans: dict[str, tuple[int, int, int]] = {}  # anonymous emptied blocks: BLOCK, ENDBLK, end of ENDBLK
    if "BLOCKS" in sections:
        blk_a, blk_b = sections["BLOCKS"]
        starts = [k for k in range(blk_a + 2, blk_b) if icodes[k] == 0] + [blk_b]
        name, content_a, inner, first = None, 0, [], 0
        for i, k in enumerate(starts[:-1]):
            t = values[k]
            if t == "BLOCK":
                if name is not None:
                    raise _GiveUp("BLOCK without ENDBLK")
                name = _tag_value(icodes, values, k, starts[i + 1], 2)
                if name is None:
                    raise _GiveUp("BLOCK without a name")
                content_a, inner, first = starts[i + 1], [], i + 1
            elif t == "ENDBLK":
                if name is None:
                    raise _GiveUp("ENDBLK without BLOCK")
                if name in blocks:
                    raise _GiveUp("a block defined twice")
                blocks[name] = (content_a, k, inner)
                if k > content_a and not name.lower().startswith(("*model_space", "*paper_space")):
                    emptied.append((name, starts[first:i + 1]))
                    if whole and name.startswith("*"):
                        whole_spans[name] = (starts[first - 1], k, starts[i + 1])  # BLOCK, ENDBLK, end
                name = None
            elif t == "INSERT" and name is not None:
                n = _tag_value(icodes, values, k, starts[i + 1], 2)
                if n is not None:
                    inner.append(n)
        if name is not None:
            raise _GiveUp("BLOCK without ENDBLK")
        for n, (a, b, _inner) in blocks.items():
            if n.lower() == "*model_space" and b > a:
                raise _GiveUp("entities in the *Model_Space block definition")
        if _has_cycle(blocks):
            raise _GiveUp("a block references itself")  # the auditor reports it: the full path
        todo = list(wanted)
        while todo:
            n = todo.pop()
            for m in blocks.get(n, (0, 0, []))[2]:
                if m not in wanted:
                    wanted.add(m)
                    todo.append(m)
        emptied = [(n, st) for n, st in emptied if n not in wanted]
        for n, st in emptied:
            left_out.extend((k, st[j + 1], False) for j, k in enumerate(st[:-1]))
    content = [(st[0], st[-1]) for n, st in emptied]
    cand = _whole_blocks(icodes, values, sections, {n: whole_spans[n] for n, _st in emptied if n in whole_spans})
    while True:
        drop = sorted([(ent_a + 2, ent_b)] + [(a, b) for (n, st), (a, b) in zip(emptied, content) if n not in cand]
                      + [r for n in cand for r in cand[n][1]])
        refs: set[str] = set()
        pos = 0
        for a, b in drop + [(eof + 1, eof + 1)]:
            refs.update(_followed(icodes, values, pos, a))
            pos = b
        # a block something kept refers to (itself, or an entity in it) keeps its BLOCK and record
        named = {n for n, st in emptied if n in cand and refs and (
            refs.intersection(cand[n][2]) or any(_tag_value(icodes, values, k, st[j + 1], 5) in refs
                                                 for j, k in enumerate(st[:-1])))}
        if not named:
            break
        for n in named:
            del cand[n]
    stubs: list[str] = []
    add: dict[int, list[str]] = {}
    if refs:
        spans = sorted(drop)
        for k, nxt, in_entities in left_out:
            handle = _tag_value(icodes, values, k, nxt, 5)
            if handle not in refs:
                continue
            at = next(a for a, b in spans if a <= k < b)
            paper = in_entities and (_tag_value(icodes, values, k, nxt, 67) or "0").strip() == "1"
            add.setdefault(at, []).extend(["  0", "POINT", "  5", handle, "100", "AcDbEntity", "  8", "0",
                                           *(["67", "1"] if paper else []), "100", "AcDbPoint",
                                           " 10", "0.0", " 20", "0.0", " 30", "0.0"])
            stubs.append(handle)
    kept: list[str] = []
    pos = 0
    for a, b in drop:
        kept.extend(_interleave(codes, values, pos, a))
        kept.extend(add.get(a, ()))
        pos = b
    kept.extend(_interleave(codes, values, pos, eof + 1))
    return _Trim(ezdxf.read(io.StringIO("\n".join(kept))), set(blocks), emptied, stubs,
                 {n: c[0] for n, c in cand.items()})


def _whole_blocks(icodes, values, sections, spans: dict[str, tuple[int, int, int]]
                  ) -> dict[str, tuple[str, list[tuple[int, int]], set[str]]]:
    """Of the blocks in `spans` (name -> index of BLOCK, of ENDBLK, end of ENDBLK), those that can be left
    out whole: name -> (block record handle, tag ranges to leave out, their handles)."""
    if not spans or "TABLES" not in sections:
        return {}
    tab_a, tab_b = sections["TABLES"]
    zeros = _positions(icodes, 0, tab_a, tab_b) + [tab_b]
    records: dict[str, tuple[str, int, int]] = {}  # name -> handle, range of the BLOCK_RECORD entry
    for j, k in enumerate(zeros[:-1]):
        if values[k] == "BLOCK_RECORD":
            nxt = zeros[j + 1]
            name = _tag_value(icodes, values, k, nxt, 2)
            handle = _tag_value(icodes, values, k, nxt, 5)
            if name is not None and handle:
                records.setdefault(name, (handle, k, nxt))
    out: dict[str, tuple[str, list[tuple[int, int]], set[str]]] = {}
    for name, (blk, end, after) in spans.items():
        rec = records.get(name)
        if rec is None:
            continue
        handle, ra, rb = rec
        bh, eh = _tag_value(icodes, values, blk, end, 5), _tag_value(icodes, values, end, after, 5)
        if not bh or not eh or _tag_value(icodes, values, blk, end, 330) != handle or \
                _tag_value(icodes, values, end, after, 330) != handle:
            continue
        if any(icodes[k] == 360 or icodes[k] == 102 and values[k] not in ("{BLKREFS", "}") for k in range(ra + 1, rb)):
            continue  # an extension dictionary or application data on the record: kept
        out[name] = (handle, [(ra, rb), (blk, after)], {handle, bh, eh})
    if out:  # each handle its own: the full path's audit would renumber a duplicate
        mine = set().union(*(c[2] for c in out.values()))
        seen: Counter = Counter(values[k] for k in _positions(icodes, 5) if values[k] in mine)
        out = {n: c for n, c in out.items() if all(seen[h] == 1 for h in c[2])}
    return out


# references no audit follows: reactors and a block record's list of its references (application data
# groups), and the draw order of a sort-entities table (which lists nearly every entity of a layout)
IGNORED_GROUPS = ("{ACAD_REACTORS", "{BLKREFS")


def _followed(icodes, values, a: int, b: int) -> list[str]:
    """The handles that the tags in [a, b) refer to, but for references no audit follows."""
    out = []
    ignored = sort_table = False
    for k in range(a, b):
        c = icodes[k]
        if c == 0:
            sort_table = values[k] == "SORTENTSTABLE"
        elif c == 102:
            ignored = values[k] in IGNORED_GROUPS
        elif c in POINTER_CODES and not ignored and not (sort_table and c == 331):
            out.append(values[k])
    return out


def _has_cycle(blocks: dict[str, tuple[int, int, list[str]]]) -> bool:
    """Whether a block references itself, directly or through others (names compared as ezdxf does,
    without regard to case)."""
    graph: dict[str, set[str]] = {}
    for n, (_a, _b, inner) in blocks.items():
        graph.setdefault(n.lower(), set()).update(m.lower() for m in inner)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for root in graph:
        if root in state:
            continue
        stack = [(root, iter(graph[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return True
            elif nxt not in state and nxt in graph:
                state[nxt] = 1
                stack.append((nxt, iter(graph[nxt])))
    return False


def _interleave(codes, values, a: int, b: int) -> list[str]:
    out = [""] * (2 * (b - a))
    out[0::2] = codes[a:b]
    out[1::2] = values[a:b]
    return out


class _Reader:
    """The ENTITIES section of one file, read against the trimmed ezdxf document."""

    def __init__(self, codes: list[int], values: list[str], doc, layers: LayerRoles, block_names: set[str]):
        """`codes` are the group codes as integers (the ENTITIES section at least), `values` the values;
        `block_names` all blocks the file defines (the trimmed document leaves dimension blocks out)."""
        self.codes, self.values, self.doc, self.layers = codes, values, doc, layers
        self.msp_h = doc.block_records.get("*Model_Space").dxf.handle
        self.psp_h = doc.block_records.get("*Paper_Space").dxf.handle
        self.db = doc.entitydb
        self.lineweights = const.VALID_DXF_LINEWEIGHT_VALUES
        self.ok_linetype: dict[str, bool] = {}
        self.ok_layer: dict[str, bool] = {}
        self.ok_style: dict[str, bool] = {}
        self.ok_dimstyle: dict[str, bool] = {}
        self.wall: dict[str, bool] = {}
        self.maybe: dict[str, bool] = {}
        self.base_points: dict[str, object] = {}
        self.block_names = block_names

    # -- common attributes, as ezdxf's auditor checks them --------------------------------------------

    def _layer_ok(self, layer: str) -> bool:
        good = self.ok_layer.get(layer)
        if good is None:
            good = self.ok_layer[layer] = validator.is_valid_layer_name(layer)
        return good

    def _linetype_ok(self, lt: str) -> bool:
        good = self.ok_linetype.get(lt)
        if good is None:
            key = validator.make_table_key(lt)
            good = self.ok_linetype[lt] = key in ("bylayer", "byblock") or key in self.doc.linetypes
        return good

    def _style_ok(self, style: str | None) -> bool:
        if style is None:
            return True
        good = self.ok_style.get(style)
        if good is None:
            good = self.ok_style[style] = style in self.doc.styles
        return good

    def _graphic(self, d: dict, parent: str | None = None):
        """(handle, layer, in modelspace) of an entity whose common attributes the auditor accepts, else None."""
        handle = d.get(5)
        if not handle:
            return None
        owner = d.get(330)
        if owner is not None and owner not in (self.msp_h, self.psp_h, parent) and owner not in self.db:
            return None
        layer = d.get(8, "0")
        if not self._layer_ok(layer):
            return None
        lt = d.get(6)
        if lt is not None and not self._linetype_ok(lt):
            return None
        if 62 in d and not 0 <= int(d[62]) <= 257:
            return None
        if 370 in d and int(d[370]) not in self.lineweights:
            return None
        if 440 in d and not validator.is_transparency(int(d[440])):
            return None
        if owner == self.msp_h:
            in_msp = True
        elif owner == self.psp_h:
            in_msp = False
        else:
            in_msp = not int(d.get(67, "0") or 0)
        return handle, layer, in_msp

    def tags(self, a: int, b: int, kind: str):
        """The tags of the entity in [a, b) as one dict of group code → value (the base class, AcDbEntity
        and the entity's subclasses merged), or None when the entity is not in its plain form."""
        spec = SUBCLASSES[kind]
        codes, values = self.codes, self.values
        d: dict[int, str] = {}
        allowed: frozenset = frozenset((5, 330))
        level = 0  # 0 base class, 1 AcDbEntity, 2.. the entity's subclasses
        chunks: list[str] = []
        j = a + 1
        while j < b:
            c = codes[j]
            v = values[j]
            j += 1
            if c == 102 and level == 0:  # {ACAD_REACTORS …}, {ACAD_XDICTIONARY …}: not used
                j = self._skip_app_data(j - 1, b)
                if j < 0:
                    return None
                continue
            if c >= 1000:  # extended data, only at the end: not used
                if c != 1001 or any(cc < 1000 for cc in codes[j:b]):
                    return None
                break
            if c == 100:
                level += 1
                if level == 1:
                    if v != "AcDbEntity":
                        return None
                    allowed = ENTITY_CODES
                elif level - 2 < len(spec) and v in spec[level - 2][0].split():
                    allowed = spec[level - 2][1]
                else:
                    return None
                continue
            if c not in allowed:
                return None
            if c == 3 and kind == "MTEXT" or c in LWPOLYLINE_VERTEX_CODES and kind == "LWPOLYLINE":
                chunks.append((c, v) if kind == "LWPOLYLINE" else v)
                continue
            if kind == "ATTRIB" and level == 3:
                c = -c  # AcDbAttribute codes overlap with AcDbText codes: kept apart
            if c in d:
                return None
            d[c] = v
        if 210 in d or 220 in d or 230 in d:  # an extrusion is read only when it is the default one
            if (float(d.pop(210, "nan")), float(d.pop(220, "nan")), float(d.pop(230, "nan"))) != (0.0, 0.0, 1.0):
                return None
        if kind == "MTEXT":
            d[3] = chunks  # type: ignore[assignment]
        elif kind == "LWPOLYLINE":
            d[-10] = chunks  # type: ignore[assignment]  # the vertices' tags, in order
        return d

    def clean(self, a: int, b: int, owner: str) -> bool:
        """Whether ezdxf's auditor accepts the entity in [a, b) of a block (owned by `owner`) as it is,
        decided from its tags: an entity of a type in CLEAN_TYPES in its plain form, with the common
        attributes the auditor accepts (_graphic), an extrusion that is not the null vector, and what the
        auditor checks for its type (text style, attribute tag, block, dimension block and style). False
        when that cannot be shown: the entity is then built and audited."""
        codes, values = self.codes, self.values
        if values[a] == "HATCH":  # its audit: the common one and valid boundary paths, which hatch() checks
            return self.hatch(None, a, b) is not None
        extra = CLEAN_TYPES.get(values[a])
        if extra is None:
            return False
        d: dict[int, str] = {}
        level = 0  # 0 base class, 1 AcDbEntity, 2.. the entity's subclasses
        j = a + 1
        while j < b:
            c = codes[j]
            if c == 102:
                j = self._skip_app_data(j, b)
                if j < 0:
                    return False
                continue
            if c >= 1000:  # extended data: the auditor leaves it alone
                break
            if c == 100:
                level += 1
                if level == 1 and values[j] != "AcDbEntity":
                    return False
            elif c == 101:  # an embedded object
                return False
            elif level == 0 and c not in (5, 330) or level == 1 and c not in ENTITY_CODES:
                return False
            elif level <= 1 or c in EXTRUSION or c in extra:
                if c in d:
                    return False
                d[c] = values[j]
            j += 1
        if self._graphic(d, parent=owner) is None:
            return False
        if any(c in d for c in EXTRUSION):
            if not all(c in d for c in EXTRUSION) or \
                    NULLVEC.isclose(Vec3(float(d[210]), float(d[220]), float(d[230]))):
                return False
        if 7 in extra and not self._style_ok(d.get(7)):
            return False
        kind = values[a]
        if kind == "ATTDEF":
            return bool(d.get(2))
        if kind == "INSERT":
            return d.get(2) in self.doc.blocks
        if kind == "DIMENSION":
            return d.get(2, "*") in self.doc.blocks and self.doc.dimstyles.has_entry(d.get(3, "Standard"))
        if kind == "ELLIPSE":  # a major axis that is not null, an axis ratio in range
            return all(c in d for c in (11, 21, 31)) and \
                not Vec3(float(d[11]), float(d[21]), float(d[31])).is_null and \
                is_valid_ratio(float(d.get(40, "1")))
        return True

    @staticmethod
    def _point(d: dict, code: int, z: bool = True):
        if code not in d or code + 10 not in d:
            return None
        zc = code + 20
        if zc in d:
            return Vec3(float(d[code]), float(d[code + 10]), float(d[zc]))
        return Vec3(float(d[code]), float(d[code + 10]))

    @staticmethod
    def _float(d: dict, code: int, default):
        return float(d[code]) if code in d else default

    @staticmethod
    def _int(d: dict, code: int, default: int) -> int:
        return int(d[code]) if code in d else default

    # -- entity readers: each returns None (nothing recorded) when the entity needs the ezdxf build ----

    def _text_head(self, a: int, b: int, kind: str):
        """(tags, (handle, layer, in modelspace), insertion point) of a TEXT or MTEXT, or None."""
        d = self.tags(a, b, kind)
        if d is None or (kind == "TEXT" and 1 not in d):
            return None
        got = self._graphic(d)
        if got is None or not self._style_ok(d.get(7)):
            return None
        ins = self._point(d, 10)
        return None if ins is None else (d, got, ins)

    def text(self, raw, a: int, b: int):
        head = self._text_head(a, b, "TEXT")
        if head is None:
            return None
        d, got, ins = head
        halign, valign = self._int(d, 72, 0), self._int(d, 73, 0)
        if halign or valign:
            ap = self._point(d, 11)
            if ap is not None:
                ins = ap
        height, rot, width = self._float(d, 40, 0), self._float(d, 50, 0.0), self._float(d, 41, 1.0)
        handle, layer, in_msp = got
        if in_msp:
            text_record(raw, handle, layer, "TEXT", plain_text(d[1]), ins, height, rot,
                        text_attachment(halign, valign), width)
        return in_msp

    def mtext(self, raw, a: int, b: int):
        head = self._text_head(a, b, "MTEXT")
        if head is None:
            return None
        d, got, ins = head
        direction = self._point(d, 11)
        if direction is not None:
            rot = math.degrees(math.atan2(direction[1], direction[0]))
        else:
            rot = self._float(d, 50, 0)
        height, attachment, width = self._float(d, 40, 0), self._int(d, 71, 1), self._float(d, 41, 0.0)
        handle, layer, in_msp = got
        if in_msp:
            text = escape_dxf_line_endings("".join(d[3] + [d.get(1, "")]))  # type: ignore[operator]
            mtext_record(raw, handle, layer, fast_plain_mtext(text, split=False), ins, height, rot, attachment,
                         width)
        return in_msp

    def dimension(self, raw, a: int, b: int):
        d = self.tags(a, b, "DIMENSION")
        if d is None or 70 not in d:
            return None
        got = self._graphic(d)
        if got is None or d.get(2, "*") not in self.block_names:
            return None
        style = d.get(3, "Standard")
        good = self.ok_dimstyle.get(style)
        if good is None:
            good = self.ok_dimstyle[style] = self.doc.dimstyles.has_entry(style)
        if not good:
            return None
        dimtype = int(d[70]) & 15
        m = None
        if dimtype in (0, 1):
            p2, p3 = self._point(d, 13), self._point(d, 14)
            if p2 is None or p3 is None:
                return None
            m = (linear_measurement(p2, p3, math.radians(self._float(d, 50, 0))) if dimtype == 0
                 else (Vec3(p3) - Vec3(p2)).magnitude)
        in_msp = got[2]
        if in_msp and m is not None:
            dimension_record(raw, m, dimtype)
        return in_msp

    def insert(self, raw, a: int, b: int, subs: list[tuple[int, int]]):
        """An INSERT in [a, b) and its ATTRIB/SEQEND sub-entities (tag ranges in `subs`)."""
        d = self.tags(a, b, "INSERT")
        if d is None or 2 not in d:
            return None
        got = self._graphic(d)
        if got is None:
            return None
        handle, layer, in_msp = got
        for c in (70, 71):  # the MINSERT grid is not used, but must be readable as ezdxf reads it
            if c in d:
                int(d[c])
        for c in (44, 45):
            if c in d:
                float(d[c])
        rawname = d[2]
        if rawname not in self.doc.blocks:
            return None
        if bool(subs) != (self._int(d, 66, 0) == 1) or handle in self.db:
            return None
        ins = self._point(d, 10)
        if ins is None:
            return None
        name = resolve_block_name(self.doc, rawname)
        if _is_window(name, layer):
            return None  # window lines are exploded from the ezdxf entity
        attribs = []
        seen = {handle}
        for k, (sa, sb) in enumerate(subs):
            last = k == len(subs) - 1
            kind = self.values[sa]
            if kind != ("SEQEND" if last else "ATTRIB"):
                return None
            sd = self.tags(sa, sb, kind)
            if sd is None:
                return None
            sg = self._graphic(sd, parent=handle)
            if sg is None or sg[0] in seen or sg[0] in self.db:
                return None
            seen.add(sg[0])
            if kind == "SEQEND":
                continue
            tag = sd.get(-2)
            if tag is None or 1 not in sd or not self._style_ok(sd.get(7)):
                return None
            ains = self._point(sd, 10)
            if ains is None:
                return None
            attribs.append((sg[0], sg[1], tag, plain_text(sd[1]), self._float(sd, 40, 0), ains,
                            self._float(sd, 50, 0.0), text_attachment(self._int(sd, 72, 0), self._int(sd, -74, 0)),
                            self._float(sd, 41, 1.0), self._int(sd, -70, 0)))
        sx, sy, sz = self._float(d, 41, 1.0), self._float(d, 42, 1.0), self._float(d, 43, 1.0)
        rot = self._float(d, 50, 0.0)
        if in_msp:
            insert_record(self.doc, raw, self.layers, handle, layer, rawname, ins, rot, sx,
                          lambda: self._matrix(rawname, ins, sx, sy, sz, rot), attribs)
        return in_msp

    def arc(self, raw, a: int, b: int, kind: str):
        """An ARC or CIRCLE without extrusion: its points made by ezdxf's flattening of the same values
        (ConstructionArc; the circle's vertices as Circle.flattening makes them)."""
        d = self.tags(a, b, kind)
        if d is None or 40 not in d:
            return None
        got = self._graphic(d)
        center = self._point(d, 10)
        if got is None or center is None:
            return None
        radius = float(d[40])
        start, end = self._float(d, 50, 0.0), self._float(d, 51, 360.0)
        handle, layer, in_msp = got
        if in_msp:
            if kind == "ARC":
                swing_record(raw, self.layers, layer, radius, start, end)
                flattening = ConstructionArc(center, radius, start, end).flattening
            else:
                def flattening(sagitta: float):
                    r = abs(radius)
                    if r > 0.0:
                        for angle in np.linspace(0.0, 360.0, arc_segment_count(r, math.tau, sagitta) + 1):
                            yield Vec3.from_deg_angle(angle, r) + center
            try:
                curve_record(raw, self.layers, handle, layer, kind, lambda: arc_points(center, radius, flattening))
            except Implausible as exc:  # beyond planfit's limits: skipped and counted (as on the full path)
                raw.skipped[exc.reason] += 1
        return in_msp

    def lwpolyline(self, raw, a: int, b: int):
        """An LWPOLYLINE: its vertices read as ezdxf reads them (each 10 starts a vertex, 20 follows it,
        then width and bulge), its points made by the same function as on the full path."""
        d = self.tags(a, b, "LWPOLYLINE")
        if d is None:
            return None
        got = self._graphic(d)
        if got is None:
            return None
        for c in (90, 70):
            if c in d:
                int(d[c])
        for c in (43, 38, 39):
            if c in d:
                float(d[c])
        verts = []
        vertex: list | None = None
        seen: set[int] = set()
        tags = d[-10]  # type: ignore[index]
        for n, (c, v) in enumerate(tags):
            if c == 10:
                if n + 1 >= len(tags) or tags[n + 1][0] != 20:
                    return None
                vertex = [float(v), 0.0, 0]
                verts.append(vertex)
                seen = set()
            elif vertex is None or c in seen:
                return None
            else:
                seen.add(c)
                if c == 20:
                    vertex[1] = float(v)
                elif c == 42:
                    vertex[2] = float(v)
                elif c != 91:
                    float(v)
        handle, layer, in_msp = got
        if in_msp:
            flag = bool(self._int(d, 70, 0) & 1)
            try:
                pts = polyline_points([tuple(v) for v in verts], flag, self._float(d, 38, 0.0), None)
            except Implausible as exc:  # beyond planfit's limits: skipped and counted (as on the full path)
                raw.skipped[exc.reason] += 1
            else:
                polyline_record(raw, self.layers, handle, layer, *pts, flag)
        return in_msp

    def hatch(self, raw, a: int, b: int):
        """A HATCH without gradient: its boundary paths loaded by ezdxf's own boundary-path loader from
        their tags; pattern and seed points checked for structure only. With raw None nothing is
        recorded (a hatch in an emptied block, checked for the auditor's sake)."""
        codes, values = self.codes, self.values
        j = a + 1
        d: dict[int, str] = {}
        allowed: frozenset = frozenset((5, 330))
        level = 0
        while j < b:  # base class and AcDbEntity
            c = codes[j]
            if c == 102:
                j = self._skip_app_data(j, b)
                if j < 0:
                    return None
                continue
            if c == 100:
                level += 1
                if level == 1 and values[j] == "AcDbEntity":
                    allowed = ENTITY_CODES
                elif level == 2 and values[j] == "AcDbHatch":
                    j += 1
                    break
                else:
                    return None
            elif c not in allowed or c in d:
                return None
            else:
                d[c] = values[j]
            j += 1
        else:
            return None
        got = self._graphic(d)
        if got is None:
            return None
        end = j
        while end < b and codes[end] < 1000:
            end += 1
        if end < b and (codes[end] != 1001 or any(c < 1000 for c in codes[end:b])):
            return None  # extended data only at the end
        tags = list(zip(codes[j:end], values[j:end]))
        if [c for c, _v in tags[:3]] != [10, 20, 30]:
            return None
        elevation = float(tags[2][1])
        k = 3
        if [c for c, _v in tags[3:6]] == [210, 220, 230]:
            if (float(tags[3][1]), float(tags[4][1]), float(tags[5][1])) != (0.0, 0.0, 1.0):
                return None
            k = 6
        head: set[int] = set()
        while k < len(tags) and tags[k][0] in (2, 70, 71, 63, 421) and tags[k][0] not in head:
            head.add(tags[k][0])
            k += 1
        if k >= len(tags) or tags[k][0] != 91:
            return None
        k += 1
        first = k
        while k < len(tags) and tags[k][0] in RAW_PATH_CODES:
            k += 1
        if k == first:
            return None
        compiled = list(tag_compiler(iter([DXFTag(c, v) for c, v in tags[first:k]] + [END_TAG])))
        if compiled[-1] != END_TAG:
            return None
        paths = BoundaryPaths.load_tags(Tags(compiled[:-1]))
        if not paths.is_valid():
            return None
        if raw is None:  # checked for the auditor's sake: it looks at nothing more
            return got[2]
        seen: set[int] = set()
        while k < len(tags):  # style, pattern and seed points: checked for structure, not used
            c, v = tags[k]
            if c == 78:
                for _line in range(int(v)):
                    if [cc for cc, _vv in tags[k + 1:k + 7]] != [53, 43, 44, 45, 46, 79]:
                        return None
                    dashes = int(tags[k + 6][1])
                    if any(cc != 49 for cc, _vv in tags[k + 7:k + 7 + dashes]) or k + 7 + dashes > len(tags):
                        return None
                    k += 6 + dashes
                k += 1
                continue
            if c == 98:
                n_seeds = int(v)
                if any(cc != cw for (cc, _vv), cw in zip(tags[k + 1:k + 1 + 2 * n_seeds], (10, 20) * n_seeds)) \
                        or k + 1 + 2 * n_seeds > len(tags):
                    return None
                k += 1 + 2 * n_seeds
                continue
            if c not in (75, 76, 52, 41, 77, 47) or c in seen:
                return None  # gradients and anything else: the ezdxf build
            seen.add(c)
            float(v)
            k += 1
        handle, layer, in_msp = got
        if in_msp:
            ocs = OCS()
            out = []
            for boundary in paths:
                p = from_hatch_boundary_path(boundary, ocs, elevation)
                if p.has_sub_paths:
                    out.extend(p.sub_paths())
                else:
                    out.append(p)
            hatch_record(raw, self.layers, handle, layer, out)
        return in_msp

    def _skip_app_data(self, j: int, b: int) -> int:
        """The index after an application data group ("102 {NAME" … "102 }") starting at j, or -1."""
        codes, values = self.codes, self.values
        if not values[j].startswith("{"):
            return -1
        j += 1
        while j < b and codes[j] != 102:
            j += 1
        if j >= b or values[j] != "}":
            return -1
        return j + 1

    def _matrix(self, rawname: str, insert, sx: float, sy: float, sz: float, rotation: float):
        """The INSERT's transformation, computed as ezdxf's Insert.matrix44 computes it (no extrusion)."""
        m = Matrix44.ucs(ux=X_AXIS * sx, uy=Y_AXIS * sy, uz=Z_AXIS * sz)
        angle = math.radians(rotation)
        if angle:
            m *= Matrix44.axis_rotate(Z_AXIS, angle)
        ins = Vec3(insert)
        base = self.base_points.get(rawname)
        if base is None:
            block = self.doc.blocks.get(rawname)
            base = self.base_points[rawname] = block.block.dxf.base_point if block is not None else False
        if base is not False:
            ins -= m.transform_direction(base)
        m.set_row(3, ins.xyz)
        return m


def _read(path: str, units: str | None, layers: LayerRoles, backdrop: bool = False) -> Plan:
    codes, values, _info = _split(path)
    try:  # the group codes as integers, once (aligned with `values`); a few hundred differ
        number = {c: int(c) for c in set(codes)}
        icodes = list(map(number.__getitem__, codes))
    except ValueError:
        raise _GiveUp("a group code that is not an integer") from None
    sections, eof = _sections(icodes, values)
    if "ENTITIES" not in sections:
        raise _GiveUp("no ENTITIES section")
    ent_a, ent_b = sections["ENTITIES"]
    starts = _positions(icodes, 0, ent_a + 2, ent_b) + [ent_b]
    if starts[0] != ent_a + 2 and ent_b > ent_a + 2:
        raise _GiveUp("stray tags at the start of ENTITIES")
    verify = bool(os.environ.get("PLANFIT_FASTREAD_VERIFY"))
    trim = _trimmed_document(codes, icodes, values, sections, eof, starts, whole=not verify)
    del codes  # from here on the integers
    doc = trim.doc
    if trim.whole:  # the blocks left out whole are there for every `name in doc.blocks`, as in the file
        gone = frozenset(validator.make_table_key(n) for n in trim.whole)

        class _Blocks(type(doc.blocks)):
            def __contains__(self, name) -> bool:
                return super().__contains__(name) or (isinstance(name, str) and validator.make_table_key(name) in gone)

        doc.blocks.__class__ = _Blocks
    auditor = _Auditor(doc)
    auditor.run()
    for handle in trim.stubs:  # the stand-ins served the audit; the entities themselves are read below
        stub = doc.entitydb.get(handle)
        if stub is None or not stub.is_alive:
            raise _GiveUp("the auditor deleted a stand-in")
        doc.blocks.get_block_layout_by_handle(stub.dxf.owner).delete_entity(stub)
        if handle in doc.entitydb:
            del doc.entitydb[handle]
    _accept(auditor)
    fixes, errors = list(auditor.fixes), list(auditor.errors)
    auditor = _Auditor(doc)
    reader = _Reader(icodes, values, doc, layers, trim.block_names)
    db = doc.entitydb

    line_layouts: dict[tuple, tuple | None] = {}  # group codes of a LINE → where its values are

    def line_layout(key: tuple) -> tuple | None:
        """Positions of handle, owner, layer, linetype, colour, lineweight, transparency, paper space flag
        and the two points in a LINE with these group codes, or None when the LINE needs the ezdxf build."""
        pos: dict[int, int] = {}
        for n, c in enumerate(key):
            if c not in LINE_CODES or (c in pos and c != 100):
                return None
            pos[c] = n + 1
        if not all(c in pos for c in (5, 10, 20, 11, 21)):
            return None
        return tuple(pos.get(c) for c in (5, 330, 8, 6, 62, 370, 440, 67, 10, 20, 11, 21))

    def plain_line(a: int, b: int):
        """(handle, layer, points, in modelspace) of a LINE read from its tags, or None to build it."""
        key = tuple(icodes[a + 1:b])
        layout = line_layouts.get(key, False)
        if layout is False:
            layout = line_layouts[key] = line_layout(key)
        if layout is None:
            return None
        v = values
        d = {c: v[a + n] for c, n in zip((5, 330, 8, 6, 62, 370, 440, 67), layout[:8]) if n is not None}
        got = reader._graphic(d)
        if got is None:
            return None
        x0, y0, x1, y1 = layout[8:]
        p = (float(v[a + x0]), float(v[a + y0]))
        q = (float(v[a + x1]), float(v[a + y1]))
        if p == q:
            return None
        handle, layer, in_msp = got
        return handle, layer, [p, q], in_msp

    def build(a: int, b: int):
        tags = []
        for j in range(a, b):
            c = icodes[j]
            if c != 999:
                tags.append(DXFTag(c, values[j]))
        tags.append(END_TAG)
        compiled = list(tag_compiler(iter(tags)))
        if compiled[-1] != END_TAG:
            raise _GiveUp("tags do not compile")
        compiled.pop()
        return factory.load(ExtendedTags(compiled), doc)

    def linked(st: list[int], i: int):
        """The entity at st[i] built with ezdxf, its sub-entities (ATTRIB, VERTEX, SEQEND) linked to it:
        the group and the index of the next entity."""
        k, nxt = st[i], st[i + 1]
        t = values[k]
        group = [build(k, nxt)]
        i += 1
        if t in ("INSERT", "POLYLINE"):
            link = entity_linker()
            link(group[0])
            while i < len(st) - 1 and values[st[i]] in SUB_ENTITIES:
                sub = build(st[i], st[i + 1])
                if not link(sub):
                    raise _GiveUp(f"{sub.dxftype()} out of place")
                group.append(sub)
                i += 1
        return group, i

    def audited(st: list[int], i: int):
        """Build the entity at st[i] (and its sub-entities) with ezdxf and audit it against the trimmed
        document; the fixes join the file's. Returns the entity, or None when the auditor deletes it (as
        the full path's audit does: it is not part of the drawing), and the index of the next entity."""
        group, i = linked(st, i)
        if len(group) > 1:  # sub-entities name their parent as owner: the auditor looks it up
            for e in group:
                if e.dxf.handle in db:
                    raise _GiveUp("duplicate handle")
                db[e.dxf.handle] = e
        for e in group:
            e.audit(auditor)
        if len(group) > 1:
            for e in group:
                del db[e.dxf.handle]
        if auditor.fixes or auditor.errors:
            _accept(auditor)
            fixes.extend(auditor.fixes)
            errors.extend(auditor.errors)
            auditor.fixes.clear()
            auditor.errors.clear()
        if any(id(e) in auditor.trashed for e in group[1:]):
            raise _GiveUp("the auditor deletes a sub-entity")
        e = group[0]
        return (None if id(e) in auditor.trashed else e), i

    def built(i: int, raw, counts: Counter) -> int:
        """Build, audit, count and collect the entity at starts[i]; returns the index of the next entity."""
        e, i = audited(starts, i)
        if e is None:
            return i
        t = e.dxftype()
        owner = e.dxf.get("owner")
        if owner == reader.psp_h or (owner != reader.msp_h and e.dxf.get("paperspace", 0)):
            return i
        counts[t] += 1
        if strokes is not None:
            strokes.append(e)
        try:
            _collect(doc, e, t, layers, raw)
        except Implausible as exc:  # beyond planfit's limits: skipped and counted (as on the full path)
            raw.skipped[exc.reason] += 1
        except Exception:  # one odd entity never stops the read; it is counted (as on the full path)
            counts["(unreadable " + t + ")"] += 1
        return i

    # the content of the blocks left out of the trimmed document: planfit reads nothing of it, but the
    # full path's audit walks it, so its fixes are found here: an entity in its plain form that the
    # auditor accepts as it is (Reader.clean) is passed over, any other is built and audited
    for name, st in trim.emptied:
        owner = trim.whole.get(name) or doc.blocks.get(name).block_record_handle
        i, m = 0, len(st) - 1
        while i < m:
            if (i + 1 == m or values[st[i + 1]] not in SUB_ENTITIES) and reader.clean(st[i], st[i + 1], owner):
                if verify:
                    before = len(fixes) + len(errors)
                    audited(st, i)
                    if len(fixes) + len(errors) > before:
                        raise FidelityError(f"{values[st[i]]} in block {name!r}: passed over, but the auditor "
                                            f"reports {[f.message for f in (fixes + errors)[before:]]}")
                i += 1
            elif name in trim.whole:  # its owner is not in the trimmed document: the auditor would "fix" it
                raise _GiveUp(f"an entity of the anonymous block {name!r} needs the auditor")
            else:
                _e, i = audited(st, i)

    def direct(i: int, raw):
        """Read the entity at starts[i] from its tags; (next index, in modelspace) or None to build it."""
        k, nxt = starts[i], starts[i + 1]
        t = values[k]
        if t == "TEXT":
            return i + 1, reader.text(raw, k, nxt)
        if t == "MTEXT":
            return i + 1, reader.mtext(raw, k, nxt)
        if t == "DIMENSION":
            return i + 1, reader.dimension(raw, k, nxt)
        if t == "HATCH":
            return i + 1, reader.hatch(raw, k, nxt)
        if t == "LWPOLYLINE":
            return i + 1, reader.lwpolyline(raw, k, nxt)
        if t in ("ARC", "CIRCLE"):
            return i + 1, reader.arc(raw, k, nxt, t)
        if t == "INSERT":
            j = i + 1
            while j < n and values[starts[j]] in SUB_ENTITIES:
                j += 1
            subs = [(starts[m], starts[m + 1]) for m in range(i + 1, j)]
            return j, reader.insert(raw, k, nxt, subs)
        return None

    raw = _Raw()
    counts: Counter[str] = Counter()
    # with a backdrop, every modelspace entity the picture shows, as ezdxf builds it (the audited one
    # where the read built it anyway), in file order: the strokes are made from them as on the full path
    strokes: list | None = [] if backdrop else None

    def stroked(i: int) -> None:
        if strokes is not None and values[starts[i]] not in BACKDROP_SKIP:
            strokes.append(linked(starts, i)[0][0])

    wall, maybe = reader.wall, reader.maybe
    n = len(starts) - 1
    i = 0
    while i < n:
        k, nxt = starts[i], starts[i + 1]
        t = values[k]
        if t == "LINE":
            got = plain_line(k, nxt)
            if got is not None:
                i += 1
                handle, layer, pts, in_msp = got
                if not in_msp:
                    continue
                counts["LINE"] += 1
                if strokes is not None:
                    strokes.append(PlainLine(layer, pts[0], pts[1]))
                is_wall = wall.get(layer)
                if is_wall is None:
                    is_wall = wall[layer] = layers.is_("wall", layer)
                if is_wall:
                    raw.linework.append((handle, layer, pts))
                else:
                    m = maybe.get(layer)
                    if m is None:
                        m = maybe[layer] = _may_be_wall(layers, layer)
                    if m:
                        raw.other_linework.append((handle, layer, pts))
                continue
        elif t in SUB_ENTITIES:
            raise _GiveUp(f"{t} without its parent")
        elif t in SUBCLASSES:
            try:
                scratch = _Raw(block_extents=raw.block_extents, block_children=raw.block_children)
                got = direct(i, scratch)
            except (ValueError, TypeError, KeyError, IndexError, DXFStructureError):  # odd values: ezdxf decides
                got = None
            if got is not None and got[1] is not None:
                if verify:
                    check = _Raw(block_extents=raw.block_extents, block_children=raw.block_children)
                    built(i, check, Counter())
                    _same(scratch, check, t, values[k + 1] if icodes[k + 1] == 5 else "?")
                if got[1]:
                    stroked(i)
                i, in_msp = got
                if in_msp:
                    counts[t] += 1
                    _merge(raw, scratch)
                continue
        i = built(i, raw, counts)
    plan = build_plan(path, doc, raw, counts, list(audit_notes(fixes, errors, False)), units, layers, reader="fast",
                      backdrop=None if strokes is None else _backdrop(strokes, 1.0))
    # ezdxf's auditor leaves reference cycles (its query parser's tracebacks) that hold this frame and
    # so everything it still names: let go of the tag lists now rather than at the next collection
    del values, icodes, starts, reader, raw
    return plan


class _Auditor(Auditor):
    """ezdxf's auditor, noting what it deletes (so that it is not read)."""

    def __init__(self, doc):
        super().__init__(doc)
        self.trashed: dict[int, object] = {}  # id → entity (kept alive, so that no id is reused)

    def trash(self, entity) -> None:
        if entity is not None:
            self.trashed[id(entity)] = entity
        super().trash(entity)

    def check_block_reference_cycles(self) -> None:
        """Nothing to do: _trimmed_document has looked for cycles in every block of the file (the trimmed
        copy holds fewer) and gives up on one. ezdxf's search parses a query for each block (thousands
        of dimension blocks), and the parser leaves reference cycles that would hold the reader's
        frames, with all they name, until the next collection."""


# fixes whose outcome depends only on the entity itself and the tables, which the trimmed document keeps
# whole (an owner's existence too: the stand-ins keep every handle a kept part refers to): the full path
# makes the same fix. Any other fix (groups, dictionary entries, block references that may point at what
# the trimmed copy leaves out) and any error the auditor cannot fix (an invalid layer name, a block that
# references itself) sends the file to the full path.
LOCAL_FIXES = frozenset(AuditError[name] for name in (
    "INVALID_OWNER_HANDLE", "REMOVED_INVALID_DXF_OBJECT", "INVALID_EXTRUSION_VECTOR", "INVALID_DIMSTYLE",
    "UNDEFINED_LINETYPE", "INVALID_COLOR_INDEX", "INVALID_LINEWEIGHT",
    "INVALID_TRANSPARENCY", "UNDEFINED_TEXT_STYLE", "INVALID_ELLIPSE_RATIO", "INVALID_MAJOR_AXIS",
    "INVALID_SPLINE_DEFINITION", "INVALID_SPLINE_CONTROL_POINT_COUNT", "INVALID_SPLINE_FIT_POINT_COUNT",
    "INVALID_SPLINE_KNOT_VALUE_COUNT", "INVALID_SPLINE_WEIGHT_COUNT", "TAG_ATTRIBUTE_MISSING",
    "INVALID_VERTEX_COUNT", "INVALID_HATCH_BOUNDARY_PATH"))


def _accept(auditor) -> None:
    """Give up unless every fix and error is one the full path makes in the same way."""
    for entry in auditor.fixes:
        if entry.code not in LOCAL_FIXES:
            raise _GiveUp(f"the auditor fixes {entry.code!r}: {entry.message}")
    if auditor.errors:
        raise _GiveUp("the auditor reports errors it cannot fix")


RAW_LISTS = ("outlines", "linework", "other_linework", "texts", "inserts")
EVIDENCE_LISTS = ("text_height", "door_width", "door_swing", "room_area", "dimension", "written_area")


def _merge(raw, part) -> None:
    raw.skipped.update(part.skipped)
    for name in RAW_LISTS:
        got = getattr(part, name)
        if got:
            getattr(raw, name).extend(got)
    for name in EVIDENCE_LISTS:
        got = getattr(part.evidence, name)
        if got:
            getattr(raw.evidence, name).extend(got)


def _same(direct, built, kind: str, handle: str) -> None:
    """The directly read values must equal ezdxf's reading of the same entity."""
    for name in RAW_LISTS:
        if getattr(direct, name) != getattr(built, name):
            raise FidelityError(f"{kind} #{handle}: {name} differ: {getattr(direct, name)!r} != "
                                f"{getattr(built, name)!r}")
    for name in EVIDENCE_LISTS:
        if getattr(direct.evidence, name) != getattr(built.evidence, name):
            raise FidelityError(f"{kind} #{handle}: evidence {name} differ: {getattr(direct.evidence, name)!r} "
                                f"!= {getattr(built.evidence, name)!r}")
