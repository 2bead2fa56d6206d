-- rea.uuid_v7(): time-ordered UUIDs (RFC 9562 version 7) for primary keys.
-- Why: random v4 keys scatter inserts over the whole B-tree; v7 keys start with a
-- 48-bit Unix timestamp in milliseconds, so new rows land at the right edge of the
-- index (locality, fewer page splits) and ids sort by creation time.
-- How: a v4 UUID from gen_random_uuid() (core since PostgreSQL 13) with its first six
-- bytes replaced by the timestamp and its version nibble turned from 4 into 7 (bits 52
-- and 53); the variant bits are already right. PostgreSQL 18 has uuidv7() built in.

create function rea.uuid_v7()
returns uuid
language sql
volatile
parallel safe
as $$
    -- built-ins only, which resolve in pg_catalog before any search_path entry
    select encode(
        set_bit(
            set_bit(
                overlay(
                    uuid_send(gen_random_uuid())
                    placing substring(
                        int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
                        from 3
                    )
                    from 1 for 6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid;
$$;

comment on function rea.uuid_v7() is
'A new version 7 UUID: 48-bit millisecond timestamp, then random bits. Default for id columns.';
