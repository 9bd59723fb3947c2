-- Hold a job for a receiving worker, unless the message is older than the job's generation (a stale copy).
-- KEYS: job, manifest. ARGV: generation, holder, stage (task name), priority ('' none). Returns 1 if held;
-- never a job of a batch that is gone (purged, or expired: worker/store/guard.py).
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if tonumber(ARGV[1]) < tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') then return 0 end
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'stage', ARGV[3], 'prio', ARGV[4])
return 1
