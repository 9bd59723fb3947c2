"""The cloud-batch route: cloud-bound jobs that can wait go through the provider's Batch API.

- `hints`     — what routing needs from a batch (`--deadline`, size) to choose the route.
- `calls`     — a job's calls answered by batch results; replayed until every call has its answer.
- `collector` — advances a job: stages its next request, or records its result at batch prices.
- `flush`     — groups a batch's staged requests into provider files (split at the provider's limits).
- `provider`  — the official `openai` client's files and batches APIs, idempotent and guarded.
- `poller`    — one provider batch's state machine: upload, create, poll, join the results back.
- `tasks`     — the thin Celery tasks on the `cloud-batch` queue, served by the cloud pool.
- `revive`    — which batches' chains a killed worker left overdue (the sweeper sends them a resume tick).

Its state in Redis (every key under the batch's `{batch_id}` hash tag) and the chain numbering are the
store's: worker/store/batch_route.py. Nothing here is imported by `worker/__init__`: the pipeline imports
`hints` only.
"""
