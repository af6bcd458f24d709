"""The official ``huggingface_hub`` client, unmodified, managing repos on the local Hub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from hubapi_async.testing import LocalHub

TOKEN = "hf_local_token"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalHub]:
    hub = LocalHub(models=300, datasets=40, spaces=40)
    with hub.in_thread():
        yield hub


@pytest.fixture
def api(server: LocalHub, monkeypatch: pytest.MonkeyPatch) -> HfApi:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    server.requests.clear()
    return HfApi(endpoint=server.url, token=TOKEN)


def test_create_repo(api: HfApi, server: LocalHub) -> None:
    url = api.create_repo("demo/hf-model", private=True)
    assert url == f"{server.url}/demo/hf-model"
    assert (url.repo_id, url.repo_type) == ("demo/hf-model", "model")
    sent = server.requests[-1].json()
    assert sent["visibility"] == "private" and sent["name"] == "hf-model"
    info = api.model_info("demo/hf-model")
    assert info.private is True and info.author == "demo"
    assert [s.rfilename for s in info.siblings or []] == [".gitattributes"]
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_repo("demo/hf-model")
    assert caught.value.response.status_code == 409
    assert api.create_repo("demo/hf-model", exist_ok=True) == url


def test_create_repo_in_the_callers_namespace(api: HfApi, server: LocalHub) -> None:
    url = api.create_repo("hf-bare", repo_type="dataset")
    assert server.requests[-1].json()["organization"] is None  # the official client sends null
    assert url.repo_id == "demo/hf-bare" and url.repo_type == "dataset"
    assert api.dataset_info("demo/hf-bare").id == "demo/hf-bare"


def test_create_space_with_an_sdk(api: HfApi, server: LocalHub) -> None:
    url = api.create_repo("demo/hf-space", repo_type="space", space_sdk="streamlit")
    assert url == f"{server.url}/spaces/demo/hf-space" and url.repo_type == "space"
    assert server.requests[-1].json()["sdk"] == "streamlit"
    info = api.space_info("demo/hf-space")
    assert info.sdk == "streamlit" and info.card_data is not None
    assert api.create_repo("hf-space", repo_type="space", space_sdk="streamlit", exist_ok=True)


def test_create_repo_without_rights(api: HfApi, server: LocalHub) -> None:
    bob = HfApi(endpoint=server.url, token="hf_local_bob")
    with pytest.raises(HfHubHTTPError) as caught:
        bob.create_repo("demo-org/by-bob")
    assert caught.value.response.status_code == 403
    assert "rights" in caught.value.server_message
    assert not api.repo_exists("demo-org/by-bob")


def test_update_repo_settings(api: HfApi, server: LocalHub) -> None:
    api.create_repo("demo/hf-settings")
    api.update_repo_settings("demo/hf-settings", gated="manual")
    assert server.requests[-1].json() == {"gated": "manual"}
    assert server.requests[-1].path == "/api/models/demo/hf-settings/settings"
    assert api.model_info("demo/hf-settings").gated == "manual"
    api.update_repo_settings("demo/hf-settings", private=True, gated=False)
    assert server.requests[-1].json() == {"gated": False, "visibility": "private"}
    info = api.model_info("demo/hf-settings")
    assert (info.private, info.gated) == (True, False)
    carol = HfApi(endpoint=server.url, token="hf_local_carol")
    with pytest.raises(RepositoryNotFoundError):
        carol.model_info("demo/hf-settings")
    assert not carol.repo_exists("demo/hf-settings")


def test_move_repo(api: HfApi, server: LocalHub) -> None:
    api.create_repo("demo/hf-before", repo_type="dataset")
    api.move_repo("demo/hf-before", "demo-org/hf-after", repo_type="dataset")
    assert server.requests[-1].json() == {
        "fromRepo": "demo/hf-before",
        "toRepo": "demo-org/hf-after",
        "type": "dataset",
    }
    assert api.dataset_info("demo-org/hf-after").author == "demo-org"
    assert api.dataset_info("demo/hf-before").id == "demo-org/hf-after"  # 307 followed
    with pytest.raises(RepositoryNotFoundError):
        api.move_repo("demo/hf-never", "demo/hf-elsewhere")


def test_delete_repo(api: HfApi, server: LocalHub) -> None:
    api.create_repo("demo/hf-doomed", repo_type="space", space_sdk="gradio")
    api.delete_repo("demo/hf-doomed", repo_type="space")
    assert server.requests[-1].json() == {
        "name": "hf-doomed",
        "organization": "demo",
        "type": "space",
    }
    assert not api.repo_exists("demo/hf-doomed", repo_type="space")
    with pytest.raises(RepositoryNotFoundError):
        api.delete_repo("demo/hf-doomed", repo_type="space")
    api.delete_repo("demo/hf-doomed", repo_type="space", missing_ok=True)
