"""Fixtures for the whole suite.

`no_network` (autouse): the app makes no network request, ever (docs/DESIGN: privacy; suggestions
run offline), and the suite proves it by running with any connection to a non-local address
refused. Local sockets stay usable: AF_UNIX, socketpairs and loopback addresses (Qt and pytest
plugins may use them).

`fake_suggesters`: registers small suggesters of a test's own (tests/suggestion_fakes.py) and leaves
the registry as it was afterwards, so that tests of the suggestion workflow do not depend on the
rules of the real suggesters.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

BLOCKED = "network access is blocked in the tests (a connection to {} was attempted)"


def _local(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and abstract names
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would be a network request already


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if self.family != getattr(socket, "AF_UNIX", None) and not _local(address):
            raise ConnectionRefusedError(BLOCKED.format(address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family != getattr(socket, "AF_UNIX", None) and not _local(address):
            raise ConnectionRefusedError(BLOCKED.format(address))
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def fake_suggesters(monkeypatch: pytest.MonkeyPatch):
    """Register the fake suggesters for one test; the registry is restored afterwards."""
    from annotator.suggest import registry

    import suggestion_fakes

    monkeypatch.setattr(registry, "_SUGGESTERS", {})
    return suggestion_fakes.register_all()
