"""khabar pipeline run with the local engine: formats, filters, duplicates, audit, resume."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from khabar.cli import main
from khabar.errors import InputError, KhabarError
from khabar.pipeline.local import LocalExecutor
from khabar.pipeline.runner import run_pipeline
from khabar.pipeline.steps import AUDIT_DIR, OUTPUT_SCHEMA, Settings
from khabar.pipeline.synth import build_corpus

# A small hand-made vocabulary: content words of city news plus the function words that make prose.
VOCAB = """
شهرداری شورا بودجه خیابان پارک کتابخانه مدرسه دانشگاه بیمارستان پزشک پرستار بیمار قطار اتوبوس
ایستگاه فرودگاه باران برف سیل خشکسالی کشاورز گندم برنج بازار قیمت نان گوشت میوه کارخانه کارگر
مزد قرارداد جلسه نماینده مجلس وزیر استاندار فرماندار گزارش خبرنگار روزنامه تلویزیون مسابقه تیم
بازیکن مربی ورزشگاه جشنواره فیلم کارگردان نمایشگاه کتاب نویسنده شاعر موزه تاریخ باستان سفال
کوه دریا رودخانه جنگل درخت آب برق گاز تلفن اینترنت زلزله امدادگر آتش‌نشانی پلیس دادگاه قاضی
افزایش کاهش ساخت تعمیر افتتاح بازدید بررسی تصویب اعلام گفت کرد شد است بود دارد می‌شود خواهد
تازه بزرگ کوچک شمالی جنوبی شرقی غربی امسال پارسال ماه هفته روز ساعت هزار میلیون تومان درصد
و در به از که این را با برای آن یک تا خود بر هم نیز اما یا پس همه دیگر
""".split()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("corpus")
    truth = build_corpus(root / "in", vocab=VOCAB, documents=160, shards=3, seed=11)
    # other formats: a Parquet shard, a WARC shard, a text file and broken inputs
    pq.write_table(
        pa.table(
            {
                "id": ["p1", "p2"],
                "text": [
                    "\n".join(
                        [
                            "شورای شهر بودجه تازه پارک‌های شمالی را در جلسه امروز با اکثریت آرا تصویب کرد.",
                            "نماینده مردم در مجلس گفت که ساخت کتابخانه بزرگ شهر تا پایان امسال تمام خواهد شد.",
                            "به گفته شهردار، خرید اتوبوس‌های برقی برای خط‌های شرقی هم در همین بودجه آمده است.",
                            "کارگران کارخانه سفال که چند ماه مزد نگرفته بودند امروز جلوی ساختمان استانداری جمع شدند.",
                            "فرماندار پس از دیدار با آنان وعده داد که مطالبات معوق تا دو هفته دیگر پرداخت شود.",
                            "در بخش دیگری از جلسه، اعضای شورا درباره کم‌آبی تابستان و راه‌های صرفه‌جویی گفت‌وگو کردند.",
                            "قرار است نتیجه این گفت‌وگوها هفته آینده در نشستی با حضور کشاورزان منطقه اعلام شود.",
                        ]
                    ),
                    None,
                ],
            }
        ),
        root / "in" / "extra.parquet",
    )
    (root / "in" / "broken.jsonl").write_bytes(
        b'{"id": "ok-json", "text": "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85"}\n{"id": "cut", "te'
    )
    (root / "in" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "in" / "cp1256.txt").write_bytes(
        "شورای شهر امروز درباره بودجه پارک‌ها گفت‌وگو کرد.".replace("ی", "ي").encode("cp1256")
    )
    return root, truth


def _ids(folder: Path) -> list[str]:
    return [i for f in sorted(folder.glob("part-*.parquet")) for i in pq.read_table(f)["id"].to_pylist()]


def _rid(doc_id: str) -> str:
    return doc_id.rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory):
    root, _truth = corpus
    out = tmp_path_factory.mktemp("out") / "run"
    report = run_pipeline([str(root / "in")], out, executor=LocalExecutor(), settings=Settings(audit=True))
    return out, report


def test_every_document_is_kept_or_accounted_for(local_run):
    out, report = local_run
    removed = sum(report["removed_by_reason"].values())
    assert report["documents_out"] + removed == report["articles"]
    assert report["documents_out"] == len(_ids(out))
    audit = pd.read_parquet(out / AUDIT_DIR)
    assert len(audit) == removed
    assert audit["reason"].value_counts().to_dict() == report["removed_by_reason"]
    assert audit["detail"].notna().all()


def test_injected_copies_are_removed_and_originals_kept(corpus, local_run):
    _, truth = corpus
    out, report = local_run
    kept = {_rid(i) for i in _ids(out)}
    audit = pd.read_parquet(out / AUDIT_DIR)
    reason = {_rid(i): r for i, r in zip(audit["id"], audit["reason"], strict=True)}
    assert not kept & set(truth.exact)
    assert not kept & set(truth.near)
    assert all(reason[c] == "exact_duplicate" for c in truth.exact if truth.exact[c] in kept)
    assert all(reason[c] in ("exact_duplicate", "near_duplicate") for c in truth.near)
    # originals survive (none of them is a copy of an earlier one) and keep their copies' count
    assert set(truth.originals) <= kept
    table = pd.concat([pd.read_parquet(f) for f in sorted(out.glob("part-*.parquet"))])
    dups = {_rid(i): d for i, d in zip(table["id"], table["duplicates"], strict=True)}
    for copy, original in {**truth.exact, **truth.near}.items():
        assert dups[original] >= 1, copy
    assert report["duplicates"]["exact"] + report["duplicates"]["near"] == len(truth.exact) + len(truth.near)


def test_junk_is_filtered_by_the_right_rule(corpus, local_run):
    _, truth = corpus
    out, _ = local_run
    audit = pd.read_parquet(out / AUDIT_DIR)
    reason = {_rid(i): r for i, r in zip(audit["id"], audit["reason"], strict=True)}
    expected = {
        "language": {"language"},
        "too_short": {"too_short"},
        "repetition": {"repeated_lines", "repeated_line_chars", "page_repeats", "top_ngram", "duplicate_ngrams"},
    }
    for rid, kind in truth.junk.items():
        assert reason[rid] in expected[kind], (rid, kind, reason[rid])


def test_bad_inputs_are_kept_with_their_reason(local_run):
    out, report = local_run
    audit = pd.read_parquet(out / AUDIT_DIR)
    by_id = dict(zip(audit["id"], zip(audit["reason"], audit["detail"], strict=True), strict=True))
    cut = next(v for k, v in by_id.items() if k.endswith("broken.jsonl:2"))
    assert cut[0] == "input_error" and "truncated" in cut[1]
    assert any(k.endswith("extra.parquet#p2") and v[0] == "input_error" for k, v in by_id.items())
    binary = next(v for k, v in by_id.items() if k.endswith("binary.txt"))
    assert binary[0] == "extract_error"
    # windows-1256 text is decoded, then filtered only for being short
    assert next(v for k, v in by_id.items() if k.endswith("cp1256.txt"))[0] == "too_short"
    assert any(i.endswith("extra.parquet#p1") for i in _ids(out))
    assert report["documents_in"] >= report["shards"]["total"]


def test_output_schema_is_what_pandas_reads(local_run):
    out, _ = local_run
    files = sorted(out.glob("part-*.parquet"))
    df = pd.read_parquet(files)
    assert list(df.columns) == OUTPUT_SCHEMA.names
    assert df["id"].is_unique and df["ordinal"].is_unique
    assert (df["q_persian_ratio"] >= 0.5).all() and (df["q_words"] >= 50).all()
    assert pq.read_schema(files[0]).equals(OUTPUT_SCHEMA, check_metadata=False)
    report = json.loads((out / "report.json").read_text())
    assert report["parts"] == [f.name for f in files]
    assert set(report["time_per_stage"]) == {"extract_clean_quality", "dedup", "write"}
    assert report["languages"].get("fa", 0) >= report["documents_out"]


def _crash_after(stage: str, count: int):
    seen = []

    def hook(s: str, number: int) -> None:
        if s == stage:
            seen.append(number)
            if len(seen) == count:
                raise KeyboardInterrupt("simulated kill")

    return hook


@pytest.mark.parametrize("stage", ["clean", "write"])
def test_killed_run_resumes_without_redoing_or_duplicating(corpus, local_run, tmp_path, stage):
    root, _ = corpus
    reference, ref_report = local_run
    out = tmp_path / "run"
    settings = Settings(audit=True)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(
            [str(root / "in")], out, executor=LocalExecutor(), settings=settings, on_event=_crash_after(stage, 2)
        )
    stage_files = {p: p.stat().st_mtime_ns for p in (out / "_work" / "stage").glob("*.parquet")}
    report = run_pipeline([str(root / "in")], out, executor=LocalExecutor(), settings=settings)
    total = report["shards"]["total"]
    if stage == "clean":
        assert report["shards"]["resumed"] == 2 and report["shards"]["processed"] == total - 2
    else:
        assert report["shards"]["processed"] == 0 and report["shards"]["parts_written"] == total - 2
    for p, mtime in stage_files.items():
        assert p.stat().st_mtime_ns == mtime, f"{p.name} was redone"
    ids = _ids(out)
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(_ids(reference))
    assert report["removed_by_reason"] == ref_report["removed_by_reason"]
    assert not list(out.rglob("*.tmp"))


def test_finished_run_started_again_does_nothing_new(corpus, local_run):
    root, _ = corpus
    out, ref = local_run
    report = run_pipeline([str(root / "in")], out, executor=LocalExecutor(), settings=Settings(audit=True))
    assert report["shards"]["processed"] == 0 and report["shards"]["parts_written"] == 0
    assert report["documents_out"] == ref["documents_out"]


def test_other_inputs_in_the_same_folder_are_refused(corpus, local_run):
    _root, truth = corpus
    out, _ = local_run
    with pytest.raises(KhabarError, match="other inputs"):
        run_pipeline([truth.paths[0]], out, executor=LocalExecutor(), settings=Settings(audit=True))


def test_missing_input_names_it(tmp_path):
    with pytest.raises(InputError, match=r"nope\.jsonl"):
        run_pipeline([str(tmp_path / "nope.jsonl")], tmp_path / "o", executor=LocalExecutor())


def test_warc_shard_and_cli(tmp_path, capsys):
    from khabar.ingest.warc import WarcArchive

    paragraph = (
        "خبرنگار ما گزارش داد که شورای شهر در جلسه امروز درباره ساخت پارک تازه در محله‌های جنوبی "
        "گفت‌وگو کرد و قرار شد کار ساخت آن از ماه آینده آغاز شود. "
    )
    page = (
        f"<html><head><title>پارک تازه</title></head><body><article><p>{paragraph * 2}</p>"
        f"<p>به گفته شهردار، هزینه این طرح از بودجه امسال پرداخت می‌شود و مردم هم در آن سهم دارند.</p>"
        f"<p>{paragraph}</p></article></body></html>"
    )
    warc = WarcArchive(tmp_path / "crawl.warc.gz")
    body = page.encode("utf-8")
    warc.add_response(
        "https://news.example/a",
        200,
        "OK",
        [("Content-Type", "text/html; charset=utf-8")],
        body,
        "2024-05-01T08:00:00Z",
    )
    warc.add_response(
        "https://news.example/b",
        200,
        "OK",
        [("Content-Type", "text/html; charset=utf-8")],
        body,
        "2024-05-01T08:05:00Z",
    )
    warc.add_response(
        "https://news.example/c.png", 200, "OK", [("Content-Type", "image/png")], b"\x89PNG", "2024-05-01T08:06:00Z"
    )
    code = main(
        ["pipeline", "run", str(tmp_path / "crawl.warc.gz"), "-o", str(tmp_path / "o"), "-q", "--no-quality", "--audit"]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["documents_out"] == 1
    assert printed["removed_by_reason"] == {"exact_duplicate": 1, "input_error": 1}
    df = pd.read_parquet(tmp_path / "o" / "part-00000.parquet")
    assert df["url"].tolist() == ["https://news.example/a"] and df["title"].tolist() == ["پارک تازه"]


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["pipeline", "run", str(tmp_path / "none"), "-o", str(tmp_path / "o")]) == 1
    assert "none: no such file or folder" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text("سلام")
    assert main(["pipeline", "run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--workers", "2"]) == 1
    assert "--engine ray" in capsys.readouterr().err
    (tmp_path / "q.json").write_text(json.dumps({"min_wordz": 3}))
    assert (
        main(
            [
                "pipeline",
                "run",
                str(tmp_path / "a.txt"),
                "-o",
                str(tmp_path / "o"),
                "--quality-config",
                str(tmp_path / "q.json"),
            ]
        )
        == 1
    )
    assert "unknown setting(s) min_wordz" in capsys.readouterr().err


def test_ray_engine_without_ray_says_how_to_install(monkeypatch, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)
    (tmp_path / "a.txt").write_text("سلام")
    assert main(["pipeline", "run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--engine", "ray"]) == 1
    assert "pip install 'khabar[ray]'" in capsys.readouterr().err


def test_gzip_jsonl_shard(tmp_path):
    text = "\n".join(" ".join(VOCAB[(i * 7 + j * 3) % len(VOCAB)] for j in range(15)) + "." for i in range(8))
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
        gz.write((json.dumps({"id": "g1", "text": text}, ensure_ascii=False) + "\n").encode())
    (tmp_path / "s.jsonl.gz").write_bytes(buf.getvalue())
    report = run_pipeline(
        [str(tmp_path / "s.jsonl.gz")],
        tmp_path / "o",
        executor=LocalExecutor(),
        settings=Settings(quality=Settings().quality.__class__(enabled=False)),
    )
    assert report["documents_out"] == 1


def test_output_folder_inside_the_input_folder_is_not_read_back(tmp_path):
    text = "\n".join(" ".join(VOCAB[(i * 11 + j * 5) % len(VOCAB)] for j in range(14)) + "." for i in range(8))
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n")
    first = run_pipeline([str(tmp_path)], tmp_path / "out", executor=LocalExecutor())
    again = run_pipeline([str(tmp_path)], tmp_path / "out", executor=LocalExecutor())
    assert first["shards"]["total"] == again["shards"]["total"] == 1
    assert again["shards"]["processed"] == 0 and again["documents_out"] == first["documents_out"] == 1


def test_sigkilled_process_resumes(corpus, local_run, tmp_path):
    """A real kill -9 in the middle of a run: the next run redoes no recorded shard."""
    import os
    import signal
    import subprocess
    import sys
    import time

    root, _ = corpus
    reference, _ = local_run
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "khabar.cli", "pipeline", "run", str(root / "in"), "-o", str(out), "-q", "--audit"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = out / "_work" / "manifest.json"
    deadline = time.monotonic() + 120
    recorded: dict = {}
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            recorded = json.loads(manifest.read_text())["stage"]
        except (OSError, ValueError, KeyError):
            recorded = {}
        if recorded:
            break
        time.sleep(0.01)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    recorded = json.loads(manifest.read_text())["stage"]
    assert recorded, "the run recorded no shard before it was killed"
    mtimes = {p: p.stat().st_mtime_ns for p in (out / "_work" / "stage").glob("*.parquet")}
    report = run_pipeline([str(root / "in")], out, executor=LocalExecutor(), settings=Settings(audit=True))
    assert report["shards"]["resumed"] >= len(recorded)
    for p, mtime in mtimes.items():
        if int(p.name.removeprefix("shard-").removesuffix(".parquet")) in {int(k) for k in recorded}:
            assert p.stat().st_mtime_ns == mtime, f"{p.name} was redone"
    ids = _ids(out)
    assert len(ids) == len(set(ids)) and sorted(ids) == sorted(_ids(reference))
