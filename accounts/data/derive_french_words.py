"""Rebuild the two word lists of the French password validator from an unpacked @zxcvbn-ts/language-fr 4.1.2.

Usage: npm pack @zxcvbn-ts/language-fr@4.1.2 && tar xzf zxcvbn-ts-language-fr-4.1.2.tgz &&
       python accounts/data/derive_french_words.py package/src accounts/data
"""

import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

# Keyboard rows of the French AZERTY layout, read off the layout itself.
AZERTY_ROWS = {"azerty", "azertyuiop", "qsdfghjklm", "wxcvbn", "azertyuiopqsdfghjklm"}


def fold(word: str) -> str:
    """Lower case, accents dropped, letters a-z only: the form the validator compares."""
    word = unicodedata.normalize("NFKD", word.lower())
    return re.sub(r"[^a-z]", "", "".join(char for char in word if not unicodedata.combining(char)))


def main(source: Path, target: Path) -> None:
    """Write french_common_words.txt.gz (words of 4+ letters) and french_frequent_words.txt.gz (top 2,000)."""
    common = [fold(word) for word in json.loads((source / "commonWords.json").read_text())]
    wikipedia = [fold(word) for word in json.loads((source / "wikipedia.json").read_text())][:5000]
    names = [
        fold(word)
        for name in ("firstnames", "lastnames")
        for word in json.loads((source / f"{name}.json").read_text())
    ]
    words = {word for word in common + wikipedia + names if len(word) >= 4} | AZERTY_ROWS
    frequent = list(dict.fromkeys(word for word in common if len(word) >= 2))[:2000]
    for name, lines in (("french_common_words", sorted(words)), ("french_frequent_words", frequent)):
        data = ("\n".join(lines) + "\n").encode()
        (target / f"{name}.txt.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
