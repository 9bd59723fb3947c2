-- Move the first N staged calls (ARGV[5..4+N]) into a new group of their jobs (ARGV[5+N..4+2N]), with
-- each job's call and model (field-value pairs, ARGV[5+2N..]), atomically; only while the batch exists.
-- KEYS: pending, the group's jobs, the group, groups, flush, the batch's manifest, the group's fields.
-- ARGV: N, now, size in bytes, group id, ... Returns 0 (nothing written) when the batch is gone.
if redis.call('EXISTS', KEYS[6]) == 0 then
  return 0
end
local n = tonumber(ARGV[1])
local staged = redis.call('LRANGE', KEYS[1], 0, n - 1)
if #staged ~= n then
  return redis.error_reply('staged list shorter than expected')
end
for i = 1, n do
  if staged[i] ~= ARGV[4 + i] then
    return redis.error_reply('staged list changed under the flush lock')
  end
end
redis.call('LTRIM', KEYS[1], n, -1)
for i = 1, n, 1000 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 4 + n + i, 4 + n + math.min(i + 999, n)))
end
for i = 5 + 2 * n, #ARGV, 1000 do
  redis.call('HSET', KEYS[7], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('HSET', KEYS[3], 'state', 'prepared', 'created_at', ARGV[2], 'requests', n, 'bytes', ARGV[3])
redis.call('RPUSH', KEYS[4], ARGV[4])
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('HDEL', KEYS[5], 'first_at')
else
  redis.call('HSET', KEYS[5], 'first_at', ARGV[2])
end
return 1
