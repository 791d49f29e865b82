"One test per notebook: each runs top to bottom under nbdev_test (cells flagged slow or gpu are skipped)."
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run

NOTEBOOKS = sorted(p.relative_to(ROOT / "nbs").as_posix() for p in (ROOT / "nbs").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)

@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_notebook(nb):
    p = run([str(Path(sys.executable).with_name("nbdev_test")), "--path", f"nbs/{nb}"])
    assert p.returncode == 0, f"nbdev_test failed on {nb}:\n{p.stdout[-6000:]}\n{p.stderr[-6000:]}"
