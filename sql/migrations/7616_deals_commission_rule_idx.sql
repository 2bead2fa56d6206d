-- readb:no-transaction
-- Backs deals_commission_rule_fkey: deleting or re-keying a commission rule otherwise
-- scans the tenant's deals; also "deals paid under this rule". Requires: 2100_deal_workflow.
create index concurrently if not exists deals_commission_rule_idx on rea.deals
(client_id, commission_rule_id);
