/**
 * Functions that save round trips on the hot paths (each statement inside a VOLATILE function takes a fresh snapshot,
 * so a read after a lock sees everything committed before the lock was granted):
 * - `read_state(app, owner, peer, now, read_time)`: a read report's first step — locks the conversation row (creating
 *   it if missing), then reads the reporter's total, whether the peer exists, the inbox head and, when a MsgReadTime
 *   is given, the unread count above the new watermark. One round trip instead of two or three.
 * - `prepare_effects(app, keys[], users[])`: takes the advisory locks of the callback events' ordering keys in the
 *   order given (the caller sorts them) and says which keys have a pending event, then which users have a sync log.
 *   One round trip instead of one per key plus one.
 */
export const pgMigration0002 = {
  version: 2,
  name: 'round-trips',
  sql: `
CREATE FUNCTION read_state(p_app bigint, p_owner text, p_peer text, p_now bigint, p_read_time bigint)
RETURNS TABLE (o_existed boolean, o_unread bigint, o_read_upto_id bigint, o_read_time bigint, o_last_read_time bigint,
  o_total bigint, o_peer_ok boolean, o_head bigint, o_counted bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c conversations%ROWTYPE;
BEGIN
  SELECT * INTO c FROM conversations cv WHERE cv.app_id = p_app AND cv.owner = p_owner AND cv.peer = p_peer FOR UPDATE;
  o_existed := FOUND;
  IF NOT o_existed THEN
    INSERT INTO conversations (app_id, owner, peer, updated_at) VALUES (p_app, p_owner, p_peer, p_now)
      ON CONFLICT (app_id, owner, peer) DO NOTHING;
    SELECT * INTO c FROM conversations cv WHERE cv.app_id = p_app AND cv.owner = p_owner AND cv.peer = p_peer
      FOR UPDATE;
  END IF;
  o_unread := c.unread;
  o_read_upto_id := c.read_upto_id;
  o_read_time := c.read_time;
  o_last_read_time := c.last_read_time;
  SELECT a.unread_total INTO o_total FROM accounts a WHERE a.app_id = p_app AND a.user_id = p_owner;
  o_peer_ok := EXISTS (SELECT 1 FROM accounts a WHERE a.app_id = p_app AND a.user_id = p_peer);
  SELECT coalesce(max(m.id), 0) INTO o_head FROM messages m
    WHERE m.app_id = p_app AND m.to_account = p_owner AND m.from_account = p_peer;
  o_counted := 0;
  IF p_read_time IS NOT NULL THEN
    SELECT count(*) INTO o_counted FROM messages m
      WHERE m.app_id = p_app AND m.to_account = p_owner AND m.from_account = p_peer AND m.id > c.read_upto_id
        AND m.msg_time > greatest(c.read_time, p_read_time) AND m.counts_unread = 1 AND m.recalled = 0;
  END IF;
  RETURN NEXT;
END $$;

CREATE FUNCTION prepare_effects(p_app bigint, p_keys text[], p_users text[])
RETURNS TABLE (o_kind text, o_name text, o_flag boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k text;
BEGIN
  FOREACH k IN ARRAY coalesce(p_keys, '{}'::text[]) LOOP
    o_kind := 'key';
    o_name := k;
    o_flag := event_key_is_pending(p_app, k);
    RETURN NEXT;
  END LOOP;
  RETURN QUERY SELECT 'user'::text, s.user_id, true FROM sync_users s
    WHERE s.app_id = p_app AND s.user_id = ANY(coalesce(p_users, '{}'::text[]));
END $$;
`,
};
