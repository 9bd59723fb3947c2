"""configs/budgets.yaml and the pure parts of budgets: validation, the binding cap, UTC windows, estimates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ops.simulators.answers import prompt_tokens
from producer.cli import main as cli
from worker.backends.openai import OpenAIBackend
from worker.budget.config import BudgetsConfig, load_budgets, provider_for
from worker.budget.gate import BudgetExhausted, BudgetGate, binding_denial, to_pico
from worker.budget.ledger import Denial, Windows
from worker.errors import ConfigError
from worker.model_catalog import load_models_config
from worker.pricing import load_price_table
from worker.retry import countdown_s
from worker.schema import Usage
from worker.settings import REPO_CONFIG_DIR, Settings


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "budgets.yaml").write_text(text)
    return tmp_path


def test_the_shipped_file_loads_and_sets_no_caps() -> None:
    config = load_budgets(REPO_CONFIG_DIR)
    assert config.providers == {}
    assert config.batch.on_exhausted == "local"
    assert provider_for(config, None) is None


def test_no_file_means_no_caps(tmp_path: Path) -> None:
    assert load_budgets(tmp_path) == BudgetsConfig()


def test_an_unknown_key_is_an_error_naming_the_file_and_the_key(tmp_path: Path) -> None:
    write(tmp_path, "providers:\n  openai:\n    daily: {usd: 5, on_exhausted: hold, typo: 1}\n")
    with pytest.raises(ConfigError) as raised:
        load_budgets(tmp_path)
    assert "budgets.yaml" in str(raised.value) and "providers.openai.daily.typo" in str(raised.value)


def test_hold_cannot_apply_to_a_batch_cap_which_never_resets(tmp_path: Path) -> None:
    write(tmp_path, "batch: {on_exhausted: hold}\n")
    with pytest.raises(ConfigError) as raised:
        load_budgets(tmp_path)
    message = str(raised.value)
    assert "batch.on_exhausted" in message and "never resets" in message and "local or fail" in message


@pytest.mark.parametrize(
    "text",
    [
        "providers:\n  openai:\n    daily: {usd: 0}\n",  # a cap must be positive
        "providers:\n  openai:\n    daily: {usd: 0.0000000000001}\n",  # under a picodollar: 0, no cap
        "providers:\n  openai:\n    monthly: {usd: 1e400}\n",  # no printable amount
        "providers:\n  'bad name':\n    daily: {usd: 1}\n",  # it goes into Redis keys
        "providers:\n  a: {daily: {usd: 1}}\n  b: {daily: {usd: 2}}\n",  # two entries, one endpoint
        "hold_recheck_s: 0\n",
        "providers:\n  openai:\n    monthly: {usd: 1, on_exhausted: wait}\n",
    ],
)
def test_invalid_budgets_are_refused(tmp_path: Path, text: str) -> None:
    write(tmp_path, text)
    with pytest.raises(ConfigError, match="budgets.yaml"):
        load_budgets(tmp_path)


def test_the_provider_is_picked_by_the_endpoint_in_use(tmp_path: Path) -> None:
    write(
        tmp_path,
        "providers:\n"
        "  openai: {daily: {usd: 50}}\n"
        "  gateway: {base_url: 'http://llm.internal:8000/v1/', monthly: {usd: 10, on_exhausted: fail}}\n",
    )
    config = load_budgets(tmp_path)
    name, caps = provider_for(config, None) or ("", None)
    assert name == "openai" and caps is not None and caps.daily is not None
    name, caps = provider_for(config, "http://llm.internal:8000/v1") or ("", None)
    assert name == "gateway" and caps is not None and caps.monthly is not None


def test_caps_written_for_other_endpoints_stop_the_workers_at_start(tmp_path: Path) -> None:
    """Caps that silently do not apply would not hold: an unmatched endpoint is an error naming it."""
    write(tmp_path, "providers:\n  openai: {daily: {usd: 50}}\n")
    with pytest.raises(ConfigError) as raised:
        provider_for(load_budgets(tmp_path), "http://127.0.0.1:9999/v1", tmp_path / "budgets.yaml")
    assert "http://127.0.0.1:9999/v1" in str(raised.value) and "budgets.yaml" in str(raised.value)


def denial(cap: str, hard: bool, resets_in_s: float | None) -> Denial:
    return Denial(cap=cap, hard=hard, resets_in_s=resets_in_s, spent_pico=1, reserved_pico=0, cap_pico=2)


def test_the_binding_cap_is_hard_before_soft_and_the_latest_reset_among_hard_ones() -> None:
    day_soft, month_hard = denial("day", False, 10.0), denial("month", True, 1000.0)
    assert binding_denial([day_soft, month_hard]) is month_hard
    day_hard = denial("day", True, 10.0)
    assert binding_denial([day_hard, month_hard]) is month_hard  # holding for the day would not help
    batch_hard = denial("batch", True, None)
    assert binding_denial([day_hard, batch_hard, month_hard]) is batch_hard  # never resets
    assert binding_denial([day_soft]) is day_soft


def test_an_exhausted_error_says_which_cap_with_amounts_only() -> None:
    error = BudgetExhausted(
        Denial(
            "day",
            True,
            3600.0,
            spent_pico=to_pico(Decimal("4.5")),
            reserved_pico=0,
            cap_pico=to_pico(Decimal(5)),
        ),
        "hold",
        estimate_pico=to_pico(Decimal("0.6")),
    )
    assert error.kind == "budget_exhausted" and error.hard and error.policy == "hold"
    assert "daily cap of $5.000000" in str(error) and "$4.500000 spent" in str(error)
    assert "$0.600000" in str(error) and error.retry_after_s == 3600.0


@pytest.mark.parametrize(
    ("moment", "day", "month", "day_end", "month_end"),
    [
        ("2025-06-30T13:45:00", "2025-06-30", "2025-06", "2025-07-01", "2025-07-01"),
        ("2024-12-31T23:59:59", "2024-12-31", "2024-12", "2025-01-01", "2025-01-01"),
        ("2024-02-29T00:00:00", "2024-02-29", "2024-02", "2024-03-01", "2024-03-01"),
    ],
)
def test_windows_are_utc_days_and_months(
    moment: str, day: str, month: str, day_end: str, month_end: str
) -> None:
    at = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC).timestamp()
    windows = Windows.at(at)
    assert (windows.day, windows.month) == (day, month)
    midnight = dt.datetime.fromisoformat(day_end).replace(tzinfo=dt.UTC).timestamp()
    assert windows.day_ends_at == midnight
    assert windows.month_ends_at == dt.datetime.fromisoformat(month_end).replace(tzinfo=dt.UTC).timestamp()


def gate(margin_pct: int = 10) -> BudgetGate:
    config = BudgetsConfig(input_margin_pct=Decimal(margin_pct))
    prices = load_price_table(REPO_CONFIG_DIR / "pricing.yaml")
    models = load_models_config(REPO_CONFIG_DIR / "models.yaml")
    return BudgetGate(None, config, None, prices, models, lease_s=60)  # type: ignore[arg-type]


def test_the_estimate_covers_what_the_provider_counts_and_the_whole_output_budget() -> None:
    """The simulator counts input like OpenAI's chat format; the estimate is never below it."""
    messages = [
        {"role": "system", "content": "Summarize the document in two sentences."},
        {"role": "user", "content": "Quarterly figures: 12,345.67 EUR; ünïcödé text and 日本語 too. " * 40},
    ]
    g = gate(margin_pct=0)
    worst = g.cost_pico("gpt-4o-mini", Usage(input_tokens=prompt_tokens(messages), output_tokens=256))
    assert g.estimate_pico("gpt-4o-mini", messages, 256) >= worst
    assert gate(margin_pct=10).estimate_pico("gpt-4o-mini", messages, 256) > g.estimate_pico(
        "gpt-4o-mini", messages, 256
    )
    batch_rate = g.estimate_pico("gpt-4o-mini", messages, 256, batch_rates=True)
    assert batch_rate < g.estimate_pico("gpt-4o-mini", messages, 256)


