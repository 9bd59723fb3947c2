"""`turnout compare`: a sample of your own documents through the local and cloud models side by side.

- `main`      — `run_compare`, the whole comparison (the click command: producer/cli/compare.py).
- `sample`    — draws the sample, stratified by complexity bucket.
- `stack`     — the backends the comparison calls (the configured ones, or simulators).
- `run`       — answers each document on each model, with retries; sensitive documents never go to the cloud.
- `agreement` — task-aware agreement between a local and the cloud answer.
- `threshold` — the `routes.cloud_min_score` that keeps agreement at the target with the fewest cloud jobs.
- `report`    — the report, and its JSON.
- `render`    — the report as text.

Nothing is imported here: `turnout --help` stays fast.
"""
