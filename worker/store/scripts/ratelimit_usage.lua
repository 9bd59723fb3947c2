-- ARGV: window_us. Returns {requests, tokens} counted in the window now (future reservations included).
expire(now_us(), tonumber(ARGV[1]))
local req, tok = sums()
return {req, tok}
