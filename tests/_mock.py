"""aioresponses on aiohttp 3.14, for thin unit tests only (real tests use the local Hub).

aioresponses 0.7.9 builds ``ClientResponse`` without the ``stream_writer`` argument that
aiohttp 3.14 requires, so every mocked request fails. It accepts ``response_class=``: the
subclass below supplies a default. Delete this shim once an aioresponses release newer
than 0.7.9 supports aiohttp 3.14 (then use ``aioresponses()`` directly).
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import aiohttp
from aioresponses import aioresponses


class _Compat314Response(aiohttp.ClientResponse):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", mock.Mock())
        super().__init__(*args, **kwargs)


class Mocked(aioresponses):
    """``aioresponses`` whose responses default to the aiohttp 3.14-compatible class."""

    def add(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("response_class", _Compat314Response)
        super().add(*args, **kwargs)
