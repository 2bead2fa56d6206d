-- Revert 2010_branches.

drop table rea.branches;
