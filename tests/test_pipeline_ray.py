"""The Ray Data engine on a local 2-CPU Ray gives the same documents as the local engine."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import ray  # in the test extra: the Ray test runs on every `make test`

from khabar.pipeline.local import LocalExecutor
from khabar.pipeline.runner import run_pipeline
from khabar.pipeline.steps import AUDIT_DIR, Settings
from khabar.pipeline.synth import build_corpus

VOCAB = """
قطار مترو ایستگاه مسافر بلیت خط تازه شهر تهران کرج مشهد شیراز تبریز اصفهان ساعت حرکت تاخیر
برف باران جاده راهداری پلیس راه تصادف آمبولانس امدادگر بیمارستان پزشک واکسن مدرسه معلم دانش‌آموز
کنکور دانشگاه استاد پژوهش کتاب نمایشگاه ناشر نویسنده بازار قیمت دلار طلا سکه خودرو مسکن اجاره
نان شیر تخم‌مرغ برنج کشاورز باغ پسته زعفران صادرات گمرک بندر کشتی نفت گاز برق قطعی مصرف
گفت کرد شد است بود دارد می‌شود خواهد رسید آغاز پایان افزایش کاهش بررسی اعلام
و در به از که این را با برای آن یک تا خود بر هم نیز اما یا پس همه دیگر
""".split()


@pytest.fixture(scope="module")
def ray_session():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=True, logging_level="ERROR")
    yield ray
    ray.shutdown()


def _parts(folder: Path, sub: str = "") -> dict[str, tuple]:
    rows = {}
    for f in sorted((folder / sub).glob("part-*.parquet")):
        t = pq.read_table(f).to_pydict()
        for i, doc_id in enumerate(t["id"]):
            rows[doc_id] = (
                t["ordinal"][i],
                t.get("reason", [None] * len(t["id"]))[i],
                t.get("duplicates", t.get("duplicate_of"))[i],
                t["text"][i],
            )
    return rows


def test_ray_and_local_engines_keep_the_same_documents(ray_session, tmp_path):
    from khabar.pipeline.ray_engine import RayExecutor

    truth = build_corpus(tmp_path / "in", vocab=VOCAB, documents=120, shards=3, exact_rate=0.15, near_rate=0.15, seed=5)
    settings = Settings(audit=True)
    local = run_pipeline([str(tmp_path / "in")], tmp_path / "local", executor=LocalExecutor(), settings=settings)
    on_ray = run_pipeline([str(tmp_path / "in")], tmp_path / "ray", executor=RayExecutor(workers=2), settings=settings)
    kept_local, kept_ray = _parts(tmp_path / "local"), _parts(tmp_path / "ray")
    assert kept_local and kept_local == kept_ray  # same ids, ordinals, duplicate counts and text
    assert _parts(tmp_path / "local", AUDIT_DIR) == _parts(tmp_path / "ray", AUDIT_DIR)
    for key in ("documents_in", "articles", "documents_out", "removed_by_reason", "duplicates", "languages"):
        assert local[key] == on_ray[key], key
    assert on_ray["engine"] == "ray"
    # the injected copies were found (across shards too), so the comparison is not between two empty sets
    assert local["duplicates"]["exact"] + local["duplicates"]["near"] == len(truth.exact) + len(truth.near)
    assert local["duplicates"]["near"] > 0 and local["duplicates"]["exact"] > 0
