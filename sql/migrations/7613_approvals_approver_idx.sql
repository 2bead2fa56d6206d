-- readb:no-transaction
-- Backs approvals_approver_fkey: without it, deleting a user (a tenant's offboarding
-- deletes every user) scans the tenant's approvals once per user; also "what did this
-- approver decide". Requires: 2090_approvals.
create index concurrently if not exists approvals_approver_idx on rea.approvals
(client_id, approver_id);
