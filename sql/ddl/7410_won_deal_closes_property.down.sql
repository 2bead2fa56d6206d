-- Reverts 7410_won_deal_closes_property (statuses it set stay as they are).
set local role rea_owner;

drop trigger deals_close_property on rea.deals;
drop function rea.deals_close_property();
