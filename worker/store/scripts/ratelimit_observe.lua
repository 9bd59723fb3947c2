-- ARGV: rpm, tpm, window_us, remaining_req, reset_req_us, remaining_tok, reset_tok_us, id_prefix
-- (remaining -1 = not reported). Adds "phantom" entries for usage the provider counts and we do not
-- (another client on the same key, a lower real limit), expiring when the provider says its budget is
-- whole again. Returns {phantom_requests, phantom_tokens}.
local rpm, tpm, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_us()
expire(now, window)
local req, tok = sums()
local out = {0, 0}
local function phantom(slot, limit, used, remaining, reset_us, tolerance)
  if limit <= 0 or remaining < 0 then return end
  local missing = (limit - used) - remaining
  if missing <= tolerance then return end
  local n, k = 0, 0
  if slot == 1 then n = missing else k = missing end
  local leaves = now + math.min(reset_us, window)
  add(ARGV[8] .. slot, leaves - window, n, k, now, window)
  out[slot] = missing
end
phantom(1, rpm, req, tonumber(ARGV[4]), tonumber(ARGV[5]), 0)
phantom(2, tpm, tok, tonumber(ARGV[6]), tonumber(ARGV[7]), math.floor(tpm / 100))
return out
