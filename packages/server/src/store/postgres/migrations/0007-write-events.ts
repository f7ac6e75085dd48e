/**
 * `write_events(app, keys[], users[], events…)`: a write's callback events in one round trip — what `prepare_effects`
 * (migration 0002) and one insert per event did: takes the advisory locks of the events' ordering keys in the order
 * given (the caller sorts them: lock 4 of the global order, `sql/message-sql.ts`), learns which keys have a pending
 * event, inserts the events in the order given — an event whose key has no pending event (it is the key's head) with
 * the lease offered for it, if any — and returns, per event, its row id and whether it was leased, then the users who
 * have a sync log.
 */
export const pgMigration0007 = {
  version: 7,
  name: 'write-events',
  sql: `
CREATE FUNCTION write_events(p_app bigint, p_keys text[], p_users text[], p_event_ids text[], p_commands text[],
  p_event_keys text[], p_bodies text[], p_ips text[], p_platforms text[], p_owners text[], p_until bigint[],
  p_now bigint)
RETURNS TABLE (o_kind text, o_name text, o_flag boolean, o_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  pending boolean[] := '{}';
  i integer;
  k integer;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    pending[i] := event_key_is_pending(p_app, p_keys[i]);
  END LOOP;
  FOR i IN 1 .. coalesce(array_length(p_event_ids, 1), 0) LOOP
    k := array_position(p_keys, p_event_keys[i]);
    o_kind := 'event';
    o_name := p_event_ids[i];
    o_flag := NOT pending[k] AND p_owners[i] IS NOT NULL;
    IF o_flag THEN
      INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform, attempts,
          next_attempt_at, created_at, lease_owner, lease_until)
        VALUES (p_event_ids[i], p_app, p_commands[i], p_event_keys[i], p_bodies[i], p_ips[i], p_platforms[i], 1,
          p_until[i], p_now, p_owners[i], p_until[i])
        RETURNING id INTO o_id;
    ELSE
      INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform,
          next_attempt_at, created_at)
        VALUES (p_event_ids[i], p_app, p_commands[i], p_event_keys[i], p_bodies[i], p_ips[i], p_platforms[i], p_now,
          p_now)
        RETURNING id INTO o_id;
    END IF;
    pending[k] := true;
    RETURN NEXT;
  END LOOP;
  o_flag := true;
  o_id := NULL;
  RETURN QUERY SELECT 'user'::text, s.user_id, true, NULL::bigint FROM sync_users s
    WHERE s.app_id = p_app AND s.user_id = ANY(coalesce(p_users, '{}'::text[]));
END $$;
`,
};
