-- Let go of a document: KEYS doc, holders; ARGV job id, keep (ms; 0: delete at once). Returns 1 when
-- this was the last holder and the text is gone (or on its way out), else 0.
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) > 0 then
  return 0
end
local keep_ms = tonumber(ARGV[2])
if keep_ms > 0 then
  redis.call('PEXPIRE', KEYS[1], keep_ms)
  return 0
end
return redis.call('DEL', KEYS[1])
