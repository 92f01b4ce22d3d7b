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
