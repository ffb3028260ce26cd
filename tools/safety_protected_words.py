"""Writes bot/safety_protected.txt: the real English words that bot/safety.py's spelling
correction would otherwise turn into a danger or framing word ("shouting" -> shooting,
"police" -> policy, "printing" -> pointing). Run it after changing safety._TARGETS or
the correction itself:

    python tools/safety_protected_words.py [/usr/share/dict/words]

The word list comes from the system dictionary (Debian: apt-get install wamerican); only
the few hundred words it finds are committed, as plain data, so the assistant never needs
the dictionary itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import safety  # noqa: E402

OUT = ROOT / "bot" / "safety_protected.txt"


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "/usr/share/dict/words")
    words = {w.strip().lower() for w in source.read_text(encoding="utf-8", errors="ignore").split()}
    words = {w for w in words if w.isascii() and w.isalpha()}
    # Every word the correction would change, from scratch: nothing protected or known.
    safety._PROTECTED.clear()
    safety._KNOWN = frozenset()
    safety._correct.cache_clear()
    protected = sorted(w for w in words if safety._correct(w) != w)
    OUT.write_text(
        "# Real words that safety's spelling correction must leave alone: written by\n"
        "# tools/safety_protected_words.py from the system dictionary. Do not edit by hand.\n"
        + "\n".join(protected) + "\n", encoding="utf-8")
    print(f"{len(protected)} protected words -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
