-- Revert 2070_deals.

drop table rea.deals;
drop table rea.deal_stage_transitions;
