-- KEYS: leases of each held lease. ARGV: lease_us, then the ids in KEYS order. Returns 1/0 per lease
-- (0: it had already expired and may be held by someone else now).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lease = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1 + i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[i], now + lease, ARGV[1 + i])
    redis.call('PEXPIRE', KEYS[i], math.ceil(lease / 1000) * 2)
    out[i] = 1
  else
    redis.call('ZREM', KEYS[i], ARGV[1 + i])
    out[i] = 0
  end
end
return out
