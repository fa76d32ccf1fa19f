-- Servers keep the sessions they read in memory (auth::session_cache); a row changed or deleted
-- anywhere (sign-out, a password or role change, removal, the purge, another server) tells
-- every server's listener which entry to forget, by the hex of the token's hash.
CREATE FUNCTION notify_staff_session_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('staff_sessions', encode(OLD.token_hash, 'hex'));
    RETURN NULL;
END
$$;

CREATE TRIGGER staff_sessions_changed
    AFTER UPDATE OR DELETE ON staff_sessions
    FOR EACH ROW EXECUTE FUNCTION notify_staff_session_change();
