"""Judging many units: from the cache when it holds a current result, else in this process or, for scans big
enough to repay starting them, in a pool of worker processes.  Results come back in the units' order whatever
ran where, so the report does not depend on how many processes there were."""

from __future__ import annotations

import os
import sys
from itertools import repeat

from .accounts import Baselines
from .cache import Cache
from .catalog import all_rules
from .options import ScanOptions
from .terraform.parser import keep_trees_in
from .units import Unit, UnitResult, input_size, judge_unit

# Below this much input a pool costs more to start (about 50 ms a worker) than it saves.
PARALLEL_MIN_BYTES = 512 * 1024
# Work is handed to the pool in this many batches per worker: enough that the last ones are small and the
# workers finish together, few enough that each keeps neighbouring units together (see `neighbour_batches`).
BATCHES_PER_WORKER = 16


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Runner:
    """Runs the units of one scan (all its configuration groups) with ``jobs`` processes and ``cache``."""

    def __init__(self, jobs: int = 1, cache: Cache | None = None, progress=None) -> None:
        from .progress import NoProgress

        self.jobs = max(1, jobs)
        self.cache = cache
        if cache is not None:  # parsed files too: a unit judged again re-parses only what changed
            keep_trees_in(cache)
        self.progress = progress or NoProgress()  # told of each unit started and finished
        # Every rule runs; which are reported is decided afterwards, so a cached result serves any selection.
        self.rules = list(all_rules())
        self._pool = None

    def results(self, units: list[Unit], options: ScanOptions, parameter_files: tuple[str, ...],
                baselines: Baselines) -> list[UnitResult]:
        results: list[UnitResult | None] = [None] * len(units)
        todo: list[int] = []
        self.progress.add(units)
        for index, unit in enumerate(units):
            if baselines.of(unit.path) is not None:  # an account baseline's models are joined in this process
                results[index] = self._judge_here(unit, options, parameter_files, keep_models=True)
            elif self.cache is not None and (cached := self.cache.load(unit, options)) is not None:
                results[index] = cached
                self.progress.finished(unit)
            else:
                todo.append(index)
        judged = self._judge([units[index] for index in todo], options, parameter_files)
        for index, result in zip(todo, judged):
            results[index] = result
            if self.cache is not None:
                self.cache.store(units[index], options, result)
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self.cache is not None:
            keep_trees_in(None)
            self.cache.prune()

    def _judge(self, units: list[Unit], options: ScanOptions, parameter_files: tuple[str, ...]) -> list[UnitResult]:
        sizes = [input_size(unit) for unit in units]
        if self.jobs == 1 or len(units) < 2 or sum(sizes) < PARALLEL_MIN_BYTES:
            return [self._judge_here(unit, options, parameter_files) for unit in units]
        from concurrent.futures.process import BrokenProcessPool

        # The biggest batch first, so that no worker is left with a big one at the end.
        batches = sorted(neighbour_batches(sizes, self.jobs),
                         key=lambda batch: -sum(sizes[index] for index in batch))
        order = [index for batch in batches for index in batch]
        judged: list[UnitResult] = []
        try:
            self.progress.started(units[order[0]])
            for batch_results in self._workers(len(batches)).map(
                    _judge_in_worker, [[units[index] for index in batch] for batch in batches],
                    repeat(options), repeat(parameter_files)):
                for result in batch_results:
                    judged.append(result)
                    self.progress.finished(result.unit)
                    if len(judged) < len(order):
                        self.progress.started(units[order[len(judged)]])
        except BrokenProcessPool:  # a worker died (killed, out of memory): judge here instead, unit by unit
            self._pool = None
            return [self._judge_here(unit, options, parameter_files) for unit in units]
        results: list[UnitResult] = [None] * len(units)  # type: ignore[list-item]
        for index, result in zip(order, judged):
            results[index] = result
        return results

    def _judge_here(self, unit: Unit, options: ScanOptions, parameter_files: tuple[str, ...], *,
                    keep_models: bool = False) -> UnitResult:
        self.progress.started(unit)
        result = judge_unit(unit, options, self.rules, parameter_files=parameter_files, keep_models=keep_models)
        self.progress.finished(unit)
        return result

    def _workers(self, units: int):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: workers start with everything this process has imported (spawn would import it again).
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
            self._pool = ProcessPoolExecutor(max_workers=min(self.jobs, units), mp_context=context)
        return self._pool


def neighbour_batches(sizes: list[int], jobs: int) -> list[list[int]]:
    """The units' indexes cut into runs of neighbours of about equal input size, `BATCHES_PER_WORKER` per
    worker.  Neighbours share files (a module, its variable files, the examples that call it): judged by one
    worker one after the other, they find those files' trees still in its memory.  Handed out one by one,
    they were scattered over the workers: over the benchmark corpus with two, 2,210 trees were read back
    from the cache that one process finds in memory."""
    target = max(1, sum(sizes) // (jobs * BATCHES_PER_WORKER))
    batches: list[list[int]] = [[]]
    filled = 0
    for index, size in enumerate(sizes):
        if batches[-1] and filled + size > target:
            batches.append([])
            filled = 0
        batches[-1].append(index)
        filled += size
    return batches


_WORKER_RULES: list = []


def _judge_in_worker(units: list[Unit], options: ScanOptions,
                     parameter_files: tuple[str, ...]) -> list[UnitResult]:
    if not _WORKER_RULES:
        _WORKER_RULES.extend(all_rules())
    return [judge_unit(unit, options, _WORKER_RULES, parameter_files=parameter_files) for unit in units]
