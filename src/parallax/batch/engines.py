"""Where the work of a batch run is done: in this process, in worker processes, or on Ray.

Every engine runs the same two functions of `stages` (`analyze_chunk` on staged chunks,
`compare_group` on groups of stories) and hands the results back to the driver in the order
they finish; the driver writes them. Because the units of work and the functions are the same,
the outputs are the same whichever engine ran them.

- `SerialEngine`: one process, the models in the driver (`--workers 1`).
- `LocalEngine`: a pool of worker processes, each loading the models once; at most
  `2 × workers` units in flight, so memory stays bounded whatever the corpus.
- `RayEngine`: Ray Data. A chunk (or group) is read by a small task on the driver's node, where
  the output folder is, then processed by an actor pool of `workers` actors that each load the
  models once in their constructor.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from parallax.batch import stages


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Engine(Protocol):
    workers: int

    def analyze(self, chunks: Sequence[tuple[int, str]]) -> Iterator[stages.ChunkResult]:
        """Analyse staged chunks given as (chunk number, staged file); results as they finish."""

    def compare(
        self, state_path: str, tasks: Sequence[stages.GroupTask], fmt: str
    ) -> Iterator[stages.GroupResult]:
        """Build the dossiers of groups of stories; results as they finish."""

    def close(self) -> None: ...


class SerialEngine:
    """Everything in this process."""

    workers = 1

    def analyze(self, chunks):
        for chunk, path in chunks:
            yield stages.analyze_staged(chunk, path)

    def compare(self, state_path, tasks, fmt):
        for task in tasks:
            yield stages.compare_stored(state_path, task, fmt)

    def close(self) -> None:
        pass


class LocalEngine:
    """A pool of worker processes (spawned, so nothing of the driver is inherited). A worker
    that dies (killed, out of memory) fails the run with BrokenProcessPool instead of hanging
    it; what was finished before is kept in the state."""

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=stages.start_worker,
        )

    def analyze(self, chunks):
        jobs = ((stages.analyze_staged, (chunk, path)) for chunk, path in chunks)
        return bounded_map(self._pool, jobs, 2 * self.workers)

    def compare(self, state_path, tasks, fmt):
        jobs = ((stages.compare_stored, (state_path, task, fmt)) for task in tasks)
        return bounded_map(self._pool, jobs, 2 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def bounded_map(pool, jobs: Iterable[tuple[Callable, tuple]], window: int) -> Iterator:
    """Results of `function(*args)` for each job, in the order they finish, with at most
    `window` jobs submitted and not yet collected (`pool.map` would submit them all at once,
    and so hold every payload in memory)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    jobs = iter(jobs)
    running: set = set()
    while True:
        for function, args in jobs:
            running.add(pool.submit(function, *args))
            if len(running) >= window:
                break
        if not running:
            return
        finished, running = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            yield future.result()


# --- Ray ----------------------------------------------------------------------------------


def _column(batch, name: str) -> list:
    return batch.column(name).to_pylist()


def _table(**columns):
    import pyarrow as pa

    return pa.table({name: pa.array(values, type=pa.binary()) for name, values in columns.items()})


def _read_chunks(batch):
    """Ray task on the driver's node: read staged chunk files into pickled payloads."""
    payloads = [
        pickle.dumps((chunk, stages.read_staged(Path(path))))
        for chunk, path in zip(_column(batch, "chunk"), _column(batch, "path"), strict=True)
    ]
    return _table(payload=payloads)


def _read_groups(batch):
    """Ray task on the driver's node: read a group's analyses from the run state."""
    payloads = []
    for state_path, task in zip(_column(batch, "state"), _column(batch, "task"), strict=True):
        payloads.append(pickle.dumps(stages.load_group(state_path, pickle.loads(task))))
    return _table(payload=payloads)


class _Analyzer:
    """Ray actor: loads the models once, then analyses chunk after chunk."""

    def __init__(self) -> None:
        stages.warm_models()

    def __call__(self, batch):
        results = []
        for payload in _column(batch, "payload"):
            chunk, staged = pickle.loads(payload)
            results.append(pickle.dumps(stages.analyze_chunk(chunk, staged)))
        return _table(result=results)


