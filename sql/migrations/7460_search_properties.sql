-- readb:superuser
-- search.properties(): the application's property search, by features and by words of
-- title and district, that keeps tenant isolation and uses the indexes of 7440, 7450.
--
-- Why not a plain query under row-level security: the planner keeps a qual that is not
-- leakproof (jsonb @>, pg_trgm's <%, ILIKE) above the policy's `client_id = ...`, so
-- for rea_app neither GIN index can serve it; the tenant's rows are read and filtered
-- one by one (measured in README "Measuring", `make bench-search`). Only a role to
-- which RLS does not apply gets the index.
--
-- The design: a NOLOGIN role rea_search with BYPASSRLS and nothing but SELECT on the
-- columns of rea.properties the search returns or filters on. It owns the schema
-- `search` and the security definer functions in it; nobody is a member of it and
-- nobody logs in as it. Each function reads the tenant from rea.require_client_id()
-- (42501 without app.client_id: fail closed) and filters by it explicitly, in the same
-- statement that uses the index: client_id is the first column of both indexes. The
-- bypass is confined to that one statement, reviewed here; tests/test_property_search.py
-- proves that no call returns another tenant's row and that a call without the tenant
-- fails. rea_app may execute the functions, nothing else may.
--
-- Why a superuser: CREATE ROLE ... BYPASSRLS needs one. The role is cluster-wide, so
-- it is created only if missing and its attributes are set whatever existed.
-- Requires: 7440_properties_features_idx, 7450_properties_words_idx, 6020 (require_client_id).

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'rea_search') then
        begin
            create role rea_search nologin;
        exception when duplicate_object or unique_violation then
            null;  -- created meanwhile by a rollout of another database
        end;
    end if;
    alter role rea_search nologin nosuperuser bypassrls nocreatedb nocreaterole noinherit;
end;
$$;

grant usage on schema rea, extensions to rea_search;
grant select (
    client_id, id, title, city, district, property_type, listing_type, status, asking_price,
    currency, features, deleted_at
) on rea.properties to rea_search;
grant execute on function rea.current_client_id(), rea.require_client_id() to rea_search;

create schema search authorization rea_search;
comment on schema search is
'Searches that need an index RLS would keep them from: security definer functions owned by rea_search, '
'each filtering by rea.require_client_id().';

set local role rea_search;

create function search.properties(
    wanted_features jsonb default null,
    search_words text default null,
    max_rows integer default 50
)
returns table (
    id uuid,
    title text,
    district text,
    city text,
    property_type text,
    listing_type text,
    status text,
    asking_price numeric,
    currency text,
    features jsonb,
    score real
)
language plpgsql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    tenant uuid := rea.require_client_id();
    words text[];
    longest text;
begin
    -- Every word must be found (pg_trgm word similarity, so a misspelling still finds
    -- it), in any order; the longest word is the index condition, the others filter.
    words := array(
        select w from pg_catalog.regexp_split_to_table(search_words, '\s+') as w where w <> ''
    );
    longest := (select w from pg_catalog.unnest(words) as w order by pg_catalog.length(w) desc, w limit 1);
    if search_words is not null and longest is null then
        raise exception 'search_words holds no word'
            using errcode = 'invalid_parameter_value';
    end if;
    if wanted_features is null and search_words is null then
        raise exception 'give wanted_features, search_words or both'
            using errcode = 'invalid_parameter_value';
    end if;
    if wanted_features is not null and pg_catalog.jsonb_typeof(wanted_features) <> 'object' then
        raise exception 'wanted_features must be a JSON object'
            using errcode = 'invalid_parameter_value';
    end if;
    if max_rows is null or max_rows < 1 or max_rows > 500 then
        raise exception 'max_rows must be between 1 and 500'
            using errcode = 'invalid_parameter_value';
    end if;
    -- Two statements, not one with `x is null or ...`: each keeps its index condition in
    -- a generic plan too (words and features together: the words' index, features filter).
    -- The expression after `<%` is exactly 7450's index expression.
    if search_words is null then
        return query
        select
            p.id, p.title, p.district, p.city, p.property_type, p.listing_type, p.status,
            p.asking_price, p.currency, p.features, 1::real
        from rea.properties as p
        where
            p.client_id = tenant
            and p.features @> wanted_features
            and p.deleted_at is null
        order by p.id
        limit max_rows;
    else
        return query
        select
            p.id, p.title, p.district, p.city, p.property_type, p.listing_type, p.status,
            p.asking_price, p.currency, p.features,
            (
                select pg_catalog.avg(extensions.word_similarity(w, p.title || ' ' || coalesce(p.district, '')))
                from pg_catalog.unnest(words) as w
            )::real
        from rea.properties as p
        where
            p.client_id = tenant
            and longest operator(extensions.<%) (p.title || ' ' || coalesce(p.district, ''))
            and not exists (
                select from pg_catalog.unnest(words) as w
                where not w operator(extensions.<%) (p.title || ' ' || coalesce(p.district, ''))
            )
            and (wanted_features is null or p.features @> wanted_features)
            and p.deleted_at is null
        order by 11 desc, p.id
        limit max_rows;
    end if;
end;
$$;

comment on function search.properties(jsonb, text, integer) is
'The current tenant''s properties (not deleted) whose features contain wanted_features and/or whose '
'title and district hold every word of search_words (pg_trgm word similarity), best first.';

revoke all on function search.properties(jsonb, text, integer) from public;
reset role;
grant usage on schema search to rea_app;
grant execute on function search.properties(jsonb, text, integer) to rea_app;
