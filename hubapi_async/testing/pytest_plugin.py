"""Opt-in pytest plugin: a local Hub per test.

Enable it in your ``conftest.py``::

    pytest_plugins = ["hubapi_async.testing.pytest_plugin"]

Fixtures:

- ``local_hub``: a started :class:`~hubapi_async.testing.LocalHub` (``.url``, ``.faults``,
  ``.requests``), stopped after the test. Configure it with the marker
  ``@pytest.mark.local_hub(models=1000, rate_limit=(10, 60), ...)`` (``LocalHub`` keyword
  arguments).
- ``local_hub_url``: its URL.
- ``local_hub_factory``: ``factory(**kwargs) -> LocalHub`` for several hubs in one test.

The server runs in a background thread with its own event loop. That choice makes the
fixtures plain synchronous fixtures, usable unchanged from synchronous tests (the official
``huggingface_hub`` client) and from async tests in any pytest-asyncio mode — strict mode
included, whatever the loop scope — because the fixture never touches the test's loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._runner import LocalHub

_MARKER = "local_hub"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``local_hub`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers", f"{_MARKER}(**kwargs): LocalHub keyword arguments for the local_hub fixture"
    )


@pytest.fixture
def local_hub_factory() -> Iterator[Callable[..., LocalHub]]:
    """Start local Hubs on demand (``factory(models=10)``); all stop after the test."""
    started: list[LocalHub] = []

    def factory(**kwargs: Any) -> LocalHub:
        hub = LocalHub(**kwargs)
        hub.start_in_thread()
        started.append(hub)
        return hub

    yield factory
    for hub in reversed(started):
        hub.stop_thread()


@pytest.fixture
def local_hub(
    request: pytest.FixtureRequest, local_hub_factory: Callable[..., LocalHub]
) -> LocalHub:
    """A running local Hub, configured by the ``local_hub`` marker if present."""
    marker = request.node.get_closest_marker(_MARKER)
    kwargs = dict(marker.kwargs) if marker is not None else {}
    return local_hub_factory(**kwargs)


@pytest.fixture
def local_hub_url(local_hub: LocalHub) -> str:
    """The URL of the ``local_hub`` fixture's server."""
    return local_hub.url
