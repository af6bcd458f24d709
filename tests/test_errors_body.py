"""What write errors carry: the response body (bounded, tokens masked) and, for a 409 on
repo creation, the existing repo's URL; and the RepoUrl Struct against its recording."""

from __future__ import annotations

import json
import pickle

import msgspec
import pytest

from hubapi_async import BadRequestError, ConflictError, HubHTTPError
from hubapi_async._protocol import error_for_response
from hubapi_async.types import RepoUrl

from ._helpers import recordings_dir

REPOS = recordings_dir() / "repos"
TOKEN = "hf_" + "a1B2" * 9
URL = "https://huggingface.co/api/repos/create"


def _recorded(name: str) -> tuple[int, dict[str, str], bytes]:
    meta = json.loads((REPOS / f"{name}.meta.json").read_text("utf-8"))
    return meta["status"], meta["response_headers"], (REPOS / meta["body_file"]).read_bytes()


def _err(status: int, headers: dict[str, str], body: bytes) -> HubHTTPError:
    return error_for_response(status, headers, body, URL, repo_route=False, token_sent=True)


def test_recorded_409_is_a_conflict_naming_the_existing_repo() -> None:
    err = _err(*_recorded("create__409__already_exists"))
    assert isinstance(err, ConflictError)
    assert err.repo_url == "https://huggingface.co/spaces/user/tmp_test_space"
    assert err.server_message == "You already created this space repo"
    assert err.body == (REPOS / "create__409__already_exists.body.json").read_bytes()
    assert err.error_code is None
    assert "existing repo https://huggingface.co/spaces/user/tmp_test_space" in str(err)
    assert err.url == URL  # the request's URL stays where it was


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b'{"error": "busy"}', b'{"url": 3}', b'{"url": "  "}', b"[1]", b"{"],
)
def test_conflict_without_a_usable_url(body: bytes) -> None:
    err = _err(409, {}, body)
    assert isinstance(err, ConflictError)
    assert err.repo_url is None


def test_body_is_kept_bounded_and_masked() -> None:
    err = _err(400, {"Content-Type": "application/json"}, json.dumps({"echo": TOKEN}).encode())
    assert TOKEN not in err.body.decode() and b"hf_***" in err.body
    big = _err(500, {}, b"x" * 100_000)
    assert len(big.body) == 16_384
    straddling = b"y" * (16_384 - 10) + TOKEN.encode() + b"z" * 1000
    cut = _err(400, {}, straddling)
    assert len(cut.body) == 16_384 and TOKEN[:12].encode() not in cut.body
    assert _err(404, {}, b"").body == b""
    assert HubHTTPError("built by hand").body == b""


def test_a_400_without_message_shows_its_body() -> None:
    err = _err(400, {"Content-Type": "application/json"}, b'{"detail": ["name too long"]}')
    assert isinstance(err, BadRequestError) and err.server_message is None
    assert "name too long" in str(err)
    unprocessable = _err(422, {"Content-Type": "application/json"}, b'{"detail": "bad sdk"}')
    assert "bad sdk" in str(unprocessable) and "check the arguments" in str(unprocessable)
    with_message = _err(400, {}, b'{"error": "Invalid repo name"}')
    assert str(with_message).count("Invalid repo name") == 1


def test_body_and_repo_url_survive_pickling() -> None:
    err = _err(*_recorded("create__409__already_exists"))
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is ConflictError
    assert clone.body == err.body and clone.repo_url == err.repo_url
    assert str(clone) == str(err)


def test_repo_url_decodes_the_recorded_answer() -> None:
    raw = (REPOS / "create__200__space.body.json").read_bytes()
    made = msgspec.json.decode(raw, type=RepoUrl)
    assert made.url == "https://huggingface.co/spaces/user/tmp_test_space"
    assert (made.repo_id, made.object_id) == ("user/tmp_test_space", "67cae56f9b4f4ee4713c83e7")
    assert (made.namespace, made.name, made.repo_type) == ("user", "tmp_test_space", "space")
    mapped = {f.encode_name for f in msgspec.structs.fields(RepoUrl)}
    assert set(json.loads(raw)) <= mapped  # every recorded key has a field
    assert made.to_dict() == {
        "url": made.url,
        "repo_id": "user/tmp_test_space",
        "object_id": "67cae56f9b4f4ee4713c83e7",
    }


@pytest.mark.parametrize(
    ("url", "repo_id", "repo_type"),
    [
        ("https://huggingface.co/user/m", "user/m", "model"),
        ("https://huggingface.co/datasets/user/d", "user/d", "dataset"),
        ("http://127.0.0.1:8000/prefix/spaces/u/s/", "u/s", "space"),
        ("https://huggingface.co/gpt2", "gpt2", "model"),
        ("https://huggingface.co/datasets/datasets", "datasets", "dataset"),
    ],
)
def test_repo_url_type_comes_from_the_url(url: str, repo_id: str, repo_type: str) -> None:
    made = RepoUrl(url=url, repo_id=repo_id)
    assert made.repo_type == repo_type
    assert made.namespace == (repo_id.split("/")[0] if "/" in repo_id else None)
