"""Refresh the committed offline web-map assets from the npm registry.

``python -m gridmap.io.vendor static/vendor`` runs ``npm pack`` for each package
in `gridmap.vendored.PACKAGES`, checks the tarball's sha512 against the
pinned digest, and unpacks only the listed files and the licence into
``static/vendor/<package>@<version>/``. Already complete folders are skipped,
so the step is cheap to repeat. Nothing is fetched at run time.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from gridmap.errors import GridmapError
from gridmap.vendored import INSTALL_COMMAND, PACKAGES, NpmPackage, required_files


class VendorError(GridmapError):
    """The offline assets could not be installed."""


def missing_vendor_assets(folder: str | os.PathLike[str]) -> list[str]:
    """Files of the offline assets that are not in `folder` (empty when complete)."""
    root = Path(folder)
    return [name for name in required_files() if not (root / name).is_file()]


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _pack(package: NpmPackage, workdir: Path, npm: str) -> Path:
    spec = f"{package.name}@{package.version}"
    try:
        done = subprocess.run(
            [npm, "pack", spec, "--json", "--pack-destination", str(workdir)],
            cwd=workdir,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    except FileNotFoundError as exc:
        raise VendorError(
            f"{npm!r} was not found; install Node.js and npm "
            "(Debian: apt-get install nodejs npm) and run "
            f"`{INSTALL_COMMAND}` again."
        ) from exc
    if done.returncode != 0:
        raise VendorError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
    filename = json.loads(done.stdout)[0]["filename"]
    return workdir / filename


def _unpack(tarball: Path, package: NpmPackage, target: Path) -> None:
    wanted = {f"package/{name}": name for name in (*package.files, package.licence)}
    with tarfile.open(tarball, "r:gz") as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        missing = sorted(set(wanted) - set(members))
        if missing:
            raise VendorError(f"{package.folder} has no {', '.join(missing)}")
        for member_name, relative in wanted.items():
            source = archive.extractfile(members[member_name])
            assert source is not None
            out = target / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("wb") as fh:
                shutil.copyfileobj(source, fh)


def install_vendor_assets(
    folder: str | os.PathLike[str],
    *,
    npm: str = "npm",
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Fetch, verify and unpack the pinned npm packages into `folder`.

    Returns the names of the packages installed (skipped ones are complete).
    Raises `VendorError` when npm fails or a tarball's digest differs.
    """
    root = Path(folder)
    installed = []
    for package in PACKAGES.values():
        target = root / package.folder
        files = [target / n for n in (*package.files, package.licence)]
        if not force and all(f.is_file() for f in files):
            continue
        if progress:
            progress(f"fetching {package.folder}")
        with tempfile.TemporaryDirectory() as tmp:
            tarball = _pack(package, Path(tmp), npm)
            found = _integrity(tarball)
            if found != package.integrity:
                raise VendorError(
                    f"{package.folder}: the tarball's digest {found} differs from "
                    f"the pinned {package.integrity}; not installed."
                )
            staging = Path(tmp) / "staging"
            _unpack(tarball, package, staging)
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staging, target)
        installed.append(package.folder)
    return installed


def main(argv: list[str] | None = None) -> int:
    """Install the offline map assets (``python -m gridmap.io.vendor [folder] [--force]``)."""
    args = sys.argv[1:] if argv is None else argv
    folder = args[0] if args else "static/vendor"
    try:
        done = install_vendor_assets(
            folder, force="--force" in args, progress=lambda m: print(f"... {m}", file=sys.stderr)
        )
    except GridmapError as exc:
        print(f"gridmap: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"offline map assets in {folder}: "
        f"{'installed ' + ', '.join(done) if done else 'already complete'}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
