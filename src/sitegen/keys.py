"""Keys: the short hashes that name content, so that "unchanged" means "the same bytes".

Sources are known by the hash of their bytes, cache entries and pages by a digest of
everything they are made from, output files by the hash of their bytes. Time stamps are only
ever a shortcut to a hash that is already known (see changes.py).
"""

from __future__ import annotations

import hashlib
from typing import Any


def digest(*parts: Any) -> str:
    """A key over values (their repr): equal values give equal keys, in any process."""
    # repr writes control characters escaped, so the NUL separators cannot be forged
    text = "\x00".join([repr(part) for part in parts])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def content_hash(data: bytes) -> str:
    """The hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_texts(*texts: str) -> str:
    """A key over strings, however long (no repr: each is hashed as it is, its length
    first, so that no two lists of strings give the same bytes)."""
    hasher = hashlib.blake2b(digest_size=16)
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()
