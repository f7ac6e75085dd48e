/**
 * `settle_events(…arrays)`: a delivery batch's settles in one round trip — for each event, in the order given (the
 * caller sorts by row id), exactly what `settleSql.settle` does: applies the outcome when the lease still holds
 * (fenced by owner and attempt), unparks the key's next pending event (delivered/dead) and records the attempt.
 * Returns per event whether the lease held and how many events it unparked. Locks as `settleSql.settle`, one event
 * after another, after the batch took its keys' advisory locks (`settleSql.lockKeys`).
 */
export const pgMigration0008 = {
  version: 8,
  name: 'settle-events',
  sql: `
CREATE FUNCTION settle_events(p_ids bigint[], p_owners text[], p_attempts integer[], p_outcomes text[], p_now bigint,
  p_next bigint[], p_errors text[], p_apps bigint[], p_keys text[], p_started bigint[], p_urls text[],
  p_status integer[], p_latency double precision[], p_error_codes bigint[], p_error_infos text[])
RETURNS TABLE (o_settled boolean, o_unparked integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  i integer;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
    WITH s AS (UPDATE callback_events SET
          state = CASE p_outcomes[i] WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
          delivered_at = CASE WHEN p_outcomes[i] = 'delivered' THEN p_now ELSE delivered_at END,
          next_attempt_at = CASE p_outcomes[i] WHEN 'retry' THEN p_next[i] WHEN 'aborted' THEN p_now
            ELSE next_attempt_at END,
          last_error = CASE WHEN p_outcomes[i] = 'delivered' THEN NULL ELSE p_errors[i] END,
          retry_base = retry_base + CASE WHEN p_outcomes[i] = 'aborted' THEN 1 ELSE 0 END,
          lease_owner = NULL, lease_until = NULL
        WHERE id = p_ids[i] AND lease_owner = p_owners[i] AND attempts = p_attempts[i] AND state = 'pending'
        RETURNING id),
      u AS (UPDATE callback_events SET parked = 0 WHERE p_outcomes[i] IN ('delivered', 'dead')
          AND EXISTS (SELECT 1 FROM s) AND id = (SELECT min(e.id) FROM callback_events e
            WHERE e.app_id = p_apps[i] AND e.ordering_key = p_keys[i] AND e.state = 'pending' AND e.id <> p_ids[i])
        RETURNING 1),
      a AS (INSERT INTO callback_attempts (event_row, app_id, attempt, started_at, url, status, latency_ms, error_code,
          error_info, error, outcome) VALUES (p_ids[i], p_apps[i], p_attempts[i], p_started[i], p_urls[i], p_status[i],
          p_latency[i], p_error_codes[i], p_error_infos[i], p_errors[i], p_outcomes[i]))
    SELECT EXISTS (SELECT 1 FROM s), (SELECT count(*) FROM u)::integer INTO o_settled, o_unparked;
    RETURN NEXT;
  END LOOP;
END $$;
`,
};
