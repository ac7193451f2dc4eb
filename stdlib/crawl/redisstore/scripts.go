package redisstore

import "github.com/redis/go-redis/v9"

// The keys of a crawl all start with P = "crawl:{ID}:". The scripts
// derive them from P (passed as an argument), so the store needs one
// Redis server (or a primary with replicas), not a Redis Cluster:
//
//	P meta          hash: fingerprint, created
//	P seen          set of URL keys ever queued (and redirect targets)
//	P alias         hash: redirect target -> the page that claimed it
//	P q:HOST        list of tasks "depth\tkey\tlink" waiting for HOST
//	P hosts         set of hosts ever queued
//	P ready         sorted set: host -> time (ms) it may next be claimed;
//	                a host is in it while it has tasks and room
//	P busy          hash: host -> requests in flight
//	P interval      hash: host -> least gap between requests (ms), set
//	                once its robots.txt is known
//	P cnext         hash: host -> earliest time (ms) of its next claim
//	                (claims of a paced host are spaced by its interval)
//	P next          hash: host -> earliest time (ms) of its next request
//	                (Pace gives out request slots right before requests)
//	P leases        sorted set: URL key -> lease deadline (ms)
//	P lease         hash: URL key -> "worker\nhost\ntask"
//	P done          set of URL keys completed (their items are in P items)
//	P items         stream of items: id, url, depth, item
//	P reclaimed     set of URL keys whose lease expired before completion
//	P stats         hash of counters
//	P workers       sorted set: worker -> when it last asked for a page
//	P hungry        sorted set: worker -> when it was last refused a page
//	                (removed when it gets one)
//	P wbusy         hash: "worker\nhost" -> the worker's requests in flight
//	                to host (its fair share of the host's cap)
//	P robots:HOST   string: "A" (allow all) or "B" + robots.txt body
//	P rlock:HOST    string: the worker fetching HOST's robots.txt (TTL)
//
// Times are the Redis server's clock (TIME), so workers on machines with
// skewed clocks agree on leases and slots.

