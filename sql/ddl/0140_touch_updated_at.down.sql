-- Revert 0140_touch_updated_at.

drop function rea.touch_updated_at();
