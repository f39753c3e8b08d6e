#!/usr/bin/env bash
# The store's group with 10,000 posts: a member's /community (the first page: pinned notices,
# the store's cards, 20 posts with their photos, likes, comments and polls) and a page deep in
# the past (?before=), each against nginx serving the very bytes linli answered, in one run.
# Release build, demo chain, a fresh database: SQLite by default, PostgreSQL with --pg.
#   benchmarks/community.sh [--pg] [seconds per run, default 10] [connections, default 8] [posts, default 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = --pg ]; then pg=1; shift; fi
secs=${1:-10}
conns=${2:-8}
posts=${3:-10000}
. benchmarks/serve.sh
bench_serve 3214

# Three members of the first store's group, and its history: $posts posts, one a minute back
# from now, taking turns among them; one in four with a photo, every other one liked by all
# three, one in five with a comment, and the store's pinned notice.
sid=$(login 13800000001)
api -b "linli_sid=$sid" -d '{"display_name":"王阿姨","estate":"嘉绿苑"}' "$base/api/v1/stores/1/community/members" >/dev/null
for phone in 13800000002 13800000003; do
  s=$(login $phone)
  api -b "linli_sid=$s" -d '{"display_name":"邻居","estate":"翠苑"}' "$base/api/v1/stores/1/community/members" >/dev/null
done
media=$(sql "select min(id) from media")
now=$(($(date +%s) * 1000))
sql "insert into community_posts (store_id, author_id, kind, by_store, body, created_at_ms)
     select 1, m.user_id, 'post', false, '第' || n.i || '条：今天的青菜很嫩，番茄也红，下午五点以后人少，推荐大家这个点来取货。', $now - (${posts} - n.i) * 60000
     from (with recursive n(i) as (select 1 union all select i + 1 from n where i < $posts) select i from n) n
     join (select user_id, row_number() over (order by user_id) - 1 as turn from community_members where store_id = 1) m on m.turn = n.i % 3" >/dev/null
# A photo's token is 32 hex characters (random in the app; here from the post's id).
if [ "$pg" = 1 ]; then token="lpad(to_hex(id), 32, '0')"; else token="printf('%032x', id)"; fi
sql "insert into community_post_photos (post_id, position, card_media_id, large_media_id, token) select id, 0, $media, $media, $token from community_posts where id % 4 = 0" >/dev/null
sql "insert into community_likes (post_id, user_id, created_at_ms) select p.id, m.user_id, $now from community_posts p join community_members m on m.store_id = 1 where p.id % 2 = 0" >/dev/null
sql "insert into community_comments (post_id, author_id, body, created_at_ms) select p.id, p.author_id, '同意，我也是下午去的', $now from community_posts p where p.id % 5 = 0" >/dev/null
api -b "linli_sid=$(login 13900000000)" -d '{"body":"本周六晚7点直播，车厘子特价，记得来看","pinned":true}' "$base/api/v1/stores/1/community/announcements" >/dev/null
[ "$(sql "select count(*) from community_posts where store_id = 1")" -gt "$posts" ] || { echo "the posts were not written" >&2; exit 1; }
# PostgreSQL plans from its statistics, which autovacuum gathers a while after a bulk load;
# gather them now, as a group grown post by post would have them.
if [ "$pg" = 1 ]; then sql "analyze" >/dev/null; fi

first="$base/community?store=1"
deep="$base/community?store=1&before=$(( $(sql "select max(id) from community_posts") / 2 ))"
curl -fs -H 'accept-encoding: br' -b "linli_sid=$sid" -o "$dir/feed.br" "$first"
[ "$(curl -fs -b "linli_sid=$sid" "$first" | grep -o 'class="card post"' | wc -l)" -ge 20 ] || { echo "the member's feed shows no posts" >&2; exit 1; }
bench_nginx "$dir/feed.br" 3294
echo "== a member's /community: $(stat -c %s "$dir/feed.br") bytes brotli, $(curl -fs -b "linli_sid=$sid" "$first" | wc -c) plain; $(sql "select count(*) from community_posts") posts in the group"

nginx_rate=$(bench_rate "nginx, the same bytes (wrk -c$conns)" -H 'accept-encoding: br' http://127.0.0.1:3294/)
feed=$(bench_rate "linli, a member's /community, first page (wrk -c$conns)" -H 'accept-encoding: br' -H "cookie: linli_sid=$sid" "$first")
old=$(bench_rate "linli, a member's /community?before= half-way back (wrk -c$conns)" -H 'accept-encoding: br' -H "cookie: linli_sid=$sid" "$deep")
printf '== first page / nginx = %.0f / %.0f = %.4f\n' "$feed" "$nginx_rate" "$(echo "$feed / $nginx_rate" | bc -l)"
printf '== half-way back / nginx = %.0f / %.0f = %.4f\n' "$old" "$nginx_rate" "$(echo "$old / $nginx_rate" | bc -l)"