// common is prepended to the scripts that need the clock and wake.
const common = `
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[2])
-- wake puts host h in the ready set when it has tasks and room: its cap
-- once its interval is known, else one request (the robots.txt fetcher).
local function wake(h)
  if redis.call('LLEN', P .. 'q:' .. h) == 0 then return end
  local busy = tonumber(redis.call('HGET', P .. 'busy', h) or '0')
  local known = redis.call('HEXISTS', P .. 'interval', h) == 1
  if (known and busy < cap) or ((not known) and busy <= 0) then
    local nt = tonumber(redis.call('HGET', P .. 'cnext', h) or '0')
    redis.call('ZADD', P .. 'ready', 'NX', math.max(now, nt), h)
  end
end
-- unheld ends a lease of worker w on host h in the fair-share counts.
local function unheld(w, h)
  if redis.call('HINCRBY', P .. 'wbusy', w .. '\n' .. h, -1) <= 0 then
    redis.call('HDEL', P .. 'wbusy', w .. '\n' .. h)
  end
end
-- claim leases the next URL whose host may be requested now to worker
-- me: {1, host, task}, or {2, wait ms}, or {0} when the crawl is done.
-- While another worker is hungry (was refused a page and has not had one
-- since), a worker holds at most its share of a host's cap: the cap
-- divided by the workers active in the last 5 s (at least 1); hosts where
-- it holds its share are left to the others.
local function claim2(me, lease)
  redis.call('ZADD', P .. 'workers', now, me)
  redis.call('ZREMRANGEBYSCORE', P .. 'workers', '-inf', now - 5000)
  redis.call('ZREMRANGEBYSCORE', P .. 'hungry', '-inf', now - 5000)
  local others = redis.call('ZCARD', P .. 'hungry')
  if redis.call('ZSCORE', P .. 'hungry', me) then others = others - 1 end
  local share = cap
  if others > 0 then
    share = math.max(1, math.floor(cap / redis.call('ZCARD', P .. 'workers')))
  end
  local skip = 0
  -- expired leases go back to the front of their host's queue
  local exp = redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', now, 'LIMIT', 0, 64)
  for _, u in ipairs(exp) do
    local info = redis.call('HGET', P .. 'lease', u)
    redis.call('ZREM', P .. 'leases', u)
    redis.call('HDEL', P .. 'lease', u)
    if info then
      local w, h, task = string.match(info, '^([^\n]*)\n([^\n]*)\n(.*)$')
      redis.call('HINCRBY', P .. 'busy', h, -1)
      unheld(w, h)
      if redis.call('SISMEMBER', P .. 'done', u) == 0 then
        redis.call('LPUSH', P .. 'q:' .. h, task)
        redis.call('SADD', P .. 'reclaimed', u)
        redis.call('HINCRBY', P .. 'stats', 'reclaimed', 1)
      end
      wake(h)
    end
  end
  for attempt = 1, 2 do
    for i = 1, 32 do
      local hs = redis.call('ZRANGEBYSCORE', P .. 'ready', '-inf', now, 'LIMIT', skip, 1)
      if #hs == 0 then break end
      local h = hs[1]
      local mine = tonumber(redis.call('HGET', P .. 'wbusy', me .. '\n' .. h) or '0')
      local task = false
      if mine < share then task = redis.call('LPOP', P .. 'q:' .. h) end
      if mine >= share then
        skip = skip + 1 -- left to the other workers
      elseif not task then
        redis.call('ZREM', P .. 'ready', h)
      else
        local u = string.match(task, '^[^\t]*\t([^\t]*)')
        if redis.call('SISMEMBER', P .. 'done', u) == 0 and redis.call('HEXISTS', P .. 'lease', u) == 0 then
          local busy = redis.call('HINCRBY', P .. 'busy', h, 1)
          local iv = redis.call('HGET', P .. 'interval', h)
          local nt = now
          if iv then nt = now + tonumber(iv) end
          redis.call('HSET', P .. 'cnext', h, nt)
          redis.call('ZREM', P .. 'ready', h)
          if iv and busy < cap and redis.call('LLEN', P .. 'q:' .. h) > 0 then
            redis.call('ZADD', P .. 'ready', nt, h)
          end
          redis.call('ZADD', P .. 'leases', now + lease, u)
          redis.call('HSET', P .. 'lease', u, me .. '\n' .. h .. '\n' .. task)
          redis.call('HINCRBY', P .. 'wbusy', me .. '\n' .. h, 1)
          redis.call('HINCRBY', P .. 'stats', 'claims', 1)
          return {1, h, task}
        end
      end
    end
    if skip > 0 then return {2, '20'} end
    local first = redis.call('ZRANGE', P .. 'ready', 0, 0, 'WITHSCORES')
    if #first > 0 then return {2, tostring(math.max(tonumber(first[2]) - now, 0))} end
    local l = redis.call('ZRANGE', P .. 'leases', 0, 0, 'WITHSCORES')
    if #l > 0 then return {2, tostring(math.max(tonumber(l[2]) - now, 0))} end
    -- nothing ready, nothing leased: wake any host with tasks left (a
    -- safety net: every path that leaves tasks also wakes their host)
    local any = false
    for _, h in ipairs(redis.call('SMEMBERS', P .. 'hosts')) do
      if redis.call('LLEN', P .. 'q:' .. h) > 0 then
        redis.call('HSET', P .. 'busy', h, 0)
        wake(h)
        any = true
      end
    end
    if not any then return {0} end
  end
  return {2, '10'}
end
local function claim(me, lease)
  local c = claim2(me, lease)
  if c[1] == 2 then
    redis.call('ZADD', P .. 'hungry', now, me)
  else
    redis.call('ZREM', P .. 'hungry', me)
  end
  return c
end
`

// claimScript: ARGV P, cap, worker, lease ms. Returns {1, host, task},
// {2, wait ms} or {0} (done).
var claimScript = redis.NewScript(common + `
return claim(ARGV[3], tonumber(ARGV[4]))
`)

// completeScript: ARGV P, cap, worker, key, host, interval ms ("" when
// unknown), class, n items, then n × (id, url, depth, json), m links,
// then m × (key, host, task), then the lease ms of a next claim (0: no
// claim). Returns {items added, new links, dup links} followed by the
// claim's answer when one was asked for.
var completeScript = redis.NewScript(common + `
local me, u, h, iv, class = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local info = redis.call('HGET', P .. 'lease', u)
if info and string.sub(info, 1, #me + 1) == me .. '\n' then
  redis.call('HDEL', P .. 'lease', u)
  redis.call('ZREM', P .. 'leases', u)
  redis.call('HINCRBY', P .. 'busy', h, -1)
  unheld(me, h)
end
if iv ~= '' then
  if redis.call('HSETNX', P .. 'interval', h, iv) == 1 then
    -- first time known: the next request waits a whole interval
    for _, k in ipairs({'next', 'cnext'}) do
      local nt = tonumber(redis.call('HGET', P .. k, h) or '0')
      redis.call('HSET', P .. k, h, math.max(nt, now + tonumber(iv)))
    end
  end
end
local n = tonumber(ARGV[8])
local i = 9
local added = 0
if redis.call('SADD', P .. 'done', u) == 1 then
  for k = 1, n do
    redis.call('XADD', P .. 'items', '*', 'id', ARGV[i], 'url', ARGV[i + 1], 'depth', ARGV[i + 2], 'item', ARGV[i + 3])
    i = i + 4
  end
  added = n
  redis.call('HINCRBY', P .. 'stats', 'pages', 1)
  if n > 0 then redis.call('HINCRBY', P .. 'stats', 'items', n) end
  if class ~= '' then redis.call('HINCRBY', P .. 'stats', 'class:' .. class, 1) end
else
  i = i + 4 * n
  redis.call('HINCRBY', P .. 'stats', 'late-completions', 1)
end
local m = tonumber(ARGV[i])
i = i + 1
local fresh, dup = 0, 0
for k = 1, m do
  local key, lh, task = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  i = i + 3
  if redis.call('SADD', P .. 'seen', key) == 1 then
    redis.call('RPUSH', P .. 'q:' .. lh, task)
    redis.call('SADD', P .. 'hosts', lh)
    wake(lh)
    fresh = fresh + 1
  else
    dup = dup + 1
  end
end
wake(h)
local lease = tonumber(ARGV[i])
if lease and lease > 0 then
  local c = claim(me, lease)
  return {added, fresh, dup, c[1], c[2], c[3]}
end
return {added, fresh, dup}
`)

