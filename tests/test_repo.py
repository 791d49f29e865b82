"Repository hygiene: the exported library matches the notebooks, and notebooks carry no outputs or widget state."
import json, sys
from pathlib import Path

from conftest import ROOT, run

def _git_status():
    return run(["git", "status", "--porcelain", "--untracked-files=all"], check=True).stdout

def test_notebooks_have_no_outputs_or_widget_state():
    problems = []
    for nb in sorted((ROOT / "nbs").rglob("*.ipynb")):
        d = json.loads(nb.read_text(encoding="utf-8"))
        if "widgets" in d.get("metadata", {}): problems.append(f"{nb.name}: saved widget state in metadata")
        for k, c in enumerate(d["cells"]):
            if c["cell_type"] != "code": continue
            if c.get("outputs"): problems.append(f"{nb.name} cell {k}: has outputs")
            if c.get("execution_count") is not None: problems.append(f"{nb.name} cell {k}: has an execution count")
    assert not problems, "unclean notebooks (run nbdev_clean):\n" + "\n".join(problems)

def test_export_and_clean_leave_git_clean():
    before = _git_status()
    assert before == "", f"the working tree is not clean before the check:\n{before}"
    bindir = Path(sys.executable).parent
    run([str(bindir / "nbdev_export")], check=True)
    run([str(bindir / "nbdev_clean")], check=True)
    after = _git_status()
    assert after == "", ("nbdev_export / nbdev_clean changed the repository: the exported modules or the notebooks "
                         f"were not committed in sync:\n{after}\n" + run(["git", "diff", "--stat"]).stdout)
