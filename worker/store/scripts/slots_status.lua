-- KEYS: (leases, cooldown) per host. Returns {live leases, cool-down ms left} per host.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local out = {}
for i = 1, #KEYS / 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i - 1], '-inf', now)
  out[2 * i - 1] = redis.call('ZCARD', KEYS[2 * i - 1])
  out[2 * i] = math.max(0, redis.call('PTTL', KEYS[2 * i]))
end
return out
