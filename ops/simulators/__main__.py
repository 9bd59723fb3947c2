"""`python -m ops.simulators ollama|openai --port N ...`: one simulator in the foreground."""

from __future__ import annotations

import argparse

from ops.simulators import SIMULATORS, SimConfig, serve_forever
from ops.simulators.divergence import parse_divergence
from ops.simulators.screening import parse_markers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ops.simulators", description=__doc__)
    parser.add_argument("kind", choices=sorted(SIMULATORS))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--error-kind", default="auto")
    parser.add_argument("--retry-after-s", type=float, default=1.0)
    parser.add_argument("--models", default="", help="comma-separated; empty accepts any model")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--max-parallel", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--divergence",
        action="append",
        default=[],
        metavar="MODEL=STRENGTH",
        help="MODEL's answers diverge with probability STRENGTH x complexity score; repeatable",
    )
    parser.add_argument(
        "--second-line-yes-markers",
        default="",
        metavar="MARKER[=CATEGORY],...",
        help="Turnout's second-line check answers 'sensitive' (CATEGORY, default other_confidential) "
        "for documents containing a MARKER",
    )
    args = parser.parse_args(argv)
    try:
        divergence = parse_divergence(args.divergence)
        parse_markers(args.second_line_yes_markers)
    except ValueError as exc:
        parser.error(str(exc))
    config = SimConfig(
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        error_kind=args.error_kind,
        retry_after_s=args.retry_after_s,
        models=tuple(m.strip() for m in args.models.split(",") if m.strip()),
        api_key=args.api_key,
        max_parallel=args.max_parallel,
        seed=args.seed,
        divergence=divergence,
        second_line_yes_markers=parse_markers(args.second_line_yes_markers),
    )
    try:
        serve_forever(args.kind, args.host, args.port, config)
    except ValueError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    main()
