"""Spending caps on the cloud, from booking a call to deciding what a refused job does.

- `config` — configs/budgets.yaml: the caps and each one's policy (`local`, `hold`, `fail`).
- `ledger` — the caps in Redis: reserve a call's worst case, settle or release it, all caps or none.
- `gate`   — what the cloud backends call: estimate, reserve, settle (`BudgetExhausted` when refused).
- `batch`  — the same booking for requests staged for the provider's Batch API.
- `policy` — a refused job's `Decision`: wait, hold, move to local, or fail. It decides; the tasks act.
- `view`   — what `turnout status` and `report` show of the caps.
"""
