"""The ceiling of the rush: pgbench doing the SQL work of one submission by itself.

One transaction per fresh family, as in BookingService and SubmitBasket: the submission
row, the basket lines written, the family's row locked, the basket cleared, the counters of
the dates locked in order and taken, the booking rows (requested, or waiting when full),
the stored answer, the "demande reçue" mail in the outbox and the audit row. No HTTP, no JSON, no pool: what the database alone can do.
"""
import glob
import json
import os
import re


def prepare_ceiling(sql, schema, fixture, script_path):
    lines = open(fixture).read().split("\n")
    activity = next(line.split()[1] for line in lines if line.startswith("activity "))
    days = next(line.split()[1:] for line in lines if line.startswith("dates "))
    # One row per family of the fixture, numbered, for pgbench to take one each.
    sql("""
        CREATE TABLE bench_families AS
        SELECT row_number() OVER (ORDER BY c.id) AS n, c.family_id, c.id AS child_id, a.id AS account_id
        FROM children c JOIN accounts a ON a.family_id = c.family_id;
        ALTER TABLE bench_families ADD PRIMARY KEY (n);
        CREATE SEQUENCE bench_next;""", schema)
    with open(script_path, "w") as f:
        f.write(ceiling_script(activity, days))


def ceiling_script(activity, days):
    answer = json.dumps({"submissionID": 0, "lines": [
        {"childID": 0, "childName": "Enfant Charge", "activityID": int(activity), "activityName": "CHARGE 300 PLACES",
         "day": day, "kind": "booking", "outcome": "requested", "priceCents": 185, "bookingID": 0} for day in days]})
    body = "Bonjour,\n\nNous avons bien reçu vos demandes :\n" + "".join(
        f"- Enfant Charge, CHARGE 300 PLACES, {day} : demandée, en attente de validation (1,85 €)\n" for day in days)
    quoted_days = ",".join(f"'{day}'" for day in days)
    dates = f"ARRAY[{quoted_days}]::date[]"
    script = [
        "SELECT nextval('bench_next') AS n \\gset",
        "SELECT family_id AS f, child_id AS c, account_id AS acc FROM bench_families WHERE n = :n \\gset",
        "BEGIN;",
        "INSERT INTO submissions (family_id, account_id, idempotency_key, request_hash) "
        "VALUES (:f, :acc, 'pgbench-' || :n, 'x') RETURNING id AS sid \\gset",
        f"INSERT INTO basket_lines (family_id, child_id, activity_id, day, kind) "
        f"SELECT :f, :c, {activity}, d, 'booking' FROM unnest({dates}) AS d;",
        "SELECT id FROM families WHERE id = :f FOR UPDATE;",
        "DELETE FROM basket_lines WHERE family_id = :f;",
        # The counters as SubmitBasket takes them: created if missing, the activity share-locked,
        # the dates locked in order, then the places taken and the booking rows written.
        f"INSERT INTO activity_days (activity_id, day) SELECT {activity}, d FROM unnest({dates}) AS d ORDER BY 1, 2 ON CONFLICT DO NOTHING;",
        f"SELECT id FROM activities WHERE id = {activity} FOR SHARE;",
        f"SELECT d.day, a.capacity - d.held AS free FROM activity_days d JOIN activities a ON a.id = d.activity_id "
        f"WHERE d.activity_id = {activity} AND d.day = ANY({dates}) ORDER BY d.day FOR UPDATE OF d;",
        f"WITH took AS (UPDATE activity_days d SET held = held + 1 FROM activities a "
        f"WHERE a.id = d.activity_id AND d.activity_id = {activity} AND d.day = ANY({dates}) AND d.held < a.capacity RETURNING d.day) "
        f"INSERT INTO bookings (submission_id, family_id, child_id, activity_id, day, status, price_cents) "
        f"SELECT :sid, :f, :c, {activity}, k.d, CASE WHEN k.d IN (SELECT day FROM took) THEN 'requested' ELSE 'waiting' END, 185 "
        f"FROM unnest({dates}) WITH ORDINALITY AS k(d, n) ORDER BY k.n;",
        f"UPDATE submissions SET response = '{answer}' WHERE id = :sid;",
        "INSERT INTO outbox (kind, to_address, subject, body_text) "
        f"VALUES ('request_received', 'charge@exemple.fr', 'Les Petits Malins : demande reçue (n° ' || :sid || ')', '{body}');",
        "INSERT INTO audit_log (actor_kind, actor_id, action, subject, detail) "
        "VALUES ('parent', :acc, 'basket.submit', 'family:' || :f, '{\"lines\": \"10\", \"refused\": \"0\"}');",
        "COMMIT;",
    ]
    return "\n".join(script) + "\n"


def pgbench_figures(out, workdir, prefix):
    """tps from pgbench's summary; p50, p99 and max from its per-transaction log."""
    tps = float(re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", out)
    latencies = []
    for path in glob.glob(os.path.join(workdir, prefix + ".*")):
        for line in open(path):
            fields = line.split()
            if len(fields) >= 3:
                latencies.append(int(fields[2]))
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] if latencies else 0
    return {"tps": tps, "transactions": len(latencies), "failed": int(failed.group(1)) if failed else 0,
            "p50_us": percentile(50), "p99_us": percentile(99), "max_us": latencies[-1] if latencies else 0}
