"""Self-rescheduling chains: numbered messages, so a crash never breaks a chain and duplicates die."""

from __future__ import annotations

from worker.store.batch_route import chain_may_run


def test_the_current_message_runs() -> None:
    assert chain_may_run(current=4, number=4)


def test_the_next_message_runs_when_its_sender_died_before_recording_it() -> None:
    """A step publishes n+1 before it records n+1: if it dies in between, n+1 still carries the chain."""
    assert chain_may_run(current=4, number=5)


def test_a_restored_or_repeated_message_of_an_earlier_step_dies() -> None:
    assert not chain_may_run(current=5, number=4)
    assert not chain_may_run(current=9, number=1)


def test_a_message_from_beyond_the_next_step_never_runs() -> None:
    assert not chain_may_run(current=4, number=6)


def test_the_first_message_of_a_new_chain_runs() -> None:
    assert chain_may_run(current=0, number=1)
