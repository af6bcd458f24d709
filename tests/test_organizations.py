"""hub.organizations.members over real sockets against the local Hub, and the official client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import msgspec
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hubapi_async import BadRequestError, HubClient, NotFoundError
from hubapi_async.testing import LocalHub
from hubapi_async.types import OrgMember

MEMBERS = "/api/organizations/demo-org/members"
#: demo, alice, bob, then member-0000 ... member-0119 (join order).
DEMO_ORG_SIZE = 123


@pytest.fixture
async def server() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=5, datasets=1, spaces=1, page_size=50)
    async with hub:
        yield hub


def member_requests(server: LocalHub, path: str = MEMBERS) -> list[dict[str, list[str]]]:
    return [parse_qs(r.query_string) for r in server.requests if r.path == path]


async def test_members_walks_every_page_in_join_order(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        members = [m async for m in hub.organizations.members("demo-org")]
    assert len(members) == DEMO_ORG_SIZE
    names = [m.username for m in members]
    assert names[:4] == ["demo", "alice", "bob", "member-0000"]
    assert names[-1] == "member-0119" and len(set(names)) == DEMO_ORG_SIZE
    assert all(isinstance(m, OrgMember) and m.type == "user" for m in members)
    assert members[1].fullname == "Alice Martin" and members[1].is_pro is True
    assert members[0].id is not None and len(members[0].id) == 24
    queries = member_requests(server)
    assert len(queries) == 3  # 50 + 50 + 23: the hub's page size
    assert queries[0] == {}  # nothing but what the caller asked for
    assert all("cursor" in q for q in queries[1:])


async def test_members_limit_asks_the_hub_for_that_page_size(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        first30 = [m async for m in hub.organizations.members("demo-org", limit=30)]
        first5 = [m async for m in hub.organizations.members("demo-org", limit=5)]
        none = [m async for m in hub.organizations.members("demo-org", limit=0)]
    assert len(first30) == 30 and len(first5) == 5 and none == []
    assert [m.username for m in first5] == [m.username for m in first30[:5]]
    queries = member_requests(server)
    # the Hub takes 10 to 10,000 per page: a smaller limit asks for 10 and stops at 5
    assert queries == [{"limit": ["30"]}, {"limit": ["10"]}]


async def test_members_search_and_email_filters(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        found = [
            m.username async for m in hub.organizations.members("demo-org", search="MEMBER-001")
        ]
        by_name = [m.username async for m in hub.organizations.members("demo-org", search="dupont")]
        by_email = [
            m.username async for m in hub.organizations.members("demo-org", email="bob@localhost")
        ]
    assert found == [f"member-{i:04d}" for i in range(10, 20)]
    assert by_name == ["bob"] and by_email == ["bob"]
    assert member_requests(server)[:3] == [
        {"search": ["MEMBER-001"]},
        {"search": ["dupont"]},
        {"email": ["bob@localhost"]},
    ]


async def test_members_pages_and_resume_point(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        paginator = hub.organizations.members("demo-org")
        sizes = []
        async for page in paginator.pages():
            sizes.append(len(page.items))
            if len(sizes) == 1:
                resume = page.next_url
        assert sizes == [50, 50, 23]
        assert resume is not None and resume.startswith(server.url)
        rest = [m async for m in hub.paginate(resume, type=OrgMember)]
    assert len(rest) == DEMO_ORG_SIZE - 50 and rest[0].username == "member-0047"


async def test_what_a_member_sees_depends_on_who_asks(server: LocalHub) -> None:
    url = server.url

    async def first_three(token: str | bool) -> list[OrgMember]:
        async with HubClient(url, token=token) as hub:
            return [m async for m in hub.organizations.members("demo-org", limit=3)]

    anon = await first_three(False)
    carol = await first_three("hf_local_carol")  # signed in, outside the organization
    bob = await first_three("hf_local_bob")  # a read member
    demo = await first_three("hf_local_token")  # an admin
    assert all(m.role is None and m.resource_groups is None for m in anon + carol)
    assert all(m.is_following is None for m in anon)
    assert all(m.is_following is False for m in carol)
    assert [m.role for m in bob] == ["admin", "write", "read"]
    assert bob[0].resource_groups is not None
    assert [g.name for g in bob[0].resource_groups] == ["research"]
    assert bob[0].resource_groups[0].role == "admin"
    assert all(m.verified_email is None and m.two_fa_enabled is None for m in bob)
    assert demo[2].verified_email == "bob@localhost" and demo[2].two_fa_enabled is False


async def test_members_of_an_unknown_org_is_not_found(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        with pytest.raises(NotFoundError) as err:
            [m async for m in hub.organizations.members("no-such-org")]
        # a user's name is not an organization either
        with pytest.raises(NotFoundError):
            [m async for m in hub.organizations.members("alice")]
    assert err.value.status == 404
    assert err.value.server_message == "Organization not found"


async def test_members_of_another_org(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_alice") as hub:
        lab = [m async for m in hub.organizations.members("alice-lab")]
    assert [(m.username, m.role) for m in lab] == [("alice", "admin")]
    assert lab[0].verified_email is None  # not an Enterprise organization


@pytest.mark.parametrize("org", ["", "a/b", "bad name", "-lead", "x" * 97, "org?x=1", None])
async def test_invalid_org_names_raise_before_any_request(server: LocalHub, org: object) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        with pytest.raises(ValueError, match="organization name"):
            hub.organizations.members(org)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="limit"):
            hub.organizations.members("demo-org", limit="10")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="limit"):
            hub.organizations.members("demo-org", limit=-1)
    assert server.requests == []


async def test_the_local_hub_refuses_page_sizes_the_hub_refuses(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        for bad in ("5", "10001", "ten"):
            with pytest.raises(BadRequestError):
                await hub.request("GET", MEMBERS, params={"limit": bad})
        with pytest.raises(BadRequestError, match="cursor"):
            await hub.request("GET", MEMBERS, params={"cursor": "not-a-cursor"})


async def test_member_struct_maps_every_key_the_local_hub_sends(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        body = await hub.request_json("GET", MEMBERS, params={"limit": 10})
    wire = {f.encode_name for f in msgspec.structs.fields(OrgMember)}
    groups = {"id", "name", "numUsers", "role"}
    for item in body:
        assert set(item) <= wire
        for group in item.get("resourceGroups", []):
            assert set(group) <= groups


def test_official_client_lists_organization_members() -> None:
    server = LocalHub(models=5, datasets=1, spaces=1, page_size=50)
    with server.in_thread() as url:
        api = HfApi(endpoint=url, token="hf_local_bob")
        members = list(api.list_organization_members("demo-org"))
        with pytest.raises(HfHubHTTPError) as err:
            list(api.list_organization_members("no-such-org"))
    assert len(members) == DEMO_ORG_SIZE
    assert [m.username for m in members[:3]] == ["demo", "alice", "bob"]
    assert members[1].fullname == "Alice Martin" and members[1].is_pro is True
    assert err.value.response.status_code == 404
    pages = [r for r in server.requests if r.path == MEMBERS]
    assert len(pages) == 3 and pages[0].headers["Authorization"] == "Bearer hf_local_bob"
