"""The fast read path: planfit's own DXF tag reader for modelspace, ezdxf for the rest.

`ezdxf.readfile` builds a full object for every entity of the drawing and
`doc.audit()` then walks them all again; planfit needs a handful of values
from most of them. This reader

1. splits the text into group-code/value pairs once (str.split, no per-line
   reads) and finds the sections;
2. hands ezdxf a trimmed copy of the file: HEADER, CLASSES, TABLES, OBJECTS
   and the BLOCKS that modelspace inserts reach (other block definitions are
   kept but emptied, e.g. the geometry blocks of dimensions), with an empty
   ENTITIES section; ezdxf loads and audits that small document;
3. walks the ENTITIES section itself. The common entities in their plain form
   (LINE; TEXT, MTEXT, INSERT with its ATTRIBs, DIMENSION without extrusion,
   extended data or embedded objects, and with attributes ezdxf's auditor
   would accept) are read directly from their tags, and their values go
   through the same record functions as the full path (records.text_record,
   records.insert_record, ...). Every other entity is built as an ezdxf object
   from its own tags (ezdxf's tag compiler and entity factory), audited
   against the trimmed document, and read by the same code as the full path
   (records._collect). With PLANFIT_FASTREAD_VERIFY=1 every directly read entity
   is also built and read the ezdxf way, and any difference is an error.

Whatever it cannot read cleanly makes it give up (return None) and the
caller reads the file on the full path: binary DXF, a byte-order mark, DXF
R12, text that does not decode strictly in the file's code page, a broken
section structure, unparsable numbers, sub-entities out of place, entities in
the *Model_Space block definition, and anything ezdxf's auditor would fix or
report (so the reader notes are those of a clean file: none).
"""

from __future__ import annotations

import codecs
import io
import math
import os
from collections import Counter

import ezdxf
from ezdxf.audit import Auditor
from ezdxf.entities import factory
from ezdxf.entities.boundary_paths import BoundaryPaths
from ezdxf.entities.dimension import linear_measurement
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
from ezdxf.math import OCS, X_AXIS, Y_AXIS, Z_AXIS, Matrix44, Vec3
from ezdxf.path.converter import from_hatch_boundary_path
from ezdxf.tools.text import plain_text

