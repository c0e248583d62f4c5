"""Helpers for the benchmarks: paths to the shared data and one virtualenv per peer library.

Each peer gets ``bench/.venv-<peer>`` (gitignored), created on first use with Python 3.11 (hazm
needs < 3.12 and numpy 1.24; shekar wants numpy >= 2, so they cannot share an environment).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
NORMBENCH = SHARED / "bench" / "normbench.py"
UD = SHARED / "data" / "ud-fa"
DEV_SETS = [UD / "fa_perdt-ud-dev.conllu", UD / "fa_seraji-ud-dev.conllu"]
OUT = BENCH / "out"

PEERS: dict[str, list[str]] = {"hazm": ["hazm"], "parsivar": ["parsivar"], "shekar": ["shekar"]}


def _python311() -> str:
    for name in ("python3.11", "python3"):
        path = shutil.which(name)
        if path:
            return path
    return sys.executable


def peer_python(peer: str) -> Path:
    """The interpreter of ``peer``'s environment, created and filled on first use."""
    venv = BENCH / f".venv-{peer}"
    py = venv / "bin" / "python"
    stamp = venv / ".installed"
    if not stamp.exists():
        if not py.exists():
            subprocess.run([_python311(), "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEERS[peer]],
            check=True,
        )
        stamp.write_text("ok\n")
    return py


def ensure_bench_env(*modules: str) -> None:
    """Re-run the calling script in ``bench/.venv-bench`` (khabar with its ``[bench]`` extra:
    datasketch, tantivy) unless ``modules`` already import here."""
    try:
        for name in modules:
            importlib.import_module(name)
        return
    except ImportError:
        pass
    venv = BENCH / ".venv-bench"
    py = venv / "bin" / "python"
    if Path(sys.prefix).resolve() == venv.resolve():
        raise SystemExit(f"{venv} lacks {', '.join(modules)}: delete it and run again")
    stamp = venv / ".installed"
    if not stamp.exists():
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f"{ROOT}[bench]"], check=True
        )
        stamp.write_text("ok\n")
    os.execv(str(py), [str(py), *sys.argv])


def run_json(python: Path | str, args: list[str], out: Path) -> dict | None:
    """Run ``python args...`` (which writes JSON to ``out``); the JSON, or None on failure."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NLTK_DATA=str(OUT / "no-nltk"))
    proc = subprocess.run([str(python), *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not out.exists():
        sys.stderr.write(f"{python} {' '.join(args[:2])} failed:\n{proc.stderr[-2000:]}\n")
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def check_data() -> None:
    missing = [p for p in [NORMBENCH, *DEV_SETS] if not p.exists()]
    if missing:
        sys.exit("missing shared data: " + ", ".join(map(str, missing)))
