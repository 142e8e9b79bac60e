"""Material blobs on the local disk, content-addressed, behind the engine's FileStore."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# keys are sha256 hex digests; anything else could climb out of the root
_KEY = re.compile(r"[0-9a-f]{64}")


class LocalFileStore:
    """A FileStore keeping each blob at ROOT/<key[:2]>/<key>, written atomically."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Where the blob with KEY lives (whether or not it exists yet)."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a sha256 hex key: {key[:80]!r}")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        """Write DATA under KEY unless a blob with that key is already stored."""
        target = self.path(key)
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # a reader sees either no file or the whole file, never a partial one
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        log.info("stored material blob %s (%d bytes)", key[:12], len(data))

    def get(self, key: str) -> bytes:
        """The bytes stored under KEY; KeyError when there are none."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        """Remove the blob under KEY if it exists."""
        self.path(key).unlink(missing_ok=True)
