-- readb:no-transaction
-- Reverts 7616_deals_commission_rule_idx.
drop index concurrently if exists rea.deals_commission_rule_idx;
