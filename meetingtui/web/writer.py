"""One writer for the attendee web, with group commit.

Every POST that writes hands its work (a function of a session) to one thread, which runs all the
work waiting at that moment in a single transaction, each piece in its own savepoint, and commits
once. Only after that commit has returned (``synchronous=FULL``: on disk) does any of the waiting
requests get its answer, so "durable before the response" holds, while the commit's cost is
shared by everyone who posted in the same few milliseconds.

One piece of work failing (a refusal from the domain, say) rolls back its own savepoint and
raises in its own request only; the others in the batch are committed. If the commit itself
fails, every request in the batch gets the error: none of them was saved.

Why one thread rather than a lock around the default pool: DESIGN.md measured one writer at
811 posts/s against 591/s for 40 threads contending for SQLite's lock. The thread stops after a
few idle seconds and starts again with the next write.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlmodel import Session

from meetingtui.store.database import Database

T = TypeVar("T")
MAX_BATCH = 64
IDLE_SECONDS = 5.0


# Many items of the same kind handled in one call: (session, items) -> a result or an
# exception per item, in order. It must write nothing for an item it refuses.
BatchHandler = Callable[[Session, list[Any]], list[Any]]


@dataclass
class _Job:
    work: Callable[[Session], Any] | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    key: Hashable = None
    item: Any = None
    handler: BatchHandler | None = None


class GroupCommitWriter:
    def __init__(self, database: Database, *, max_batch: int = MAX_BATCH):
        self.database = database
        self.max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # For the benchmark's curiosity: commits, pieces of work, seconds spent writing.
        self.batches = 0
        self.writes = 0
        self.busy_seconds = 0.0

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in the next batch; returns once it is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._submit(_Job(work, loop, future))
        return await future

    async def run_batched(self, key: Hashable, item: Any, handler: BatchHandler) -> Any:
        """Hand ``item`` to ``handler`` together with every other item waiting under the same
        ``key`` (comments to one meeting, say): one call for all of them, which is much
        cheaper than one each. Returns this item's result, or raises its exception, once
        committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._submit(_Job(None, loop, future, key, item, handler))
        return await future

    def _submit(self, job: _Job) -> None:
        self._jobs.put(job)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name="meetingtui-web-writer", daemon=True
                )
                self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                first = self._jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            try:
                outcomes = self._commit(batch)
            except Exception as error:  # noqa: BLE001 - a bug here must not stop every write
                outcomes = [(False, error)] * len(batch)
            _answer(batch, outcomes)

    def _commit(self, batch: list[_Job]) -> list[tuple[bool, Any]]:
        started = time.perf_counter()
        try:
            outcomes = self._attempt(batch, savepoints=False)
        except _Retry:
            # Someone's work was refused: start again, each piece in its own savepoint, so the
            # refusal undoes only its own changes.
            outcomes = self._attempt(batch, savepoints=True)
        self.batches += 1
        self.writes += len(batch)
        self.busy_seconds += time.perf_counter() - started
        return outcomes

    def _attempt(self, batch: list[_Job], *, savepoints: bool) -> list[tuple[bool, Any]]:
        """One transaction for the batch. The fast way (no savepoints) gives up at the first
        failure, rolling everything back; the careful way isolates each piece."""
        outcomes: dict[int, tuple[bool, Any]] = {}
        groups: dict[Hashable, list[int]] = {}
        for index, job in enumerate(batch):
            if job.handler is not None:
                groups.setdefault(job.key, []).append(index)
        try:
            with self.database.write() as session:
                for index, job in enumerate(batch):
                    if job.handler is None:
                        assert job.work is not None
                        pieces, run = [index], partial(_single, job.work)
                    elif groups[job.key][0] == index:
                        pieces = groups[job.key]
                        run = partial(_group, job.handler, [batch[i].item for i in pieces])
                    else:
                        continue  # handled with the first of its group
                    if savepoints:
                        try:
                            with session.begin_nested():
                                results = run(session)
                        except Exception as error:  # noqa: BLE001 - handed to its requests
                            results = [(False, error)] * len(pieces)
                    else:
                        try:
                            results = run(session)
                        except Exception as error:
                            raise _Retry(error) from error
                    outcomes.update(zip(pieces, results, strict=True))
        except _Retry as retry:
            if len(batch) == 1:  # nothing else to protect: its refusal is the answer
                return [(False, retry.error)]
            raise
        except Exception as error:  # noqa: BLE001 - the commit failed: nothing was saved
            return [(False, error)] * len(batch)
        return [outcomes[index] for index in range(len(batch))]


def _single(work: Callable[[Session], Any], session: Session) -> list[tuple[bool, Any]]:
    return [(True, work(session))]


def _group(handler: BatchHandler, items: list[Any], session: Session) -> list[tuple[bool, Any]]:
    results = handler(session, items)
    if len(results) != len(items):
        raise RuntimeError("a batch handler must answer every item")
    return [(not isinstance(r, Exception), r) for r in results]


class _Retry(Exception):
    """The fast attempt met a failure and was rolled back."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def _answer(batch: list[_Job], outcomes: list[tuple[bool, Any]]) -> None:
    """Hand each request its outcome on its own event loop: one wake-up per loop for the whole
    batch rather than one per request (each costs a write to the loop's self-pipe, and a turn
    of the loop)."""
    per_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
    for job, (ok, value) in zip(batch, outcomes, strict=True):
        per_loop.setdefault(job.loop, []).append((job.future, ok, value))
    for loop, answers in per_loop.items():
        with contextlib.suppress(RuntimeError):  # its event loop has closed
            loop.call_soon_threadsafe(_settle_all, answers)


def _settle_all(answers: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for future, ok, value in answers:
        _settle(future, ok, value)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # the request went away meanwhile; its write stands
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
