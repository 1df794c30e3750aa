"""The npm packages GridMap vendors for its offline web maps, pinned.

Each `NpmPackage` names a version, the sha512 digest of its tarball, the files
kept and the licence file. Two floors use this table and neither imports the
other: `gridmap.render.web.assets` points the maps' JS/CSS links at the local
copies (``<package>@<version>/<file>``), and `gridmap.io.vendor` installs and
checks the copies on disk (``python -m gridmap.io.vendor static/vendor``).

>>> PACKAGES["leaflet"].folder
'leaflet@1.9.4'
>>> required_files()[0]
'leaflet@1.9.4/dist/leaflet.js'
"""

from __future__ import annotations

from dataclasses import dataclass

#: The command that restores the committed assets, for messages and the README.
INSTALL_COMMAND = "python -m gridmap.io.vendor static/vendor"


@dataclass(frozen=True)
class NpmPackage:
    """An npm package GridMap vendors: pinned version, tarball digest, files kept."""

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]
    licence: str

    @property
    def folder(self) -> str:
        """The package's folder name, ``name@version``."""
        return f"{self.name}@{self.version}"


PACKAGES: dict[str, NpmPackage] = {
    p.name: p
    for p in (
        NpmPackage(
            "leaflet",
            "1.9.4",
            "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+"
            "FA74PA==",
            (
                "dist/leaflet.js",
                "dist/leaflet.css",
                "dist/images/layers.png",
                "dist/images/layers-2x.png",
                "dist/images/marker-icon.png",
                "dist/images/marker-icon-2x.png",
                "dist/images/marker-shadow.png",
            ),
            "LICENSE",
        ),
        NpmPackage(
            "leaflet.markercluster",
            "1.5.3",
            "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSE"
            "GfCSeA==",
            (
                "dist/leaflet.markercluster.js",
                "dist/MarkerCluster.css",
                "dist/MarkerCluster.Default.css",
            ),
            "MIT-LICENCE.txt",
        ),
        NpmPackage(
            "leaflet.heat",
            "0.2.0",
            "sha512-Cd5PbAA/rX3X3XKxfDoUGi9qp78FyhWYurFg3nsfhntcM/MCNK08pRkf4iEenO1KNqwVPKCmkyktjW3U"
            "D+h9bQ==",
            ("dist/leaflet-heat.js",),
            "LICENSE",
        ),
        NpmPackage(
            "leaflet-draw",
            "1.0.4",
            "sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8qMoFvACsPvTioAuysya/T"
            "Vtog15tyAQ==",
            (
                "dist/leaflet.draw.js",
                "dist/leaflet.draw.css",
                "dist/images/spritesheet.png",
                "dist/images/spritesheet-2x.png",
                "dist/images/spritesheet.svg",
            ),
            "package.json",  # the tarball has no LICENSE file; package.json declares MIT
        ),
    )
}


def required_files() -> list[str]:
    """Every file the install step must produce, relative to the vendor folder."""
    out = []
    for package in PACKAGES.values():
        out += [f"{package.folder}/{name}" for name in (*package.files, package.licence)]
    return out
