-- The title graph's links by change: a row only on the day a source record was added, changed (its title,
-- how that was decided, its name or year) or removed (README, "History by change"). Each day the whole
-- graph is decided again from that day's records, and compared with the day before: most days nothing
-- moves but IMDB's new titles. `int_titles__links` gives back the state of any day.
-- For each source record: the title it belongs to (`title_key`), how that was decided and how sure it
-- is. In order:
--   1. an IMDB id the record carries (IMDB's own rows are their tconst), confidence 1;
--   2. an IMDB id reached through another explicit id: TheTVDB id shared by TMDB and TVMaze, or the TMDB
--      film id shared by The Movies Dataset and MovieLens' links, confidence 1;
--   3. the name-and-year match against every title known by a tconst: same kind (film or series), same
--      `title_match_key` as any name a source gives the title, and the same year. Confidence 0.95 when
--      the names are spelled alike (case aside), 0.85 when they differ in punctuation, articles, accents
--      or spaces. Two or more such titles: ambiguous, left unlinked. A year off by one is not a match:
--      on the sample, a third of the links a one-year tolerance added were wrong;
--   4. otherwise a tconst another record sharing its TheTVDB or TMDB film id found by name, else that
--      shared id keys the title ('shared_id'), else the record stands alone.
-- A title takes at most one id per source: when several records of a source land on one title, the
-- best-decided one keeps it if it is the only one so decided; the others stand alone ('conflict').
with records as (
    select
        *,
        -- `tt` and 7 or more digits; anything else a source puts there is not an IMDB id
        case
            when imdb_id like 'tt%' and length(imdb_id) >= 9 and try_cast(substr(imdb_id, 3) as bigint) is not null
                then imdb_id
        end as tconst
    from {{ ref('int_titles__records') }}
    where {{ partition_window() }}
),

by_tvdb as (
    select partition_date, tvdb_id, min(tconst) as tconst, count(distinct tconst) as tconsts, count(distinct source) as sources
    from records
    where tvdb_id is not null
    group by partition_date, tvdb_id
),

by_tmdb_movie as (
    select partition_date, tmdb_movie_id, min(tconst) as tconst, count(distinct tconst) as tconsts, count(distinct source) as sources
    from records
    where tmdb_movie_id is not null
    group by partition_date, tmdb_movie_id
),

explicit as (
    select
        r.*,
        case
            when r.tconst is not null then r.tconst
            when v.tconsts = 1 then v.tconst
            when m.tconsts = 1 then m.tconst
        end as linked_tconst,
        case
            when r.source = 'imdb' then 'imdb'
            when r.tconst is not null then 'imdb_id'
            when v.tconsts = 1 then 'tvdb_id'
            when m.tconsts = 1 then 'tmdb_movie_id'
        end as explicit_method,
        case
            when v.sources > 1 then 'tvdb:' || cast(r.tvdb_id as varchar)
            when m.sources > 1 then 'tmdb_movie:' || cast(r.tmdb_movie_id as varchar)
        end as shared_key
    from records as r
    left join by_tvdb as v on v.partition_date = r.partition_date and v.tvdb_id = r.tvdb_id
    left join by_tmdb_movie as m on m.partition_date = r.partition_date and m.tmdb_movie_id = r.tmdb_movie_id
),

-- Every name and year each title known by a tconst goes by, in any source that names it explicitly.
known_names as (
    select partition_date, linked_tconst as title_key, title_kind, name_key, lower(trim(title_name)) as spelled, release_year
    from explicit
    where linked_tconst is not null and name_key is not null and release_year is not null
    union
    select partition_date, linked_tconst, title_kind, alt_name_key, lower(trim(alt_name)), release_year
    from explicit
    where linked_tconst is not null and alt_name_key is not null and release_year is not null
),

-- The names of the records still without a title, to look up.
unlinked_names as (
    select partition_date, source, source_id, title_kind, release_year, name_key as match_key, lower(trim(title_name)) as spelled
    from explicit
    where linked_tconst is null and name_key is not null and release_year is not null
    union
    select partition_date, source, source_id, title_kind, release_year, alt_name_key, lower(trim(alt_name))
    from explicit
    where linked_tconst is null and alt_name_key is not null and release_year is not null
),

candidates as (
    select
        u.partition_date, u.source, u.source_id, k.title_key,
        max(case when k.spelled = u.spelled then 1 else 0 end) as same_spelling
    from unlinked_names as u
    inner join known_names as k
        on
            k.partition_date = u.partition_date and k.title_kind = u.title_kind and k.name_key = u.match_key
            and k.release_year = u.release_year
    group by u.partition_date, u.source, u.source_id, k.title_key
),

-- One title is a match; more are ambiguous.
best as (
    select partition_date, source, source_id, count(*) as titles, min(title_key) as title_key, max(same_spelling) as same_spelling
    from candidates
    group by partition_date, source, source_id
),

decided as (
    select
        e.partition_date, e.source, e.source_id, e.title_kind, e.title_name, e.release_year, e.shared_key,
        coalesce(e.linked_tconst, case when b.titles = 1 then b.title_key end) as tconst_key,
        coalesce(
            e.explicit_method,
            case when b.titles > 1 then 'ambiguous' when b.titles = 1 then 'title_year' end
        ) as match_method,
        b.same_spelling,
        coalesce(b.titles, 0) as name_candidates
    from explicit as e
    left join best as b on b.partition_date = e.partition_date and b.source = e.source and b.source_id = e.source_id
),

-- A shared TheTVDB or TMDB film id carries a tconst one of its records found by name to the others.
shared as (
    select partition_date, shared_key, min(tconst_key) as tconst_key
    from decided
    where shared_key is not null
    group by partition_date, shared_key
    having count(distinct tconst_key) = 1
),

keyed as (
    select
        d.partition_date, d.source, d.source_id, d.title_kind, d.title_name, d.release_year, d.name_candidates, d.same_spelling,
        coalesce(d.tconst_key, s.tconst_key, d.shared_key, d.source || ':' || d.source_id) as title_key,
        case
            when d.tconst_key is not null then d.match_method
            when d.shared_key is not null then 'shared_id'
            else coalesce(d.match_method, 'none')
        end as match_method
    from decided as d
    left join shared as s on s.partition_date = d.partition_date and s.shared_key = d.shared_key
),

ranked as (
    select
        *,
        case match_method
            when 'imdb' then 0 when 'imdb_id' then 1 when 'tvdb_id' then 1 when 'tmdb_movie_id' then 1
            when 'shared_id' then 2 when 'title_year' then 3 else 4
        end as rank_in_title
    from keyed
),

-- Per title and source, a record keeps the title when it alone holds the best rank.
resolved as (
    select
        *,
        rank_in_title = min(rank_in_title) over (partition by partition_date, title_key, source)
        and count(*) over (partition by partition_date, title_key, source, rank_in_title) = 1 as keeps_title
    from ranked
),

snapshot as (
    select
        partition_date,
        source,
        source_id,
        case when keeps_title then title_key else source || ':' || source_id end as title_key,
        title_kind,
        title_name,
        release_year,
        case when keeps_title then match_method else 'conflict' end as match_method,
        cast(case
            when not keeps_title then null
            when match_method in ('imdb', 'imdb_id', 'tvdb_id', 'tmdb_movie_id', 'shared_id') then 1.0
            when match_method = 'title_year' and same_spelling = 1 then 0.95
            when match_method = 'title_year' then 0.85
        end as decimal(3, 2)) as match_confidence,
        name_candidates
    from resolved
),

{{ snapshot_changes('snapshot', ['source', 'source_id'], [
    'title_key', 'title_kind', 'title_name', 'release_year', 'match_method', 'match_confidence', 'name_candidates']) }}
