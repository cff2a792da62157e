"""Batch scoring: many clips, many worker processes, optionally many machines.

``inputs`` turns folders, globs and CSV manifests into :class:`~formcheck.batch.jobs.Job`
objects; ``jobs`` gives each a content key; ``worker`` scores one clip with a
model kept loaded per process (``estimator``) and a pose cache (``cache``);
``store`` keeps each finished result as atomic files; ``tables`` rebuilds the
summary tables from the store; ``runner`` (local process pool) and ``cluster``
(Dask distributed) drive the workers.
"""
