-- Records a job's tags and route; the batch's cloud-share counters move on its first routing only.
-- KEYS: job, counters, events, manifest. ARGV: tags, route (JSON), target, share ('', 'local' or 'cloud'),
-- events cap, job id. A batch that is gone (purged, or expired) is written nothing (worker/store/guard.py).
if redis.call('EXISTS', KEYS[4]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'tags', ARGV[1], 'route', ARGV[2], 'status', 'classified')
if ARGV[4] ~= '' and redis.call('HSETNX', KEYS[1], 'share_counted', '1') == 1 then
  redis.call('HINCRBY', KEYS[2], 'share:allowed', 1)
  if ARGV[4] == 'cloud' then
    redis.call('HINCRBY', KEYS[2], 'share:cloud', 1)
  end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'job_id', ARGV[6], 'status', 'classified', 'route', ARGV[3])
return 1
