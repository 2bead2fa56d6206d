-- Revert 2080_expenses.

drop table rea.expenses;
