--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA audit;

--
-- Name: SCHEMA audit; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA audit IS 'Append-only audit trail of every change to the rea schema.';

--
-- Name: extensions; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA extensions;

--
-- Name: SCHEMA extensions; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA extensions IS 'Extensions used by the REA INVEST schema.';

--
-- Name: rea; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA rea;

--
-- Name: SCHEMA rea; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA rea IS 'REA INVEST domain: tenants, properties, customers, deals and the rest.';

--
-- Name: reporting; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA reporting;

--
-- Name: SCHEMA reporting; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA reporting IS 'Reporting views over the rea schema, per tenant.';

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA extensions;

--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions;

--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
    new.created_at := old.created_at;
    new.updated_at := pg_catalog.now();
    return new;
end;
$$;

--
-- Name: FUNCTION touch_updated_at(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.touch_updated_at() IS 'BEFORE UPDATE trigger: keeps created_at, sets updated_at to now().';

--
-- Name: uuid_v7(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.uuid_v7() RETURNS uuid
    LANGUAGE sql PARALLEL SAFE
    AS $$
    -- built-ins only, which resolve in pg_catalog before any search_path entry
    select encode(
        set_bit(
            set_bit(
                overlay(
                    uuid_send(gen_random_uuid())
                    placing substring(
                        int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
                        from 3
                    )
                    from 1 for 6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid;
$$;

--
-- Name: FUNCTION uuid_v7(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.uuid_v7() IS 'A new version 7 UUID: 48-bit millisecond timestamp, then random bits. Default for id columns.';

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: clients; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.clients (
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    name text NOT NULL,
    base_currency text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT clients_name_check CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT clients_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'closed'::text])))
);

--
-- Name: TABLE clients; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.clients IS 'Tenants: the agencies using REA INVEST. Tenant tables reference it through client_id.';

--
-- Name: COLUMN clients.base_currency; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.clients.base_currency IS 'Currency the tenant reports in; reporting converts every amount into it.';

--
-- Name: COLUMN clients.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.clients.status IS 'active, suspended (kept, locked out) or closed (kept for retention only).';

--
-- Name: currencies; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.currencies (
    code text NOT NULL,
    name text NOT NULL,
    minor_units smallint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT currencies_code_check CHECK ((code ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT currencies_minor_units_check CHECK (((minor_units >= 0) AND (minor_units <= 4))),
    CONSTRAINT currencies_name_check CHECK ((btrim(name) <> ''::text))
);

--
-- Name: TABLE currencies; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.currencies IS 'ISO 4217 currencies. Reference data shared by all tenants; read-only to the application.';

--
-- Name: COLUMN currencies.code; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.currencies.code IS 'ISO 4217 alphabetic code, e.g. SAR.';

--
-- Name: COLUMN currencies.minor_units; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.currencies.minor_units IS 'Digits after the decimal point in amounts of this currency (ISO 4217 minor unit).';

--
-- Name: clients clients_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.clients
    ADD CONSTRAINT clients_pkey PRIMARY KEY (id);

--
-- Name: currencies currencies_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.currencies
    ADD CONSTRAINT currencies_pkey PRIMARY KEY (code);

--
-- Name: clients_name_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX clients_name_key ON rea.clients USING btree (lower(name));

--
-- Name: clients clients_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_touch_updated_at BEFORE UPDATE ON rea.clients FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: currencies currencies_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_touch_updated_at BEFORE UPDATE ON rea.currencies FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: clients clients_base_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.clients
    ADD CONSTRAINT clients_base_currency_fkey FOREIGN KEY (base_currency) REFERENCES rea.currencies(code) ON UPDATE RESTRICT ON DELETE RESTRICT;

--
-- PostgreSQL database dump complete
--
