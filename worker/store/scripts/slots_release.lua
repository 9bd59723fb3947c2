-- KEYS: wake list, leases. ARGV: id, wake list cap. Returns 1 if the lease was still held.
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[1], '1')
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], 60000)
return 1
