-- Stage one request: once per call ("JOB_ID FIELD"), then arm the batch's flush chain if it is not running.
-- KEYS: members, pending, lines, flush, manifest. ARGV: the call, job id, its line (JSON), now, first tick
-- delay (s). Returns {0} (already staged, or the batch is gone: purged or expired, worker/store/guard.py),
-- {1} (staged) or {2, n} (staged, and the chain was armed: publish tick n).
if redis.call('EXISTS', KEYS[5]) == 0 or redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return {0}
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[4], 'last_at', ARGV[4])
redis.call('HSETNX', KEYS[4], 'first_at', ARGV[4])
if redis.call('HGET', KEYS[4], 'active') == '1' then
  return {1}
end
local seq = redis.call('HINCRBY', KEYS[4], 'seq', 1)
redis.call('HSET', KEYS[4], 'active', '1', 'due', tostring(tonumber(ARGV[4]) + tonumber(ARGV[5])))
return {2, seq}
