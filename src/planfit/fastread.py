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
3. walks the ENTITIES section itself: plain LINEs (no extended data, valid
   attributes) are read directly from their tags; every other entity is built
   as an ezdxf object from its own tags (ezdxf's tag compiler and entity
   factory), audited against the trimmed document, and read by the same code
   as the full path (read._collect).

Whatever it cannot read cleanly makes it give up (return None) and the
caller reads the file on the full path: binary DXF, a byte-order mark, DXF
R12, text that does not decode strictly in the file's code page, a broken
section structure, unparsable numbers, sub-entities out of place, entities in
the *Model_Space block definition, and anything ezdxf's auditor would fix or
report (so the reader notes are those of a clean file: none).
"""

from __future__ import annotations

import io
import os
from collections import Counter
from pathlib import Path

from .datafiles import LayerRoles
from .model import Plan

BINARY_DXF_MAGIC = b"AutoCAD Binary DXF"
# group codes a LINE may carry and still be read directly: handle, owner, subclass markers, layer,
# linetype, colours, lineweight, transparency, linetype scale, visibility, thickness, plot style,
# material, shadow mode, paper space flag, points
LINE_CODES = frozenset(("5", "330", "100", "8", "6", "62", "370", "440", "420", "430", "48", "60", "39", "347",
                        "390", "284", "67", "10", "20", "30", "11", "21", "31"))
SUB_ENTITIES = ("ATTRIB", "VERTEX", "SEQEND")


class _GiveUp(Exception):
    """The fast path cannot read this file faithfully: use the full path."""


def read_fast(path: str, units: str | None, layers: LayerRoles) -> Plan | None:
    """A Plan read on the fast path, or None when the file needs the full path."""
    from .read import sniff

    sniff(path)
    try:
        return _read(path, units, layers)
    except _GiveUp:
        return None
    except Exception:  # anything unexpected on a strange file: the full path decides
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        return None


def _split(path: str) -> tuple[list[str], list[str], object]:
    """Group codes and values of an ASCII DXF file, decoded as ezdxf.readfile decodes it."""
    from ezdxf.filemanagement import dxf_file_info

    data = Path(path).read_bytes()
    if data.startswith(BINARY_DXF_MAGIC) or data.startswith(b"\xef\xbb\xbf"):
        raise _GiveUp("binary DXF or byte-order mark")
    info = dxf_file_info(path)
    if info.version <= "AC1009":
        raise _GiveUp("DXF R12 or older")
    try:
        text = data.decode(info.encoding)
    except (UnicodeDecodeError, LookupError):
        raise _GiveUp("text does not decode in the file's code page") from None
    if "\r" in text:  # universal newlines, as a file opened in text mode
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    codes = lines[0::2]
    values = lines[1::2]
    del codes[len(values):]
    return codes, values, info


def _sections(codes: list[str], values: list[str]) -> tuple[dict[str, tuple[int, int]], int]:
    """Tag index ranges of the sections (from the SECTION tag to the ENDSEC tag) and of EOF."""
    out: dict[str, tuple[int, int]] = {}
    start = -1
    name = ""
    for k, v in enumerate(values):
        if v == "SECTION" and codes[k].strip() == "0":
            if start >= 0 or k + 1 >= len(values) or codes[k + 1].strip() != "2":
                raise _GiveUp("broken section structure")
            start, name = k, values[k + 1]
        elif v == "ENDSEC" and codes[k].strip() == "0":
            if start < 0 or name in out:
                raise _GiveUp("broken section structure")
            out[name] = (start, k)
            start = -1
        elif v == "EOF" and codes[k].strip() == "0":
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


def _trimmed_document(codes, values, sections, eof: int, ent_starts: list[int]):
    """The drawing without its ENTITIES and without the content of blocks no insert reaches."""
    import ezdxf

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
        name, content_a, inner = None, 0, []
        for i, k in enumerate(starts[:-1]):
            t = values[k]
            if t == "BLOCK":
                if name is not None:
                    raise _GiveUp("BLOCK without ENDBLK")
                name = _tag_value(codes, values, k, starts[i + 1], "2")
                if name is None:
                    raise _GiveUp("BLOCK without a name")
                content_a, inner = starts[i + 1], []
            elif t == "ENDBLK":
                if name is None:
                    raise _GiveUp("ENDBLK without BLOCK")
                blocks[name] = (content_a, k, inner)
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
        for n, (a, b, _inner) in blocks.items():
            if b > a and n not in wanted and not n.lower().startswith(("*model_space", "*paper_space")):
                drop.append((a, b))
    drop.sort()
    kept: list[str] = []
    pos = 0
    for a, b in drop:
        kept.extend(_interleave(codes, values, pos, a))
        pos = b
    kept.extend(_interleave(codes, values, pos, eof + 1))
    return ezdxf.read(io.StringIO("\n".join(kept)))


def _interleave(codes, values, a: int, b: int) -> list[str]:
    out = [""] * (2 * (b - a))
    out[0::2] = codes[a:b]
    out[1::2] = values[a:b]
    return out


def _read(path: str, units: str | None, layers: LayerRoles) -> Plan:
    from ezdxf.audit import Auditor
    from ezdxf.entities import factory
    from ezdxf.entities.subentity import entity_linker
    from ezdxf.lldxf import const, validator
    from ezdxf.lldxf.extendedtags import ExtendedTags
    from ezdxf.lldxf.tagger import tag_compiler
    from ezdxf.lldxf.types import DXFTag

    from .read import _collect, _may_be_wall, _Raw, build_plan

    codes, values, _info = _split(path)
    sections, eof = _sections(codes, values)
    if "ENTITIES" not in sections:
        raise _GiveUp("no ENTITIES section")
    ent_a, ent_b = sections["ENTITIES"]
    starts = _entity_starts(codes, ent_a + 2, ent_b) + [ent_b]
    if starts[0] != ent_a + 2 and ent_b > ent_a + 2:
        raise _GiveUp("stray tags at the start of ENTITIES")
    doc = _trimmed_document(codes, values, sections, eof, starts)
    auditor = doc.audit()
    if auditor.fixes or auditor.errors:
        raise _GiveUp("the auditor reports problems")
    auditor = Auditor(doc)
    msp_h = doc.block_records.get("*Model_Space").dxf.handle
    psp_h = doc.block_records.get("*Paper_Space").dxf.handle
    db = doc.entitydb

    ok_linetype: dict[str, bool] = {}
    ok_layer: dict[str, bool] = {}
    wall: dict[str, bool] = {}
    maybe: dict[str, bool] = {}
    lineweights = const.VALID_DXF_LINEWEIGHT_VALUES

    def plain_line(a: int, b: int):
        """(handle, layer, points, in modelspace) of a LINE read from its tags, or None to build it."""
        d: dict[str, str] = {}
        for j in range(a + 1, b):
            c = codes[j].strip()
            if c not in LINE_CODES or (c in d and c != "100"):
                return None
            d[c] = values[j]
        handle = d.get("5")
        if not handle or "10" not in d or "11" not in d:
            return None
        owner = d.get("330")
        if owner is not None and owner not in (msp_h, psp_h) and owner not in db:
            return None
        layer = d.get("8", "0")
        good = ok_layer.get(layer)
        if good is None:
            good = ok_layer[layer] = validator.is_valid_layer_name(layer)
        if not good:
            return None
        lt = d.get("6")
        if lt is not None:
            good = ok_linetype.get(lt)
            if good is None:
                key = validator.make_table_key(lt)
                good = ok_linetype[lt] = key in ("bylayer", "byblock") or key in doc.linetypes
            if not good:
                return None
        if "62" in d and not 0 <= int(d["62"]) <= 257:
            return None
        if "370" in d and int(d["370"]) not in lineweights:
            return None
        if "440" in d and not validator.is_transparency(int(d["440"])):
            return None
        p = (float(d["10"]), float(d["20"]))
        q = (float(d["11"]), float(d["21"]))
        if p == q:
            return None
        if owner == msp_h:
            in_msp = True
        elif owner == psp_h:
            in_msp = False
        else:
            in_msp = not int(d.get("67", "0") or 0)
        return handle, layer, [p, q], in_msp

    def build(a: int, b: int):
        tags = []
        for j in range(a, b):
            c = int(codes[j])
            if c != 999:
                tags.append(DXFTag(c, values[j]))
        tags.append(END)  # the compiler looks one tag ahead to finish a point
        compiled = list(tag_compiler(iter(tags)))
        if compiled[-1] != END:
            raise _GiveUp("tags do not compile")
        compiled.pop()
        return factory.load(ExtendedTags(compiled), doc)

    END = DXFTag(0, "ENDSEC")
    raw = _Raw()
    counts: Counter[str] = Counter()
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
        # built by ezdxf from its own tags, with the sub-entities that follow it
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
        if owner == psp_h or (owner != msp_h and e.dxf.get("paperspace", 0)):
            continue
        counts[t] += 1
        try:
            _collect(doc, e, t, layers, raw)
        except Exception:  # one odd entity never stops the read; it is counted (as on the full path)
            counts["(unreadable " + t + ")"] += 1
    return build_plan(path, doc, raw, counts, [], units, layers, reader="fast")
