-- Hands everything rea_owner owns in this database back to the user running the
-- rollback, as it was before 6000_ownership.

revoke usage on schema extensions from rea_owner, rea_app;

reassign owned by rea_owner to session_user;
