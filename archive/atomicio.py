"""Files that appear only when complete: write to a temporary name, rename when done (and valid)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .faults import crash_point


def partial_path(path: Path, suffix: str) -> Path:
    """Where ``path`` is written until complete: ``out.warc.gz`` → ``out.warc.gz.open``."""
    return path.with_name(path.name + suffix)


@contextlib.contextmanager
def atomic_output(
    path: str | Path, *, suffix: str = ".partial", validate: Callable[[Path], None] | None = None
) -> Iterator[BinaryIO]:
    """Open ``path`` + ``suffix`` for binary writing; on a clean exit flush, fsync, run ``validate`` on the
    partial file and rename it to ``path``. On any error the partial file is removed and ``path`` untouched.

    WARC files use ``suffix=".open"``, the name web-archive tools give a WARC still being written.
    """
    path = Path(path)
    partial = partial_path(path, suffix)
    try:
        with open(partial, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if validate is not None:
            validate(partial)
        crash_point("export-rename")
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
