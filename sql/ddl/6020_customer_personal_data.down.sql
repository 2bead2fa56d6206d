-- Revert 6020_customer_personal_data.

drop function rea.rotate_identifier_key(text, text);
drop function rea.find_customers_by_identifier(text, text, text);
drop function rea.customer_identifiers(uuid, text);
drop function rea.set_customer_identifiers(uuid, text, text, text);
drop function rea.check_identifier_key(text);
drop function rea.identifier_hmac(text, text);
drop function rea.normalise_identifier(text);
drop function rea.require_client_id();

alter table rea.clients
drop column customer_retention;

drop index rea.customers_passport_number_idx;
drop index rea.customers_national_id_key;

alter table rea.customers
drop column erased_at,
drop column legal_hold_reason,
drop column legal_hold,
drop column marketing_consent_at,
drop column marketing_consent,
drop column passport_number_hmac,
drop column passport_number_encrypted,
drop column national_id_hmac,
drop column national_id_encrypted;
