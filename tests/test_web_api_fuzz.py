"""Schemathesis against the app's own OpenAPI document, on a real server over the demo corpus:
no generated request (valid or not) may get a 5xx, and every answer must match the schema; on a
SQLite store and on a PostgreSQL store.

Runs the ``schemathesis`` command (its pytest plugin does not load with this pytest) with a fixed
seed, so a failure can be replayed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import new_pg_database
from khabar.demo import ingest_demo
from khabar.web import WebConfig
from khabar.web.server import BackgroundServer

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_api_has_no_server_errors(tmp_path, request, dialect):
    db = str(tmp_path / "fuzz.db") if dialect == "sqlite" else new_pg_database(request.getfixturevalue("postgres_url"))
    ingest_demo(db)
    st = Path(sys.executable).with_name("schemathesis")
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    with BackgroundServer(WebConfig(db=db)) as srv:
        run = subprocess.run(
            [str(st), "run", srv.url + "/openapi.json", "--checks", CHECKS, "-n", "30", "--seed", "1403", "--no-color"],
            capture_output=True,
            text=True,
            env=env,
            timeout=240,
            cwd=tmp_path,
        )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    assert "4 selected / 4 total" in out  # every API operation was exercised
    assert "passed" in out
