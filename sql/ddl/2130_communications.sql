-- rea.communications: every call, message and meeting with a customer, inbound or
-- outbound. metadata is a JSON object whose required keys depend on the channel: a
-- phone call records duration_seconds (a number, not negative), an e-mail its
-- message_id (a string). occurred_at may not lie in the future beyond five minutes of
-- clock skew between the application's clock and the database's, measured against the
-- clock at the moment of the write, not the start of a long transaction (a trigger: a
-- check constraint must not read the clock). body holds personal data: the security steps cover its erasure.
-- Requires: 2040_customers, 2020_users.

create table rea.communications (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    customer_id uuid not null,
    user_id uuid,
    channel text not null,
    direction text not null,
    subject text,
    body text,
    metadata jsonb not null default '{}',
    occurred_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint communications_pkey primary key (client_id, id),
    constraint communications_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint communications_customer_fkey foreign key (client_id, customer_id)
    references rea.customers (client_id, id) on delete restrict,
    constraint communications_user_fkey foreign key (client_id, user_id)
    references rea.users (client_id, id) on delete restrict,
    constraint communications_channel_check
    check (channel in ('phone', 'email', 'sms', 'whatsapp', 'meeting', 'portal')),
    constraint communications_direction_check check (direction in ('inbound', 'outbound')),
    constraint communications_metadata_check check (
        jsonb_typeof(metadata) = 'object'
        and (
            channel <> 'phone'
            or case
                when jsonb_typeof(metadata -> 'duration_seconds') = 'number'
                    then (metadata ->> 'duration_seconds')::numeric >= 0
                else false
            end
        )
        and (channel <> 'email' or coalesce(jsonb_typeof(metadata -> 'message_id') = 'string', false))
    )
);

create index communications_customer_idx
on rea.communications (client_id, customer_id, occurred_at desc);

comment on table rea.communications is
'Calls, messages and meetings with customers; metadata keys required per channel.';
comment on column rea.communications.metadata is
'JSON object: phone calls need duration_seconds (a number, not negative), e-mails message_id (string).';

create trigger communications_touch_updated_at
before update on rea.communications
for each row execute function rea.touch_updated_at();

create function rea.communications_check_occurred_at()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    if new.occurred_at > pg_catalog.clock_timestamp() + interval '5 minutes' then
        raise exception 'occurred_at % is in the future', new.occurred_at
            using errcode = 'check_violation', constraint = 'communications_occurred_at_check';
    end if;
    return new;
end;
$$;

comment on function rea.communications_check_occurred_at() is
'BEFORE INSERT OR UPDATE on rea.communications: occurred_at at most five minutes ahead of the clock.';

create trigger communications_occurred_at
before insert or update of occurred_at on rea.communications
for each row execute function rea.communications_check_occurred_at();
