"""Writes bot/safety_protected.txt: the real English words that bot/safety.py's spelling
correction would otherwise turn into a danger or framing word ("shouting" -> shooting,
"police" -> policy, "printing" -> pointing). Run it after changing safety._TARGETS or
the correction itself:

    python tools/safety_protected_words.py [--check] [/usr/share/dict/words]

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


HEADER = ("# Real words that safety's spelling correction must leave alone: written by\n"
          "# tools/safety_protected_words.py from the system dictionary. Do not edit by hand.\n")


def main(argv: list[str]) -> int:
    """With --check: exit 1 when the committed list is not what the grammar now needs."""
    check = "--check" in argv
    args = [a for a in argv[1:] if a != "--check"]
    source = Path(args[0] if args else "/usr/share/dict/words")
    words = {w.strip().lower() for w in source.read_text(encoding="utf-8", errors="ignore").split()}
    words = {w for w in words if w.isascii() and w.isalpha()}
    # Every word the correction would change, from scratch: nothing protected or known.
    safety._PROTECTED.clear()
    safety._KNOWN = frozenset()
    safety._correct.cache_clear()
    text = HEADER + "\n".join(sorted(w for w in words if safety._correct(w) != w)) + "\n"
    if check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/safety_protected_words.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"{text.count(chr(10)) - 2} protected words -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
