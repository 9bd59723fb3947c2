-- KEYS: cooldown. ARGV: ms. Extends a cool-down, never shortens one.
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
