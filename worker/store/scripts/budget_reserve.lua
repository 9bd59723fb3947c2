-- ARGV: prefix, id, amount, lease_us, keep_s, batch_id ('' none), provider ('' none), day_cap, month_cap
-- ('0' none). Returns {1} (granted, or already reserved under this id) or {0, then per denying cap:
-- name, hard (1/0), resets_in_s (-1 never), spent, reserved, cap}.
local id, amount_s, keep_s = ARGV[2], ARGV[3], tonumber(ARGV[5])
local now = now_us()
sweep(now)
local rk = P .. ':res:' .. id
if redis.call('EXISTS', rk) == 1 then return {1} end
local ledgers = {}
if ARGV[6] ~= '' then
  local k = P .. ':batch:' .. ARGV[6]
  local cap = redis.call('HGET', k, 'cap')
  if cap then ledgers[#ledgers + 1] = {k, cap, 'batch', -1, 0} end
end
if ARGV[7] ~= '' then
  local sec = math.floor(now / 1000000)
  local days = math.floor(sec / 86400)
  local y, m, d = civil(days)
  local base = P .. ':p:' .. ARGV[7]
  if ARGV[8] ~= '0' then
    local ends = (days + 1) * 86400
    ledgers[#ledgers + 1] = {base .. string.format(':day:%04d-%02d-%02d', y, m, d), ARGV[8], 'day', ends - sec, ends}
  end
  if ARGV[9] ~= '0' then
    local ny, nm = y, m + 1
    if nm == 13 then ny, nm = y + 1, 1 end
    local ends = days_from_civil(ny, nm, 1) * 86400
    ledgers[#ledgers + 1] = {base .. string.format(':month:%04d-%02d', y, m), ARGV[9], 'month', ends - sec, ends}
  end
end
if #ledgers == 0 then return {1} end
local amount = tonumber(amount_s)
local out = {0}
for _, L in ipairs(ledgers) do
  local v = redis.call('HMGET', L[1], 'settled', 'unknown', 'reserved')
  local spent = tonumber(v[1] or '0') + tonumber(v[2] or '0')
  local reserved = tonumber(v[3] or '0')
  local cap = tonumber(L[2])
  local hard = spent + amount > cap
  if hard or spent + reserved + amount > cap then
    redis.call('HINCRBY', L[1], 'denied', 1)
    if L[5] > 0 then
      redis.call('HSET', L[1], 'cap', L[2])
      redis.call('EXPIREAT', L[1], string.format('%d', L[5] + keep_s))
    end
    for _, x in ipairs({L[3], hard and 1 or 0, L[4], string.format('%d', spent), string.format('%d', reserved), L[2]}) do
      out[#out + 1] = x
    end
  end
end
if #out > 1 then return out end
local keys = {}
for _, L in ipairs(ledgers) do
  local k = L[1]
  local reserved = redis.call('HINCRBY', k, 'reserved', amount_s)
  redis.call('HINCRBY', k, 'in_flight', 1)
  redis.call('HINCRBY', k, 'granted', 1)
  redis.call('HINCRBY', k, 'reserved_total', amount_s)
  if reserved > tonumber(redis.call('HGET', k, 'peak_reserved') or '0') then
    redis.call('HSET', k, 'peak_reserved', string.format('%d', reserved))
  end
  if L[5] > 0 then
    redis.call('HSET', k, 'cap', L[2])
    redis.call('EXPIREAT', k, string.format('%d', L[5] + keep_s))
  end
  keys[#keys + 1] = k
end
redis.call('HSET', rk, 'amount', amount_s, 'ledgers', table.concat(keys, ' '), 'state', 'live')
redis.call('EXPIRE', rk, string.format('%d', keep_s + math.ceil(tonumber(ARGV[4]) / 1000000)))
redis.call('ZADD', P .. ':leases', string.format('%d', now + tonumber(ARGV[4])), id)
return {1}
