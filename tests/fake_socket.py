"""A minimal WebSocket server on 127.0.0.1 standing in for Slack's Socket Mode endpoint:
the handshake, text frames out, masked frames in (RFC 6455), nothing more."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(10)
        self.url = f"ws://127.0.0.1:{self.listener.getsockname()[1]}/link"
        self.received: list[dict] = []
        self.connected = threading.Event()
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        conn, _ = self.listener.accept()
        conn.settimeout(10)
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(l.split(":", 1)[1].strip() for l in request.decode().split("\r\n") if l.lower().startswith("sec-websocket-key"))
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        self.conn = conn
        self.connected.set()

    def send(self, message: dict) -> None:
        data = json.dumps(message).encode()
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([len(data)])
        elif len(data) < 65536:
            header += bytes([126]) + struct.pack(">H", len(data))
        else:
            header += bytes([127]) + struct.pack(">Q", len(data))
        self.conn.sendall(header + data)

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def receive(self) -> dict:
        """The next text message from the client (pings are answered, skipped)."""
        for _ in range(100):  # bounded
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(length)))
            if opcode == 0x9:  # ping -> pong
                self.conn.sendall(bytes([0x8A, len(payload)]) + payload)
                continue
            if opcode == 0x1:
                message = json.loads(payload)
                self.received.append(message)
                return message
            if opcode == 0x8:
                raise ConnectionError("client closed")
        raise AssertionError("no text message from the client")

    def close(self) -> None:
        for s in (self.conn, self.listener):
            if s:
                s.close()