// startScript: ARGV P, cap, fingerprint, resume ("1"), then seeds as
// (key, host, task). Returns {1, fresh} or {0, stored fingerprint}.
var startScript = redis.NewScript(common + `
local fp = redis.call('HGET', P .. 'meta', 'fingerprint')
if fp and fp ~= ARGV[3] then
  if ARGV[4] ~= '1' then return {0, fp} end
  return {1, 0}
end
if not fp then redis.call('HSET', P .. 'meta', 'fingerprint', ARGV[3], 'created', now) end
local fresh = 0
for i = 5, #ARGV, 3 do
  if redis.call('SADD', P .. 'seen', ARGV[i]) == 1 then
    redis.call('RPUSH', P .. 'q:' .. ARGV[i + 1], ARGV[i + 2])
    redis.call('SADD', P .. 'hosts', ARGV[i + 1])
    wake(ARGV[i + 1])
    fresh = fresh + 1
  end
end
return {1, fresh}
`)

// releaseScript: ARGV P, cap, worker, key. Gives a leased URL back.
var releaseScript = redis.NewScript(common + `
local me, u = ARGV[3], ARGV[4]
local info = redis.call('HGET', P .. 'lease', u)
if not info or string.sub(info, 1, #me + 1) ~= me .. '\n' then return 0 end
local _, h, task = string.match(info, '^([^\n]*)\n([^\n]*)\n(.*)$')
redis.call('HDEL', P .. 'lease', u)
redis.call('ZREM', P .. 'leases', u)
redis.call('HINCRBY', P .. 'busy', h, -1)
unheld(me, h)
redis.call('LPUSH', P .. 'q:' .. h, task)
wake(h)
return 1
`)

// renewScript: ARGV P, cap, worker, lease ms, keys… Extends the leases
// the worker still holds; returns how many.
var renewScript = redis.NewScript(common + `
local me, lease = ARGV[3], tonumber(ARGV[4])
local n = 0
for i = 5, #ARGV do
  local info = redis.call('HGET', P .. 'lease', ARGV[i])
  if info and string.sub(info, 1, #me + 1) == me .. '\n' then
    redis.call('ZADD', P .. 'leases', 'XX', now + lease, ARGV[i])
    n = n + 1
  end
end
return n
`)

// aliasScript: ARGV P, cap, key, owner. 1 when owner may fetch key.
var aliasScript = redis.NewScript(common + `
if redis.call('SADD', P .. 'seen', ARGV[3]) == 1 then
  redis.call('HSET', P .. 'alias', ARGV[3], ARGV[4])
  return 1
end
if redis.call('HGET', P .. 'alias', ARGV[3]) == ARGV[4] then return 1 end
return 0
`)

// paceScript: ARGV P, cap, host, interval ms. Reserves the host's next
// request slot and returns the wait until it (ms). A worker asks right
// before each request to a paced host, so a page that waited after its
// claim cannot send its request late into the next page's slot.
var paceScript = redis.NewScript(common + `
local h, iv = ARGV[3], tonumber(ARGV[4])
local nt = tonumber(redis.call('HGET', P .. 'next', h) or '0')
local slot = math.max(now, nt)
redis.call('HSET', P .. 'next', h, slot + iv)
return tostring(slot - now)
`)

// lockScript: ARGV key, worker, ttl ms. Takes the lock, or keeps it when
// the worker holds it already (a retry after a failed fetch); 1 when held.
var lockScript = redis.NewScript(`
if redis.call('SET', ARGV[1], ARGV[2], 'NX', 'PX', ARGV[3]) or redis.call('GET', ARGV[1]) == ARGV[2] then
  redis.call('PEXPIRE', ARGV[1], ARGV[3])
  return 1
end
return 0
`)
