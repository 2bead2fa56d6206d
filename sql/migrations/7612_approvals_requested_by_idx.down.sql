-- readb:no-transaction
-- Reverts 7612_approvals_requested_by_idx.
drop index concurrently if exists rea.approvals_requested_by_idx;
