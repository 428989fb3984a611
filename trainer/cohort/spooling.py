"""What the cohort commands keep on disk rather than in memory, so a cohort of any size takes
about the same memory: blobs in a spool (`Spool`), keys sorted in runs (`Sorter`), the records
a selection kept (`Selection`), and texts and rows read back later (`SortedTexts`, `Rows`).
"""

from __future__ import annotations

import heapq
import marshal
import os
import pickle
import tempfile
from array import array
from collections.abc import Iterator
from types import TracebackType
from typing import IO, Any


class Sorter:
    """Keys (texts, numbers, and tuples of them, as `marshal` writes them) sorted without
    holding them all: every `RUN` added are sorted and kept in a spool, in blocks, and
    iterating merges these runs. A key holds a record's ids and texts, so a cohort's keys
    held at once grew with the cohort (10 MB for a hundred thousand saves)."""

    RUN = 8192
    BLOCK = 256
    """Keys written (and read back) at a time."""

    def __init__(self) -> None:
        self._keys: list[Any] = []
        self._spool: Spool | None = None
        self._runs: list[array[int]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: Any) -> None:
        """Add a key; every `RUN` of them are sorted and written to the spool."""
        self._keys.append(key)
        self._count += 1
        if len(self._keys) >= self.RUN:
            self._spill()

    def _spill(self) -> None:
        self._keys.sort()
        spool = self._spool = self._spool or Spool()
        blocks = range(0, len(self._keys), self.BLOCK)
        self._runs.append(
            array(
                "q", (spool.append(marshal.dumps(self._keys[n : n + self.BLOCK])) for n in blocks)
            )
        )
        self._keys = []

    def __iter__(self) -> Iterator[Any]:
        """The keys in order, once."""
        if self._spool is None:
            self._keys.sort()
            yield from self._keys
            return
        if self._keys:
            self._spill()
        try:
            yield from heapq.merge(*map(self._read, self._runs))
        finally:
            self._spool.close()

    def _read(self, run: array[int]) -> Iterator[Any]:
        assert self._spool is not None
        for number in run:
            yield from marshal.loads(self._spool[number])


class Spool:
    """Blobs of bytes written one after another to an unnamed temporary file (gone when
    closed, or if the process dies), read back by number."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close)
        self._ends = array("q")
        self._writing = True

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, blob: bytes) -> int:
        """Keep a blob; returns its number."""
        if not self._writing:
            self._file.seek(0, os.SEEK_END)
            self._writing = True
        self._file.write(blob)
        self._ends.append((self._ends[-1] if self._ends else 0) + len(blob))
        return len(self._ends) - 1

    def __getitem__(self, number: int) -> bytes:
        start = self._ends[number - 1] if number else 0
        self._writing = False
        self._file.seek(start)
        return self._file.read(self._ends[number] - start)

    def close(self) -> None:
        """Remove the spool's file."""
        self._file.close()


class Selection:
    """The records `select` kept, as the blobs made of them, in order: iterate for the blobs.
    Close it (or use it as a context manager) to remove the spool."""

    def __init__(self, spool: Spool, order: array[int], warnings: list[str], learners: int):
        self._spool = spool
        self.order = order
        """The blobs' numbers in the spool, in the order the records are written."""
        self.warnings = warnings
        """A line for each file skipped, and each copy of a save not counted, as read."""
        self.learners = learners
        """How many learners the records are of (distinct ids, as shown)."""

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[bytes]:
        for number in self.order:
            yield self._spool[number]

    def blob(self, number: int) -> bytes:
        """The blob with this number in the spool."""
        return self._spool[number]

    def close(self) -> None:
        """Remove the spool."""
        self._spool.close()

    def __enter__(self) -> Selection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class TextPool:
    """The spool a report keeps its rows in, and the texts waiting to be sorted in all the
    `SortedTexts` that use it: when `LIMIT` wait, each is sorted and written to the spool."""

    LIMIT = 8192

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.waiting = 0
        self.lists: list[SortedTexts] = []

    def added(self) -> None:
        """One more text waits: at `LIMIT`, every list writes its texts to the spool."""
        self.waiting += 1
        if self.waiting >= self.LIMIT:
            for texts in self.lists:
                texts.spill()
            self.waiting = 0


class SortedTexts:
    """Texts read back sorted (as `sorted` sorts them), held in a `TextPool`'s spool in
    sorted runs rather than in memory: a cohort's names of those sure and contrary grew with
    the cohort. Iterate as often as needed."""

    BLOCK = 256
    """Texts written (and read back) at a time."""

    def __init__(self, pool: TextPool) -> None:
        self._pool = pool
        self._waiting: list[str] = []
        self._runs: list[array[int]] = []
        self._count = 0
        pool.lists.append(self)

    def append(self, text: str) -> None:
        """Add a text (read back in sorted order)."""
        self._waiting.append(text)
        self._count += 1
        self._pool.added()

    def spill(self) -> None:
        """Write the texts waiting, sorted, to the spool as one more run."""
        if not self._waiting:
            return
        self._waiting.sort()
        spool, block = self._pool.spool, self.BLOCK
        self._runs.append(
            array(
                "q",
                (
                    spool.append(marshal.dumps(self._waiting[start : start + block]))
                    for start in range(0, len(self._waiting), block)
                ),
            )
        )
        self._waiting = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        runs = [self._read(run) for run in self._runs]
        return heapq.merge(sorted(self._waiting), *runs)

    def _read(self, run: array[int]) -> Iterator[str]:
        for number in run:
            yield from marshal.loads(self._pool.spool[number])


class Rows:
    """Items (pickled) kept in a spool rather than in memory, read back in the order added."""

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._numbers = array("q")

    def append(self, item: Any) -> None:
        """Keep an item (pickled) in the spool."""
        self._numbers.append(self._spool.append(pickle.dumps(item, pickle.HIGHEST_PROTOCOL)))

    def __len__(self) -> int:
        return len(self._numbers)

    def __iter__(self) -> Iterator[Any]:
        for number in self._numbers:
            yield pickle.loads(self._spool[number])
