"""The test harness itself: environment isolation and the loopback-only socket guard."""

from __future__ import annotations

import os
import socket

import pytest


def test_no_hf_variables_leak_in() -> None:
    leaked = {k for k in os.environ if k.startswith("HF_") or k.startswith("HUGGING_FACE")}
    assert leaked <= {"HF_HOME", "HF_HUB_DISABLE_TELEMETRY"}
    assert not (os.path.exists(os.path.join(os.environ["HF_HOME"], "token")))


def test_sockets_outside_loopback_are_refused() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(OSError, match="loopback only"):
            sock.connect(("192.0.2.1", 443))
    finally:
        sock.close()


def test_name_lookups_outside_loopback_are_refused() -> None:
    with pytest.raises(socket.gaierror, match="outside loopback"):
        socket.getaddrinfo("huggingface.co", 443)
    assert socket.getaddrinfo("127.0.0.1", 80)
