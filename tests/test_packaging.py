"""`pip install .` into a fresh virtual environment ships the rules (rules/ becomes iaclint.rules)."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from iaclint.catalog import all_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_install_finds_rules(tmp_path: Path) -> None:
    venv.create(tmp_path / "env", with_pip=True)
    python = tmp_path / "env" / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    listed = subprocess.run([str(tmp_path / "env" / "bin" / "iaclint"), "rules"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    # Every rule of the checkout, whatever its area: no package list to keep up to date.
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [rule.code for rule in all_rules()]
    location = subprocess.run([str(python), "-c", "import iaclint.rules as r; print(r.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path)
    assert str(tmp_path / "env") in location.stdout  # installed copy, not the checkout
    scanned = subprocess.run([str(tmp_path / "env" / "bin" / "iaclint"), str(ROOT / "fixtures/core/terraform/basics")],
                             capture_output=True, text=True, cwd=tmp_path)
    assert scanned.returncode == 1 and "IAC201 [high] open-ingress" in scanned.stdout
    # Package data (the schema-derived table of secret-bearing properties) ships too.
    template = subprocess.run([str(tmp_path / "env" / "bin" / "iaclint"),
                               str(ROOT / "fixtures/secrets/schema-properties.yaml")],
                              capture_output=True, text=True, cwd=tmp_path)
    assert template.returncode == 1 and "hard-coded secret in TokenKey" in template.stdout, template.stderr
    assert sys.version_info >= (3, 10)


@pytest.mark.slow
def test_the_cfn_lint_extra_installs_from_a_local_path(tmp_path: Path) -> None:
    """`pip install "PATH[cfn-lint]"` (the README's from-a-clone form): the extra exists, and with it cfn-lint
    runs iaclint's rules.  cfn-lint and its dependencies are taken from the test environment (a .pth file),
    so nothing is downloaded for them."""
    import sysconfig

    venv.create(tmp_path / "env", with_pip=True)
    python = str(tmp_path / "env" / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", f"{ROOT}[cfn-lint]"],
                             capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert install.returncode == 0, install.stderr[-2000:]
    assert "does not provide the extra" not in install.stdout + install.stderr
    requires = subprocess.run([python, "-c", "from importlib.metadata import requires; print(requires('iaclint'))"],
                              capture_output=True, text=True, cwd=tmp_path)
    assert "cfn-lint>=1.0; extra == \"cfn-lint\"" in requires.stdout
    listed = subprocess.run([python, "-c", "import sys, iaclint; from cfnlint.runner import main; "
                             "print(iaclint.__file__); sys.argv[1:] = ['--append-rules=iaclint.cfnlint', "
                             "'--list-rules']; main()"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    lines = listed.stdout.splitlines()
    assert lines[0].startswith(str(tmp_path / "env")), "the installed copy, not the checkout"
    assert "E9201: IAC201 open-ingress" in lines
