"""`turnout estimate` in a subprocess: real files in, projected tokens and cost out, nothing contacted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.test_loaders import encrypted_pdf_bytes, pdf_bytes

pytestmark = pytest.mark.integration

# Endpoints where nothing listens: if estimate tried to reach a broker or a backend, it would fail.
UNREACHABLE = {
    "TURNOUT_BROKER_URL": "redis://127.0.0.1:9/0",
    "TURNOUT_OLLAMA_HOSTS": "http://127.0.0.1:9",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "OPENAI_API_KEY": "sk-test-unused",
}


def estimate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TURNOUT_", "OPENAI_", "OLLAMA_"))}
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", "estimate", *args],
        cwd=cwd,
        env={**env, **UNREACHABLE},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small mixed folder: PDF, DOCX, long text, sensitive text, and three inputs that must be rejected."""
    import docx

    root = tmp_path_factory.mktemp("estimate-batch")
    (root / "report.pdf").write_bytes(pdf_bytes(["Quarterly report: revenue grew 12%.", "Costs fell by 3%."]))
    (root / "scanned.pdf").write_bytes(pdf_bytes([None, None]))
    (root / "locked.pdf").write_bytes(encrypted_pdf_bytes(["secret plans"], user_password="pw"))
    contract = docx.Document()
    contract.add_paragraph("Supply contract between Acme Ltd and Borealis GmbH for 2027.")
    contract.add_paragraph("Deliveries are monthly; the price is fixed for twelve months.")
    contract.save(root / "contract.docx")
    (root / "ticket.txt").write_text(
        "Customer Olivia Harrington (olivia.harrington@contoso-mail.com) asks for a refund.", encoding="utf-8"
    )
    paragraph = (
        "Section {n}: the northern region grew revenue by twelve percent while costs rose by eight. "
        "The board asked for a plan to cut logistics spend by the end of the year.\n\n"
    )
    (root / "annual-review.md").write_text(
        "".join(paragraph.format(n=n) for n in range(400)), encoding="utf-8"
    )
    (root / "empty.txt").write_text("   \n", encoding="utf-8")
    return root


def test_estimate_json_projects_cost_per_route_next_to_the_baseline(batch: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    done = estimate(str(batch), "--json", "--sensitivity", "internal", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert time.monotonic() - started < 60
    data = json.loads(done.stdout)
    assert {"jobs", "by_route", "cost_usd", "baseline_cost_usd", "savings_usd", "rejected"} <= data.keys()
    assert data["jobs"] == 7
    rejected = {Path(r["source"]).name: r["reason"] for r in data["rejected"]}
    assert set(rejected) == {"scanned.pdf", "locked.pdf", "empty.txt"}
    assert "no extractable text" in rejected["scanned.pdf"] and "password" in rejected["locked.pdf"]
    # --sensitivity internal keeps everything local under the shipped policy; the long review is chunked.
    local, cloud = data["by_route"]["local"], data["by_route"]["cloud"]
    assert (local["jobs"], cloud["jobs"]) == (4, 0)
    assert local["chunks"] > local["jobs"] and local["calls"] > local["chunks"]
    assert data["cost_usd"] == pytest.approx(local["cost_usd"] + cloud["cost_usd"], abs=1e-12)
    assert data["baseline_cost_usd"] > data["cost_usd"] > 0
    assert data["savings_usd"] == pytest.approx(data["baseline_cost_usd"] - data["cost_usd"], abs=1e-12)
    assert data["route_reasons"]["sensitivity:internal kept local by policy"] >= 3
    assert data["token_count_method"]["input"]["local"]["method"].startswith(("exact:", "estimate:"))
    assert data["token_count_method"]["output"]["method"] == "assumed"


def test_estimate_prints_a_summary_with_the_routing_reasons(batch: Path, tmp_path: Path) -> None:
    done = estimate(str(batch), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "nothing was sent anywhere" in out and "all-cloud baseline" in out
    assert "routing reasons (documents):" in out and "never leaves" in out
    assert "rejected: 3" in out and "scanned.pdf" in out
    assert "Olivia" not in out + done.stderr and "contoso" not in out + done.stderr


def test_estimate_with_a_schema_file_estimates_an_extraction(batch: Path, tmp_path: Path) -> None:
    schema = tmp_path / "fields.json"
    schema.write_text(json.dumps(["party", "amount", "due_date"]), encoding="utf-8")
    done = estimate(str(batch / "contract.docx"), "--schema", str(schema), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(done.stdout)
    assert data["task"] == "extract" and data["jobs"] == 1
    assert data["token_count_method"]["output"]["tokens_per_call"] == 80


def test_an_unusable_schema_file_is_a_usage_error(batch: Path, tmp_path: Path) -> None:
    schema = tmp_path / "bad.json"
    schema.write_text(json.dumps({"type": "string"}), encoding="utf-8")
    done = estimate(str(batch), "--schema", str(schema), cwd=tmp_path)
    assert done.returncode == 2
    assert "must describe an object" in done.stderr
