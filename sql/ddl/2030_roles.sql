-- Application roles and permissions (not PostgreSQL roles, which are fixed by the
-- contract): rea.permissions is the closed list of things the application checks,
-- shared by all tenants; each tenant defines its own rea.roles, grants permissions to
-- them (rea.role_permissions) and roles to users (rea.user_roles).
-- Requires: 2020_users.

create table rea.permissions (
    code text not null,
    description text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint permissions_pkey primary key (code),
    constraint permissions_code_check check (code ~ '^[a-z_]+\.[a-z_]+$')
);

comment on table rea.permissions is
'What the application can allow, as resource.action codes. Reference data shared by all tenants.';

create trigger permissions_touch_updated_at
before update on rea.permissions
for each row execute function rea.touch_updated_at();

insert into rea.permissions (code, description) values
('approvals.decide', 'Approve or reject approval requests'),
('bookings.write', 'Create and change bookings'),
('customers.read_personal', 'See customers'' personal data'),
('customers.write', 'Create and change customers'),
('deals.write', 'Create deals and move them through their stages'),
('expenses.write', 'Record expenses'),
('properties.write', 'List and change properties'),
('reports.read', 'Read the reporting dashboards'),
('users.admin', 'Manage users and their roles');

create table rea.roles (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    name text not null,
    description text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint roles_pkey primary key (client_id, id),
    constraint roles_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint roles_name_check check (btrim(name) <> '')
);

create unique index roles_name_key on rea.roles (client_id, lower(name));

comment on table rea.roles is 'A tenant''s application roles (agent, manager...), sets of permissions.';

create trigger roles_touch_updated_at
before update on rea.roles
for each row execute function rea.touch_updated_at();

create table rea.role_permissions (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    role_id uuid not null,
    permission_code text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint role_permissions_pkey primary key (client_id, id),
    constraint role_permissions_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint role_permissions_role_fkey foreign key (client_id, role_id)
    references rea.roles (client_id, id) on delete cascade,
    constraint role_permissions_permission_fkey foreign key (permission_code)
    references rea.permissions (code) on delete restrict
);

create unique index role_permissions_role_permission_key
on rea.role_permissions (client_id, role_id, permission_code);

comment on table rea.role_permissions is 'Which permissions a role grants.';

create trigger role_permissions_touch_updated_at
before update on rea.role_permissions
for each row execute function rea.touch_updated_at();

create table rea.user_roles (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    user_id uuid not null,
    role_id uuid not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint user_roles_pkey primary key (client_id, id),
    constraint user_roles_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint user_roles_user_fkey foreign key (client_id, user_id)
    references rea.users (client_id, id) on delete cascade,
    constraint user_roles_role_fkey foreign key (client_id, role_id)
    references rea.roles (client_id, id) on delete cascade
);

create unique index user_roles_user_role_key on rea.user_roles (client_id, user_id, role_id);
create index user_roles_role_idx on rea.user_roles (client_id, role_id);

comment on table rea.user_roles is 'Which roles a user holds.';

create trigger user_roles_touch_updated_at
before update on rea.user_roles
for each row execute function rea.touch_updated_at();
