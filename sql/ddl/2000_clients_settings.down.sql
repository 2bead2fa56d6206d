-- Revert 2000_clients_settings.

alter table rea.clients drop column expense_approval_threshold;