from ..datafiles import LayerRoles
from ..limits import Implausible
from ..model import Plan
from .records import (
    _collect,
    _is_window,
    _may_be_wall,
    _Raw,
    build_plan,
    dimension_record,
    hatch_record,
    insert_record,
    mtext_record,
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
SUBCLASSES = {  # entity → its subclasses in order: marker names (space-separated alternatives), group codes
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


def read_fast(path: str, units: str | None, layers: LayerRoles) -> Plan | None:
    """A Plan read on the fast path, or None when the file needs the full path."""
    sniff(path)
    try:
        return _read(path, units, layers)
    except _GiveUp:
        return None
    except FidelityError:
        raise
    except Exception:  # anything unexpected on a strange file: the full path decides
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        return None


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


def _sections(codes: list[str], values: list[str]) -> tuple[dict[str, tuple[int, int]], int]:
    """Tag index ranges of the sections (from the SECTION tag to the ENDSEC tag) and of EOF."""
    out: dict[str, tuple[int, int]] = {}
    start = -1
    name = ""
    marks = [k for k, v in enumerate(values) if v == "SECTION" or v == "ENDSEC" or v == "EOF"]
    for k in marks:
        v = values[k]
        if codes[k].strip() != "0":
            continue
        if v == "SECTION":
            if start >= 0 or k + 1 >= len(values) or codes[k + 1].strip() != "2":
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


def _entity_starts(codes: list[str], a: int, b: int) -> list[int]:
    """Indices of the group code 0 tags in [a, b)."""
    return [k for k in range(a, b) if codes[k] == "  0" or codes[k].strip() == "0"]


def _tag_value(codes, values, a: int, b: int, code: str) -> str | None:
    for k in range(a + 1, b):
        if codes[k].strip() == code:
            return values[k]
    return None


def _trimmed_document(codes, values, sections, eof: int, ent_starts: list[int], keep_dimension_blocks=False):
    """The drawing without its ENTITIES and without the content of blocks no insert reaches (dimension
    geometry blocks "*D…" no insert reaches are left out whole, with their block records), and the
    names of all blocks the file defines."""
    ent_a, ent_b = sections["ENTITIES"]
    wanted: set[str] = set()
    for i, k in enumerate(ent_starts[:-1]):
        if values[k] == "INSERT":
            name = _tag_value(codes, values, k, ent_starts[i + 1], "2")
            if name is not None:
                wanted.add(name)
    drop: list[tuple[int, int]] = [(ent_a + 2, ent_b)]
    if "BLOCKS" in sections:
        blk_a, blk_b = sections["BLOCKS"]
        starts = _entity_starts(codes, blk_a + 2, blk_b) + [blk_b]
        blocks: dict[str, tuple[int, int, list[str]]] = {}  # name -> content range, inserted names
        whole: dict[str, tuple[int, int]] = {}  # name -> range from BLOCK to the end of ENDBLK
        name, content_a, inner, block_a = None, 0, [], 0
        for i, k in enumerate(starts[:-1]):
            t = values[k]
            if t == "BLOCK":
                if name is not None:
                    raise _GiveUp("BLOCK without ENDBLK")
                name = _tag_value(codes, values, k, starts[i + 1], "2")
                if name is None:
                    raise _GiveUp("BLOCK without a name")
                content_a, inner, block_a = starts[i + 1], [], k
            elif t == "ENDBLK":
                if name is None:
                    raise _GiveUp("ENDBLK without BLOCK")
                blocks[name] = (content_a, k, inner)
                whole[name] = (block_a, starts[i + 1])
                name = None
            elif t == "INSERT" and name is not None:
                n = _tag_value(codes, values, k, starts[i + 1], "2")
                if n is not None:
                    inner.append(n)
        if name is not None:
            raise _GiveUp("BLOCK without ENDBLK")
        for n, (a, b, _inner) in blocks.items():
            if n.lower() == "*model_space" and b > a:
                raise _GiveUp("entities in the *Model_Space block definition")
        todo = list(wanted)
        while todo:
            n = todo.pop()
            for m in blocks.get(n, (0, 0, []))[2]:
                if m not in wanted:
                    wanted.add(m)
                    todo.append(m)
        dimension_blocks = set() if keep_dimension_blocks else \
            {n for n in blocks if n[:2].upper() == "*D" and n not in wanted}
        for n, (a, b, _inner) in blocks.items():
            if n in dimension_blocks:
                drop.append(whole[n])
            elif b > a and n not in wanted and not n.lower().startswith(("*model_space", "*paper_space")):
                drop.append((a, b))
        if dimension_blocks and "TABLES" in sections:
            tab_a, tab_b = sections["TABLES"]
            rows = _entity_starts(codes, tab_a + 2, tab_b) + [tab_b]
            for i, k in enumerate(rows[:-1]):
                if values[k] == "BLOCK_RECORD" and _tag_value(codes, values, k, rows[i + 1], "2") in dimension_blocks:
                    drop.append((k, rows[i + 1]))
    else:
        blocks = {}
    drop.sort()
    kept: list[str] = []
    pos = 0
    for a, b in drop:
        kept.extend(_interleave(codes, values, pos, a))
        pos = b
    kept.extend(_interleave(codes, values, pos, eof + 1))
    return ezdxf.read(io.StringIO("\n".join(kept))), set(blocks)


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
            if c == 3 and kind == "MTEXT":
                chunks.append(v)
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
        return d

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

    def hatch(self, raw, a: int, b: int):
        """A HATCH without gradient: its boundary paths loaded by ezdxf's own boundary-path loader from
        their tags; pattern and seed points checked for structure only."""
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


def _read(path: str, units: str | None, layers: LayerRoles) -> Plan:
    codes, values, _info = _split(path)
    sections, eof = _sections(codes, values)
    if "ENTITIES" not in sections:
        raise _GiveUp("no ENTITIES section")
    ent_a, ent_b = sections["ENTITIES"]
    try:  # the group codes of ENTITIES as integers, once (aligned with `values`); a few hundred differ
        number = {c: int(c) for c in set(codes[ent_a:ent_b])}
    except ValueError:
        raise _GiveUp("a group code that is not an integer") from None
    icodes = [0] * ent_a + list(map(number.__getitem__, codes[ent_a:ent_b]))
    starts = _positions(icodes, 0, ent_a + 2, ent_b) + [ent_b]
    if starts[0] != ent_a + 2 and ent_b > ent_a + 2:
        raise _GiveUp("stray tags at the start of ENTITIES")
    verify = bool(os.environ.get("PLANFIT_FASTREAD_VERIFY"))  # ezdxf builds every entity too: keep all blocks
    doc, block_names = _trimmed_document(codes, values, sections, eof, starts, keep_dimension_blocks=verify)
    del codes  # from here on the integers
    auditor = doc.audit()
    if auditor.fixes or auditor.errors:
        raise _GiveUp("the auditor reports problems")
    auditor = Auditor(doc)
    reader = _Reader(icodes, values, doc, layers, block_names)
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

    def built(i: int, raw) -> int:
        """Build the entity at starts[i] (and its sub-entities) with ezdxf, audit and collect it;
        returns the index of the next entity."""
        k, nxt = starts[i], starts[i + 1]
        t = values[k]
        group = [build(k, nxt)]
        i += 1
        if t in ("INSERT", "POLYLINE"):
            link = entity_linker()
            link(group[0])
            while i < n and values[starts[i]] in SUB_ENTITIES:
                sub = build(starts[i], starts[i + 1])
                if not link(sub):
                    raise _GiveUp(f"{sub.dxftype()} out of place")
                group.append(sub)
                i += 1
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
            raise _GiveUp("the auditor reports problems")
        e = group[0]
        t = e.dxftype()
        owner = e.dxf.get("owner")
        if owner == reader.psp_h or (owner != reader.msp_h and e.dxf.get("paperspace", 0)):
            return i
        counts[t] += 1
        try:
            _collect(doc, e, t, layers, raw)
        except Implausible as exc:  # beyond planfit's limits: skipped and counted (as on the full path)
            raw.skipped[exc.reason] += 1
        except Exception:  # one odd entity never stops the read; it is counted (as on the full path)
            counts["(unreadable " + t + ")"] += 1
        return i

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
        if t == "INSERT":
            j = i + 1
            while j < n and values[starts[j]] in SUB_ENTITIES:
                j += 1
            subs = [(starts[m], starts[m + 1]) for m in range(i + 1, j)]
            return j, reader.insert(raw, k, nxt, subs)
        return None

    raw = _Raw()
    counts: Counter[str] = Counter()
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
                    built(i, check)
                    _same(scratch, check, t, values[k + 1] if icodes[k + 1] == 5 else "?")
                i, in_msp = got
                if in_msp:
                    counts[t] += 1
                    _merge(raw, scratch)
                continue
        i = built(i, raw)
    plan = build_plan(path, doc, raw, counts, [], units, layers, reader="fast")
    # ezdxf's auditor leaves reference cycles (its query parser's tracebacks) that hold this frame and
    # so everything it still names: let go of the tag lists now rather than at the next collection
    del values, icodes, starts, reader, raw
    return plan


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
