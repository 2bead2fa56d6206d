-- rea.users: the people of an agency who use REA INVEST (agents, managers, accountants).
-- Their ids are what the application puts in app.user_id, the actor of audited changes,
-- and what approvals record as requester and approver. Not PostgreSQL roles.
-- Requires: 2010_branches.

create table rea.users (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    branch_id uuid,
    full_name text not null,
    email public.citext not null,
    status text not null default 'active',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_pkey primary key (client_id, id),
    constraint users_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint users_branch_fkey foreign key (client_id, branch_id)
    references rea.branches (client_id, id) on delete restrict,
    constraint users_full_name_check check (btrim(full_name) <> ''),
    constraint users_email_check check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    constraint users_status_check check (status in ('active', 'disabled'))
);

create unique index users_email_key on rea.users (client_id, email);
create index users_branch_idx on rea.users (client_id, branch_id);

comment on table rea.users is
'People of an agency who use the system; app.user_id names one of them as the actor.';
comment on column rea.users.status is 'disabled users keep their history but may not act.';

create trigger users_touch_updated_at
before update on rea.users
for each row execute function rea.touch_updated_at();
