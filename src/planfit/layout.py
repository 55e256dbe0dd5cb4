"""What a plan shows besides rooms: the profile's layout settings, recognised blocks, where they stand,
and the access graph. Built once per check and read by the equipment, sign, window and access rules."""

from __future__ import annotations

from dataclasses import dataclass

from .access import Access
from .blocks import BlockVocabulary, Inventory
from .errors import ProfileError, problem
from .measure import Measurement
from .model import Plan
from .profile import Profile
from .tolerances import tolerances
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class Settings:
    """The profile's [profile.windows|equipment|signage|access] tables."""

    window_zone: str
    window_label_distance: float
    surveillance_zone: str
    cameras: tuple[str, ...]
    recorders: tuple[str, ...]
    public: tuple[str, ...]
    private_zones: tuple[str, ...]
    optional: tuple[tuple[str, str], ...]  # (kind, clause)
    name_signs: tuple[str, ...]
    guide_signs: tuple[str, ...]
    sign_entrance_distance: float
    sign_wall_distance: float
    guide_distance: float
    tolerance: float
    min_opening: float
    entrance_distance: float
    vertical: tuple[str, ...]
    entrance_labels: tuple[str, ...]

    @classmethod
    def load(cls, profile: Profile) -> "Settings":
        from .datafiles import load_packaged, load_toml

        path = profile.path
        packaged = _profile_is_packaged(profile)
        head = (load_packaged("yantai.toml") if packaged else load_toml(path)).get("profile", {})

        def table(name):
            t = head.get(name)
            if not isinstance(t, dict):
                raise ProfileError(path, f"profile.{name}", problem("missing_table"))
            return t

        def num(t, name, key):
            v = t.get(key)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise ProfileError(path, f"profile.{name}.{key}", problem("non_negative_number"))
            return float(v)

        def strs(t, name, key):
            v = t.get(key)
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ProfileError(path, f"profile.{name}.{key}", problem("list_of_strings"))
            return tuple(v)

        def text(t, name, key):
            v = t.get(key)
            if not isinstance(v, str):
                raise ProfileError(path, f"profile.{name}.{key}", problem("a_string"))
            return v

        w, e, s, a = (table(n) for n in ("windows", "equipment", "signage", "access"))
        optional = []
        for i, o in enumerate(e.get("optional", [])):
            if not isinstance(o, dict) or not isinstance(o.get("kind"), str) or not isinstance(o.get("clause"), str):
                raise ProfileError(path, f"profile.equipment.optional[{i}]", problem("kind_and_clause"))
            optional.append((o["kind"], o["clause"]))
        for t, td in profile.tiers.items():
            groups = td.get("window_categories", [])
            if not isinstance(groups, list) or not all(
                    isinstance(g, list) and g and all(isinstance(x, str) for x in g) for g in groups):
                raise ProfileError(path, f"tiers.{t}.window_categories", problem("list_of_lists"))
            sfx = td.get("name_suffixes", [])
            if not isinstance(sfx, list) or not all(isinstance(x, str) for x in sfx):
                raise ProfileError(path, f"tiers.{t}.name_suffixes", problem("list_of_strings"))
        return cls(
            window_zone=text(w, "windows", "zone"), window_label_distance=num(w, "windows", "label_distance"),
            surveillance_zone=text(e, "equipment", "surveillance_zone"), cameras=strs(e, "equipment", "cameras"),
            recorders=strs(e, "equipment", "recorders"), public=strs(e, "equipment", "public"),
            private_zones=strs(e, "equipment", "private_zones"), optional=tuple(optional),
            name_signs=strs(s, "signage", "name_signs"), guide_signs=strs(s, "signage", "guide_signs"),
            sign_entrance_distance=num(s, "signage", "entrance_distance"),
            sign_wall_distance=num(s, "signage", "wall_distance"), guide_distance=num(s, "signage", "guide_distance"),
            tolerance=num(a, "access", "tolerance"), min_opening=num(a, "access", "min_opening"),
            entrance_distance=num(a, "access", "entrance_distance"), vertical=strs(a, "access", "vertical"),
            entrance_labels=strs(a, "access", "entrance_labels"),
        )


def _profile_is_packaged(profile: Profile) -> bool:
    from .datafiles import packaged_path

    return profile.path == packaged_path("yantai.toml")


@dataclass(frozen=True)
class Layout:
    """What the plan shows besides rooms: recognised blocks, where they stand, the access graph."""

    settings: Settings
    blocks: BlockVocabulary
    inventory: Inventory
    item_rooms: tuple[str, ...]  # room id holding each item, "" when outside every room
    access: Access
    shown: bool  # any equipment, sign or service-window block at all


def layout(plans: list[Plan], meas: Measurement, profile: Profile, vocab: Vocabulary) -> Layout:
    from . import access as access_mod
    from .blocks import BlockVocabulary, inventory

    settings = Settings.load(profile)
    blocks = BlockVocabulary.load(tuple(vocab.sources[1:]))
    inv = inventory(plans, blocks, settings.window_label_distance)
    from shapely import STRtree

    polys = [access_mod._poly(r.ring) for r in meas.rooms]
    room_tree = STRtree(polys) if polys else None
    found = access_mod.locate_all([it.point for it in inv.items], [it.file for it in inv.items], meas.rooms,
                                  polys, room_tree, tolerances()["access"]["locate_near"])
    item_rooms = [r.id if r else "" for r in found]
    acc = access_mod.build(plans, meas.rooms, meas.floors, inv, settings.vertical, settings.entrance_labels,
                           settings.name_signs, settings.tolerance, settings.min_opening, settings.entrance_distance,
                           polys=polys, layers=vocab.layers)
    shown = any(i.role in ("sign", "equipment", "service-window") for i in inv.items)
    return Layout(settings, blocks, inv, tuple(item_rooms), acc, shown)
