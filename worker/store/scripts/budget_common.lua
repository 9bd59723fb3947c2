-- Shared helpers of the budget ledger's scripts (loaded in front of each; worker/budget/ledger.py says
-- how the ledger works). ARGV[1] of every script is the ledgers' key prefix.
local P = ARGV[1]
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function split(s)
  local out = {}
  for w in string.gmatch(s, '%S+') do out[#out + 1] = w end
  return out
end
local function is_window(k)
  return string.find(k, ':p:', 1, true) ~= nil
end
-- A ledger recreated by a late write after its window's key expired must expire again.
local function keep(k, keep_s)
  if is_window(k) and redis.call('TTL', k) == -1 then redis.call('EXPIRE', k, keep_s) end
end
-- Reservations whose lease ran out (their worker died or hung): charge them at their estimate, since
-- we cannot know what the provider billed. The record stays, so a late settle or release corrects it.
local function sweep(now)
  local ids = redis.call('ZRANGEBYSCORE', P .. ':leases', '-inf', now, 'LIMIT', 0, 25)
  for _, id in ipairs(ids) do
    local rk = P .. ':res:' .. id
    local r = redis.call('HMGET', rk, 'amount', 'ledgers', 'state')
    if r[1] and r[3] == 'live' then
      for _, k in ipairs(split(r[2])) do
        redis.call('HINCRBY', k, 'reserved', '-' .. r[1])
        redis.call('HINCRBY', k, 'in_flight', -1)
        redis.call('HINCRBY', k, 'unknown', r[1])
        redis.call('HINCRBY', k, 'expired', 1)
      end
      redis.call('HSET', rk, 'state', 'expired')
    end
    redis.call('ZREM', P .. ':leases', id)
  end
end
