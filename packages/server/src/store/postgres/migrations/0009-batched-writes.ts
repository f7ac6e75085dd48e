/**
 * Functions that let a group commit's writes share statements (one round trip for the whole batch, not one per write):
 * - `read_reports(apps[], owners[], peers[], now, read_times[])`: `read_report` (migration 0006) for each report, in
 *   the order given, with the same rule and locks — each report's conversation row (lock 2), then, when its count
 *   moved, its reporter's account row (3). One row per report, in order.
 * - `write_events_many(key_apps[], keys[], event_apps[], key_index[], event_ids[], …, sync entries…, settles…)`: every
 *   effect of several writes, of several apps, in one statement, so that it can be the batch's last before COMMIT: the
 *   (app, key) advisory locks (lock 4, the lock `event_key_is_pending` takes) in the order given (the caller sorts by
 *   `app:key`, the keys of a carried delivery batch included); the settles of that delivery batch, if any
 *   (`settle_apply`), so that a key whose head was just delivered takes its new event as its head; which keys have a
 *   pending event; the events in the order given (`key_index` names each event's key); then the sync-log entries of the
 *   users who have a log, in the order given — an entry with a counts peer gets `"unread": {peer, conversation, total}`
 *   added to its data, as this transaction sees them now — appended with seqs from `sync_state.head` (lock 5, last).
 *   Set-based: one statement for all the events, one for all the entries. Rows: ('settle', null, settled, unparked) per
 *   settle, ('event', event id, leased, row id) per event, then ('sync', null, true, write index) per entry appended.
 * - `settle_apply(ids[], …)`: a delivery batch's settles, set-based (what `settle_events`, migration 0008, does one
 *   event at a time, in three statements for the whole batch), the caller holding the keys' locks: the outcomes,
 *   applied where the lease still holds (fenced by owner and attempt); every attempt recorded; then, in a later
 *   statement that sees those outcomes, the lowest pending event of each key settled as delivered or dead is unparked
 *   (the key's new head — an event of the same batch settled for a retry included). Rows: whether each lease held, in
 *   order; the first row carries how many events were unparked.
 * - `settle_batch(relaxed, lock_keys[], …)`: `settle_apply` as a statement of its own (no BEGIN/COMMIT round trips):
 *   `synchronous_commit = off` for its transaction when `relaxed`, the keys' advisory locks in the order given (sorted
 *   as writers sort `app:key`), then the settles.
 *
 * Each statement inside these VOLATILE functions takes a fresh snapshot, so a read after a lock sees everything
 * committed before the lock was granted.
 */
