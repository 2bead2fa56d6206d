-- Revert 0120_schemas. Restrict, not cascade: later steps' down files empty them first,
-- so anything left here would be something no step created.

drop schema reporting;
drop schema audit;
drop schema rea;
