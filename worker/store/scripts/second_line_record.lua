-- The second line's check (worker/second_line_check.py) joins the job's answered calls once; the batch's
-- counters move only when it does (a re-delivered classify stage may ask again: the first answer is billed).
-- KEYS: the job's calls, counters, the manifest. ARGV: field, answer (JSON), calls TTL (s), then counter,
-- increment pairs. A batch that is gone (purged, or expired) is written nothing (worker/store/guard.py).
if redis.call('EXISTS', KEYS[3]) == 0 or redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
for i = 4, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