export const pgMigration0009 = {
  version: 9,
  name: 'batched-writes',
  sql: `
CREATE FUNCTION read_reports(p_apps bigint[], p_owners text[], p_peers text[], p_now bigint, p_read_times bigint[])
RETURNS TABLE (o_status text, o_last_read_time bigint, o_unread bigint, o_total bigint, o_advanced boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  i integer;
  c conversations%ROWTYPE;
  v_app bigint;
  v_owner text;
  v_peer text;
  v_rt bigint;
  v_existed boolean;
  v_total bigint;
  v_head bigint;
  v_read_time bigint;
  v_upto bigint;
  v_delta bigint;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_apps, 1), 0) LOOP
    v_app := p_apps[i];
    v_owner := p_owners[i];
    v_peer := p_peers[i];
    v_rt := p_read_times[i];
    o_last_read_time := NULL;
    o_unread := NULL;
    o_total := NULL;
    o_advanced := NULL;
    SELECT * INTO c FROM conversations cv WHERE cv.app_id = v_app AND cv.owner = v_owner AND cv.peer = v_peer
      FOR UPDATE;
    v_existed := FOUND;
    IF NOT v_existed THEN
      INSERT INTO conversations (app_id, owner, peer, updated_at) VALUES (v_app, v_owner, v_peer, p_now)
        ON CONFLICT (app_id, owner, peer) DO NOTHING;
      SELECT * INTO c FROM conversations cv WHERE cv.app_id = v_app AND cv.owner = v_owner AND cv.peer = v_peer
        FOR UPDATE;
    END IF;
    SELECT a.unread_total INTO v_total FROM accounts a WHERE a.app_id = v_app AND a.user_id = v_owner;
    IF v_total IS NULL THEN
      o_status := 'from';
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.app_id = v_app AND a.user_id = v_peer) THEN
      o_status := 'to';
      RETURN NEXT;
      CONTINUE;
    END IF;
    v_upto := c.read_upto_id;
    IF v_rt IS NULL THEN
      SELECT coalesce(max(m.id), 0) INTO v_head FROM messages m
        WHERE m.app_id = v_app AND m.to_account = v_owner AND m.from_account = v_peer;
      v_read_time := c.read_time;
      v_upto := greatest(v_upto, v_head);
      o_last_read_time := greatest(c.last_read_time, p_now / 1000);
      o_unread := 0;
    ELSE
      SELECT count(*) INTO o_unread FROM messages m
        WHERE m.app_id = v_app AND m.to_account = v_owner AND m.from_account = v_peer AND m.id > c.read_upto_id
          AND m.msg_time > greatest(c.read_time, v_rt) AND m.counts_unread = 1 AND m.recalled = 0;
      v_read_time := greatest(c.read_time, v_rt);
      o_last_read_time := greatest(c.last_read_time, v_rt);
    END IF;
    o_advanced := v_upto <> c.read_upto_id OR v_read_time <> c.read_time
      OR o_last_read_time <> c.last_read_time OR NOT v_existed;
    v_delta := o_unread - c.unread;
    UPDATE conversations SET unread = o_unread, read_upto_id = v_upto, read_time = v_read_time,
        last_read_time = o_last_read_time, updated_at = p_now
      WHERE app_id = v_app AND owner = v_owner AND peer = v_peer;
    o_total := v_total;
    IF v_delta <> 0 THEN
      UPDATE accounts SET unread_total = unread_total + v_delta WHERE app_id = v_app AND user_id = v_owner
        RETURNING unread_total INTO o_total;
    END IF;
    o_status := 'ok';
    RETURN NEXT;
  END LOOP;
END $$;

CREATE FUNCTION write_events_many(p_key_apps bigint[], p_keys text[], p_event_apps bigint[], p_key_index integer[],
  p_event_ids text[], p_commands text[], p_bodies text[], p_ips text[], p_platforms text[], p_owners text[],
  p_until bigint[], p_now bigint, p_sync_writes integer[], p_sync_apps bigint[], p_sync_users text[],
  p_sync_kinds text[], p_sync_msg_ids bigint[], p_sync_data text[], p_sync_counts text[], p_settle_ids bigint[],
  p_settle_owners text[], p_settle_attempts integer[], p_settle_outcomes text[], p_settle_next bigint[],
  p_settle_errors text[], p_settle_apps bigint[], p_settle_keys text[], p_settle_started bigint[],
  p_settle_urls text[], p_settle_status integer[], p_settle_latency double precision[], p_settle_error_codes bigint[],
  p_settle_error_infos text[])
RETURNS TABLE (o_kind text, o_name text, o_flag boolean, o_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  i integer;
  v_pending boolean[];
  n integer;
  v_head bigint;
  s_writes integer[];
  s_apps bigint[];
  s_users text[];
  s_kinds text[];
  s_msg_ids bigint[];
  s_data text[];
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('readwire-event-key:' || p_key_apps[i] || ':' || p_keys[i], 0));
  END LOOP;
  -- A delivery batch carried by this write batch: settled before the events are written, so a key whose head was
  -- just delivered takes its new event as its head.
  IF coalesce(array_length(p_settle_ids, 1), 0) > 0 THEN
    RETURN QUERY SELECT 'settle'::text, NULL::text, s.o_settled, s.o_unparked::bigint
      FROM settle_apply(p_settle_ids, p_settle_owners, p_settle_attempts, p_settle_outcomes, p_now, p_settle_next,
        p_settle_errors, p_settle_apps, p_settle_keys, p_settle_started, p_settle_urls, p_settle_status,
        p_settle_latency, p_settle_error_codes, p_settle_error_infos) AS s;
  END IF;
  IF coalesce(array_length(p_event_ids, 1), 0) > 0 THEN
    -- After every lock: a fresh snapshot sees each key's events committed before its lock was granted.
    SELECT array_agg(EXISTS (SELECT 1 FROM callback_events e
        WHERE e.app_id = k.a AND e.ordering_key = k.key AND e.state = 'pending') ORDER BY k.ord)
      INTO v_pending FROM unnest(p_key_apps, p_keys) WITH ORDINALITY AS k(a, key, ord);
    -- Ids in the order given; only an event offered a lease (the first of its key) whose key has no pending event
    -- is written leased.
    RETURN QUERY WITH x AS (
        SELECT v.*, (NOT v_pending[v.k] AND v.owner IS NOT NULL) AS leased
        FROM unnest(p_event_ids, p_event_apps, p_key_index, p_commands, p_bodies, p_ips, p_platforms, p_owners, p_until)
          WITH ORDINALITY AS v(event_id, app, k, command, body, ip, platform, owner, until, ord)),
      ins AS (INSERT INTO callback_events (event_id, app_id, command, ordering_key, body, client_ip, opt_platform,
          attempts, next_attempt_at, created_at, lease_owner, lease_until)
        SELECT x.event_id, x.app, x.command, p_keys[x.k], x.body, x.ip, x.platform, CASE WHEN x.leased THEN 1 ELSE 0 END,
          CASE WHEN x.leased THEN x.until ELSE p_now END, p_now, CASE WHEN x.leased THEN x.owner END,
          CASE WHEN x.leased THEN x.until END
        FROM x ORDER BY x.ord
        RETURNING id, event_id, lease_owner IS NOT NULL AS leased)
      SELECT 'event'::text, ins.event_id, ins.leased, ins.id FROM ins;
  END IF;
  IF coalesce(array_length(p_sync_users, 1), 0) = 0 THEN
    RETURN;
  END IF;
  -- Sync-log entries of users who have a log, in the order given; seqs from the head (lock 5, last).
  SELECT array_agg(x.w ORDER BY x.ord), array_agg(x.a ORDER BY x.ord), array_agg(x.u ORDER BY x.ord),
      array_agg(x.k ORDER BY x.ord), array_agg(x.m ORDER BY x.ord),
      array_agg(CASE WHEN x.cp IS NULL THEN x.d ELSE
        left(x.d, -1) || CASE WHEN x.d = '{}' THEN '' ELSE ',' END || '"unread":'
        || json_build_object('peer', x.cp,
          'conversation', coalesce((SELECT c.unread FROM conversations c
            WHERE c.app_id = x.a AND c.owner = x.u AND c.peer = x.cp), 0),
          'total', coalesce((SELECT ac.unread_total FROM accounts ac WHERE ac.app_id = x.a AND ac.user_id = x.u), 0))::text
        || '}' END ORDER BY x.ord)
    INTO s_writes, s_apps, s_users, s_kinds, s_msg_ids, s_data
    FROM unnest(p_sync_writes, p_sync_apps, p_sync_users, p_sync_kinds, p_sync_msg_ids, p_sync_data, p_sync_counts)
      WITH ORDINALITY AS x(w, a, u, k, m, d, cp, ord)
    WHERE EXISTS (SELECT 1 FROM sync_users s WHERE s.app_id = x.a AND s.user_id = x.u);
  n := coalesce(array_length(s_users, 1), 0);
  IF n = 0 THEN
    RETURN;
  END IF;
  UPDATE sync_state SET head = head + n WHERE id = 1 RETURNING head INTO v_head;
  INSERT INTO sync_events (id, app_id, user_id, kind, msg_id, data, created_at)
    SELECT v_head - n + e.ord, e.a, e.u, e.k, e.m, e.d, p_now
    FROM unnest(s_apps, s_users, s_kinds, s_msg_ids, s_data) WITH ORDINALITY AS e(a, u, k, m, d, ord);
  RETURN QUERY SELECT 'sync'::text, NULL::text, true, w::bigint FROM unnest(s_writes) AS w;
END $$;

CREATE FUNCTION settle_apply(p_ids bigint[], p_owners text[], p_attempts integer[], p_outcomes text[], p_now bigint,
  p_next bigint[], p_errors text[], p_apps bigint[], p_keys text[], p_started bigint[], p_urls text[],
  p_status integer[], p_latency double precision[], p_error_codes bigint[], p_error_infos text[])
RETURNS TABLE (o_settled boolean, o_unparked integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_settled bigint[];
  v_unparked integer;
BEGIN
  WITH x AS (SELECT * FROM unnest(p_ids, p_owners, p_attempts, p_outcomes, p_next, p_errors)
      AS x(id, owner, attempt, outcome, next, error)),
    s AS (UPDATE callback_events e SET
        state = CASE x.outcome WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
        delivered_at = CASE WHEN x.outcome = 'delivered' THEN p_now ELSE e.delivered_at END,
        next_attempt_at = CASE x.outcome WHEN 'retry' THEN x.next WHEN 'aborted' THEN p_now ELSE e.next_attempt_at END,
        last_error = CASE WHEN x.outcome = 'delivered' THEN NULL ELSE x.error END,
        retry_base = e.retry_base + CASE WHEN x.outcome = 'aborted' THEN 1 ELSE 0 END,
        lease_owner = NULL, lease_until = NULL
      FROM x WHERE e.id = ANY(p_ids) AND e.id = x.id AND e.lease_owner = x.owner AND e.attempts = x.attempt
        AND e.state = 'pending'
      RETURNING e.id)
  SELECT coalesce(array_agg(id), '{}') INTO v_settled FROM s;
  INSERT INTO callback_attempts (event_row, app_id, attempt, started_at, url, status, latency_ms, error_code,
      error_info, error, outcome)
    SELECT * FROM unnest(p_ids, p_apps, p_attempts, p_started, p_urls, p_status, p_latency, p_error_codes,
      p_error_infos, p_errors, p_outcomes);
  -- A fresh statement: it sees the outcomes above, so each key's lowest pending event is its new head.
  WITH d AS (SELECT DISTINCT x.app, x.key FROM unnest(p_ids, p_outcomes, p_apps, p_keys) AS x(id, outcome, app, key)
      WHERE x.outcome IN ('delivered', 'dead') AND x.id = ANY(v_settled)),
    u AS (UPDATE callback_events e SET parked = 0 FROM d
      WHERE e.id = (SELECT min(p.id) FROM callback_events p
        WHERE p.app_id = d.app AND p.ordering_key = d.key AND p.state = 'pending')
      RETURNING 1)
  SELECT count(*) INTO v_unparked FROM u;
  RETURN QUERY SELECT x.id = ANY(v_settled), CASE WHEN x.ord = 1 THEN v_unparked ELSE 0 END
    FROM unnest(p_ids) WITH ORDINALITY AS x(id, ord) ORDER BY x.ord;
END $$;

CREATE FUNCTION settle_batch(p_relaxed boolean, p_lock_keys text[], p_ids bigint[], p_owners text[],
  p_attempts integer[], p_outcomes text[], p_now bigint, p_next bigint[], p_errors text[], p_apps bigint[],
  p_keys text[], p_started bigint[], p_urls text[], p_status integer[], p_latency double precision[],
  p_error_codes bigint[], p_error_infos text[])
RETURNS TABLE (o_settled boolean, o_unparked integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k text;
BEGIN
  IF p_relaxed THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  FOREACH k IN ARRAY coalesce(p_lock_keys, '{}'::text[]) LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('readwire-event-key:' || k, 0));
  END LOOP;
  RETURN QUERY SELECT * FROM settle_apply(p_ids, p_owners, p_attempts, p_outcomes, p_now, p_next, p_errors, p_apps,
    p_keys, p_started, p_urls, p_status, p_latency, p_error_codes, p_error_infos);
END $$;
`,
};
