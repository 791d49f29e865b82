"""The teaching tutorial in a real browser: JupyterLab on 127.0.0.1, headless Chromium through playwright.

Runs every cell of nbs/tutorials/skill_world.ipynb (a copy, so the repository stays clean), then checks that the
widgets rendered, moves the LP's tau slider and checks that the bars changed, clicks a heatmap cell and checks that
the detail panel filled. Screenshots go to $INSTR_DEP_SCREENSHOTS (default: the test's temporary directory).
"""
import json, os, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or "") if p and Path(p).exists()), None)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if CHROMIUM is None: pytest.skip("no Chromium found (make install adds Debian's chromium when run as root)")
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "nbs" / "tutorials" / "skill_world.ipynb", root / "skill_world.ipynb")
    port, token = _free_port(), "instr-dep-test"
    settings = root / ".settings" / "@jupyterlab" / "notebook-extension"          # render every cell (no windowing)
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = root / ".settings" / "@jupyterlab" / "apputils-extension"                # no "get notified about news?" toast
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"), JUPYTER_CONFIG_DIR=str(root / ".jupyter"), JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"), HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--LabApp.news_url=",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0: cmd.append("--allow-root")
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2); break
        except OSError: time.sleep(0.5)
    else:
        proc.kill(); pytest.fail("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-3000:])
    yield dict(url=url, token=token, root=root)
    proc.terminate()
    try: proc.wait(20)
    except subprocess.TimeoutExpired: proc.kill()

def _bars(page):
    return page.evaluate("""() => { for (const p of document.querySelectorAll('.js-plotly-plot'))
        if (p.data && p.data.some(t => t.type === 'bar')) return p.data.map(t => Array.from(t.y || [])); return null; }""")

def test_tutorial_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright
    shots = Path(os.environ.get("INSTR_DEP_SCREENSHOTS", lab["root"] / "screenshots")); shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(lab["root"] / ".chromium"), executable_path=CHROMIUM, headless=True,
                                                   args=FLAGS, viewport=dict(width=1500, height=1000))
        page = ctx.new_page()
        page.goto(f"{lab['url']}/lab/tree/skill_world.ipynb?token={lab['token']}", timeout=120_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=120_000)
        for _ in range(20):                                          # a kernel-choice dialog, if any: accept the default
            if page.locator(".jp-Dialog .jp-mod-accept").count(): page.locator(".jp-Dialog .jp-mod-accept").first.click()
            time.sleep(0.25)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        state = """() => { const nb = window.jupyterapp.shell.currentWidget; const cells = [];
            for (const c of nb.content.model.cells) if (c.type === 'code') cells.push(c.executionCount);
            const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
            return {counts: cells, kernel: k ? k.status : 'none'}; }"""
        deadline = time.time() + 900
        while time.time() < deadline:
            st = page.evaluate(state)
            if all(c for c in st["counts"]) and st["kernel"] == "idle": break
            errs = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
            if any("Traceback" in e for e in errs): pytest.fail("a cell failed:\n" + "\n".join(errs)[-3000:])
            time.sleep(2)
        else: pytest.fail(f"the tutorial did not finish in time: execution counts {st}")
        tracebacks = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        assert not any("Traceback" in e for e in tracebacks), tracebacks
        page.wait_for_timeout(3000)
        body = page.locator(".jp-Notebook").inner_text()
        assert "Error displaying widget" not in body and "model not found" not in body.lower(), body[-2000:]
        assert page.locator(".jp-Notebook .widget-slider").count() >= 4, "the explorers' sliders are not on the page"
        assert page.locator(".jp-Notebook .js-plotly-plot").count() >= 4, "plotly figures did not render"

        # the LP: move tau, the bars follow
        mix = page.locator(".widget-slider", has_text="τ (moved)").first
        mix.scroll_into_view_if_needed()
        before = _bars(page)
        assert before and len(before) == 2
        readout = mix.locator(".widget-readout")
        readout.click(); page.keyboard.press("Control+A"); page.keyboard.type("0.40"); page.keyboard.press("Enter")
        for _ in range(60):
            after = _bars(page)
            if after and after[1] != before[1]: break
            time.sleep(0.5)
        assert after[1] != before[1], "the bars did not change when tau moved"
        page.screenshot(path=str(shots / "mix_optimizer.png"), full_page=False)

        # the heatmap: click a cell, the detail panel fills
        heat = page.locator(".jp-Notebook .js-plotly-plot").filter(has=page.locator(".hm")).first
        heat.scroll_into_view_if_needed()
        drags = heat.locator(".nsewdrag")
        boxes = [drags.nth(k).bounding_box() for k in range(drags.count())]
        box = max((b for b in boxes if b), key=lambda b: b["width"] * b["height"])
        page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
        panel = page.locator(".widget-html", has_text="data added").first
        panel.wait_for(timeout=30_000)
        text = panel.inner_text()
        assert "Γ =" in text and "seed" in text and "examples of" in text, text
        heat.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')]").first.screenshot(path=str(shots / "heatmap_explorer.png"))
        page.screenshot(path=str(shots / "lab.png"))
        ctx.close()
    assert (shots / "heatmap_explorer.png").stat().st_size > 10_000
