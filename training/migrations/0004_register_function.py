"""training_register(): a registration as one server-side statement on PostgreSQL.

Every registration of a course date queues behind that date's row lock. Taken from Python, the
lock is held over three round trips (lock, count-and-insert, commit) and whatever the client
process does in between; under 50 clients that hold time is the ceiling of the throughput
(bench/registration_race.py). Called in autocommit, this function takes the lock, re-checks the
window, counts and inserts, and PostgreSQL releases the lock when the statement ends: the hold
time is the server's work alone.

PL/pgSQL takes a fresh snapshot for each statement of a VOLATILE function under READ COMMITTED,
so the counts after the lock see every registration committed by the previous lock holder (a
single SQL statement would keep the snapshot from before it waited for the lock).

The rules stay in training/services.py; this is their PostgreSQL execution. Refusals come back
as a `refusal` code that the service turns into its German error.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION training_register(
    p_course_date bigint,
    p_participant bigint,
    p_municipality bigint,
    p_by bigint,
    p_priority integer,
    p_created timestamptz,
    p_notes text,
    p_lock_timeout text
) RETURNS TABLE (
    registration_id bigint,
    registration_status text,
    waiting_position integer,
    refusal text
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    d record;
    v_taken integer;
    v_mine integer;
    v_already integer;
    v_ahead integer;
    v_status text;
    v_id bigint;
BEGIN
    PERFORM set_config('lock_timeout', p_lock_timeout, true);
    SELECT c.capacity, c.max_per_municipality, c.status, c.registration_opens,
           coalesce(c.registration_closes, c.start) AS closes
      INTO d
      FROM training_coursedate c
     WHERE c.id = p_course_date
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::integer, 'missing'::text;
        RETURN;
    END IF;
    IF d.status = 'cancelled' THEN
        RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::integer, 'cancelled'::text;
        RETURN;
    END IF;
    IF d.registration_opens IS NOT NULL AND p_created < d.registration_opens THEN
        RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::integer, 'not_open'::text;
        RETURN;
    END IF;
    IF p_created > d.closes THEN
        RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::integer, 'closed'::text;
        RETURN;
    END IF;

    SELECT count(*) FILTER (WHERE r.status IN ('confirmed', 'attended')),
           count(*) FILTER (WHERE r.status IN ('confirmed', 'attended')
                            AND r.municipality_id = p_municipality),
           count(*) FILTER (WHERE r.participant_id = p_participant AND r.status <> 'cancelled'),
           count(*) FILTER (WHERE r.status = 'waiting'
                            AND (r.priority < p_priority
                                 OR (r.priority = p_priority AND r.created_at <= p_created)))
      INTO v_taken, v_mine, v_already, v_ahead
      FROM training_registration r
     WHERE r.course_date_id = p_course_date;
    IF v_already > 0 THEN
        RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::integer, 'already'::text;
        RETURN;
    END IF;

    IF v_taken < d.capacity
       AND (d.max_per_municipality IS NULL OR p_municipality IS NULL
            OR v_mine < d.max_per_municipality) THEN
        v_status := 'confirmed';
    ELSE
        v_status := 'waiting';
    END IF;
    INSERT INTO training_registration (
        course_date_id, participant_id, municipality_id, registered_by_id, status, priority,
        created_at, confirmed_at, notes
    ) VALUES (
        p_course_date, p_participant, p_municipality, p_by, v_status, p_priority,
        p_created, CASE WHEN v_status = 'confirmed' THEN p_created END, p_notes
    ) RETURNING id INTO v_id;
    RETURN QUERY SELECT v_id, v_status,
        CASE WHEN v_status = 'waiting' THEN v_ahead + 1 END, NULL::text;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS training_register(bigint, bigint, bigint, bigint, integer, timestamptz, text, text);"  # noqa: E501


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_online_url_https"),
    ]

    operations = [migrations.RunPython(create, drop)]
