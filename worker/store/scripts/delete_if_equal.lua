-- Delete KEYS[1] only if it still holds ARGV[1]: a reuse index entry that still names this job (a later
-- batch may have replaced it), a lock still held by this holder. Returns 1 if deleted.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
