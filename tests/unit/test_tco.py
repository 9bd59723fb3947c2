"""Total cost of ownership: local jobs priced by the GPU time they used, the simulator's durations, the
report's per-Mtok figures, and the license allowlist refusing at start (docs/tco.md)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import ollama
import pytest
import yaml

from ops.simulators import OllamaSimulator
from ops.simulators.ollama_sim import SIM_LOAD_NS, modelled_durations_ns
from worker.backends.base import Completion
from worker.backends.ollama import gpu_ms_of
from worker.calls import dump_completion, load_completion, price_calls
from worker.errors import ConfigError, PermanentBackendError
from worker.model_catalog import ModelsConfig
from worker.pricing import PICO_PER_USD, CloudPrice, GpuCost, LocalThroughput, PriceTable, load_price_table
from worker.runtime import Policies
from worker.schema import Usage
from worker.settings import REPO_CONFIG_DIR, Settings
from worker.tco import local_cost, models_used

LOCAL = "llama3.2:3b"
CLOUD = "gpt-4o-mini"


def table(gpu: GpuCost | None = None) -> PriceTable:
    return PriceTable(
        baseline_model=CLOUD,
        cloud={CLOUD: CloudPrice(input_usd_per_mtok=Decimal("0.15"), output_usd_per_mtok=Decimal("0.60"))},
        gpu=gpu or GpuCost(gpu_hour_usd=Decimal("0.72")),  # $0.0002 a second: 200,000 pico a millisecond
        local={LOCAL: LocalThroughput(input_tokens_per_s=Decimal(2000), output_tokens_per_s=Decimal(200))},
    )


def call(model: str, input_tokens: int, output_tokens: int, gpu_ms: float | None = None) -> Completion:
    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    return Completion("answer", usage, model, f"test:{model}", 12.5, gpu_ms=gpu_ms)


# ------------------------------------------------------------------------------------- the GPU cost model


def test_a_local_call_costs_the_gpu_time_it_reported_in_exact_picodollars() -> None:
    prices = table()
    assert prices.gpu_pico(1234.5) == 246_900_000  # 1.2345 s at $0.72/h
    usage = Usage(input_tokens=1000, output_tokens=100)
    assert prices.call_cost_pico(LOCAL, usage, 1234.5) == 246_900_000  # time, not tokens
    # The same call with no GPU time reported falls back to its tokens at the host's throughput.
    assert (
        prices.call_cost_pico(LOCAL, usage, None) == prices.cost_pico(LOCAL, usage) == 200_000_000
    )  # 0.5 s + 0.5 s


def test_amortized_hardware_plus_power_is_an_hourly_price() -> None:
    # $2628 over 3 years of 8760 h = $0.10/h; 500 W at $0.20/kWh = $0.10/h.
    gpu = GpuCost(
        hardware_usd=Decimal(2628),
        amortization_years=Decimal(3),
        power_watts=Decimal(500),
        usd_per_kwh=Decimal("0.20"),
    )
    assert gpu.hour_usd == Decimal("0.2")
    prices = table(gpu)
    assert prices.gpu_pico(3_600_000) == PICO_PER_USD // 5  # one hour
    assert prices.host_pico_per_hour() == PICO_PER_USD // 5


@pytest.mark.parametrize(
    ("gpu", "message"),
    [
        ("{gpu_hour_usd: 1, power_watts: 300}", "not both"),
        ("{hardware_usd: 2000, amortization_years: 3}", "missing: power_watts, usd_per_kwh"),
        ("{}", "give gpu_hour_usd"),
        ("{gpu_hour_usd: 1, gpu_hours_usd: 2}", "gpu.gpu_hours_usd: Extra inputs are not permitted"),
        ("{gpu_hour_usd: -1}", "gpu.gpu_hour_usd"),
    ],
)
def test_the_gpu_cost_model_is_validated_and_names_the_key(tmp_path: Path, gpu: str, message: str) -> None:
    path = tmp_path / "pricing.yaml"
    path.write_text(
        "baseline_model: m\ncloud: {m: {input_usd_per_mtok: 1, output_usd_per_mtok: 2}}\n"
        f"gpu: {gpu}\nlocal: {{l: {{input_tokens_per_s: 10, output_tokens_per_s: 1}}}}\n"
    )
    with pytest.raises(ConfigError, match=message) as raised:
        load_price_table(path)
    assert str(path) in str(raised.value)


def test_local_models_need_a_gpu_section_and_the_old_per_model_price_is_pointed_at_it(tmp_path: Path) -> None:
    path = tmp_path / "pricing.yaml"
    head = "baseline_model: m\ncloud: {m: {input_usd_per_mtok: 1, output_usd_per_mtok: 2}}\n"
    path.write_text(head + "local: {l: {input_tokens_per_s: 10, output_tokens_per_s: 1}}\n")
    with pytest.raises(ConfigError, match="no `gpu:` section"):
        load_price_table(path)
    path.write_text(
        head + "gpu: {gpu_hour_usd: 1}\n"
        "local: {l: {gpu_hour_usd: 1, input_tokens_per_s: 10, output_tokens_per_s: 1}}\n"
    )
    with pytest.raises(ConfigError, match=r"local\.l: .*moved to the top-level `gpu:` section"):
        load_price_table(path)


def test_shipped_price_table_prices_local_gpu_time() -> None:
    prices = load_price_table(REPO_CONFIG_DIR / "pricing.yaml")
    assert prices.gpu is not None and prices.gpu.hour_usd > 0
    assert prices.is_local(LOCAL) and not prices.is_local(CLOUD)
    assert prices.gpu_pico(1000.0) > 0


# ------------------------------------------------------------------------------------ pricing the calls


def test_price_calls_charges_local_gpu_time_falls_back_to_throughput_and_keeps_cloud_per_token() -> None:
    prices = table()
    calls = [
        call(LOCAL, 1000, 100, gpu_ms=500.0),  # 100,000,000 pico of GPU time
        call(LOCAL, 2000, 50, gpu_ms=None),  # no GPU time: 2000/2000 s + 50/200 s = 1.25 s = 250,000,000
        call(CLOUD, 1_000_000, 0),  # $0.15
    ]
    totals = price_calls(calls, prices, calls[-1], None)
    assert totals.cost_pico == 100_000_000 + 250_000_000 + 150_000_000_000
    assert totals.baseline_pico == sum(prices.baseline_pico(c.usage) for c in calls)
    assert totals.models == (LOCAL, CLOUD)
    local = totals.local
    assert (local.calls, local.gpu_ms, local.gpu_us) == (2, 500.0, 500_000)
    assert (local.input_tokens, local.output_tokens) == (3000, 150)
    assert local.cost_pico == 350_000_000
    assert local.baseline_pico == sum(prices.baseline_pico(c.usage) for c in calls[:2])


def test_cloud_only_calls_have_no_local_use() -> None:
    totals = price_calls([call(CLOUD, 10, 10)], table(), None, CLOUD)
    assert totals.local.calls == 0 and totals.local.gpu_ms is None and totals.local.cost_pico == 0


def test_an_unpriced_local_model_is_an_error_even_with_gpu_time() -> None:
    with pytest.raises(PermanentBackendError, match="not in the price table"):
        price_calls([call("mystery:7b", 10, 10, gpu_ms=5.0)], table(), None, None)


def test_checkpoints_round_trip_gpu_time_and_read_older_ones_without_it() -> None:
    answered = call(LOCAL, 321, 45, gpu_ms=1234.567)
    assert load_completion(dump_completion(answered)) == answered
    cloud = call(CLOUD, 1, 2)
    assert load_completion(dump_completion(cloud)) == cloud
    older = '{"output": "x", "usage": {"input_tokens": 1, "output_tokens": 2}, "model": "m", "backend": "b", "latency_ms": 1}'
    assert load_completion(older).gpu_ms is None


# ---------------------------------------------------------------------- what Ollama reports, and the rule


def test_the_backend_charges_reported_gpu_time_shared_by_the_hosts_parallel_slots() -> None:
    response = ollama.ChatResponse(
        model=LOCAL,
        message=ollama.Message(role="assistant", content="answer"),
        load_duration=2_000_000,
        prompt_eval_duration=30_000_000,
        eval_duration=368_000_001,
        total_duration=900_000_000,  # includes time queued: not GPU work, not charged
    )
    assert gpu_ms_of(response, slots=1) == 400.0
    assert gpu_ms_of(response, slots=4) == 100.0  # four requests in flight share the GPU
    bare = ollama.ChatResponse(model=LOCAL, message=ollama.Message(role="assistant", content="answer"))
    assert gpu_ms_of(bare, slots=4) is None  # nothing reported: fallback


def test_the_simulator_reports_gpu_time_modelled_from_tokens_even_with_zero_latency() -> None:
    with OllamaSimulator() as sim:
        messages = [{"role": "user", "content": "Summarize: the quarterly report shows growth. " * 40}]
        r = ollama.Client(host=sim.url).chat(model=LOCAL, messages=messages)
    assert r.prompt_eval_count and r.eval_count
    load, prompt, evaluation = modelled_durations_ns(r.prompt_eval_count, r.eval_count)
    assert r.load_duration == load == SIM_LOAD_NS
    # At least the modelled time (more only if the request really took longer), and consistent.
    assert r.prompt_eval_duration is not None and r.prompt_eval_duration >= prompt
    assert r.eval_duration is not None and r.eval_duration >= evaluation
    assert r.total_duration == r.load_duration + r.prompt_eval_duration + r.eval_duration
    # Modelled from the tokens at the simulated throughput: more tokens, more time.
    assert prompt >= r.prompt_eval_count * 1_000_000_000 // 1500 and evaluation > prompt / 10


# --------------------------------------------------------------------------------- the report's figures


def test_local_cost_per_mtok_busy_with_idle_fleet_and_the_cloud_for_the_same_tokens() -> None:
    counters = {
        "tco:input_tokens": 750_000,
        "tco:output_tokens": 250_000,
        "tco:cost_pico": PICO_PER_USD // 10,  # $0.10 busy
        "tco:baseline_pico": 262_500_000_000,  # $0.2625 on the cloud baseline
        "tco:gpu_us": 450_000_000,  # 450 s of GPU time charged
        "tco:fleet_hosts": 2,
        "tco:host_pico_per_hour": 800_000_000_000,  # $0.80/h
    }
    cost = local_cost(counters, duration_s=900.0)  # 2 hosts x 15 min x $0.80/h = $0.40
    assert (cost.busy_usd, cost.busy_usd_per_mtok) == (0.1, 0.1)
    assert (cost.fleet_usd, cost.fleet_usd_per_mtok) == (0.4, 0.4)
    assert cost.cloud_usd_per_mtok == 0.2625
    assert (cost.gpu_s, cost.gpu_utilization, cost.fleet_hosts) == (450.0, 0.25, 2)
    # A fleet figure below the busy cost (modelled GPU time longer than the wall time) is raised to it.
    short = local_cost(counters, duration_s=60.0)
    assert short.fleet_usd == 0.1 and short.gpu_utilization == 1.0


def test_no_local_tokens_means_no_per_mtok_figures() -> None:
    cost = local_cost({}, duration_s=10.0)
    assert cost.busy_usd_per_mtok is None and cost.fleet_usd is None and cost.cloud_usd_per_mtok is None


def test_models_used_carry_their_license_or_none() -> None:
    counters = {"model:llama3.2:3b:jobs": 3, "model:mystery:jobs": 1, "local:jobs": 4}
    used = models_used(counters, {"llama3.2:3b": "Llama-3.2-Community", "mystery": ""})
    assert {m: (u.jobs, u.license) for m, u in used.items()} == {
        "llama3.2:3b": (3, "Llama-3.2-Community"),
        "mystery": (1, None),
    }


# -------------------------------------------------------------------------------------------- licenses


def models_config(**extra: object) -> ModelsConfig:
    data = {
        "models": {
            "free:7b": {"context_tokens": 4096, "tokenizer": "x", "license": "apache-2.0"},
            "nc:8b": {"context_tokens": 4096, "tokenizer": "x", "license": "CC-BY-NC-4.0"},
            "silent:1b": {"context_tokens": 4096, "tokenizer": "x"},
        },
        **extra,
    }
    return ModelsConfig.model_validate(data)


def test_the_allowlist_refuses_a_disallowed_or_unstated_license_naming_model_license_and_file() -> None:
    config = models_config(licenses={"allowed": ["Apache-2.0", "MIT"]})
    config.check_local_license("free:7b", "configs/models.yaml")  # matched ignoring case
    with pytest.raises(ConfigError) as refused:
        config.check_local_license("nc:8b", "configs/models.yaml")
    message = str(refused.value)
    assert "nc:8b" in message and "CC-BY-NC-4.0" in message and "configs/models.yaml" in message
    assert "licenses.allowed" in message
    with pytest.raises(ConfigError, match=r"'silent:1b' states no license.*models\.silent:1b"):
        config.check_local_license("silent:1b", "configs/models.yaml")
    with pytest.raises(ConfigError, match="states no license"):  # unlisted: the default states none
        config.check_local_license("unlisted:3b", "configs/models.yaml")


def test_without_an_allowlist_any_license_runs() -> None:
    config = models_config()
    for model in ("free:7b", "nc:8b", "silent:1b"):
        config.check_local_license(model, "configs/models.yaml")


def test_a_license_on_the_default_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="default.license"):
        ModelsConfig.model_validate({"default": {"context_tokens": 4096, "tokenizer": "x", "license": "MIT"}})


def test_the_shipped_local_model_is_allowed_and_a_non_commercial_one_is_refused_at_start(
    tmp_path: Path,
) -> None:
    policies = Policies.load(Settings(config_dir=REPO_CONFIG_DIR))
    assert policies.models.license_of(policies.routing.models.local) == "Llama-3.2-Community"
    config_dir = tmp_path / "configs"
    shutil.copytree(REPO_CONFIG_DIR, config_dir)
    routing = yaml.safe_load((config_dir / "routing.yaml").read_text())
    routing["models"]["local"] = "aya:8b"
    (config_dir / "routing.yaml").write_text(yaml.safe_dump(routing))
    pricing = yaml.safe_load((config_dir / "pricing.yaml").read_text())
    pricing["local"]["aya:8b"] = {"input_tokens_per_s": 3000, "output_tokens_per_s": 300}
    (config_dir / "pricing.yaml").write_text(yaml.safe_dump(pricing))
    with pytest.raises(ConfigError) as refused:
        Policies.load(Settings(config_dir=config_dir))
    message = str(refused.value)
    assert "'aya:8b'" in message and "CC-BY-NC-4.0" in message
    assert str(config_dir / "models.yaml") in message
