-- readb:no-transaction
-- The approvals inbox of an approver's branch (pending approvals requested by the
-- branch's users, oldest first): the users of the branch (users_branch_idx), then per
-- user its pending approvals in order from this index, instead of every pending
-- approval of the tenant filtered by branch. Not partial, so it also backs the foreign
-- key approvals_requested_by_fkey (a partial index does not, for the checks a deleted
-- or re-keyed user makes). Requires: 2090_approvals.
create index concurrently if not exists approvals_requested_by_idx on rea.approvals
(client_id, requested_by, status, requested_at);
