-- readb:superuser
-- Revert 7510_no_temp_for_public: PUBLIC holds TEMP on the database again (the default),
-- rea_owner no grant of its own.

do $$
begin
    execute pg_catalog.format('revoke temporary on database %I from rea_owner', pg_catalog.current_database());
    execute pg_catalog.format('grant temporary on database %I to public', pg_catalog.current_database());
end;
$$;
