"""Many workbooks at once: one worker process per core, each result back to the parent as it finishes.

Workers only compute and write files; the parent alone prints. A worker process that dies (the
system killed it for memory, a library crashed) fails only what it was running: those workbooks
are run again one at a time in a fresh process, so the one that kills its process is found and
reported, and every other workbook still runs. Nothing here knows what a workbook is.
"""

from __future__ import annotations

import collections
import contextlib
import os
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from povertyplan.messages import say

# concurrent.futures and multiprocessing are imported when a pool is started: a run of one
# workbook does not pay for them.

# Tasks queued per worker: enough to keep every core busy, few enough that a dying worker takes
# little work down with it. Each task is a whole workbook (a tenth of a second or more), so the
# cost of submitting it (well under a millisecond) needs no further chunking.
QUEUED_PER_WORKER = 4
# Locks guarding output files, shared by the workers of a run and picked by the file's path.
LOCK_STRIPES = 16

_locks: tuple | None = None  # set in each worker process by `_start_worker`


def usable_cores() -> int:
    """The processors this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def exclusive(path: str | os.PathLike) -> contextlib.AbstractContextManager:
    """Held while `path` replaces its previous version.

    Two workbooks of one batch may produce the same file (the same commune twice): the lock makes
    the second keep the first as its previous version, as a run one by one would. Outside a
    batch's workers there is nothing to share, and the lock is a no-op.
    """
    if _locks is None:
        return contextlib.nullcontext()
    key = os.path.normcase(os.path.abspath(path)).encode("utf-8", "surrogatepass")
    return _locks[zlib.crc32(key) % len(_locks)]


def run_parallel(
    items: Sequence[Any], work: Callable[[Any], Any], workers: int, on_result: Callable[[int, Any], None]
) -> None:
    """Call `work(item)` for every item in `workers` processes.

    In the parent, `on_result(index, result)` is called once per item as it finishes, with
    result None when the process running it died. `work` must be picklable (a module-level
    function, or a `functools.partial` of one) and must not print. When no process can be
    started at all, the items run here, one after another.
    """
    context = _context()
    try:
        locks = tuple(context.Lock() for _ in range(LOCK_STRIPES))
    except (OSError, ImportError, NotImplementedError):  # no shared semaphores on this system
        _run_here(items, range(len(items)), work, on_result)
        return
    waiting = collections.deque(range(len(items)))
    while waiting:
        lost = _round(items, waiting, work, workers, context, locks, on_result)
        if lost is None:
            _run_here(items, list(waiting), work, on_result)
            return
        for index in lost:
            on_result(index, _alone(items[index], work, context, locks))


def _round(items, waiting: collections.deque, work, workers: int, context, locks, on_result) -> list[int] | None:
    """Run the `waiting` items in one pool until they are done or a worker dies.

    Return the items that were running or queued when a worker died (empty when none did);
    items not yet submitted stay in `waiting`. Return None when no process could be started.
    """
    from concurrent import futures  # deferred: multiprocessing's pools cost ~25 ms to import; only batches use them
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(workers, context, locks)
    if pool is None:
        return None
    running: dict[futures.Future, int] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers * QUEUED_PER_WORKER:
                try:
                    future = pool.submit(work, items[waiting[0]])
                except (BrokenProcessPool, OSError):  # no process could be started (system limits)
                    if not running:
                        return None
                    break
                running[future] = waiting.popleft()
            done, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            if not _deliver(done, running, on_result):
                return _deliver_finished(running, on_result)
        return []
    finally:
        # Also on Ctrl+C, which reaches the workers too: each stops its item (an output being
        # written is removed, the previous one put back) and the items not started are cancelled.
        pool.shutdown(wait=True, cancel_futures=True)


def _deliver(done, running: dict, on_result) -> bool:
    """Hand the results of the `done` futures to `on_result` in input order; False if the pool broke."""
    from concurrent.futures.process import (
        BrokenProcessPool,
    )  # deferred: multiprocessing's pools cost ~25 ms to import; only batches use them

    intact = True
    for future in sorted(done, key=running.get):
        try:
            result = future.result()
        except BrokenProcessPool:
            intact = False
            continue
        except Exception:  # the result could not come back (e.g. it could not be pickled)
            result = None
        on_result(running.pop(future), result)
    return intact


def _deliver_finished(running: dict, on_result) -> list[int]:
    """After a worker died: deliver what finished before it did, return the rest, in input order."""
    from concurrent.futures.process import (
        BrokenProcessPool,
    )  # deferred: multiprocessing's pools cost ~25 ms to import; only batches use them

    finished = [future for future in running if future.done() and not isinstance(future.exception(), BrokenProcessPool)]
    _deliver(finished, running, on_result)
    return sorted(running.values())


def _alone(item, work, context, locks):
    """`work(item)` in a fresh process of its own; None when that process dies too."""
    pool = _pool(1, context, locks)
    if pool is None:
        return None
    try:
        return pool.submit(work, item).result()
    except Exception:
        return None
    finally:
        pool.shutdown(wait=True)


def _pool(workers: int, context, locks):
    """A process pool of `workers` whose workers share `locks`; None when it cannot be made."""
    from concurrent import futures  # deferred: multiprocessing's pools cost ~25 ms to import; only batches use them

    _flush()
    try:
        return futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(locks,))
    except (OSError, ImportError, NotImplementedError):
        return None


def _run_here(items, indices, work, on_result) -> None:
    for index in indices:
        on_result(index, work(items[index]))


def _context():
    """fork where it is safe (Linux): workers start at once, sharing the modules the parent
    already imported. Elsewhere the platform's default, spawn on Windows and macOS, where each
    worker imports `work`'s module afresh."""
    import multiprocessing  # deferred: multiprocessing's pools cost ~25 ms to import; only batches use them

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _flush() -> None:
    """A forked worker flushes the output buffers it inherited when it ends: empty them first."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _start_worker(locks: tuple) -> None:
    """Set up a worker process: it shares the parent's output locks (`exclusive`)."""
    global _locks
    _locks = locks


class ProgressBar:
    """A one-line bar redrawn in place on a terminal: ``[#####-----] 120/500 sổ, 21,3 sổ/giây, còn khoảng 18 giây``.

    `clear` it before printing anything else to the terminal. Unless cleared, it is redrawn at
    most ten times a second.
    """

    WIDTH = 24

    def __init__(self, total: int, stream) -> None:
        self.total, self.stream = total, stream
        self.done = 0
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._shown = 0

    def advance(self, redraw: bool = False) -> None:
        """Count one more done; `redraw` after the bar was cleared."""
        self.done += 1
        if redraw or self.done == self.total or time.monotonic() - self._drawn_at >= 0.1:
            self.draw()

    def draw(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        if not self.done:
            text = say("cli.progress", bar=bar, done=self.done, total=self.total)
        else:
            rate = self.done / elapsed
            shown = f"{rate:.1f}".replace(".", ",")
            if self.done < self.total:
                left = max(1, round((self.total - self.done) / rate))
                text = say("cli.progress_rate_left", bar=bar, done=self.done, total=self.total, rate=shown, left=left)
            else:
                text = say("cli.progress_rate", bar=bar, done=self.done, total=self.total, rate=shown)

        self.stream.write("\r" + text.ljust(self._shown))
        self.stream.flush()
        self._shown = len(text)
        self._drawn_at = time.monotonic()

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
