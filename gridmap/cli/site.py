"""`gridmap site` (where to put new equipment points) and `gridmap bom` (what to buy)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridmap.cli.audit_trail import (
    PUBLIC_HELP,
    Trail,
    author,
    exporting,
    start_export,
    views,
)
from gridmap.cli.common import app, progress
from gridmap.cli.options import positive_distance, positive_number, unit_share
from gridmap.cli.outputs import Outputs

if TYPE_CHECKING:
    from gridmap.analysis.equipment import SitingResult
    from gridmap.district import District


class SiteModel(StrEnum):
    """The siting models ``gridmap site --model`` accepts."""

    mclp = "mclp"
    lscp = "lscp"
    pmedian = "pmedian"


class SiteDemand(StrEnum):
    """The demand ``gridmap site --demand`` serves: households, units or both."""

    households = "households"
    units = "units"
    both = "both"


def _summary(result) -> list[str]:
    t, params = result.totals, result.params
    reach = f"{params['radius_m']:g} m"
    if params.get("minutes") is not None:
        reach += f" = {params['minutes']:g} min at {params['speed_kmh']:g} km/h"
    lines = [
        f"Model {params['model']} ({params['distance']}, {reach}): {result.status}, "
        f"gap {result.gap:.3%}, {result.time:.2f} s",
        f"Demand {t['demand']:g}; covered before {t['covered_before']:g} "
        f"({t['share_before']:.1%}), after {t['covered_after']:g} ({t['share']:.1%})",
        f"Existing points kept: {t['existing_points']}; new points: {t['new_points']}",
    ]
    for row in result.sites.itertuples():
        lines.append(
            f"  {row.site_id:<14} {row.small_id or '-':<14} {row.medium_id or '-':<12}"
            f" +{row.newly_covered:g}"
        )
    return lines


@app.command()
def site(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    model: SiteModel = typer.Option(SiteModel.mclp, "--model", help="mclp, lscp or pmedian."),
    count: int | None = typer.Option(None, "--count", min=0, help="New points (mclp, pmedian)."),
    radius: float = typer.Option(300.0, "--radius", help="Service distance, metres (above 0)."),
    minutes: float | None = typer.Option(
        None, "--minutes", help="Service distance in walking minutes (overrides radius)."
    ),
    speed: float | None = typer.Option(
        None,
        "--speed",
        metavar="KMH",
        help="Walking speed for --minutes, km/h (default 5; slower for the elderly, e.g. 3).",
    ),
    demand: SiteDemand = typer.Option(SiteDemand.households, "--demand"),
    candidates: str = typer.Option(
        "auto", "--candidates", help="A point layer of the file, or auto, buildings, lattice."
    ),
    keep_existing: bool = typer.Option(
        True, "--keep-existing/--ignore-existing", help="Count existing and planned points."
    ),
    share: float = typer.Option(1.0, "--share", help="LSCP: share to cover (0 to 1)."),
    unsuitable: str | None = typer.Option(None, "--unsuitable", help="Polygon layer to avoid."),
    roads: str = typer.Option("roads", "--roads", help="Line layer for walking distance."),
    straight: bool = typer.Option(False, "--straight", help="Straight-line distance."),
    min_per_grid: int = typer.Option(0, "--min-per-grid", min=0),
    max_per_grid: int | None = typer.Option(None, "--max-per-grid", min=0),
    capacity: float | None = typer.Option(None, "--capacity", help="Households/point."),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Seconds."),
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the result as JSON here (- for stdout)."
    ),
    save: bool = typer.Option(False, "--save", help="Append the sites to equipment_points."),
    user: str | None = typer.Option(
        None,
        "--user",
        hidden=True,
        help="Refused unless it is the OS user: the edit log records the OS user.",
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why, for the edit log."),
    crs: str | None = typer.Option(None, help="CRS for layers without one, e.g. EPSG:4490."),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Choose new equipment storage points (消防器材存放点) by maximal coverage or set cover."""
    from gridmap.analysis.equipment import WALKING_SPEED_KMH, SitingOptions, site_equipment
    from gridmap.io import read_district
    from gridmap.io.extra_layers import read_extra_layers

    if model.value in ("mclp", "pmedian") and count is None:
        raise typer.BadParameter("--count is required for mclp and pmedian.", param_hint="--count")
    if speed is not None and minutes is None:
        raise typer.BadParameter(
            "--speed sets the walking speed for --minutes; give --minutes too, or use --radius.",
            param_hint="--speed",
        )
    radius = positive_distance(radius, "--radius")  # before reading the file
    if minutes is not None:
        minutes = positive_number(minutes, "--minutes", what="minutes", example="5")
    if speed is not None:
        speed = positive_number(speed, "--speed", what="km/h", example="3")
    if capacity is not None:
        capacity = positive_number(capacity, "--capacity", what="households", example="200")
    time_limit = positive_number(time_limit, "--time-limit", what="seconds", example="60")
    share = unit_share(share, "--share")
    saved_by = author(user) if save else None
    outputs = Outputs()
    outputs.declare("--json", json_out, "text")
    trail = None
    if save or json_out is not None:  # the save is an administrator's, public or not
        trail = Trail.start("site", public=public, notice=save or not public)
    district = read_district(file, crs=crs, progress=progress)
    named = [x for x in (candidates, unsuitable) if x and x not in ("auto", "buildings", "lattice")]
    work = read_extra_layers(district, required=named, optional=[] if straight else [roads])
    work = views(work, public=public).counted
    progress(f"siting ({model.value})")
    options = SitingOptions(
        model=model.value,
        count=count,
        radius=radius,
        minutes=minutes,
        speed_kmh=WALKING_SPEED_KMH if speed is None else speed,
        demand=demand.value,
        candidates=candidates,
        keep_existing=keep_existing,
        share=share,
        unsuitable=unsuitable,
        roads=None if straight else roads,
        min_per_grid=min_per_grid,
        max_per_grid=max_per_grid,
        capacity=capacity,
        time_limit=time_limit,
    )
    result = site_equipment(work, options)
    document = result.to_json()
    saved: list[str] = []
    if save and len(result.sites):
        assert trail is not None and saved_by is not None
        saved = _save(district, result, user=saved_by, reason=reason, trail=trail)
        document["saved"] = saved
    if json_out is not None:
        from gridmap.io import write_json

        with outputs.guard(), exporting(trail, outputs):
            outputs.write("--json", lambda path: write_json(path, document))
    outputs.echo("\n".join(_summary(result)))
    if save:
        outputs.echo(f"Saved {len(saved)} planned points to {file}")


