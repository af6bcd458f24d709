"""Query parameters: wrong types are a TypeError before any request, never mangled."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from hubapi_async import HubClient
from hubapi_async._client import encode_params
from hubapi_async.testing import LocalHub

TOKEN = "hf_local_token"


class Sort(enum.StrEnum):
    DOWNLOADS = "downloads"


class Legacy(str, enum.Enum):  # noqa: UP042 - the older spelling, str() differs
    LIKES = "likes"


class Size(enum.IntEnum):
    TEN = 10


def test_good_values_are_encoded_as_the_hub_expects() -> None:
    assert encode_params(
        {
            "search": "bert",
            "limit": 10,
            "full": True,
            "config": False,
            "ratio": 0.5,
            "expand": ["author", "downloads"],
            "filter": ("a", "b"),
            "flags": [True, False, 3],
            "missing": None,
            "sort": Sort.DOWNLOADS,
            "legacy": Legacy.LIKES,
            "size": Size.TEN,
        }
    ) == [
        ("search", "bert"),
        ("limit", "10"),
        ("full", "true"),
        ("config", "false"),
        ("ratio", "0.5"),
        ("expand", "author"),
        ("expand", "downloads"),
        ("filter", "a"),
        ("filter", "b"),
        ("flags", "true"),
        ("flags", "false"),
        ("flags", "3"),
        ("sort", "downloads"),
        ("legacy", "likes"),
        ("size", "10"),
    ]
    assert encode_params(None) == []
    assert encode_params({}) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"bert", "bytes"),
        (bytearray(b"bert"), "bytes"),
        (memoryview(b"bert"), "bytes"),
        ({"a": 1}, "mapping"),
        ({"a", "b"}, "set"),
        (frozenset({"a"}), "set"),
        ([["a", "b"]], "flat list"),
        (["a", ("b",)], "flat list"),
        (["a", None], "flat list"),
        ([{"a": 1}], "flat list"),
        ([b"a"], "bytes"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        ([float("-inf")], "finite"),
        (object(), "object"),
        ((x for x in "ab"), "generator"),
    ],
)
def test_wrong_types_are_a_type_error(value: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        encode_params({"search": value})


@pytest.mark.parametrize(
    "params", [{"search": "a\ud800b"}, {"filter": ["ok", "\udfff"]}, {"\ud800": "x"}]
)
def test_text_that_is_not_valid_unicode_is_a_value_error(params: dict[str, Any]) -> None:
    # A lone surrogate cannot be encoded: it used to reach the Hub as an empty value.
    with pytest.raises(ValueError, match="not valid Unicode"):
        encode_params(params)


def test_parameter_names_must_be_text() -> None:
    with pytest.raises(TypeError, match="names"):
        encode_params({b"search": "x"})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"search": b"bert"},
        {"author": {"google": 1}},
        {"author": 3},
        {"sort": ["downloads"]},
        {"direction": True},
        {"direction": [-1]},
        {"filter": {"a": 1}},
        {"filter": {"a", "b"}},
        {"filter": b"text-generation"},
        {"filter": ["a", 1]},
        {"expand": {"author": True}},
        {"pipeline_tag": ["text-generation"]},
        {"library": {"transformers"}},
    ],
)
async def test_list_resources_check_their_parameters_before_any_request(
    kwargs: dict[str, Any],
) -> None:
    lh = LocalHub(models=5, datasets=1, spaces=1)
    async with lh, HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(TypeError):
            [m async for m in hub.models.list(**kwargs)]
        assert lh.requests == []


async def test_escape_hatch_refuses_wrong_types_before_any_request() -> None:
    lh = LocalHub(models=5, datasets=1, spaces=1)
    async with lh, HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(TypeError, match="finite"):
            await hub.request("GET", "/api/models", params={"limit": float("inf")})
        with pytest.raises(TypeError, match="bytes"):
            await hub.request_json("GET", "/api/models", params={"search": b"bert"})
        with pytest.raises(TypeError, match="mapping"):
            hub.paginate("/api/models", params={"filter": {"a": 1}})
        assert lh.requests == []
        # the client is still usable afterwards
        assert len([m.id async for m in hub.models.list(limit=1)]) == 1
