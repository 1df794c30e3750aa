"""The coverage check finds exactly the defects planted in the sample district."""

from __future__ import annotations

import pyproj

from gridmap.analysis.coverage import CHECKS, check_coverage
from gridmap.demo import PLANTED_DEFECTS, build_demo_district
from gridmap.district import District


def test_sample_district_findings_are_the_planted_defects() -> None:
    layers = build_demo_district()
    crs = layers["grid_large"].crs
    report = check_coverage(District(layers=layers, crs=pyproj.CRS.from_user_input(crs)))
    found = sorted((f.check, f.layer, tuple(f.ids)) for f in report.findings.itertuples())
    planted = []
    for defect in PLANTED_DEFECTS:
        if defect.check not in CHECKS:  # inspection and equipment defects belong elsewhere
            continue
        if defect.check == "overlap":
            planted.append((defect.check, defect.layer, tuple(sorted(defect.ids))))
        else:
            planted += [(defect.check, defect.layer, (i,)) for i in defect.ids]
    assert found == sorted(planted)
    # every finding of the sample is placed in its town and community
    assert report.findings["large_id"].notna().all()
    assert report.findings["medium_id"].notna().all()
