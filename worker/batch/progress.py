"""Provider batch progress of one Turnout batch, for `turnout status`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from worker.store.batch_route import GROUP_DONE

if TYPE_CHECKING:
    from worker.store import Store


@dataclass(frozen=True)
class BatchProgress:
    provider_batches: int  # groups made so far (each is, or becomes, one provider batch)
    in_progress: int  # groups not done yet
    requests: int  # requests in those groups
    completed: int  # answered, as the provider counts them
    failed: int  # failed, expired or cancelled, as the provider counts them
    staged: int  # requests waiting to be grouped

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"cloud-batch: {self.provider_batches} provider batch(es), {self.in_progress} in progress; "
            f"requests completed {self.completed}/{self.requests}, failed {self.failed}"
            + (f"; {self.staged} staged" if self.staged else "")
        )


def batch_progress(store: Store, batch_id: str) -> BatchProgress | None:
    """The batch's provider batch progress, or None when none of its jobs took the batch route."""
    state = store.batch_route
    groups = state.groups_info(batch_id)
    staged = state.pending_count(batch_id)
    if not groups and not staged:
        return None
    return BatchProgress(
        provider_batches=len(groups),
        in_progress=sum(1 for g in groups if g.get("state") != GROUP_DONE),
        requests=sum(int(g.get("total") or g.get("requests") or 0) for g in groups),
        completed=sum(int(g.get("completed") or 0) for g in groups),
        failed=sum(int(g.get("failed") or 0) for g in groups),
        staged=staged,
    )
