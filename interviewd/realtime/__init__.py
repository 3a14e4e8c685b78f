"""Realtime: the Socket.IO server of contract 001 (namespace /interview)."""

from interviewd.realtime.server import NAMESPACE, create_socket_server, socket_asgi_app, start, stop

__all__ = ["NAMESPACE", "create_socket_server", "socket_asgi_app", "start", "stop"]
