"""hub.users.whoami against the local Hub, and the Struct against the recorded key set."""

from __future__ import annotations

import json

import msgspec
import pytest

from hubapi_async import AuthenticationError, HubClient
from hubapi_async.testing import LocalHub
from hubapi_async.types import WhoAmI

from ._helpers import recordings_dir

RECORDING = recordings_dir() / "users" / "whoami-v2__hub-ci_user_hub.js.body.json"


async def test_whoami_with_a_token_and_anonymous() -> None:
    async with LocalHub(models=5, datasets=1, spaces=1) as url:
        async with HubClient(url, token="hf_local_token") as hub:
            me = await hub.users.whoami()
        async with HubClient(url, token=False) as anon:
            with pytest.raises(AuthenticationError):
                await anon.users.whoami()
    assert me.name == "demo"
    assert me.orgs is not None and "demo-org" in {o.name for o in me.orgs}


def test_whoami_struct_maps_every_recorded_key() -> None:
    assert RECORDING.is_file(), f"the Hub recordings are expected at {RECORDING.parent}"
    body = json.loads(RECORDING.read_text())
    wire = {f.encode_name for f in msgspec.structs.fields(WhoAmI)}
    assert set(body) <= wire
    auth_wire = {"type", "accessToken", "expiresAt"}
    assert set(body["auth"]) <= auth_wire
    token = {"displayName", "role", "createdAt", "fineGrained"}
    assert set(body["auth"]["accessToken"]) <= token
    body["auth"]["accessToken"]["createdAt"] = "2024-01-02T03:04:05.000Z"  # a placeholder
    me = msgspec.json.decode(json.dumps(body).encode(), type=WhoAmI)
    assert me.name == "hub.js" and me.orgs == []
    assert me.auth is not None and me.auth.access_token is not None
    assert me.auth.access_token.role == "write"