class _Comparer:
    """Ray actor: loads the embedder once, then builds the dossiers of group after group."""

    def __init__(self, fmt: str) -> None:
        stages.warm_embedder()
        self.fmt = fmt

    def __call__(self, batch):
        results = [
            pickle.dumps(stages.compare_group(pickle.loads(payload), self.fmt))
            for payload in _column(batch, "payload")
        ]
        return _table(result=results)


def start_ray(address: str | None, workers: int | None) -> None:
    """Connect to a Ray cluster (`address`: "auto", "ray://host:10001", "host:6379") or start
    a local instance with `workers` CPUs when `address` is None."""
    import logging

    import ray

    if ray.is_initialized():
        return
    # Ray warns on every start that a local instance gets token authentication (its default,
    # which we keep); RAY_AUTH_MODE still chooses, and Ray's errors still show.
    logging.getLogger("ray._private.authentication").setLevel(logging.ERROR)
    ray.init(
        address=address,
        num_cpus=workers if address is None else None,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
    )
    # Ray Data reports each execution at INFO and a few tuning hints as warnings; the batch
    # has its own progress line, and its errors still propagate as exceptions.
    logging.getLogger("ray.data").setLevel(logging.ERROR)


def driver_node_ip() -> str | None:
    """The address of the Ray node this driver runs on (whose disk holds the output folder);
    None when the driver is not on a node of the cluster (Ray Client, `ray://`)."""
    import ray

    try:
        node_id = ray.get_runtime_context().get_node_id()
    except Exception:  # noqa: BLE001 - Ray Client has no node of its own
        return None
    for node in ray.nodes():
        if node.get("NodeID") == node_id:
            return node["NodeManagerAddress"]
    return None


class RayEngine:
    """Ray Data: per unit of work, a read task pinned to this node, then an actor pool."""

    def __init__(self, workers: int | None, address: str | None = None) -> None:
        import ray
        import ray.data

        start_ray(address, workers)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, min(workers or cpus, cpus))
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        # The output folder lives on the driver's node: staged work is read there. Through
        # Ray Client the folder must be on storage the cluster's nodes share (docs/batch.md).
        node_ip = driver_node_ip()
        self._here = {f"node:{node_ip}": 0.001} if node_ip else None

    def _run(self, items: list[dict], reader, worker, constructor_kwargs=None) -> Iterator:
        import ray.data

        if not items:
            return
        actors = min(self.workers, len(items))
        dataset = (
            ray.data.from_items(items, override_num_blocks=len(items))
            .map_batches(
                reader,
                batch_size=1,
                batch_format="pyarrow",
                # Reads take no CPU of their own; without a cap Ray would start one worker
                # process per waiting read. Two at a time keep the actors fed.
                compute=ray.data.TaskPoolStrategy(size=min(2, len(items))),
                num_cpus=0,
                resources=self._here,
            )
            .map_batches(
                worker,
                batch_size=1,
                batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=2),
                num_cpus=1,
                fn_constructor_kwargs=constructor_kwargs,
            )
        )
        for row in dataset.iter_rows():
            yield pickle.loads(row["result"])

    def analyze(self, chunks):
        items = [{"chunk": chunk, "path": path} for chunk, path in chunks]
        return self._run(items, _read_chunks, _Analyzer)

    def compare(self, state_path, tasks, fmt):
        items = [{"state": state_path, "task": pickle.dumps(task)} for task in tasks]
        return self._run(items, _read_groups, _Comparer, {"fmt": fmt})

    def close(self) -> None:
        pass


def make_engine(kind: str, workers: int | None, address: str | None = None) -> Engine:
    """The engine named `kind` ("local" or "ray") with `workers` workers (None: all cores)."""
    if kind == "ray":
        return RayEngine(workers, address)
    count = workers or default_workers()
    return SerialEngine() if count == 1 else LocalEngine(count)
