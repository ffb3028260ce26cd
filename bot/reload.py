"""Knowledge that follows its files: the running app picks up an edit without a restart.

A broken edit leaves the last good knowledge serving and logs its file:line problems
once; fixing the file brings the new knowledge in.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot import contract
from bot.engine import Engine
from bot.knowledge import KnowledgeError

log = logging.getLogger("bot.reload")


class LiveEngine:
    def __init__(self, root: Path | str, engine: Engine | None = None):
        self.root = Path(root)
        self._signature = self._files_signature()
        self.engine = engine or Engine.from_dir(self.root)  # a broken start raises: no half-loaded app
        self._failed_signature: tuple | None = None
        self._stop = threading.Event()

    def _files_signature(self) -> tuple:
        files = sorted(self.root.rglob("*.yaml")) if self.root.is_dir() else []
        out = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:  # removed while we looked
                continue
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(out)

    def check(self) -> bool:
        """Reload if any knowledge file changed; True when new knowledge now serves."""
        signature = self._files_signature()
        if signature == self._signature or signature == self._failed_signature:
            return False
        try:
            engine = Engine.from_dir(self.root)
            broken = contract.problems(engine.knowledge, str(self.root))
            if broken:  # well-formed, but without an id the code relies on
                raise KnowledgeError(broken)
        except KnowledgeError as exc:
            self._failed_signature = signature
            log.warning("knowledge edit not loaded; still serving the last good knowledge:\n%s",
                        "\n".join(f"  {p}" for p in exc.problems))
            return False
        self.engine, self._signature, self._failed_signature = engine, signature, None
        log.info("knowledge reloaded: %s", engine.knowledge.summary())
        return True

    def start(self, interval: float = 2.0) -> threading.Thread:
        """Check every `interval` seconds in a daemon thread until stop()."""
        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.check()
                except Exception:  # a watcher must never take the app down
                    log.exception("knowledge check failed")

        thread = threading.Thread(target=loop, name="knowledge-reload", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