def test_budgets_need_a_bound_on_the_output() -> None:
    with pytest.raises(ValueError, match="max_output_tokens"):
        OpenAIBackend(base_url="http://x/v1", api_key="k", timeout_s=1, max_output_tokens=None, budget=gate())


def test_a_hold_countdown_never_outlives_the_visibility_timeout() -> None:
    settings = Settings(visibility_timeout_s=600, request_timeout_s=60, retry_backoff_max_s=30)
    assert countdown_s(settings, 86_400) <= 600 - (2 * 60 + 30)
    assert countdown_s(settings, 86_400) <= 300
    assert countdown_s(settings, 5) == 5


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf"])
def test_max_cost_usd_must_be_a_positive_amount(value: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    outcome = CliRunner().invoke(cli, ["submit", str(tmp_path / "a.txt"), "--max-cost-usd", value])
    assert outcome.exit_code == 2 and "--max-cost-usd" in outcome.output


def test_the_report_checks_the_spend_against_cap_plus_overrun() -> None:
    from worker.budget.ledger import LedgerUse
    from worker.budget.view import CapView

    def line(settled: int, overrun: int) -> str:
        use = LedgerUse.parse({"cap": "1000000", "settled": str(settled), "overrun": str(overrun)})
        return CapView("batch", None, "local", use).bound_line()

    assert "spend stays within cap + overrun ($0.000001 <= $0.000001)" in line(1_000_000, 0)
    assert "spend stays within cap + overrun ($0.000001 <= $0.000001)" in line(1_000_500, 500)
    # A cap lowered below what was already spent: the line says so instead of claiming the bound held.
    assert "spend EXCEEDS cap + overrun" in line(3_000_000, 0)


@pytest.mark.parametrize("amount", ["1e-13", "1e400", "2000000000"])
def test_a_batch_cap_outside_the_ledgers_range_is_refused(amount: str) -> None:
    from click.testing import CliRunner

    from producer.cli import main

    # Refused while the options are parsed, before a broker or a file is touched.
    result = CliRunner().invoke(main, ["submit", "examples/docs", "--max-cost-usd", amount])
    assert result.exit_code == 2
    assert "must lie between" in result.output
