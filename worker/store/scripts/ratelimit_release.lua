-- KEYS: log, costs, sums. ARGV: id. Returns 1 if the entry was still there.
local v = redis.call('HGET', KEYS[2], ARGV[1])
if not v then return 0 end
local n, k = string.match(v, '^(%-?%d+):(%-?%d+)$')
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'req', -tonumber(n))
redis.call('HINCRBY', KEYS[3], 'tok', -tonumber(k))
return 1