def _save(
    district: District, result: SitingResult, *, user: str, reason: str | None, trail: Trail
) -> list[str]:
    from gridmap.analysis.equipment import siting_edit
    from gridmap.io import save_edit

    params = result.params
    edit = siting_edit(
        district,
        result,
        user=user,
        reason=reason
        or f"gridmap site {params['model']} r={params['radius_m']:g}m ({result.status})",
    )
    ids = [str(i) for i in edit.added["point_id"]]
    grids = [str(g) for g in result.sites["small_id"].dropna()]
    detail = f"gridmap site --save: {edit.layer} + {', '.join(ids)} into {district.path}"
    try:
        save_edit(district, edit)
    except Exception as exc:
        trail.failed("save", detail, exc, grids=grids)
        raise
    trail.record(
        "save",
        detail,
        grids=grids,
        done="the points were saved, but this save is missing from the audit log",
    )
    return ids


@app.command()
def bom(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    xlsx_out: Path | None = typer.Option(None, "--xlsx", help="Write the equipment ledger here."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the kit per community, totals and shortfalls as JSON."
    ),
    crs: str | None = typer.Option(None, help="CRS for layers without one, e.g. EPSG:4490."),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Bill of materials for planned points and pilot communities, and inventory shortfalls."""
    from gridmap.analysis.equipment import (
        COMMUNITY_COLUMNS,
        TOTAL_ROW,
        bill_of_materials,
        inventory_shortfalls,
    )
    from gridmap.io import read_district

    outputs = Outputs()
    outputs.declare("--json", Path("-") if as_json else None, "text")  # printed
    outputs.declare("--xlsx", xlsx_out, "binary", what="the equipment ledger workbook")
    trail = start_export("bom", outputs, public=public)
    district = views(read_district(file, crs=crs, progress=progress), public=public).counted
    materials = bill_of_materials(district)
    shortfalls = inventory_shortfalls(district)
    short = shortfalls[~shortfalls["complete"]]
    with outputs.guard(), exporting(trail, outputs):
        if xlsx_out is not None:
            from gridmap.tasks import write_equipment_ledger

            progress(f"writing {xlsx_out}")
            outputs.write(
                "--xlsx",
                lambda path: write_equipment_ledger(path, materials, shortfalls),
                suffix=".xlsx",
            )
        if as_json:
            communities = materials.per_community
            document = {
                "per_community": communities[
                    communities[COMMUNITY_COLUMNS["medium_id"]] != TOTAL_ROW
                ].to_dict(orient="records"),
                "total": materials.total.to_dict(orient="records"),
                "points_checked": len(shortfalls),
                "points_short": len(short),
                "shortfalls": short.drop(columns="geometry").to_dict(orient="records"),
            }
            typer.echo(json.dumps(document, ensure_ascii=False, default=str))
    if as_json:
        return
    lines = ["Bill of materials (物资汇总):"]
    lines += [f"  {row[0]}: {row[-1]} {row[2]}" for row in materials.total.itertuples(index=False)]
    lines.append(f"Existing points checked: {len(shortfalls)}; short of the standard: {len(short)}")
    lines += [f"  {row.point_id}: short {row.short_total}" for row in short.itertuples()]
    outputs.echo("\n".join(lines))
