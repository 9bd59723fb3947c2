-- ARGV: rpm, tpm, window_us, tokens, max_wait_us, id.
-- Returns {1, wait_us, send_at_us} (granted, send after wait_us) or {0, wait_us, 0} (would wait longer than
-- max_wait_us), {-1, 0, 0} when it can never fit.
local rpm, tpm, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, max_wait = tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_us()
expire(now, window)
local at = earliest(now, window, rpm, tpm, 1, tokens)
if not at then return {-1, 0, 0} end
local wait = at - now
if wait > max_wait then return {0, wait, 0} end
add(ARGV[6], at, 1, tokens, now, window)
return {1, wait, at}
