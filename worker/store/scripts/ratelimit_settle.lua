-- KEYS: log, costs, sums. ARGV: id, actual tokens. Returns 1 if the entry was still there.
local v = redis.call('HGET', KEYS[2], ARGV[1])
if not v then return 0 end
local n, k = string.match(v, '^(%-?%d+):(%-?%d+)$')
redis.call('HSET', KEYS[2], ARGV[1], n .. ':' .. ARGV[2])
redis.call('HINCRBY', KEYS[3], 'tok', tonumber(ARGV[2]) - tonumber(k))
return 1
