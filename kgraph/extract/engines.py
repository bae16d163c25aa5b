"""Where extraction runs: in this process, in N processes here, or on a Dask cluster.

An engine takes the texts to extract (``title + "\\n" + abstract``) and yields
``(start, results)`` chunks: the entity dicts of ``texts[start:start + len(results)]``.
Chunks may come in any order; `kgraph.extract.extract_papers` puts them back in input
order and writes each to the cache as it arrives. Every engine runs the same pipeline
on each text alone, so all give the same results.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from kgraph.errors import ConfigError, ExtractError

Chunk = tuple[int, list[list[dict]]]
Engine = Callable[..., Iterator[Chunk]]

CHUNK = 64  # texts per chunk: the unit of work (small, to balance workers), of cache commits and progress
BATCH = 64  # texts per nlp.pipe batch
CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler, and again to find a worker


def extract_chunk(texts: Sequence[str], fast: bool = False) -> list[list[dict]]:
    """The entity dicts of each text, with this process's pipeline (loaded once per mode;
    ``fast``: vocabulary and rules only, no statistical NER)."""
    from kgraph.extract.nlp import load_nlp

    return [doc._.kg_entities for doc in load_nlp(with_model=not fast).pipe(texts, batch_size=BATCH)]


def _chunks(texts: Sequence[str]) -> Iterator[tuple[int, Sequence[str]]]:
    for start in range(0, len(texts), CHUNK):
        yield start, texts[start:start + CHUNK]


def run_local(texts: Sequence[str], *, jobs: int = 1, scheduler: str | None = None,
              fast: bool = False) -> Iterator[Chunk]:
    """Extract here: in this process, or in ``jobs`` worker processes."""
    jobs = max(1, min(jobs, -(-len(texts) // CHUNK)))
    if jobs == 1:
        for start, chunk in _chunks(texts):
            yield start, extract_chunk(chunk, fast)
        return
    yield from _run_pool(texts, jobs, fast)


def _run_pool(texts: Sequence[str], jobs: int, fast: bool = False) -> Iterator[Chunk]:
    """Chunks over a process pool; at most 2 chunks per worker in flight, so memory stays flat."""
    import multiprocessing

    # forkserver: workers start from a clean process (no inherited threads or locks) and
    # each loads the pipeline once, in parallel, the first time it is given a chunk.
    # spaCy's own nlp.pipe(n_process=N) gives the same results but was 8-14% slower on
    # 2 cores: it ships whole Docs back to the parent, where this ships the entity dicts.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_exit_with, initargs=(os.getpid(),))
    try:
        pending = []
        for start, chunk in _chunks(texts):
            pending.append((start, pool.submit(extract_chunk, list(chunk), fast)))
            if len(pending) >= 2 * jobs:
                start, fut = pending.pop(0)
                yield start, _pool_result(fut)
        for start, fut in pending:
            yield start, _pool_result(fut)
    finally:  # on an error or Ctrl-C, drop the chunks not started yet
        pool.shutdown(wait=True, cancel_futures=True)


def _exit_with(parent: int) -> None:
    """Pool initializer: end this worker when ``parent`` is gone, even killed with SIGKILL
    (a worker would otherwise wait for work forever)."""
    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="kgraph-parent-watch", daemon=True).start()


def _pool_result(fut) -> list[list[dict]]:
    try:
        return fut.result()
    except BrokenProcessPool as err:
        raise ExtractError("an extraction process died (out of memory?); "
                           "try fewer --jobs or free some memory") from err


# --- Dask ---------------------------------------------------------------------------

_PIPELINE_LOCK = threading.Lock()


def dask_chunk(texts: Sequence[str], fast: bool = False) -> tuple[str, list[list[dict]]]:
    """A Dask task: this worker's pipeline fingerprint and the chunk's entity dicts.

    The pipeline is loaded once per worker process (`load_nlp` is cached) and used by
    one thread at a time, so a worker started with several threads stays correct.
    """
    from kgraph.extract.cache import pipeline_fingerprint

    with _PIPELINE_LOCK:
        return pipeline_fingerprint(fast), extract_chunk(texts, fast)


def run_dask(texts: Sequence[str], *, jobs: int = 1, scheduler: str | None = None,
             fast: bool = False) -> Iterator[Chunk]:
    """Extract on a Dask cluster: the one at ``scheduler``, or a local one of ``jobs`` workers.

    Chunks are submitted a few per worker at a time (so neither the scheduler nor this
    process holds the whole corpus twice) and yielded as they finish.
    """
    try:
        from distributed import as_completed
    except ImportError as err:
        raise ConfigError("--engine dask needs Dask: pip install 'kgraph[dask]'") from err
    from kgraph.extract.cache import pipeline_fingerprint

    here = pipeline_fingerprint(fast)
    with _dask_client(scheduler, jobs) as client:
        chunks = _chunks(texts)
        starts = {}
        running = as_completed()

        def submit_next() -> None:
            nxt = next(chunks, None)
            if nxt is not None:
                fut = client.submit(dask_chunk, list(nxt[1]), fast, pure=False)
                starts[fut] = nxt[0]
                running.add(fut)

        for _ in range(2 * max(1, len(client.scheduler_info().get("workers", {})))):
            submit_next()
        for fut in running:
            fingerprint, results = _dask_result(fut, scheduler)
            if fingerprint != here:
                raise ExtractError(
                    "a Dask worker runs a different kgraph pipeline (version, model or vocabulary) "
                    "than this machine; install the same kgraph on every worker")
            yield starts.pop(fut), results
            submit_next()


def _dask_result(fut, scheduler: str | None):
    try:
        return fut.result()
    except ModuleNotFoundError as err:
        raise ExtractError(f"a Dask worker of {scheduler or 'the local cluster'} cannot import kgraph "
                           f"({err}); install kgraph on every worker") from err


@contextmanager
def _dask_client(scheduler: str | None, jobs: int):
    """A Client with at least one worker: of a new LocalCluster, or of ``scheduler``."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {scheduler} ({err}); start one with "
            "`dask scheduler`, or leave out --scheduler to run a local cluster") from err
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError as err:
            raise ConfigError(f"the Dask scheduler at {scheduler} has no workers; start one with "
                              f"`dask worker {scheduler}` where kgraph is installed") from err
        yield client


ENGINES: dict[str, Engine] = {"local": run_local, "dask": run_dask}
