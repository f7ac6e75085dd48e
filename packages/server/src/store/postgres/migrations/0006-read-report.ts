/**
 * `read_report(app, owner, peer, now, read_time)`: a whole read report in one round trip — `read_state` (migration
 * 0002: locks the conversation row, creating it if missing, then reads the reporter's total, whether the peer exists,
 * the inbox head and, with a MsgReadTime, the count above the new watermark), the new watermark and count (the same
 * rule as `setReadOp`), the update of the conversation row and, when the count moved, of the reporter's account row.
 *
 * **Locks**, in the global order (`sql/message-sql.ts`): the conversation row (2), then the reporter's account row
 * (3, only when the count moved). `o_status` is `from` (no such reporter) or `to` (no such peer) without any update
 * beyond the conversation row it may have created: the caller throws, which rolls the transaction back.
 */
export const pgMigration0006 = {
  version: 6,
  name: 'read-report',
  sql: `
CREATE FUNCTION read_report(p_app bigint, p_owner text, p_peer text, p_now bigint, p_read_time bigint)
RETURNS TABLE (o_status text, o_last_read_time bigint, o_unread bigint, o_total bigint, o_advanced boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  s record;
  v_read_time bigint;
  v_upto bigint;
  v_delta bigint;
BEGIN
  SELECT * INTO s FROM read_state(p_app, p_owner, p_peer, p_now, p_read_time);
  IF s.o_total IS NULL THEN
    o_status := 'from';
    RETURN NEXT;
    RETURN;
  END IF;
  IF NOT s.o_peer_ok THEN
    o_status := 'to';
    RETURN NEXT;
    RETURN;
  END IF;
  v_upto := s.o_read_upto_id;
  IF p_read_time IS NULL THEN
    v_read_time := s.o_read_time;
    v_upto := greatest(v_upto, s.o_head);
    o_last_read_time := greatest(s.o_last_read_time, p_now / 1000);
    o_unread := 0;
  ELSE
    v_read_time := greatest(s.o_read_time, p_read_time);
    o_last_read_time := greatest(s.o_last_read_time, p_read_time);
    o_unread := s.o_counted;
  END IF;
  o_advanced := v_upto <> s.o_read_upto_id OR v_read_time <> s.o_read_time
    OR o_last_read_time <> s.o_last_read_time OR NOT s.o_existed;
  v_delta := o_unread - s.o_unread;
  UPDATE conversations SET unread = o_unread, read_upto_id = v_upto, read_time = v_read_time,
      last_read_time = o_last_read_time, updated_at = p_now
    WHERE app_id = p_app AND owner = p_owner AND peer = p_peer;
  o_total := s.o_total;
  IF v_delta <> 0 THEN
    UPDATE accounts SET unread_total = unread_total + v_delta WHERE app_id = p_app AND user_id = p_owner
      RETURNING unread_total INTO o_total;
  END IF;
  o_status := 'ok';
  RETURN NEXT;
END $$;
`,
};
