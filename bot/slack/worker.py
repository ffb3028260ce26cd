"""gunicorn's threaded worker, with a read timeout on every connection.

gthread reads a request's headers, and the app its body, on a blocking socket with no
timeout: sixteen clients that send headers (or part of them) and stall hold sixteen
threads for as long as they like, and Slack's requests wait behind them (70 s seen).
Here every accepted socket blocks for at most READ_TIMEOUT seconds per read; a stalled
client's read fails, gunicorn drops the connection (headers) or the app answers 408
(body, bot/slack/http.py), and the thread is free again.

Why this and not another server: one process with threads keeps the knowledge, the
listener pool and the inbox's claims in one place (as before), and every client is
bounded in time; gevent would have to patch psycopg, SQLAlchemy's pool and urllib,
and an ASGI server would need Bolt's async app and async listeners throughout.
"""

from __future__ import annotations

import socket

from gunicorn.workers.gthread import ThreadWorker

READ_TIMEOUT = 5.0  # seconds a client may pause in one read; Slack sends a request at once


class _TimedSocket(socket.socket):
    """A socket whose blocking mode always has READ_TIMEOUT."""

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(READ_TIMEOUT)
        else:
            super().setblocking(False)


class SlackWorker(ThreadWorker):
    def enqueue_req(self, conn) -> None:
        if type(conn.sock) is socket.socket:
            conn.sock.__class__ = _TimedSocket
        super().enqueue_req(conn)
