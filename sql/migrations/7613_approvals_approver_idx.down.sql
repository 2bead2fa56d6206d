-- readb:no-transaction
-- Reverts 7613_approvals_approver_idx.
drop index concurrently if exists rea.approvals_approver_idx;
