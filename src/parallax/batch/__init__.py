"""Corpus-scale runs: `parallax batch INPUT... --out DIR`.

The same stages as `parallax compare` (ingest, analyze, cluster, compare, report), run over a
corpus with bounded memory, in worker processes (`engines.LocalEngine`) or on Ray
(`engines.RayEngine`), resumable from what is already in the output folder.

- `pipeline.py`: the driver: stages in order, what is done and what is left.
- `stages.py`: the work of one chunk of articles and of one group of stories, plain functions
  that both engines call, so they give the same outputs.
- `state.py`: the run's state in the output folder (SQLite), read back on resume.
- `engines.py`: worker processes, or Ray Data with actor pools.
- `progress.py`: the progress line on stderr (articles per second, ETA).
"""
