-- Records a terminal result exactly once: the HSETNX is the gate, the counters move only when it opens.
-- KEYS: results, counters, events, job, manifest, models, job list (worker/store/keys.py).
-- ARGV: job id, result JSON, status, route ('' none), input and output tokens, cost and baseline (pico),
-- events cap, now; then the cost of ownership, licenses, retention and the batch route's keys (below).
-- Returns 0 (it had a result already), 1, 2 (it finished its batch) or 3 (that batch has a spending cap);
-- -1 when the batch is gone (purged, or expired): nothing is written (worker/store/guard.py).
if redis.call('EXISTS', KEYS[5]) == 0 then
  return -1
end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
if ARGV[23] ~= '' then  -- 'reused' or 'joined': the result is another job's, run and billed there
  redis.call('HINCRBY', KEYS[2], ARGV[23], 1)
end
redis.call('HINCRBY', KEYS[2], 'cost_pico', ARGV[7])
redis.call('HINCRBY', KEYS[2], 'baseline_pico', ARGV[8])
if ARGV[4] ~= '' then
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':jobs', 1)
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':input_tokens', ARGV[5])
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':output_tokens', ARGV[6])
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':cost_pico', ARGV[7])
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':baseline_pico', ARGV[8])
end
-- Cost of ownership and licenses (docs/tco.md; worker/tco.py reads them). ARGV[11] is '1' when the job
-- made local calls: ARGV[12..16] are their GPU time (us), input and output tokens, cost and baseline
-- (pico), ARGV[17..18] the local fleet (hosts, one host's hourly price in pico; '0' hosts: not known to
-- this worker, keep what another wrote; else the last writer wins, all workers share one config).
-- ARGV[19] is "model<TAB>license<LF>" per model the job's calls used; KEYS[6] keeps model -> license.
if ARGV[11] == '1' then
  redis.call('HINCRBY', KEYS[2], 'tco:gpu_us', ARGV[12])
  redis.call('HINCRBY', KEYS[2], 'tco:input_tokens', ARGV[13])
  redis.call('HINCRBY', KEYS[2], 'tco:output_tokens', ARGV[14])
  redis.call('HINCRBY', KEYS[2], 'tco:cost_pico', ARGV[15])
  redis.call('HINCRBY', KEYS[2], 'tco:baseline_pico', ARGV[16])
  if ARGV[17] ~= '0' then
    redis.call('HSET', KEYS[2], 'tco:fleet_hosts', ARGV[17], 'tco:host_pico_per_hour', ARGV[18])
  end
end
for model, license in string.gmatch(ARGV[19], '([^\t\n]+)\t([^\n]*)\n') do
  redis.call('HINCRBY', KEYS[2], 'model:' .. model .. ':jobs', 1)
  redis.call('HSET', KEYS[6], model, license)
end
redis.call('HSET', KEYS[4], 'status', ARGV[3])
-- A terminal job's record is kept for the retention (ARGV[20], ms; worker/store/lifecycle.py), then goes.
redis.call('PEXPIRE', KEYS[4], ARGV[20])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[9], '*', 'job_id', ARGV[1], 'status', ARGV[3])
local done = 0
for _, field in ipairs({'succeeded', 'failed', 'rejected'}) do
  done = done + tonumber(redis.call('HGET', KEYS[2], field) or '0')
end
local expected = redis.call('HGET', KEYS[5], 'jobs_expected')
-- The batch is done: its records expire together, the retention from now, the batch route's state too
-- (ARGV[21] its key prefix, ARGV[22] its per-batch key names; per group: the group, its jobs and fields).
-- 2 tells the caller so; 3 when the batch has a spending cap, whose ledger lives outside this slot.
if expected and tonumber(expected) == done and redis.call('HSETNX', KEYS[5], 'finished_at', ARGV[10]) == 1 then
  for _, k in ipairs({KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[6], KEYS[7]}) do
    redis.call('PEXPIRE', k, ARGV[20])
  end
  for name in string.gmatch(ARGV[22], '%S+') do
    redis.call('PEXPIRE', ARGV[21] .. ':' .. name, ARGV[20])
  end
  for _, gid in ipairs(redis.call('LRANGE', ARGV[21] .. ':groups', 0, -1)) do
    for _, part in ipairs({'', ':jobs', ':fields'}) do
      redis.call('PEXPIRE', ARGV[21] .. ':g:' .. gid .. part, ARGV[20])
    end
  end
  if redis.call('HEXISTS', KEYS[5], 'max_cost_usd') == 1 then
    return 3
  end
  return 2
end
return 1
