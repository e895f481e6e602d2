"""scripts/setup.sh installs the missing Debian packages (python3-venv always) with apt-get directly as root and
through sudo otherwise, passing DEBIAN_FRONTEND either way, and stops with a clear message when neither works.
Run against stand-ins for id, dpkg, apt-get and sudo that record what they were asked."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/bash\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the repository's setup script with an installed .venv stand-in (so pip is not run), and a
    folder of stand-in commands; returns (repo, bin)."""
    repo, bindir = tmp_path / "repo", tmp_path / "bin"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", repo / "scripts" / "setup.sh")
    shutil.copy(ROOT / "scripts" / "web-assets.sh", repo / "scripts" / "web-assets.sh")
    for name in ("pyproject.toml", "constraints.txt", "package-lock.json"):
        (repo / name).write_text("", encoding="utf-8")
    vendor = repo / "src" / "sitmon" / "disseminate" / "web" / "static" / "vendor"
    vendor.mkdir(parents=True)
    (vendor / ".installed").touch()
    os.utime(vendor / ".installed", (2e9, 2e9))  # newer than the lock file: the web assets are installed
    (repo / ".venv" / "bin").mkdir(parents=True)
    _stub(repo / ".venv" / "bin", "python", "exit 0")
    for mode in ("runtime", "dev"):
        stamp = repo / ".venv" / f".sitmon-installed-{mode}"
        stamp.touch()
        os.utime(stamp, (2e9, 2e9))  # newer than pyproject.toml: nothing to pip install
    bindir.mkdir()
    for real in ("dirname", "env", "cat"):
        (bindir / real).symlink_to(shutil.which(real) or f"/usr/bin/{real}")
    _stub(bindir, "dpkg", "exit 1")  # every package is missing
    _stub(bindir, "npm", "exit 0")  # npm is there (it came with Node.js)
    _stub(bindir, "apt-get", f'echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> {tmp_path}/calls')
    return repo, bindir


def _run(repo: Path, bindir: Path, uid: int, mode: str = "runtime") -> subprocess.CompletedProcess[str]:
    _stub(bindir, "id", f"echo {uid}")
    return subprocess.run(
        ["/bin/bash", str(repo / "scripts" / "setup.sh"), mode],
        capture_output=True,
        text=True,
        env={"PATH": str(bindir), "HOME": str(repo)},
        timeout=60,
    )


def test_as_root_apt_get_runs_directly(sandbox):
    repo, bindir = sandbox
    res = _run(repo, bindir, 0, "dev")
    assert res.returncode == 0, res.stderr
    calls = (repo.parent / "calls").read_text(encoding="utf-8").splitlines()
    assert calls[0] == "apt-get update -qq DEBIAN_FRONTEND=noninteractive"
    assert calls[1].startswith(
        "apt-get install -y -qq --no-install-recommends python3-venv fonts-noto-cjk "
        "postgresql openjdk-17-jre-headless"
    ) and calls[1].endswith("DEBIAN_FRONTEND=noninteractive")


def test_otherwise_through_sudo(sandbox):
    repo, bindir = sandbox
    _stub(bindir, "sudo", f'echo "sudo $1" >> {repo.parent}/calls; exec "$@"')
    res = _run(repo, bindir, 1000)
    assert res.returncode == 0, res.stderr
    calls = (repo.parent / "calls").read_text(encoding="utf-8").splitlines()
    assert calls == [
        "sudo env",
        "apt-get update -qq DEBIAN_FRONTEND=noninteractive",
        "sudo env",
        "apt-get install -y -qq --no-install-recommends python3-venv fonts-noto-cjk "
        "DEBIAN_FRONTEND=noninteractive",
    ]


def test_without_root_or_sudo_it_says_what_to_install(sandbox):
    repo, bindir = sandbox
    res = _run(repo, bindir, 1000)
    assert res.returncode == 1
    assert "python3-venv" in res.stderr and "no sudo" in res.stderr
    assert not (repo.parent / "calls").exists()


def test_without_npm_the_debian_npm_is_installed_and_dev_adds_the_browser(sandbox):
    repo, bindir = sandbox
    (bindir / "npm").unlink()
    res = _run(repo, bindir, 0, "dev")
    assert res.returncode == 0, res.stderr
    calls = (repo.parent / "calls").read_text(encoding="utf-8").splitlines()
    assert calls[1].startswith(
        "apt-get install -y -qq --no-install-recommends python3-venv npm fonts-noto-cjk "
        "postgresql openjdk-17-jre-headless chromium poppler-utils "
    )
