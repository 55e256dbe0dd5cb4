"""Thumbnails for the batch page: each floor image cropped to the floor plan.

The annotated page shows the floor with a margin and a side panel; a
thumbnail of the whole page is mostly panel and paper. Each page knows its
pixel affine (metres → pixels), so the crop is the box of the floor's
outline (or, without one, of its rooms) on that page, with a small margin.
A page with neither keeps the whole image, scaled down.
"""

from __future__ import annotations

from pathlib import Path

THUMB_PX = (360, 270)  # the largest thumbnail, width × height
PAD = 0.04  # share of the box's larger side added around it


def floor_box(run, floor_id: str) -> tuple[float, float, float, float] | None:
    """The floor's extents (m): its outline rings, else its rooms' outlines."""
    m = run.result.measurement
    floor = next((f for f in m.floors if f.id == floor_id), None)
    rings = list(floor.outline_rings) if floor is not None else []
    if not rings:
        rings = [r.ring for r in m.rooms if r.floor == floor_id]
    pts = [p for ring in rings for p in ring]
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def pixel_box(page, box, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The box (m) on the page image, padded and clipped to the image; None if it misses it."""
    (c0, r0), (c1, r1) = page.to_pixel(box[0], box[1]), page.to_pixel(box[2], box[3])
    left, right, top, bottom = min(c0, c1), max(c0, c1), min(r0, r1), max(r0, r1)
    pad = PAD * max(right - left, bottom - top, 1.0)
    out = (max(0, int(left - pad)), max(0, int(top - pad)), min(size[0], int(right + pad + 1)),
           min(size[1], int(bottom + pad + 1)))
    return out if out[2] - out[0] >= 4 and out[3] - out[1] >= 4 else None


def write_thumbnails(run, pages, folder: Path) -> list[str]:
    """thumb-<image>.png beside each PNG page image (in the site's folder under construction, which is
    swapped in whole); returns the file names written."""
    from PIL import Image

    names = []
    for page in pages:
        src = Path(page.path)
        if src.suffix.lower() != ".png" or not src.is_file():
            continue
        with Image.open(src) as im:
            im.load()
            box = floor_box(run, page.floor) if page.floor else None
            crop = pixel_box(page, box, im.size) if box else None
            small = (im.crop(crop) if crop else im).convert("RGB")
        small.thumbnail(THUMB_PX)
        name = f"thumb-{src.stem}.png"
        small.save(folder / name, format="PNG", optimize=True)
        names.append(name)
    return names
