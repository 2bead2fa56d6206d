-- readb:superuser
-- Revert 7530_operator_role: nothing in this database. The role is cluster-wide and
-- stays, like the roles of 0100_roles (another database of the cluster may use it); its
-- privileges here went with 7535_provision_agency's revert.

select 1;
