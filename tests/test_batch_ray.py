"""`parallax batch --engine ray` on a local Ray instance gives the same outputs, file for file,
as the run in one process."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from batch_corpus import read_outputs, write_corpus
from parallax.batch.pipeline import BatchOptions, run_batch

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'parallax[ray]')")
# Ray Data warns about its own deprecated settings while copying its context.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def local_ray():
    """A small local Ray instance: 2 CPUs, no dashboard, a small object store."""
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=100 * 1024 * 1024,
        log_to_driver=False,
    )
    yield
    ray.shutdown()


def test_ray_and_single_process_runs_write_the_same_files(tmp_path, nlp, embedder, local_ray):
    inputs = write_corpus(tmp_path / "in")
    options = {"workers": 2, "chunk_size": 4, "show_progress": False}
    on_ray = run_batch(inputs, BatchOptions(out=tmp_path / "ray", engine="ray", **options))
    assert on_ray.engine == "ray" and on_ray.workers == 2

    serial = run_batch(inputs, BatchOptions(out=tmp_path / "serial", **{**options, "workers": 1}))
    assert (on_ray.articles, on_ray.stories) == (serial.articles, serial.stories) == (7, 3)
    assert read_outputs(tmp_path / "ray") == read_outputs(tmp_path / "serial")
    # Parts are cut the same way too: the same chunks, the same groups of stories.
    for table in ("articles", "attributions", "claims", "conflicts"):
        ray_parts = sorted(p.name for p in (tmp_path / "ray" / table).glob("*.parquet"))
        serial_parts = sorted(p.name for p in (tmp_path / "serial" / table).glob("*.parquet"))
        assert ray_parts == serial_parts
        for name in ray_parts:
            assert pq.read_table(tmp_path / "ray" / table / name).equals(
                pq.read_table(tmp_path / "serial" / table / name)
            )
