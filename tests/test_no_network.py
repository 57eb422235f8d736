"""The suite runs with the network blocked (tests/conftest.py): a connection to a non-local address
fails, local sockets still work."""

from __future__ import annotations

import socket

import pytest


def test_a_connection_to_the_internet_fails():
    with pytest.raises(OSError, match="network access is blocked"):
        socket.create_connection(("203.0.113.7", 80), timeout=1)
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s, pytest.raises(OSError, match="blocked"):
        s.connect_ex(("2001:db8::1", 443, 0, 0))


def test_local_sockets_still_work():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"hi")
        assert b.recv(2) == b"hi"
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            conn, _ = server.accept()
            conn.close()
