-- KEYS: wake list, then (leases, cooldown) per host. ARGV: lease_us, id, then per host its slots and a
-- 0/1 (1 = may not be picked). Returns {index, 0} for a granted host (1-based), {0, wait_us} when every
-- allowed host is full or cooling (wait_us: until the next lease expiry or cool-down end, -1 unknown),
-- {-1, 0} when no host may be picked at all.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lease = tonumber(ARGV[1])
local hosts = (#KEYS - 1) / 2
local best, best_count, next_free, allowed = nil, nil, -1, 0
local function sooner(us)
  if us >= 0 and (next_free < 0 or us < next_free) then next_free = us end
end
for i = 1, hosts do
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', now)
  -- Sent again (a lost reply, a re-sent pipeline): the lease this id already holds, not a second one.
  if redis.call('ZSCORE', KEYS[2 * i], ARGV[2]) then return {i, 0} end
end
for i = 1, hosts do
  local leases, cool = KEYS[2 * i], KEYS[2 * i + 1]
  local slots = tonumber(ARGV[1 + 2 * i])
  if ARGV[2 + 2 * i] == '0' then
    allowed = allowed + 1
    local cooling = redis.call('PTTL', cool)
    if cooling > 0 then
      sooner(cooling * 1000)
    else
      local count = redis.call('ZCARD', leases)
      if count < slots then
        if best == nil or count < best_count then best, best_count = i, count end
      else
        local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
        if #first > 0 then sooner(tonumber(first[2]) - now) end
      end
    end
  end
end
if best then
  local leases = KEYS[2 * best]
  redis.call('ZADD', leases, now + lease, ARGV[2])
  redis.call('PEXPIRE', leases, math.ceil(lease / 1000) * 2)
  return {best, 0}
end
if allowed == 0 then return {-1, 0} end
return {0, next_free}
