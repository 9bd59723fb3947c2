-- Opens a delivery of a routed job on its backend's queue, in one round trip: nothing for a job that
-- already has its result; else one more delivery and, unless that makes it poison, one more attempt.
-- KEYS: results, job, events, manifest. ARGV: job id, max deliveries, events cap, the message's generation.
-- Returns {terminal 1/0, deliveries (-1: a stale message), the job's hash flattened}; a job whose batch is
-- gone (purged, or expired) opens nothing and is written nothing, like a terminal one (worker/store/guard.py).
if redis.call('EXISTS', KEYS[4]) == 0 then
  return {1, 0, {}}
end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return {1, 0, {}}
end
if tonumber(ARGV[4]) < tonumber(redis.call('HGET', KEYS[2], 'gen') or '0') then
  return {1, -1, {}}
end
local deliveries = redis.call('HINCRBY', KEYS[2], 'deliveries', 1)
if deliveries <= tonumber(ARGV[2]) then
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
  redis.call('HSET', KEYS[2], 'status', 'running')
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'job_id', ARGV[1], 'status', 'running')
end
return {0, deliveries, redis.call('HGETALL', KEYS[2])}
