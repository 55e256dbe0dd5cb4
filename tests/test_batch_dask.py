"""The same batch on a Dask distributed cluster (a LocalCluster on loopback) matches a local run."""

from __future__ import annotations

import os

import pytest

from test_batch import batch_run, make_site, summary


def _need_dask():
    try:
        from dask.distributed import LocalCluster  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("dask[distributed] is not installed (pip install '.[test]' installs it)")


def test_dask_cluster_matches_a_local_run(tmp_path):
    _need_dask()
    from dask.distributed import LocalCluster

    src = tmp_path / "in"
    for i, w in enumerate((31, 28, 34)):
        make_site(src, f"s{i}", width=w)
    (src / "broken.dxf").write_bytes(b"\x00not a drawing")
    local, remote = tmp_path / "local", tmp_path / "remote"
    ref = batch_run(str(src), "-o", str(local), "-j", "1")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        res = batch_run(str(src), "-o", str(remote), "--scheduler", cluster.scheduler_address)
    assert res.returncode == ref.returncode == 3, res.stderr
    assert (remote / "summary.json").read_bytes() == (local / "summary.json").read_bytes()
    assert (remote / "summary.csv").read_bytes() == (local / "summary.csv").read_bytes()
    rows = summary(remote)["sites"]
    assert len(rows) == 4 and rows[-1]["site"] == "broken" and rows[-1]["error"]
    for r in rows[:-1]:
        assert (remote / r["report"]).read_bytes() == (local / r["report"]).read_bytes()
        assert r["images"] and all((remote / p).is_file() for p in r["images"])


def test_unreachable_scheduler_is_a_usage_error(tmp_path):
    _need_dask()
    import socket

    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out"
    os.environ["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"] = "2s"
    try:
        res = batch_run(str(tmp_path), "-o", str(out), "--scheduler", f"tcp://127.0.0.1:{port}")
    finally:
        del os.environ["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"]
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and "batch error" in res.stderr
    assert not (out / "summary.json").exists()
