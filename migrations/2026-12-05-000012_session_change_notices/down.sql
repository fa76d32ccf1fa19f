DROP TRIGGER staff_sessions_changed ON staff_sessions;
DROP FUNCTION notify_staff_session_change();
