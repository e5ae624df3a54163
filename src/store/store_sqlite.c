/*
 * store_sqlite: the embedded SQLite backend of the store (store_int.h).
 *
 * Connections: one per thread, found through a pthread key of this store and taken from
 * an idle pool (or opened) on the thread's first call; a thread that exits gives its
 * connection back (rolling back anything it left open). Every connection runs with
 * foreign_keys=ON, synchronous=NORMAL and a busy timeout; the database is in WAL mode, so
 * readers never wait for the writer and a killed process loses at most the transaction it
 * was in. Write transactions start with BEGIN IMMEDIATE: taking the write lock up front
 * means two threads can never both hold a read snapshot and then fail to upgrade
 * (SQLITE_BUSY that no timeout resolves). Nested begins are savepoints.
 *
 * Statements are prepared once per connection (SQLITE_PREPARE_PERSISTENT) and cached by
 * number, so a bulk insert is bind/step/reset in a loop.
 *
 * Schema: the migrations below, applied in order inside one transaction at open and
 * recorded in schema_version. A database whose version is newer than the last migration
 * here is refused rather than guessed at.
 */
#include "store/store_int.h"

#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/strmap.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* ---------------------------------------------------------------- schema */

/* findings' CHECK constraints as schema 1 wrote them; schema 19 rewrites them (below) */
#define FINDINGS_KIND_V1 "kind IN ('match','review','unanalysed')"
#define FINDINGS_STATE_V1                                                                \
    "state IN ('open','measure_filed','fixed','risk_accepted',"                          \
    "                                       'false_positive')"
static const char schema_v1[] =
    /* Organisations and their closure table: every (ancestor, descendant) pair, self
     * included, kept by a trigger, so "everything under X" is one indexed join. */
    "CREATE TABLE orgs ("
    "  id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER REFERENCES orgs(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('national','region','county','agency')),"
    "  code TEXT NOT NULL UNIQUE,"
    "  name_zh TEXT NOT NULL,"
    "  name_en TEXT NOT NULL,"
    "  level TEXT CHECK (level IN ('A','B','C')),"
    "  created INTEGER NOT NULL,"
    "  CHECK ((kind = 'agency') = (level IS NOT NULL)),"
    "  CHECK ((kind = 'national') = (parent_id IS NULL)));"
    "CREATE INDEX orgs_parent ON orgs(parent_id);"
    "CREATE TABLE org_tree ("
    "  ancestor INTEGER NOT NULL REFERENCES orgs(id),"
    "  descendant INTEGER NOT NULL REFERENCES orgs(id),"
    "  depth INTEGER NOT NULL,"
    "  PRIMARY KEY (ancestor, descendant)) WITHOUT ROWID;"
    "CREATE INDEX org_tree_descendant ON org_tree(descendant, depth);"
    "CREATE TRIGGER orgs_tree AFTER INSERT ON orgs BEGIN"
    "  INSERT INTO org_tree(ancestor, descendant, depth) VALUES (NEW.id, NEW.id, 0);"
    "  INSERT INTO org_tree(ancestor, descendant, depth)"
    "    SELECT ancestor, NEW.id, depth + 1 FROM org_tree WHERE descendant = NEW.parent_id;"
    "END;"
    "CREATE TRIGGER orgs_no_move BEFORE UPDATE OF parent_id ON orgs BEGIN"
    "  SELECT RAISE(ABORT, 'moving an organisation is not supported');"
    "END;"
    "CREATE TABLE org_contacts ("
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  pos INTEGER NOT NULL,"
    "  email TEXT NOT NULL,"
    "  PRIMARY KEY (org_id, pos)) WITHOUT ROWID;"

    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  login TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  display_name TEXT NOT NULL,"
    "  email TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('national_admin','region_analyst','county_officer',"
    "                                     'agency_officer','read_only')),"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  password_hash TEXT,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0,"
    "  last_login INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL);"
    "CREATE INDEX users_org ON users(org_id);"

    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE INDEX sessions_expires ON sessions(expires);"

    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  secret_hash TEXT NOT NULL UNIQUE,"
    "  created_by INTEGER REFERENCES users(id),"
    "  created INTEGER NOT NULL,"
    "  last_used INTEGER NOT NULL DEFAULT 0,"
    "  revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX api_tokens_org ON api_tokens(org_id);"

    /* One CURRENT upload per (agency, month), enforced by a partial unique index. */
    "CREATE TABLE uploads ("
    "  id INTEGER PRIMARY KEY,"
    "  agency_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),"
    "  status TEXT NOT NULL CHECK (status IN ('pending','current','superseded')),"
    "  uploaded_by INTEGER REFERENCES users(id),"
    "  token_id INTEGER REFERENCES api_tokens(id),"
    "  uploaded_at INTEGER NOT NULL,"
    "  published_at INTEGER NOT NULL DEFAULT 0,"
    "  superseded_by INTEGER REFERENCES uploads(id),"
    "  file_name TEXT NOT NULL,"
    "  encoding TEXT,"
    "  format TEXT,"
    "  report_json TEXT,"
    "  records INTEGER NOT NULL DEFAULT 0,"
    "  resolved INTEGER NOT NULL DEFAULT 0,"
    "  unresolved INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0,"
    "  items INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX uploads_current ON uploads(agency_id, month) WHERE status = 'current';"
    "CREATE INDEX uploads_agency ON uploads(agency_id, month);"
    "CREATE TABLE items ("
    "  id INTEGER PRIMARY KEY,"
    "  upload_id INTEGER NOT NULL REFERENCES uploads(id),"
    "  host TEXT NOT NULL,"
    "  ip TEXT, os TEXT, name TEXT, version TEXT, vendor TEXT, cpe TEXT,"
    "  bucket TEXT NOT NULL,"
    "  confidence TEXT,"
    "  line INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX items_upload ON items(upload_id);"

    "CREATE TABLE hosts ("
    "  id INTEGER PRIMARY KEY,"
    "  agency_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  name TEXT NOT NULL,"
    "  ip TEXT, os TEXT,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  UNIQUE (agency_id, name));"

    "CREATE TABLE match_runs ("
    "  id INTEGER PRIMARY KEY,"
    "  agency_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  upload_id INTEGER REFERENCES uploads(id),"
    "  full INTEGER NOT NULL,"
    "  started INTEGER NOT NULL,"
    "  finished INTEGER NOT NULL DEFAULT 0,"
    "  hits INTEGER NOT NULL DEFAULT 0, new_findings INTEGER NOT NULL DEFAULT 0,"
    "  seen INTEGER NOT NULL DEFAULT 0, reopened INTEGER NOT NULL DEFAULT 0,"
    "  suppressed INTEGER NOT NULL DEFAULT 0, fixed INTEGER NOT NULL DEFAULT 0,"
    "  confirmed INTEGER NOT NULL DEFAULT 0);"

    "CREATE TABLE findings ("
    "  id INTEGER PRIMARY KEY,"
    "  host_id INTEGER NOT NULL REFERENCES hosts(id),"
    "  agency_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  cve TEXT NOT NULL,"
    "  cpe TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (" FINDINGS_KIND_V1 "),"
    "  cvss REAL, cvss_version TEXT, severity TEXT,"
    "  kev INTEGER NOT NULL DEFAULT 0, kev_due TEXT,"
    "  epss REAL,"
    "  state TEXT NOT NULL CHECK (" FINDINGS_STATE_V1 "),"
    "  measure TEXT, measure_planned TEXT,"
    "  risk_reason TEXT, risk_approver TEXT, risk_expiry TEXT,"
    "  fp_reason TEXT,"
    "  notice_date TEXT, due_date TEXT,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  fixed_at INTEGER NOT NULL DEFAULT 0,"
    "  fixed_confirmed INTEGER NOT NULL DEFAULT 0,"
    "  reopened INTEGER NOT NULL DEFAULT 0,"
    "  last_run INTEGER REFERENCES match_runs(id),"
    "  updated INTEGER NOT NULL,"
    "  UNIQUE (host_id, cve));"
    "CREATE INDEX findings_agency ON findings(agency_id, state);"
    "CREATE TABLE suppressions ("
    "  host_id INTEGER NOT NULL REFERENCES hosts(id),"
    "  cpe TEXT NOT NULL,"
    "  cve TEXT NOT NULL,"
    "  finding_id INTEGER REFERENCES findings(id),"
    "  reason TEXT,"
    "  created INTEGER NOT NULL,"
    "  created_by INTEGER,"
    "  PRIMARY KEY (host_id, cpe, cve)) WITHOUT ROWID;"
    "CREATE INDEX suppressions_finding ON suppressions(finding_id);"

    /* The audit trail is append-only: the triggers refuse every UPDATE and DELETE, so
     * not even a bug in this file can rewrite history. No foreign keys: rows outlive
     * whatever they describe. */
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  user_id INTEGER,"
    "  actor TEXT NOT NULL,"
    "  org_id INTEGER,"
    "  entity TEXT NOT NULL,"
    "  entity_id INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  before_json TEXT,"
    "  after_json TEXT);"
    "CREATE INDEX audit_entity ON audit(entity, entity_id);"
    "CREATE INDEX audit_org ON audit(org_id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit trail is append-only');"
    "END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit trail is append-only');"
    "END;";

typedef struct sq_conn sq_conn;
typedef struct migration {
    int version;
    const char *description;
    const char *sql;
    int (*after)(sq_conn *c, lf_store *s, lf_err *err);   /* data steps, may be NULL */
} migration;

static int seed_orgs(sq_conn *c, lf_store *s, lf_err *err);

/* Dashboard aggregates (web UI): one covering index, so the overview and trends of the
 * whole country read the findings' index instead of every row (national overview of
 * 400,000 findings: bench/bench_overview.py). */
static const char schema_v2[] =
    "CREATE INDEX findings_dashboard ON findings(agency_id, state, severity, kev, cvss, due_date, "
    "notice_date, fixed_at, first_seen, updated);";

/* DASHBOARD (schema 4): summaries for the web dashboard's overview and trends, so a
 * national overview reads a few thousand summary rows instead of every finding in the
 * country (bench/bench_overview.py). Each table has one row per organisation at EVERY level
 * (the agency and its county, region and the national org: org_tree ancestors) and key,
 * with a count. Triggers on findings, hosts and uploads keep them right whoever writes (the
 * store's functions, a migration, an operator's SQL), inside the writer's transaction.
 * Figures that depend on today are kept by date and cut at read time: open findings by due
 * date (overdue = due before today), fix times by the month of the fix. The B-level limit
 * (a high finding noticed more than a month ago) depends on today and on the configured
 * CVSS, so it is answered from a partial index of the open findings instead. */
#define DASH_OPEN(r) r ".state IN ('open', 'measure_filed')"
#define DASH_SEV(r)                                                                     \
    "CASE " r ".severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 " \
    "WHEN 'LOW' THEN 3 ELSE 4 END"
/* a time's month in Taiwan time (UTC+8), the programme's calendar */
#define DASH_MONTH(t) "strftime('%Y-%m', " t " + 28800, 'unixepoch')"
/* the month a finding stopped being open for the trends, '' while it is not closed */
#define DASH_CLOSED(r)                                                                   \
    "coalesce(CASE WHEN " r ".state = 'fixed' AND " r ".fixed_at > 0 THEN " DASH_MONTH(r ".fixed_at") \
    " WHEN " r ".state IN ('risk_accepted', 'false_positive') THEN " DASH_MONTH(r ".updated") " END, '')"
/* fix time in tenths of a day (the precision the dashboard shows), rounded, never negative:
 * medians are taken over these */
#define DASH_TENTHS(r) "max(0, (" r ".fixed_at - " r ".first_seen + 4320) / 8640)"
#define DASH_FLAGGED(r)                                                                  \
    "CASE WHEN json_valid(" r ".report_json) THEN "                                      \
    "CAST(coalesce(json_extract(" r ".report_json, '$.flagged'), 0) AS INTEGER) ELSE 0 END"
/* add d (1 or -1) for row r (NEW or OLD) to every ancestor's summary row */
#define DASH_OPEN_ADD(r, d)                                                              \
    "INSERT INTO dash_open(org_id, sev, kev, due, n) SELECT ancestor, " DASH_SEV(r) ", " \
    "coalesce(" r ".kev, 0) <> 0, coalesce(" r ".due_date, ''), " d " FROM org_tree "     \
    "WHERE descendant = " r ".agency_id AND " DASH_OPEN(r) " "                          \
    "ON CONFLICT(org_id, sev, kev, due) DO UPDATE SET n = n + excluded.n;"
#define DASH_FIX_ADD(r, d)                                                               \
    "INSERT INTO dash_fix(org_id, month, tenths, n) SELECT ancestor, " DASH_MONTH(r ".fixed_at") ", " \
    DASH_TENTHS(r) ", " d " FROM org_tree WHERE descendant = " r ".agency_id AND " r ".state = 'fixed' " \
    "AND " r ".fixed_at > 0 ON CONFLICT(org_id, month, tenths) DO UPDATE SET n = n + excluded.n;"
#define DASH_LIFE_ADD(r, d)                                                              \
    "INSERT INTO dash_life(org_id, sev, om, cm, n) SELECT ancestor, " DASH_SEV(r) ", "   \
    DASH_MONTH(r ".first_seen") ", " DASH_CLOSED(r) ", " d " FROM org_tree "             \
    "WHERE descendant = " r ".agency_id ON CONFLICT(org_id, sev, om, cm) DO UPDATE SET n = n + excluded.n;"
#define DASH_HOSTS_ADD(r, d)                                                             \
    "INSERT INTO dash_hosts(org_id, n) SELECT ancestor, " d " FROM org_tree "            \
    "WHERE descendant = " r ".agency_id ON CONFLICT(org_id) DO UPDATE SET n = n + excluded.n;"
#define DASH_UP_ADD(r, d)                                                                \
    "INSERT INTO dash_uploads(org_id, month, uploaded, flagged) SELECT ancestor, " r ".month, " d ", " \
    d " * (" DASH_FLAGGED(r) ") FROM org_tree WHERE descendant = " r ".agency_id AND " r ".status = 'current' " \
    "ON CONFLICT(org_id, month) DO UPDATE SET uploaded = uploaded + excluded.uploaded, "  \
    "flagged = flagged + excluded.flagged;"

static const char schema_v4_dashboard[] =
    /* open findings (OPEN, MEASURE_FILED) by severity, KEV and due date ('' = none) */
    "CREATE TABLE dash_open ("
    "  org_id INTEGER NOT NULL, sev INTEGER NOT NULL, kev INTEGER NOT NULL, due TEXT NOT NULL,"
    "  n INTEGER NOT NULL, PRIMARY KEY (org_id, sev, kev, due)) WITHOUT ROWID;"
    /* FIXED findings with a fix time, by the month of the fix and the fix time */
    "CREATE TABLE dash_fix ("
    "  org_id INTEGER NOT NULL, month TEXT NOT NULL, tenths INTEGER NOT NULL,"
    "  n INTEGER NOT NULL, PRIMARY KEY (org_id, month, tenths)) WITHOUT ROWID;"
    /* every finding by severity, first month and the month it closed ('' = not closed) */
    "CREATE TABLE dash_life ("
    "  org_id INTEGER NOT NULL, sev INTEGER NOT NULL, om TEXT NOT NULL, cm TEXT NOT NULL,"
    "  n INTEGER NOT NULL, PRIMARY KEY (org_id, sev, om, cm)) WITHOUT ROWID;"
    "CREATE TABLE dash_hosts (org_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    /* CURRENT snapshots by month, and the banned/non-official software their reports count */
    "CREATE TABLE dash_uploads ("
    "  org_id INTEGER NOT NULL, month TEXT NOT NULL, uploaded INTEGER NOT NULL,"
    "  flagged INTEGER NOT NULL, PRIMARY KEY (org_id, month)) WITHOUT ROWID;"

    "CREATE TRIGGER dash_findings_ins AFTER INSERT ON findings BEGIN "
    DASH_OPEN_ADD("NEW", "1") DASH_FIX_ADD("NEW", "1") DASH_LIFE_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_findings_del AFTER DELETE ON findings BEGIN "
    DASH_OPEN_ADD("OLD", "-1") DASH_FIX_ADD("OLD", "-1") DASH_LIFE_ADD("OLD", "-1") "END;"
    /* one trigger per summary, each firing only when its key may have moved: a match run
     * refreshing last_seen and the scores of unchanged findings costs nothing here */
    "CREATE TRIGGER dash_findings_open AFTER UPDATE OF state, severity, kev, due_date, agency_id "
    "ON findings WHEN OLD.state IS NOT NEW.state OR OLD.severity IS NOT NEW.severity "
    "OR OLD.kev IS NOT NEW.kev OR OLD.due_date IS NOT NEW.due_date OR OLD.agency_id IS NOT NEW.agency_id BEGIN "
    DASH_OPEN_ADD("OLD", "-1") DASH_OPEN_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_findings_fix AFTER UPDATE OF state, fixed_at, first_seen, agency_id "
    "ON findings WHEN OLD.state IS NOT NEW.state OR OLD.fixed_at IS NOT NEW.fixed_at "
    "OR OLD.first_seen IS NOT NEW.first_seen OR OLD.agency_id IS NOT NEW.agency_id BEGIN "
    DASH_FIX_ADD("OLD", "-1") DASH_FIX_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_findings_life AFTER UPDATE OF state, severity, first_seen, fixed_at, updated, "
    "agency_id ON findings WHEN OLD.state IS NOT NEW.state OR OLD.severity IS NOT NEW.severity "
    "OR OLD.first_seen IS NOT NEW.first_seen OR OLD.agency_id IS NOT NEW.agency_id "
    "OR " DASH_CLOSED("OLD") " IS NOT " DASH_CLOSED("NEW") " BEGIN "
    DASH_LIFE_ADD("OLD", "-1") DASH_LIFE_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_hosts_ins AFTER INSERT ON hosts BEGIN " DASH_HOSTS_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_hosts_del AFTER DELETE ON hosts BEGIN " DASH_HOSTS_ADD("OLD", "-1") "END;"
    "CREATE TRIGGER dash_hosts_move AFTER UPDATE OF agency_id ON hosts "
    "WHEN OLD.agency_id IS NOT NEW.agency_id BEGIN "
    DASH_HOSTS_ADD("OLD", "-1") DASH_HOSTS_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_uploads_ins AFTER INSERT ON uploads BEGIN " DASH_UP_ADD("NEW", "1") "END;"
    "CREATE TRIGGER dash_uploads_del AFTER DELETE ON uploads BEGIN " DASH_UP_ADD("OLD", "-1") "END;"
    "CREATE TRIGGER dash_uploads_upd AFTER UPDATE OF status, month, agency_id, report_json ON uploads "
    "WHEN OLD.status IS NOT NEW.status OR OLD.month IS NOT NEW.month OR OLD.agency_id IS NOT NEW.agency_id "
    "OR OLD.report_json IS NOT NEW.report_json BEGIN "
    DASH_UP_ADD("OLD", "-1") DASH_UP_ADD("NEW", "1") "END;"
    /* a count back at zero is deleted, so keys of the past (due dates, months) do not pile up */
    "CREATE TRIGGER dash_open_zero AFTER UPDATE OF n ON dash_open WHEN NEW.n = 0 BEGIN "
    "DELETE FROM dash_open WHERE org_id = NEW.org_id AND sev = NEW.sev AND kev = NEW.kev AND due = NEW.due; END;"
    "CREATE TRIGGER dash_fix_zero AFTER UPDATE OF n ON dash_fix WHEN NEW.n = 0 BEGIN "
    "DELETE FROM dash_fix WHERE org_id = NEW.org_id AND month = NEW.month AND tenths = NEW.tenths; END;"
    "CREATE TRIGGER dash_life_zero AFTER UPDATE OF n ON dash_life WHEN NEW.n = 0 BEGIN "
    "DELETE FROM dash_life WHERE org_id = NEW.org_id AND sev = NEW.sev AND om = NEW.om AND cm = NEW.cm; END;"
    "CREATE TRIGGER dash_uploads_zero AFTER UPDATE OF uploaded ON dash_uploads "
    "WHEN NEW.uploaded = 0 AND NEW.flagged = 0 BEGIN "
    "DELETE FROM dash_uploads WHERE org_id = NEW.org_id AND month = NEW.month; END;"

    /* the summaries of what is already there */
    "INSERT INTO dash_open(org_id, sev, kev, due, n) SELECT t.ancestor, " DASH_SEV("f") ", "
    "coalesce(f.kev, 0) <> 0, coalesce(f.due_date, ''), count(*) FROM findings f "
    "JOIN org_tree t ON t.descendant = f.agency_id WHERE " DASH_OPEN("f") " GROUP BY 1, 2, 3, 4;"
    "INSERT INTO dash_fix(org_id, month, tenths, n) SELECT t.ancestor, " DASH_MONTH("f.fixed_at") ", "
    DASH_TENTHS("f") ", count(*) FROM findings f JOIN org_tree t ON t.descendant = f.agency_id "
    "WHERE f.state = 'fixed' AND f.fixed_at > 0 GROUP BY 1, 2, 3;"
    "INSERT INTO dash_life(org_id, sev, om, cm, n) SELECT t.ancestor, " DASH_SEV("f") ", "
    DASH_MONTH("f.first_seen") ", " DASH_CLOSED("f") ", count(*) FROM findings f "
    "JOIN org_tree t ON t.descendant = f.agency_id WHERE true GROUP BY 1, 2, 3, 4;"
    "INSERT INTO dash_hosts(org_id, n) SELECT t.ancestor, count(*) FROM hosts h "
    "JOIN org_tree t ON t.descendant = h.agency_id WHERE true GROUP BY 1;"
    "INSERT INTO dash_uploads(org_id, month, uploaded, flagged) SELECT t.ancestor, p.month, count(*), "
    "sum(" DASH_FLAGGED("p") ") FROM uploads p JOIN org_tree t ON t.descendant = p.agency_id "
    "WHERE p.status = 'current' GROUP BY 1, 2;"
    /* the B-level limit: per B agency, is there an open finding with CVSS >= X noticed by D */
    "CREATE INDEX findings_open_high ON findings(agency_id, cvss, notice_date) "
    "WHERE state IN ('open', 'measure_filed');"
    /* schema 2's covering index served the aggregates that now read the summaries */
    "DROP INDEX IF EXISTS findings_dashboard;";

/* ISAC (schema 5): the TAXII 2.1 server. Object versions are rows of stix_objects, unique by
 * (collection, STIX id, normalised version); date_added is in microseconds and ordered with
 * the row id, the key of the `next` token. What a reader may see (TLP) is computed in the
 * queries from tlp, added_by and recipients (see STIX_VIS). */
static const char schema_v5_isac[] =
    "CREATE TABLE taxii_roots ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  description TEXT,"
    "  max_content_length INTEGER NOT NULL);"
    "INSERT INTO taxii_roots(name, title, description, max_content_length) VALUES ('isac', "
    "  'lianfang ISAC', 'Threat intelligence shared by the national and regional ISACs', 1048576);"
    "CREATE TABLE isac_groups ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE isac_group_orgs ("
    "  group_id INTEGER NOT NULL REFERENCES isac_groups(id),"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  PRIMARY KEY (group_id, org_id)) WITHOUT ROWID;"
    "CREATE TABLE taxii_collections ("
    "  id INTEGER PRIMARY KEY,"
    "  root_id INTEGER NOT NULL REFERENCES taxii_roots(id),"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  description TEXT,"
    "  alias TEXT,"
    "  group_id INTEGER REFERENCES isac_groups(id),"
    "  can_read TEXT NOT NULL CHECK (can_read IN ('none','group','community','public')),"
    "  can_write TEXT NOT NULL CHECK (can_write IN ('none','group','community')),"
    "  default_tlp INTEGER NOT NULL CHECK (default_tlp BETWEEN 1 AND 5),"
    "  media_types TEXT NOT NULL,"
    "  last_added INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL);"
    "CREATE INDEX taxii_collections_root ON taxii_collections(root_id);"
    "CREATE TABLE stix_objects ("
    "  id INTEGER PRIMARY KEY,"
    "  collection_id INTEGER NOT NULL REFERENCES taxii_collections(id),"
    "  stix_id TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  spec_version TEXT NOT NULL,"
    "  created TEXT,"
    "  modified TEXT,"
    "  version TEXT NOT NULL,"
    "  vkey TEXT NOT NULL,"
    "  created_by_ref TEXT,"
    "  marking_refs TEXT,"
    "  labels TEXT,"
    "  valid_from TEXT,"
    "  valid_until TEXT,"
    "  revoked INTEGER NOT NULL DEFAULT 0,"
    "  tlp INTEGER NOT NULL DEFAULT 0,"
    "  recipients TEXT,"
    "  added_by INTEGER REFERENCES orgs(id),"
    "  date_added INTEGER NOT NULL,"
    "  json TEXT NOT NULL,"
    "  UNIQUE (collection_id, stix_id, vkey));"
    "CREATE INDEX stix_objects_added ON stix_objects(collection_id, date_added);"
    "CREATE INDEX stix_objects_id ON stix_objects(collection_id, stix_id, spec_version, vkey);"
    "CREATE INDEX stix_objects_type ON stix_objects(collection_id, type);"
    "CREATE INDEX stix_objects_creator ON stix_objects(created_by_ref);"
    "CREATE INDEX stix_objects_valid ON stix_objects(valid_until, valid_from);"
    "CREATE INDEX stix_objects_modified ON stix_objects(modified);"
    "CREATE INDEX stix_objects_revoked ON stix_objects(revoked) WHERE revoked;"
    "CREATE TABLE stix_labels ("
    "  object_id INTEGER NOT NULL REFERENCES stix_objects(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL,"
    "  PRIMARY KEY (label, object_id)) WITHOUT ROWID;"
    "CREATE INDEX stix_labels_object ON stix_labels(object_id);"
    "CREATE TABLE stix_markings ("
    "  object_id INTEGER NOT NULL REFERENCES stix_objects(id) ON DELETE CASCADE,"
    "  marking_ref TEXT NOT NULL,"
    "  PRIMARY KEY (marking_ref, object_id)) WITHOUT ROWID;"
    "CREATE INDEX stix_markings_object ON stix_markings(object_id);"
    "CREATE TABLE taxii_status ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  root_id INTEGER NOT NULL REFERENCES taxii_roots(id),"
    "  collection_id INTEGER REFERENCES taxii_collections(id),"
    "  org_id INTEGER REFERENCES orgs(id),"
    "  status TEXT NOT NULL CHECK (status IN ('complete','pending')),"
    "  request_timestamp TEXT,"
    "  total INTEGER NOT NULL, success INTEGER NOT NULL, failure INTEGER NOT NULL, pending INTEGER NOT NULL,"
    "  successes TEXT NOT NULL, failures TEXT NOT NULL, pendings TEXT NOT NULL,"
    "  created INTEGER NOT NULL);";

/* NOTICES: the scheduler's outbox. A notice keeps its rendered content, so a resend after
 * a crash is the very message that was planned; marks make each (finding, stage) once. */
static const char schema_v3[] =
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  stage TEXT NOT NULL,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  notice_date TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('pending','sent','failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  sent_at INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  recipients TEXT,"
    "  body_text TEXT NOT NULL,"
    "  body_html TEXT NOT NULL,"
    "  payload_json TEXT NOT NULL,"
    "  nfindings INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX notices_state ON notices(state, id);"
    "CREATE INDEX notices_org ON notices(org_id, id);"
    "CREATE TABLE notice_deliveries ("
    "  notice_id INTEGER NOT NULL REFERENCES notices(id),"
    "  channel TEXT NOT NULL CHECK (channel IN ('mail','webhook')),"
    "  state TEXT NOT NULL CHECK (state IN ('pending','sent','failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  sent_at INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (notice_id, channel)) WITHOUT ROWID;"
    "CREATE TABLE notice_marks ("
    "  finding_id INTEGER NOT NULL REFERENCES findings(id),"
    "  stage TEXT NOT NULL,"
    "  agency_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  notice_id INTEGER NOT NULL REFERENCES notices(id),"
    "  PRIMARY KEY (finding_id, stage)) WITHOUT ROWID;"
    "CREATE INDEX notice_marks_agency ON notice_marks(agency_id, stage, finding_id);";

/* Sources (schema 6): a finding's sources (JSON written by the server), the matcher's items
 * of each snapshot (re-matched after a feed update; gone with the upload's items when it is
 * superseded, by trigger), and the records of hits a not-affected statement outweighed. */
static const char schema_v6_sources[] =
    "ALTER TABLE findings ADD COLUMN sources TEXT;"
    "CREATE TABLE scan_items ("
    "  id INTEGER PRIMARY KEY,"
    "  upload_id INTEGER NOT NULL REFERENCES uploads(id),"
    "  host TEXT NOT NULL,"
    "  rec INTEGER NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  pkg INTEGER NOT NULL,"
    "  cpe TEXT NOT NULL);"
    "CREATE INDEX scan_items_upload ON scan_items(upload_id);"
    "CREATE TRIGGER scan_items_superseded AFTER UPDATE OF status ON uploads "
    "  WHEN NEW.status = 'superseded' BEGIN"
    "  DELETE FROM scan_items WHERE upload_id = NEW.id;"
    "END;"
    "CREATE TABLE not_affected ("
    "  id INTEGER PRIMARY KEY,"
    "  agency_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  upload_id INTEGER REFERENCES uploads(id),"
    "  host TEXT NOT NULL,"
    "  cve TEXT NOT NULL,"
    "  cpe TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  record TEXT,"
    "  sources TEXT,"
    "  created INTEGER NOT NULL,"
    "  UNIQUE (agency_id, host, cve));";

/* ISAC-DISPATCH (schema 7): approvals of indicators for a sharing group's blocklists, with
 * the simple indicators of each (extracted once, at approval) and the object's TLP view
 * copied in, so a list is one indexed scan; every blocklist fetch; counted shared and
 * received intelligence per organisation and year. */
static const char schema_v7_isac_dispatch[] =
    "CREATE TABLE isac_approvals ("
    "  id INTEGER PRIMARY KEY,"
    "  group_id INTEGER NOT NULL REFERENCES isac_groups(id),"
    "  stix_id TEXT NOT NULL,"
    "  object_id INTEGER NOT NULL REFERENCES stix_objects(id) ON DELETE CASCADE,"
    "  coll_group INTEGER NOT NULL DEFAULT 0,"
    "  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 1 AND 5),"
    "  added_by INTEGER NOT NULL DEFAULT 0,"
    "  recipients TEXT,"
    "  source TEXT,"
    "  expires INTEGER NOT NULL,"
    "  approved_by INTEGER REFERENCES users(id),"
    "  approver TEXT NOT NULL,"
    "  approver_org INTEGER NOT NULL REFERENCES orgs(id),"
    "  created INTEGER NOT NULL,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_by TEXT,"
    "  UNIQUE (group_id, stix_id));"
    "CREATE INDEX isac_approvals_active ON isac_approvals(group_id, revoked_at, expires);"
    "CREATE INDEX isac_approvals_object ON isac_approvals(object_id);"
    "CREATE TABLE isac_approval_iocs ("
    "  approval_id INTEGER NOT NULL REFERENCES isac_approvals(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL,"
    "  value TEXT NOT NULL);"
    "CREATE INDEX isac_approval_iocs_approval ON isac_approval_iocs(approval_id);"
    "CREATE TABLE isac_bl_fetches ("
    "  id INTEGER PRIMARY KEY,"
    "  group_id INTEGER NOT NULL REFERENCES isac_groups(id),"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  token_id INTEGER,"
    "  user_id INTEGER,"
    "  list TEXT NOT NULL,"
    "  version TEXT NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX isac_bl_fetches_latest ON isac_bl_fetches(group_id, org_id, list, id);"
    "CREATE TABLE isac_counts ("
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('shared','received')),"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (org_id, year, kind)) WITHOUT ROWID;"
    "CREATE INDEX stix_objects_added_by ON stix_objects(added_by, date_added) WHERE added_by IS NOT NULL;";

/* ISAC-DISPATCH list rows (schema 8): every simple indicator of an active approval with
 * what a fetch needs (expiry, TLP view, indicator id, source) copied in, kept at approval,
 * re-approval and revocation. Clustered by (group, kind, value), a list reads only its
 * kinds' rows, in order, with no join (issue 6: 1M indicators per list within 2 s). */
static const char schema_v8_isac_bl_rows[] =
    "CREATE TABLE isac_bl_rows ("
    "  group_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  approval_id INTEGER NOT NULL REFERENCES isac_approvals(id) ON DELETE CASCADE,"
    "  expires INTEGER NOT NULL,"
    "  tlp INTEGER NOT NULL,"
    "  coll_group INTEGER NOT NULL,"
    "  added_by INTEGER NOT NULL,"
    "  recipients TEXT,"
    "  stix_id TEXT NOT NULL,"
    "  source TEXT,"
    "  PRIMARY KEY (group_id, kind, value, approval_id)) WITHOUT ROWID;"
    "CREATE INDEX isac_bl_rows_approval ON isac_bl_rows(approval_id);"
    "INSERT OR IGNORE INTO isac_bl_rows(group_id, kind, value, approval_id, expires, tlp, coll_group, added_by, "
    "  recipients, stix_id, source) "
    "SELECT a.group_id, i.kind, i.value, a.id, a.expires, a.tlp, a.coll_group, a.added_by, a.recipients, "
    "  a.stix_id, a.source FROM isac_approvals a JOIN isac_approval_iocs i ON i.approval_id = a.id "
    "WHERE a.revoked_at = 0;"
    /* a group's change counter: any approval written or gone (approve, re-approve, revoke,
     * the object deleted) bumps it, so a built list can be kept until it or an expiry moves */
    "CREATE TABLE isac_bl_state ("
    "  group_id INTEGER PRIMARY KEY,"
    "  changes INTEGER NOT NULL);"
    "CREATE TRIGGER isac_bl_state_ins AFTER INSERT ON isac_approvals BEGIN "
    "  INSERT INTO isac_bl_state(group_id, changes) VALUES (new.group_id, 1) "
    "  ON CONFLICT (group_id) DO UPDATE SET changes = changes + 1; END;"
    "CREATE TRIGGER isac_bl_state_upd AFTER UPDATE ON isac_approvals BEGIN "
    "  INSERT INTO isac_bl_state(group_id, changes) VALUES (old.group_id, 1), (new.group_id, 1) "
    "  ON CONFLICT (group_id) DO UPDATE SET changes = changes + 1; END;"
    "CREATE TRIGGER isac_bl_state_del AFTER DELETE ON isac_approvals BEGIN "
    "  INSERT INTO isac_bl_state(group_id, changes) VALUES (old.group_id, 1) "
    "  ON CONFLICT (group_id) DO UPDATE SET changes = changes + 1; END;";

/* MATCHSCOPE (schema 9): a re-match after a feed update covers only the CVEs that
 * changed, so its fixed findings and not-affected records are looked up by CVE. Also what
 * "which agencies have CVE X" reads. */
static const char schema_v9_matchscope[] =
    "CREATE INDEX findings_cve ON findings(cve, agency_id);";

/* MATCHSCOPE (schema 10): the findings a match run inserts are added to the dashboard
 * summaries once per batch, set-wise (lf_store ops dash_run_add), instead of by a trigger
 * per row: the insert trigger was about a quarter of a large upload. Rows inserted any
 * other way (raw SQL, tools) still go through the trigger. */
static const char schema_v10_dash_batch[] =
    "DROP TRIGGER dash_findings_ins;"
    "CREATE TRIGGER dash_findings_ins AFTER INSERT ON findings WHEN NEW.last_run IS NULL BEGIN "
    DASH_OPEN_ADD("NEW", "1") DASH_FIX_ADD("NEW", "1") DASH_LIFE_ADD("NEW", "1") "END;";

/* ISAC (schema 11): the platform's own API root takes the server's body limit
 * (http.max_body_mb) instead of the fixed 1 MiB seeded by schema 5: 0 = no limit of its
 * own. A root whose limit someone set keeps it. */
static const char schema_v11_isac_root_limit[] =
    "UPDATE taxii_roots SET max_content_length = 0 WHERE name = 'isac' AND max_content_length = 1048576;";

/* SOURCES (schema 12): a finding's sources text kept once per distinct text (hosts with
 * the same software share it) and referenced by id, so a finding row is ~200 bytes instead
 * of ~1.2 KB and a refresh rewrites a number (bench/bench_upload.py). Unreferenced texts
 * are removed by lf_store_sources_gc. */
static const char schema_v12_sources_dedup[] =
    "CREATE TABLE finding_sources ("
    "  id INTEGER PRIMARY KEY,"
    "  hash INTEGER NOT NULL,"
    "  json TEXT NOT NULL);"
    "CREATE INDEX finding_sources_hash ON finding_sources(hash);"
    "ALTER TABLE findings ADD COLUMN sources_id INTEGER;";

static int migrate_sources_dedup(sq_conn *c, lf_store *s, lf_err *err);

/* READS (schema 13): findings_agency is (agency_id), which SQLite keeps in rowid order within
 * an agency, so an agency's page of findings in id order is a range of it (was (agency_id,
 * state): every page sorted all of the agency's findings). The same size, so uploads pay no
 * more; a run's stale findings are the agency's range filtered by state. */
static const char schema_v13_findings_agency[] =
    "DROP INDEX findings_agency;"
    "CREATE INDEX findings_agency ON findings(agency_id);";

/* READS (schema 14): open findings per host by severity, KEV and due date, kept like the
 * dashboard's summaries (triggers for every writer; a match run's new rows are added per
 * batch by the writer, as schema 10 does for dash_open), so the hosts page reads a few rows
 * per host instead of every open finding of its hosts (8.5 pages/s at 322k findings). */
/* A summary of open findings (host_open, open_cvss): d more findings of row r under its key
 * (KEY(r), the expressions of the columns cols), when r is open. */
#define OPEN_SUMMARY_ADD(tbl, cols, KEY, r, d)                                           \
    "INSERT INTO " tbl "(" cols ", n) SELECT " KEY(r) ", " d " WHERE " DASH_OPEN(r) " "    \
    "ON CONFLICT(" cols ") DO UPDATE SET n = n + excluded.n;"
#define HOST_OPEN_KEY(r)                                                                 \
    r ".host_id, " DASH_SEV(r) ", coalesce(" r ".kev, 0) <> 0, coalesce(" r ".due_date, '')"
#define HOST_OPEN_ADD(r, d) OPEN_SUMMARY_ADD("host_open", "host_id, sev, kev, due", HOST_OPEN_KEY, r, d)
static const char schema_v14_host_open[] =
    "CREATE TABLE host_open ("
    "  host_id INTEGER NOT NULL, sev INTEGER NOT NULL, kev INTEGER NOT NULL, due TEXT NOT NULL,"
    "  n INTEGER NOT NULL, PRIMARY KEY (host_id, sev, kev, due)) WITHOUT ROWID;"
    "CREATE TRIGGER host_open_ins AFTER INSERT ON findings WHEN NEW.last_run IS NULL BEGIN "
    HOST_OPEN_ADD("NEW", "1") "END;"
    "CREATE TRIGGER host_open_del AFTER DELETE ON findings BEGIN " HOST_OPEN_ADD("OLD", "-1") "END;"
    "CREATE TRIGGER host_open_upd AFTER UPDATE OF state, severity, kev, due_date, host_id ON findings "
    "WHEN OLD.state IS NOT NEW.state OR OLD.severity IS NOT NEW.severity OR OLD.kev IS NOT NEW.kev "
    "OR OLD.due_date IS NOT NEW.due_date OR OLD.host_id IS NOT NEW.host_id BEGIN "
    HOST_OPEN_ADD("OLD", "-1") HOST_OPEN_ADD("NEW", "1") "END;"
    "CREATE TRIGGER host_open_zero AFTER UPDATE OF n ON host_open WHEN NEW.n = 0 BEGIN "
    "DELETE FROM host_open WHERE host_id = NEW.host_id AND sev = NEW.sev AND kev = NEW.kev AND due = NEW.due; END;"
    "INSERT INTO host_open(host_id, sev, kev, due, n) SELECT " HOST_OPEN_KEY("f") ", count(*) "
    "FROM findings f WHERE " DASH_OPEN("f") " GROUP BY 1, 2, 3, 4;";

/* READS (schema 15): a host's findings page in id order is a range of findings_host (was:
 * every finding of the host sorted per page, 3.3 ms for a host with 4,203 findings), and an
 * agency's hosts page a range of hosts_agency (was a sort of the agency's hosts). hosts is
 * small; findings_host is written in host order by a match run, so an upload pays little
 * for it (0.35 s of SQLite CPU for 322k new findings, measured by inserting them). */
static const char schema_v15_host_reads[] =
    "CREATE INDEX findings_host ON findings(host_id);"
    "CREATE INDEX hosts_agency ON hosts(agency_id);";

/* READS (schema 16): findings by agency and state, in id order within each, so a state's
 * page of an agency (its fixed or risk-accepted findings) is a range, not a filter over all
 * of the agency's findings (90 ms a page when none match at 322k). A run writes an agency's
 * new findings as one state in id order: 0.05 s of SQLite CPU for 322k. */
static const char schema_v16_findings_state[] =
    "CREATE INDEX findings_state ON findings(agency_id, state);";

/* META (schema 17): small named values of the store's own, e.g. which EPSS file the
 * findings' scores come from (so a restart need not re-score every finding) */
static const char schema_v17_meta[] =
    "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;";

/* UPLOAD (schema 18): the two findings indexes a first upload paid most for that a smaller
 * structure serves (bench_upload: 2.83 s of findings for 322k new rows). findings_open_high
 * (agency, cvss, notice date) of the open findings answered two questions, how many open
 * findings with CVSS >= 7 a scope has and whether a B-level agency has one noticed before a
 * date; open_cvss counts the open findings per (agency, cvss, notice date), a few hundred
 * rows per agency, kept like host_open (triggers for every writer, a run's new rows added
 * per batch). NULLs become keys that no question matches: cvss -1, notice date '~' (after
 * every date). findings_agency (agency, id) is findings_state (agency, state, id) read as
 * five ranges merged in id order (F_LIST_AGENCY). Measured by inserting the 322k rows
 * again: 2.10 s with both, 1.55 without findings_open_high, 1.85 without findings_agency. */
#define OPEN_CVSS_VAL(r) "coalesce(" r ".cvss, -1), coalesce(" r ".notice_date, '~')"
#define OPEN_CVSS_KEY(r) r ".agency_id, " OPEN_CVSS_VAL(r)
#define OPEN_CVSS_ADD(r, d) OPEN_SUMMARY_ADD("open_cvss", "agency_id, cvss, notice", OPEN_CVSS_KEY, r, d)
static const char schema_v18_upload_indexes[] =
    "CREATE TABLE open_cvss ("
    "  agency_id INTEGER NOT NULL, cvss REAL NOT NULL, notice TEXT NOT NULL, n INTEGER NOT NULL,"
    "  PRIMARY KEY (agency_id, cvss, notice)) WITHOUT ROWID;"
    "CREATE TRIGGER open_cvss_ins AFTER INSERT ON findings WHEN NEW.last_run IS NULL BEGIN "
    OPEN_CVSS_ADD("NEW", "1") "END;"
    "CREATE TRIGGER open_cvss_del AFTER DELETE ON findings BEGIN " OPEN_CVSS_ADD("OLD", "-1") "END;"
    "CREATE TRIGGER open_cvss_upd AFTER UPDATE OF state, cvss, notice_date, agency_id ON findings "
    "WHEN OLD.state IS NOT NEW.state OR OLD.cvss IS NOT NEW.cvss OR OLD.notice_date IS NOT NEW.notice_date "
    "OR OLD.agency_id IS NOT NEW.agency_id BEGIN "
    OPEN_CVSS_ADD("OLD", "-1") OPEN_CVSS_ADD("NEW", "1") "END;"
    "CREATE TRIGGER open_cvss_zero AFTER UPDATE OF n ON open_cvss WHEN NEW.n = 0 BEGIN "
    "DELETE FROM open_cvss WHERE agency_id = NEW.agency_id AND cvss = NEW.cvss AND notice = NEW.notice; END;"
    "INSERT INTO open_cvss(agency_id, cvss, notice, n) SELECT " OPEN_CVSS_KEY("f") ", count(*) "
    "FROM findings f WHERE " DASH_OPEN("f") " GROUP BY 1, 2, 3;"
    "DROP INDEX findings_open_high;"
    "DROP INDEX findings_agency;";

/* CHECKS (schema 19): findings' two CHECK constraints as comparisons instead of IN lists.
 * SQLite builds an IN list of three or more values into an ephemeral index, and inside a
 * constraint check it does so again for every row written: two such indexes per finding
 * inserted or updated (callgrind, 98,507 new findings: clearing them alone was 1.0 G of the
 * insert statement's 5.2 G instructions; the writer went from 6.72 to 4.84 G). The new
 * constraints accept exactly the
 * same values (the columns are NOT NULL), so no stored row changes and the table's SQL is
 * rewritten in place by SQLite's documented procedure for changing constraints
 * (lang_altertable.html, "other kinds of table schema changes": writable_schema, then
 * schema_version + 1) instead of copying every finding into a new table. */
#define FINDINGS_KIND_V19 "kind = 'match' OR kind = 'review' OR kind = 'unanalysed'"
#define FINDINGS_STATE_V19                                                               \
    "state = 'open' OR state = 'measure_filed' OR state = 'fixed' OR state = 'risk_accepted' " \
    "OR state = 'false_positive'"
static int migrate_findings_checks(sq_conn *c, lf_store *s, lf_err *err);

static const migration migrations[] = {
    {1, "organisations (seeded: national, 6 regions, 22 counties/cities), users, sessions, "
        "API tokens, uploads, items, hosts, match runs, findings, suppressions, audit",
     schema_v1, seed_orgs},
    {2, "covering index of findings for the dashboard aggregates", schema_v2, NULL},
    {3, "notices: the scheduler's outbox (notices, deliveries per channel, per-finding marks)", schema_v3, NULL},
    {4, "DASHBOARD: summaries of findings, hosts and uploads per organisation for the web "
        "dashboard, kept by triggers; partial index of open findings by CVSS and notice date",
     schema_v4_dashboard, NULL},
    {5, "ISAC: TAXII API roots, sharing groups, collections, STIX object versions, POST status", schema_v5_isac, NULL},
    {6, "sources: finding sources, scan items of snapshots, not-affected records", schema_v6_sources, NULL},
    {7, "ISAC-DISPATCH: indicator approvals per sharing group, blocklist fetches, shared/received counters",
     schema_v7_isac_dispatch, NULL},
    {8, "ISAC-DISPATCH: list rows per sharing group and indicator kind (blocklists without a join)",
     schema_v8_isac_bl_rows, NULL},
    {9, "MATCHSCOPE: index of findings by CVE (re-matching only the CVEs a feed update changed)",
     schema_v9_matchscope, NULL},
    {10, "MATCHSCOPE: a match run's new findings join the dashboard summaries per batch, not per row",
     schema_v10_dash_batch, NULL},
    {11, "ISAC: the platform's API root takes the server's body limit", schema_v11_isac_root_limit, NULL},
    {12, "SOURCES: finding sources stored once per distinct text, referenced by id",
     schema_v12_sources_dedup, migrate_sources_dedup},
    {13, "READS: findings_agency by agency and id (pages of an agency's findings without a sort)",
     schema_v13_findings_agency, NULL},
    {14, "READS: open findings per host by severity, KEV and due date (the hosts page)", schema_v14_host_open, NULL},
    {15, "READS: findings by host and hosts by agency, in id order (a host's findings page, the hosts page)",
     schema_v15_host_reads, NULL},
    {16, "READS: findings by agency and state, in id order (an agency's findings in one state)",
     schema_v16_findings_state, NULL},
    {17, "META: named values of the store (the EPSS file the findings' scores come from)", schema_v17_meta, NULL},
    {18, "UPLOAD: open findings counted per agency, CVSS and notice date instead of indexed; "
         "an agency's findings in id order from findings_state",
     schema_v18_upload_indexes, NULL},
    {19, "CHECKS: findings' kind and state constraints as comparisons (no per-row IN-list index)", "",
     migrate_findings_checks},
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int lf_store_sqlite_latest(void) { return migrations[NMIGRATIONS - 1].version; }

/* ---------------------------------------------------------------- statements */

/* the VALUES list of a 32-row insert (insert_rows) */
#define ROWS2(r) r ", " r
#define ROWS8(r) ROWS2(ROWS2(r)) ", " ROWS2(ROWS2(r))
#define ROWS32(r) ROWS8(ROWS2(r)) ", " ROWS8(ROWS2(r))
#define ORG_COLS "o.id, o.parent_id, o.kind, o.code, o.name_zh, o.name_en, o.level, o.created"
#define USER_COLS                                                                        \
    "u.id, u.login, u.display_name, u.email, u.role, u.org_id, u.disabled, u.password_hash, " \
    "u.failed_logins, u.locked_until, u.last_login, u.created"
#define TOK_COLS "t.id, t.name, t.org_id, t.created_by, t.created, t.last_used, t.revoked"
#define UP_COLS_REPORT(rep)                                                              \
    "p.id, p.agency_id, p.month, p.status, p.uploaded_by, p.token_id, p.uploaded_at, "   \
    "p.published_at, p.superseded_by, p.file_name, p.encoding, p.format, " rep ", "      \
    "p.records, p.resolved, p.unresolved, p.rejected, p.items"
#define UP_COLS UP_COLS_REPORT("p.report_json")
#define ITEM_COLS "i.id, i.host, i.ip, i.os, i.name, i.version, i.vendor, i.cpe, i.bucket, i.confidence, i.line"
#define HOST_COLS "h.id, h.agency_id, h.name, h.ip, h.os, h.first_seen, h.last_seen"
#define F_COLS                                                                           \
    "f.id, f.host_id, f.agency_id, h.name, f.cve, f.cpe, f.kind, f.cvss, f.cvss_version, " \
    "f.severity, f.kev, f.kev_due, f.epss, f.state, f.measure, f.measure_planned, "      \
    "f.risk_reason, f.risk_approver, f.risk_expiry, f.fp_reason, f.notice_date, f.due_date, " \
    "f.first_seen, f.last_seen, f.fixed_at, f.fixed_confirmed, f.reopened, f.last_run, f.updated"
/* ?1 scope, ?2 host (0 any), ?3 state, ?4 min CVSS, ?5 KEV only, ?6 CVE, ?7 after, ?8 limit */
/* the list's filters but the state's (?3) */
#define F_LIST_FILTERS                                                                   \
    "AND (?2 = 0 OR f.host_id = ?2) AND (?4 IS NULL OR f.cvss >= ?4) AND (?5 = 0 OR f.kev = 1) " \
    "AND (?6 IS NULL OR f.cve = ?6) AND f.id > ?7"
#define F_LIST_WHERE(key)                                                                \
    "SELECT " F_COLS " FROM findings f JOIN hosts h ON h.id = f.host_id WHERE " key " "   \
    "AND (?3 IS NULL OR f.state = ?3) " F_LIST_FILTERS " ORDER BY f.id LIMIT ?8"
/* one state of an agency in id order, a range of findings_state; F_LIST_AGENCY merges the
 * five (SQLite's MERGE (UNION ALL): no sort, stops at the page's end). ?3 unused. */
#define F_AGENCY_ARM(state)                                                              \
    "SELECT " F_COLS " FROM findings f JOIN hosts h ON h.id = f.host_id WHERE f.agency_id = ?1 " \
    "AND f.state = '" state "' " F_LIST_FILTERS
#define AUD_COLS "a.id, a.at, a.user_id, a.actor, a.org_id, a.entity, a.entity_id, a.action, a.before_json, a.after_json"
#define IN_SCOPE(col, p) col " IN (SELECT descendant FROM org_tree WHERE ancestor = " p ")"
/* a finding's state fields as JSON, as its audit rows hold them: the SQL function
 * lf_finding_json, whose text is lf_store_finding_json's (store.c) byte for byte. Our
 * prepared statements only: the function is registered per connection, DIRECTONLY, so
 * no trigger or view may use it. */
#define FINDING_JSON(f)                                                             \
    "lf_finding_json(" f ".state, " f ".cpe, " f ".measure, " f ".measure_planned, "        \
    f ".risk_reason, " f ".risk_approver, " f ".risk_expiry, " f ".fp_reason, "            \
    f ".notice_date, " f ".due_date, " f ".fixed_at, " f ".fixed_confirmed, " f ".reopened)"

#define SQ_STATEMENTS(X)                                                                 \
    X(BEGIN, "BEGIN IMMEDIATE")                                                          \
    X(COMMIT, "COMMIT")                                                                  \
    X(ROLLBACK, "ROLLBACK")                                                              \
    X(SAVEPOINT, "SAVEPOINT lf")                                                         \
    X(RELEASE, "RELEASE lf")                                                             \
    X(ROLLBACK_TO, "ROLLBACK TO lf")                                                     \
    X(PING, "SELECT count(*) FROM schema_version")                                       \
    X(SCHEMA_VERSION, "SELECT coalesce(max(version), 0) FROM schema_version")            \
    X(ORG_INSERT, "INSERT INTO orgs(parent_id, kind, code, name_zh, name_en, level, created) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                 \
    X(ORG_GET, "SELECT " ORG_COLS " FROM orgs o WHERE o.id = ?1")                        \
    X(ORG_GET_CODE, "SELECT " ORG_COLS " FROM orgs o WHERE o.code = ?1")                 \
    X(ORG_CONTACTS, "SELECT email FROM org_contacts WHERE org_id = ?1 ORDER BY pos")     \
    X(ORG_CONTACTS_DEL, "DELETE FROM org_contacts WHERE org_id = ?1")                    \
    X(ORG_CONTACT_ADD, "INSERT INTO org_contacts(org_id, pos, email) VALUES (?1, ?2, ?3)") \
    X(ORG_CHILDREN, "SELECT " ORG_COLS " FROM orgs o WHERE o.parent_id = ?1 AND o.id > ?2 " \
                    "ORDER BY o.id LIMIT ?3")                                            \
    X(ORG_AGENCIES, "SELECT " ORG_COLS " FROM org_tree t JOIN orgs o ON o.id = t.descendant " \
                    "WHERE t.ancestor = ?1 AND o.kind = 'agency' AND o.id > ?2 ORDER BY o.id LIMIT ?3") \
    X(ORG_ANCESTORS, "SELECT " ORG_COLS " FROM org_tree t JOIN orgs o ON o.id = t.ancestor " \
                     "WHERE t.descendant = ?1 ORDER BY t.depth DESC")                    \
    X(ORG_WITHIN, "SELECT 1 FROM org_tree WHERE ancestor = ?2 AND descendant = ?1")      \
    X(USER_INSERT, "INSERT INTO users(login, display_name, email, role, org_id, disabled, created) " \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                \
    X(USER_GET, "SELECT " USER_COLS " FROM users u WHERE u.id = ?1")                     \
    X(USER_GET_LOGIN, "SELECT " USER_COLS " FROM users u WHERE u.login = ?1")            \
    X(USER_LIST, "SELECT " USER_COLS " FROM users u WHERE " IN_SCOPE("u.org_id", "?1")   \
                 " AND u.id > ?2 ORDER BY u.id LIMIT ?3")                                \
    X(USER_UPDATE, "UPDATE users SET display_name = ?2, email = ?3, role = ?4, org_id = ?5, " \
                   "disabled = ?6 WHERE id = ?1")                                        \
    X(USER_SET_HASH, "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = 0 " \
                     "WHERE id = ?1")                                                    \
    /* one statement, so two failing logins at once cannot both miss the lock */        \
    X(USER_FAILED, "UPDATE users SET "                                                   \
                   "failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END, " \
                   "locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END " \
                   "WHERE id = ?1")                                                      \
    X(USER_OK, "UPDATE users SET failed_logins = 0, locked_until = 0, last_login = ?2 WHERE id = ?1") \
    X(SES_INSERT, "INSERT INTO sessions(token_hash, user_id, csrf, created, expires, last_seen) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                     \
    X(SES_GET, "SELECT s.id, s.user_id, s.csrf, s.created, s.expires, s.last_seen FROM sessions s " \
               "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires > ?2 " \
               "AND u.disabled = 0")                                                     \
    X(SES_TOUCH, "UPDATE sessions SET last_seen = ?2, expires = CASE WHEN ?3 > 0 THEN ?3 ELSE expires END " \
                 "WHERE token_hash = ?1 AND expires > ?2")                               \
    X(SES_DEL, "DELETE FROM sessions WHERE token_hash = ?1")                             \
    X(SES_DEL_USER, "DELETE FROM sessions WHERE user_id = ?1")                           \
    X(SES_PURGE, "DELETE FROM sessions WHERE expires <= ?1")                             \
    X(TOK_INSERT, "INSERT INTO api_tokens(name, org_id, secret_hash, created_by, created) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5)")                                         \
    X(TOK_GET, "SELECT " TOK_COLS " FROM api_tokens t WHERE t.secret_hash = ?1")          \
    X(TOK_USED, "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1")                    \
    X(TOK_REVOKE, "UPDATE api_tokens SET revoked = 1 WHERE id = ?1")                     \
    X(TOK_LIST, "SELECT " TOK_COLS " FROM api_tokens t WHERE " IN_SCOPE("t.org_id", "?1") \
                " AND t.id > ?2 ORDER BY t.id LIMIT ?3")                                 \
    X(UP_INSERT, "INSERT INTO uploads(agency_id, month, status, uploaded_by, token_id, uploaded_at, " \
                 "file_name, encoding, format) VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8)") \
    X(ITEM_INSERT, "INSERT INTO items(upload_id, host, ip, os, name, version, vendor, cpe, bucket, " \
                   "confidence, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)") \
    /* 32 rows a statement (insert_rows): a 100k-row upload's items are 3k statements */  \
    X(ITEM_INSERT32, "INSERT INTO items(upload_id, host, ip, os, name, version, vendor, cpe, bucket, " \
                     "confidence, line) VALUES " ROWS32("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))     \
    X(UP_GET, "SELECT " UP_COLS " FROM uploads p WHERE p.id = ?1")                       \
    X(UP_STATUS, "SELECT status FROM uploads WHERE id = ?1")                             \
    X(UP_CURRENT, "SELECT " UP_COLS " FROM uploads p WHERE p.agency_id = ?1 AND p.month = ?2 " \
                  "AND p.status = 'current'")                                            \
    X(UP_SUPERSEDE, "UPDATE uploads SET status = 'superseded', superseded_by = ?2, items = 0 " \
                    "WHERE id = ?1")                                                     \
    X(ITEMS_DEL, "DELETE FROM items WHERE upload_id = ?1")                               \
    X(UP_PUBLISH, "UPDATE uploads SET status = 'current', published_at = ?2, records = ?3, " \
                  "resolved = ?4, unresolved = ?5, rejected = ?6, report_json = ?7, "    \
                  "items = (SELECT count(*) FROM items WHERE upload_id = ?1) WHERE id = ?1") \
    X(HOSTS_FROM_ITEMS, "INSERT INTO hosts(agency_id, name, ip, os, first_seen, last_seen) " \
                        "SELECT ?1, host, max(ip), max(os), ?2, ?2 FROM items WHERE upload_id = ?3 " \
                        "GROUP BY host ON CONFLICT (agency_id, name) DO UPDATE SET "     \
                        "last_seen = excluded.last_seen, ip = coalesce(excluded.ip, ip), " \
                        "os = coalesce(excluded.os, os)")                                \
    /* the history without the reports: a report lists every unresolved record (2 MB for \
     * 100k rows), and the history page needs the counts only */                          \
    X(UP_LIST, "SELECT " UP_COLS_REPORT("NULL") " FROM uploads p WHERE " IN_SCOPE("p.agency_id", "?1") \
               " AND (?2 IS NULL OR p.month = ?2) AND p.id > ?3 ORDER BY p.id LIMIT ?4") \
    X(ITEM_LIST, "SELECT " ITEM_COLS " FROM items i WHERE i.upload_id = ?1 AND i.id > ?2 " \
                 "ORDER BY i.id LIMIT ?3")                                               \
    X(HOST_GET, "SELECT " HOST_COLS " FROM hosts h WHERE h.id = ?1")                     \
    X(HOST_GET_NAME, "SELECT " HOST_COLS " FROM hosts h WHERE h.agency_id = ?1 AND h.name = ?2") \
    X(HOST_LIST, "SELECT " HOST_COLS " FROM hosts h WHERE " IN_SCOPE("h.agency_id", "?1") \
                 " AND h.id > ?2 ORDER BY h.id LIMIT ?3")                                \
    X(HOST_UPSERT, "INSERT INTO hosts(agency_id, name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) " \
                   "ON CONFLICT (agency_id, name) DO UPDATE SET last_seen = excluded.last_seen " \
                   "RETURNING id")                                                       \
    X(RUN_INSERT, "INSERT INTO match_runs(agency_id, upload_id, full, started) VALUES (?1, ?2, ?3, ?4)") \
    X(RUN_GET, "SELECT agency_id, full, finished, hits, new_findings, seen, reopened, suppressed, " \
               "fixed, confirmed FROM match_runs WHERE id = ?1")                         \
    X(RUN_ADD, "UPDATE match_runs SET hits = hits + ?2, new_findings = new_findings + ?3, " \
               "seen = seen + ?4, reopened = reopened + ?5, suppressed = suppressed + ?6, " \
               "fixed = fixed + ?7, confirmed = confirmed + ?8 WHERE id = ?1")           \
    X(RUN_FINISH, "UPDATE match_runs SET finished = ?2 WHERE id = ?1")                   \
    X(F_GET, "SELECT " F_COLS " FROM findings f JOIN hosts h ON h.id = f.host_id WHERE f.id = ?1") \
    X(F_GET_HC, "SELECT " F_COLS " FROM findings f JOIN hosts h ON h.id = f.host_id "     \
                "WHERE f.host_id = ?1 AND f.cve = ?2")                                   \
    X(F_INSERT, "INSERT INTO findings(host_id, agency_id, cve, cpe, kind, cvss, cvss_version, severity, " \
                "kev, kev_due, epss, state, first_seen, last_seen, last_run, updated, notice_date, due_date, sources_id) " \
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)") \
    X(F_UPDATE, "UPDATE findings SET cpe = ?2, kind = ?3, cvss = ?4, cvss_version = ?5, severity = ?6, " \
                "kev = ?7, kev_due = ?8, epss = ?9, state = ?10, measure = ?11, measure_planned = ?12, " \
                "risk_reason = ?13, risk_approver = ?14, risk_expiry = ?15, fp_reason = ?16, " \
                "notice_date = ?17, due_date = ?18, last_seen = ?19, fixed_at = ?20, " \
                "fixed_confirmed = ?21, reopened = ?22, last_run = ?23, updated = ?24, "         \
                "sources_id = coalesce(?25, sources_id) WHERE id = ?1") \
    X(F_REFRESH, "UPDATE findings SET cpe = ?2, kind = ?3, cvss = ?4, cvss_version = ?5, severity = ?6, " \
                 "kev = ?7, kev_due = ?8, epss = ?9, last_seen = ?10, last_run = ?11, updated = ?12, " \
                 "sources_id = coalesce(?13, sources_id) WHERE id = ?1")                                                        \
    /* Findings lists (sq_finding_list picks one): one query shape, F_LIST_WHERE(key), where \
     * key is what the index range comes from and the filters after it are the same for \
     * all (a filter that repeats the key is a no-op). The general form sorts the scope. */ \
    X(F_LIST, F_LIST_WHERE(IN_SCOPE("f.agency_id", "?1")))                               \
    /* one agency, one host: a page in id order straight from findings_state's five ranges \
     * of the agency (schema 18) or findings_host (host_id, rowid), not sorting every     \
     * finding of the scope for each page (96 ms for 322k findings, bench_upload --reads) */ \
    X(F_LIST_AGENCY, F_AGENCY_ARM("open") " UNION ALL " F_AGENCY_ARM("measure_filed")       \
                     " UNION ALL " F_AGENCY_ARM("fixed") " UNION ALL " F_AGENCY_ARM("risk_accepted") \
                     " UNION ALL " F_AGENCY_ARM("false_positive") " ORDER BY 1 LIMIT ?8")       \
    X(F_LIST_HOST, F_LIST_WHERE("f.host_id = ?2 AND " IN_SCOPE("f.agency_id", "?1")))       \
    /* one CVE in any scope: a range of findings_cve per agency of the scope (or the host's \
     * (host_id, cve) key), then a sort of those few rows */                             \
    X(F_LIST_CVE, F_LIST_WHERE("f.cve = ?6 AND " IN_SCOPE("f.agency_id", "?1")))           \
    /* a wide scope that holds much of the data (a region, the nation): findings in id     \
     * order, each checked against the scope (the + keeps SQLite off findings_state), so a  \
     * page reads about limit x (all / scope) rows instead of sorting the whole scope      \
     * (56 ms a page at 322k findings) */                                                 \
    X(F_LIST_SCAN, F_LIST_WHERE("+f.agency_id IN (SELECT descendant FROM org_tree WHERE ancestor = ?1)")) \
    /* one state: a range of findings_state per agency of the scope (one range for an    \
     * agency: no sort), then a sort of what matched for a wider scope */                \
    X(F_LIST_STATE, F_LIST_WHERE("f.state = ?3 AND " IN_SCOPE("f.agency_id", "?1")))       \
    X(F_LIST_AGENCY_STATE, F_LIST_WHERE("f.agency_id = ?1 AND f.state = ?3"))              \
    X(ORG_IS_AGENCY, "SELECT kind = 'agency' FROM orgs WHERE id = ?1")                   \
    /* the scope's findings in one state, counted through findings_state up to ?3 (all the \
     * choice in sq_finding_list needs to know) */                                        \
    X(F_STATE_COUNT, "SELECT count(*) FROM (SELECT 1 FROM findings f WHERE f.state = ?2 AND " \
                     IN_SCOPE("f.agency_id", "?1") " LIMIT ?3)")                          \
    /* how many findings a scope and the whole platform hold (the dashboard's life summary: \
     * every finding once per ancestor) and the scope's open ones, for choosing between   \
     * the sorting statements and F_LIST_SCAN */                                         \
    X(F_SCOPE_SIZE, "SELECT (SELECT coalesce(sum(n), 0) FROM dash_life WHERE org_id = ?1), " \
                    "(SELECT coalesce(sum(d.n), 0) FROM dash_life d JOIN orgs o ON o.id = d.org_id " \
                    "WHERE o.parent_id IS NULL), "                                       \
                    "(SELECT coalesce(sum(n), 0) FROM dash_open WHERE org_id = ?1)")     \
    X(F_STALE, "SELECT id FROM findings WHERE agency_id = ?1 AND (last_run IS NULL OR last_run <> ?2) " \
               "AND (state IN ('open', 'measure_filed', 'risk_accepted') "               \
               "OR (state = 'fixed' AND fixed_confirmed = 0)) ORDER BY id")              \
    X(SUP_ADD, "INSERT INTO suppressions(host_id, cpe, cve, finding_id, reason, created, created_by) " \
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (host_id, cpe, cve) DO UPDATE SET " \
               "finding_id = excluded.finding_id, reason = excluded.reason, "            \
               "created = excluded.created, created_by = excluded.created_by")           \
    X(SUP_DEL, "DELETE FROM suppressions WHERE finding_id = ?1")                         \
    X(SUP_HAS, "SELECT 1 FROM suppressions WHERE host_id = ?1 AND cpe = ?2 AND cve = ?3") \
    X(AUD_INSERT, "INSERT INTO audit(at, user_id, actor, org_id, entity, entity_id, action, " \
                  "before_json, after_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
    /* rows without an org are system-wide: only the national scope sees them */        \
    X(AUD_LIST, "SELECT " AUD_COLS " FROM audit a WHERE (" IN_SCOPE("a.org_id", "?1")    \
                " OR (a.org_id IS NULL AND ?1 IN (SELECT id FROM orgs WHERE parent_id IS NULL))) " \
                "AND (?2 IS NULL OR a.entity = ?2) AND (?3 = 0 OR a.entity_id = ?3) "    \
                "AND a.id > ?4 ORDER BY a.id LIMIT ?5")                                  \
    /* one entity's trail (a finding's page): a range of audit_entity, in id order, with    \
     * the scope as a filter (the + keep SQLite from reading the scope's whole trail through \
     * audit_org and sorting it: 245 ms for a finding of an agency with 322k audit rows) */ \
    X(AUD_LIST_ENTITY, "SELECT " AUD_COLS " FROM audit a WHERE a.entity = ?2 AND a.entity_id = ?3 " \
                       "AND (+a.org_id IN (SELECT descendant FROM org_tree WHERE ancestor = ?1) " \
                       "OR (+a.org_id IS NULL AND ?1 IN (SELECT id FROM orgs WHERE parent_id IS NULL))) " \
                       "AND a.id > ?4 ORDER BY a.id LIMIT ?5")                           \
    /* a finding's trail: its rows, and first its creation, from the "new" row of the batch \
     * that created it (entity "findings", entity_id its first id: the greatest first id at \
     * or below the finding's, if the range reaches it; store.c, audit_new_range). The     \
     * state it was created in is what its first change found (that row's before), or the \
     * finding as it is when nothing has changed it since. Older stores' "new" rows, one  \
     * per finding ('finding', 'new'), come through the second part. */        \
    X(AUD_LIST_FINDING, "SELECT * FROM (SELECT a.id, a.at, a.user_id, a.actor, a.org_id, 'finding', ?3, a.action, " \
                        "NULL, coalesce((SELECT e.before_json FROM audit e WHERE e.entity = 'finding' " \
                        "AND e.entity_id = ?3 ORDER BY e.id LIMIT 1), (SELECT " FINDING_JSON("f") \
                        " FROM findings f WHERE f.id = ?3)) FROM audit a WHERE a.entity = 'findings' " \
                        "AND a.entity_id = (SELECT max(r.entity_id) FROM audit r WHERE r.entity = 'findings' " \
                        "AND r.entity_id <= ?3) AND json_extract(a.after_json, '$.last') >= ?3 " \
                        "AND (+a.org_id IN (SELECT descendant FROM org_tree WHERE ancestor = ?1) " \
                        "OR (+a.org_id IS NULL AND ?1 IN (SELECT id FROM orgs WHERE parent_id IS NULL))) " \
                        "UNION ALL SELECT " AUD_COLS " FROM audit a WHERE a.entity = 'finding' AND a.entity_id = ?3 " \
                        "AND (+a.org_id IN (SELECT descendant FROM org_tree WHERE ancestor = ?1) " \
                        "OR (+a.org_id IS NULL AND ?1 IN (SELECT id FROM orgs WHERE parent_id IS NULL)))) " \
                        "WHERE id > ?4 ORDER BY id LIMIT ?5")                            \
    /* per agency and state, in the order of findings_state (covering, no sort; the caller \
     * adds the agencies up): 24 ms at 322k findings, was 63 with one GROUP BY state */   \
    X(M_STATES, "SELECT f.state, count(*) FROM org_tree t JOIN findings f ON f.agency_id = t.descendant " \
                "WHERE t.ancestor = ?1 GROUP BY t.descendant, f.state")                  \
    /* high: a sum over open_cvss (schema 18); KEV: the dashboard's open summary (13 ms, was \
     * 65 reading every open finding) */                                                 \
    X(M_OPEN, "SELECT (SELECT coalesce(sum(n), 0) FROM open_cvss o WHERE " IN_SCOPE("o.agency_id", "?1") \
              " AND o.cvss >= 7.0), "                                                    \
              "(SELECT coalesce(sum(n), 0) FROM dash_open WHERE org_id = ?1 AND kev)")   \
    X(M_COUNTS, "SELECT (SELECT count(*) FROM org_tree t JOIN orgs o ON o.id = t.descendant " \
                "        WHERE t.ancestor = ?1 AND o.kind = 'agency'), "                 \
                "(SELECT count(*) FROM hosts WHERE " IN_SCOPE("agency_id", "?1") "), "   \
                "(SELECT count(*) FROM users WHERE " IN_SCOPE("org_id", "?1") ")")       \
    X(M_UPLOADS, "SELECT count(*), count(DISTINCT CASE WHEN status = 'current' THEN agency_id END) " \
                 "FROM uploads WHERE " IN_SCOPE("agency_id", "?1") " AND month = ?2 "    \
                 "AND status <> 'pending'")

/* ---- dashboard aggregates (web UI): lf_store_overview, lf_store_trends, lf_store_host_summary.
 * Everything is summed in SQL, over the summaries of schema 4 where a figure adds up; only one
 * row per child org (or per month, or per host, or per fix time for medians) comes back to C. */
#define OPEN_STATE "state IN ('open', 'measure_filed')"
#define SEV_SUMS                                                                         \
    "sum(severity = 'CRITICAL'), sum(severity = 'HIGH'), sum(severity = 'MEDIUM'), "     \
    "sum(severity = 'LOW'), sum(severity IS NULL OR severity NOT IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW'))"
#define DASH_SUM(cond) "sum(CASE WHEN " cond " THEN n ELSE 0 END)"
/* ---- match-run speed: a refresh that changes nothing the indexes or the dashboard
 * triggers look at (cvss, severity, kev, state, dates, updated) writes only unindexed
 * columns, so no index entry is rewritten and no summary trigger is evaluated; the
 * common case of a steady-state run (same CVE, same scores; EPSS moves daily). Binds as
 * F_REFRESH; no row changed = something indexed differs, F_REFRESH does it. */
#define SQ_STATEMENTS_MATCHRUN(X)                                                        \
    X(F_TOUCH, "UPDATE findings SET cpe = ?2, cvss_version = ?5, kev_due = ?8, epss = ?9, " \
               "last_seen = ?10, last_run = ?11, sources_id = coalesce(?13, sources_id) "             \
               "WHERE id = ?1 AND kind IS ?3 AND cvss IS ?4 " \
               "AND severity IS ?6 AND kev IS ?7")

/* ?1 org, ?2 1 = the org itself / 0 = its children, ?3 month, ?4 today, ?5 high CVSS,
 * ?6 late notice date, ?7 after (child id), ?8 limit. The additive figures come from the
 * schema-4 summaries (one row per child and key); what is per agency (connected, B level)
 * probes each agency under the child through an index. */
#define SQ_STATEMENTS_DASHBOARD(X)                                                       \
    X(OV_MAIN, "WITH ch AS (SELECT * FROM orgs WHERE CASE WHEN ?2 THEN id = ?1 ELSE parent_id = ?1 END " \
               "  AND id > ?7), "                                                        \
               "ag(child, agency, level) AS (SELECT ch.id, a.id, a.level FROM ch "      \
               "  JOIN org_tree t ON t.ancestor = ch.id JOIN orgs a ON a.id = t.descendant AND a.kind = 'agency'), " \
               "aa(child, agencies, connected, b, late) AS (SELECT child, count(*), "    \
               "  sum(EXISTS (SELECT 1 FROM uploads p WHERE p.agency_id = ag.agency AND p.status <> 'pending') " \
               "      OR EXISTS (SELECT 1 FROM api_tokens k WHERE k.org_id = ag.agency AND k.revoked = 0)), " \
               "  sum(level = 'B'), "                                                    \
               "  sum(CASE WHEN level = 'B' THEN EXISTS (SELECT 1 FROM open_cvss o WHERE o.agency_id = ag.agency " \
               "      AND o.cvss >= ?5 AND o.notice <= ?6) "                              \
               "    ELSE 0 END) FROM ag GROUP BY child), "                               \
               "op(org_id, c, h, m, l, x, kev, overdue) AS (SELECT org_id, " DASH_SUM("sev = 0") ", " \
               "  " DASH_SUM("sev = 1") ", " DASH_SUM("sev = 2") ", " DASH_SUM("sev = 3") ", " \
               "  " DASH_SUM("sev = 4") ", " DASH_SUM("kev") ", " DASH_SUM("due <> '' AND due < ?4") " " \
               "  FROM dash_open WHERE org_id IN (SELECT id FROM ch) GROUP BY org_id) "  \
               "SELECT " ORG_COLS ", coalesce(aa.agencies, 0), coalesce(aa.connected, 0), " \
               "  coalesce(u.uploaded, 0), coalesce(hs.n, 0), coalesce(op.c, 0), coalesce(op.h, 0), " \
               "  coalesce(op.m, 0), coalesce(op.l, 0), coalesce(op.x, 0), coalesce(op.kev, 0), " \
               "  coalesce(op.overdue, 0), coalesce(aa.b, 0), coalesce(aa.late, 0), coalesce(u.flagged, 0) " \
               "FROM ch o LEFT JOIN aa ON aa.child = o.id LEFT JOIN dash_hosts hs ON hs.org_id = o.id " \
               "LEFT JOIN dash_uploads u ON u.org_id = o.id AND u.month = ?3 "           \
               "LEFT JOIN op ON op.org_id = o.id ORDER BY o.id LIMIT ?8")               \
    /* the fix-time histogram of one org, ascending (medians are taken in C) */          \
    X(OV_FIX, "SELECT tenths, sum(n) FROM dash_fix WHERE org_id = ?1 GROUP BY tenths HAVING sum(n) > 0 " \
              "ORDER BY tenths")                                                         \
    /* ?1 org, ?2 first month (?3: TR_AGENCIES and TR_UPLOADS, the clock's offset from UTC in s) */ \
    X(TR_OPEN, "SELECT sev, max(om, ?2), nullif(cm, ''), sum(n) FROM dash_life WHERE org_id = ?1 " \
               "AND (cm = '' OR cm >= ?2) GROUP BY 1, 2, 3 HAVING sum(n) <> 0")         \
    X(TR_FIX, "SELECT month, tenths, sum(n) FROM dash_fix WHERE org_id = ?1 AND month >= ?2 " \
              "GROUP BY month, tenths HAVING sum(n) > 0 ORDER BY month, tenths")         \
    X(TR_AGENCIES, "SELECT strftime('%Y-%m', o.created + ?3, 'unixepoch') AS m, count(*) FROM org_tree t " \
                   "JOIN orgs o ON o.id = t.descendant WHERE t.ancestor = ?1 AND o.kind = 'agency' " \
                   "AND ?2 IS NOT NULL GROUP BY m")                                      \
    /* counted among the agencies that existed at the month's end, like the denominator */ \
    X(TR_UPLOADS, "SELECT p.month, count(*) FROM uploads p JOIN orgs o ON o.id = p.agency_id " \
                  "WHERE p.status = 'current' AND p.month >= ?2 AND " IN_SCOPE("p.agency_id", "?1") \
                  " AND o.created < CAST(strftime('%s', p.month || '-01', '+1 month') AS INTEGER) - ?3 " \
                  "GROUP BY p.month")                                                    \
    /* ?1 agency, ?2 today, ?3 after, ?4 limit */                                        \
    /* ?1 agency, ?2 after: the agency's hosts in id order (a range of hosts_agency, no sort), \
     * each followed by its few host_open rows; sq_host_summary adds them up and stops      \
     * stepping after the page (in SQL, sum() allocated a context per host and evaluated   \
     * seven CASEs per row: 0.27 ms a page of 50) */                                       \
    X(HOST_SUMMARY, "SELECT " HOST_COLS ", o.sev, o.kev, o.due, o.n FROM hosts h "          \
                    "LEFT JOIN host_open o ON o.host_id = h.id "                           \
                    "WHERE h.agency_id = ?1 AND h.id > ?2 ORDER BY h.id")

/* ---- NOTICES (scheduler outbox): lf_store_notice_*. */
#define N_COLS                                                                           \
    "n.id, n.key, n.kind, n.stage, n.org_id, n.notice_date, n.created, n.state, n.attempts, " \
    "n.last_error, n.sent_at, n.updated, n.subject, n.recipients, n.nfindings"
#define N_TIME(col) "CASE WHEN " col " > 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch') END"
#define SQ_STATEMENTS_NOTICES(X)                                                         \
    X(N_INSERT, "INSERT INTO notices(key, kind, stage, org_id, notice_date, created, state, updated, " \
                "subject, recipients, body_text, body_html, payload_json, nfindings) "   \
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?6, ?7, ?8, ?9, ?10, ?11, ?12)") \
    X(ND_INSERT, "INSERT INTO notice_deliveries(notice_id, channel, state, next_attempt) " \
                 "VALUES (?1, ?2, 'pending', ?3)")                                       \
    X(NM_INSERT, "INSERT INTO notice_marks(finding_id, stage, agency_id, notice_id) VALUES (?1, ?2, ?3, ?4)") \
    X(N_GET, "SELECT " N_COLS ", n.body_text, n.body_html, n.payload_json FROM notices n WHERE n.id = ?1") \
    X(N_GET_KEY, "SELECT " N_COLS ", n.body_text, n.body_html, n.payload_json FROM notices n WHERE n.key = ?1") \
    X(ND_LIST, "SELECT channel, state, attempts, next_attempt, last_error, sent_at FROM notice_deliveries " \
               "WHERE notice_id = ?1 ORDER BY channel")                                  \
    X(NM_LIST, "SELECT finding_id FROM notice_marks WHERE agency_id = ?1 AND stage = ?2 ORDER BY finding_id") \
    X(N_DUE, "SELECT " N_COLS ", n.body_text, n.body_html, n.payload_json FROM notices n "  \
             "WHERE n.state = 'pending' AND EXISTS (SELECT 1 FROM notice_deliveries d "   \
             "WHERE d.notice_id = n.id AND d.state = 'pending' AND d.next_attempt <= ?1) ORDER BY n.id LIMIT ?2") \
    X(ND_UPDATE, "UPDATE notice_deliveries SET state = ?3, attempts = ?4, next_attempt = ?5, last_error = ?6, " \
                 "sent_at = ?7 WHERE notice_id = ?1 AND channel = ?2")                   \
    /* the notice summarises its deliveries: one failed for good -> failed, else pending \
     * while one is, else sent (sent_at: when the last one went out) */                  \
    X(N_SUMMARY, "UPDATE notices SET state = CASE "                                      \
                 "WHEN EXISTS (SELECT 1 FROM notice_deliveries WHERE notice_id = ?1 AND state = 'failed') THEN 'failed' " \
                 "WHEN EXISTS (SELECT 1 FROM notice_deliveries WHERE notice_id = ?1 AND state = 'pending') THEN 'pending' " \
                 "ELSE 'sent' END, "                                                     \
                 "attempts = (SELECT coalesce(max(attempts), 0) FROM notice_deliveries WHERE notice_id = ?1), " \
                 "last_error = coalesce(?2, last_error), "                               \
                 "sent_at = CASE WHEN sent_at = 0 AND NOT EXISTS (SELECT 1 FROM notice_deliveries " \
                 "  WHERE notice_id = ?1 AND state <> 'sent') THEN ?3 ELSE sent_at END, updated = ?3 WHERE id = ?1") \
    X(N_LIST, "SELECT " N_COLS ", (SELECT json_group_array(json_object('channel', d.channel, 'state', d.state, " \
              "'attempts', d.attempts, 'next_attempt', " N_TIME("d.next_attempt") ", 'last_error', d.last_error, " \
              "'sent_at', " N_TIME("d.sent_at") ")) FROM notice_deliveries d WHERE d.notice_id = n.id) " \
              "FROM notices n WHERE (?1 = 0 OR " IN_SCOPE("n.org_id", "?1") ") AND (?2 IS NULL OR n.state = ?2) " \
              "AND (?3 IS NULL OR n.kind = ?3) AND (?4 IS NULL OR substr(n.key, 1, length(?4)) = ?4) " \
              "AND n.id > ?5 ORDER BY n.id LIMIT ?6")                                    \
    X(N_COUNTS, "SELECT state, count(*) FROM notices GROUP BY state")

/* ---- ISAC: TAXII roots, groups, collections, STIX objects, status (schema 5).
 * Object queries, parameters: ?1 collection, ?2 one STIX id (the _ID variants), ?3 ids,
 * ?4 types, ?5 spec versions (JSON arrays or NULL), ?6 all versions, ?7 first, ?8 last,
 * ?9 normalised versions (JSON array or NULL), ?11 ?12 the lower bound of (date_added,
 * id): added_after and the page key (?10 is unused), ?13 the collection's default TLP,
 * ?14 the reader's org, ?15 authenticated, ?16 group member, ?17 with the JSON, ?18 limit. */
/* TLP 2.0 view of row o (docs/design.md, "ISAC"): CLEAR to every reader, GREEN to
 * authenticated ones, AMBER to the group and the adding organisation, AMBER+STRICT to the
 * adding organisation (and its units), RED to the adding organisation and named recipients. */
#define STIX_VIS(o)                                                                      \
    "(CASE CASE WHEN " o ".tlp = 0 THEN ?13 ELSE " o ".tlp END WHEN 1 THEN 1 WHEN 2 THEN ?15 " \
    "WHEN 3 THEN ?16 OR " o ".added_by IN (SELECT ancestor FROM org_tree WHERE descendant = ?14) " \
    "WHEN 4 THEN " o ".added_by IN (SELECT ancestor FROM org_tree WHERE descendant = ?14) " \
    "ELSE " o ".added_by = ?14 OR instr(" o ".recipients, ',' || ?14 || ',') > 0 END)"
/* without match[spec_version]: the latest spec version of each object the reader sees */
#define STIX_SPEC(o)                                                                     \
    "(CASE WHEN ?5 IS NULL THEN " o ".spec_version = (SELECT max(x.spec_version) FROM stix_objects x " \
    "WHERE x.collection_id = " o ".collection_id AND x.stix_id = " o ".stix_id AND " STIX_VIS("x") ") " \
    "ELSE " o ".spec_version IN (SELECT value FROM json_each(?5)) END)"
/* first/last: among the versions the reader sees, of the spec versions selected */
#define STIX_VSEL(fn, o)                                                                 \
    "(SELECT " fn "(y.vkey) FROM stix_objects y WHERE y.collection_id = " o ".collection_id " \
    "AND y.stix_id = " o ".stix_id AND (CASE WHEN ?5 IS NULL THEN y.spec_version = " o ".spec_version " \
    "ELSE y.spec_version IN (SELECT value FROM json_each(?5)) END) AND " STIX_VIS("y") ")"
#define STIX_VER(o)                                                                      \
    "(?6 OR (?9 IS NOT NULL AND " o ".vkey IN (SELECT value FROM json_each(?9))) "       \
    "OR (?7 AND " o ".vkey = " STIX_VSEL("min", o) ") OR (?8 AND " o ".vkey = " STIX_VSEL("max", o) "))"
/* ?11 ?12 is the larger of the page key and (added_after, max row) (bind_stix_q): one
 * lower bound, so the scan starts at the page instead of filtering every earlier row */
#define STIX_WHERE_BASE(o)                                                               \
    o ".collection_id = ?1 AND (?3 IS NULL OR " o ".stix_id IN (SELECT value FROM json_each(?3))) " \
    "AND (?4 IS NULL OR " o ".type IN (SELECT value FROM json_each(?4))) "               \
    "AND (" o ".date_added, " o ".id) > (?11, ?12) AND " STIX_VIS(o)
#define STIX_WHERE(o) STIX_WHERE_BASE(o) " AND " STIX_SPEC(o) " AND " STIX_VER(o)
/* The default selection (no match[spec_version], the last version): a visible row with no
 * visible row of the same object above it in (spec_version, vkey) order. One index seek
 * per row (stix_objects_id), where STIX_SPEC and STIX_VSEL aggregate every version. */
#define STIX_WHERE_LATEST(o)                                                             \
    STIX_WHERE_BASE(o) " AND NOT EXISTS (SELECT 1 FROM stix_objects y WHERE y.collection_id = " o ".collection_id " \
    "AND y.stix_id = " o ".stix_id AND (y.spec_version, y.vkey) > (" o ".spec_version, " o ".vkey) AND " \
    STIX_VIS("y") ")"
#define STIX_HIT_COLS "o.id, o.stix_id, o.version, o.spec_version, o.date_added, CASE WHEN ?17 THEN o.json END"
#define ROOT_COLS "r.id, r.name, r.title, r.description, r.max_content_length"
#define COLL_COLS                                                                        \
    "c.id, c.root_id, c.uuid, c.title, c.description, c.alias, c.group_id, c.can_read, c.can_write, " \
    "c.default_tlp, c.media_types, c.created"
#define TSTATUS_COLS                                                                     \
    "t.id, t.uuid, t.root_id, t.collection_id, t.org_id, t.status, t.request_timestamp, t.total, " \
    "t.success, t.failure, t.pending, t.successes, t.failures, t.pendings, t.created"
#define SQ_STATEMENTS_ISAC(X)                                                            \
    X(TROOT_PUT, "INSERT INTO taxii_roots(name, title, description, max_content_length) " \
                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET title = excluded.title, " \
                 "description = excluded.description, max_content_length = excluded.max_content_length " \
                 "RETURNING id")                                                          \
    X(TROOT_GET, "SELECT " ROOT_COLS " FROM taxii_roots r WHERE r.name = ?1")             \
    X(TROOT_LIST, "SELECT " ROOT_COLS " FROM taxii_roots r WHERE r.id > ?1 ORDER BY r.id LIMIT ?2") \
    X(IGROUP_INSERT, "INSERT INTO isac_groups(code, name, created) VALUES (?1, ?2, ?3)")  \
    X(IGROUP_ORG, "INSERT OR IGNORE INTO isac_group_orgs(group_id, org_id) VALUES (?1, ?2)") \
    X(IGROUP_GET, "SELECT id, code, name, created FROM isac_groups WHERE id = ?1")        \
    X(IGROUP_LIST, "SELECT id, code, name, created FROM isac_groups WHERE id > ?1 ORDER BY id LIMIT ?2") \
    X(IGROUP_ORGS, "SELECT org_id FROM isac_group_orgs WHERE group_id = ?1 ORDER BY org_id") \
    X(IGROUP_MEMBER, "SELECT EXISTS (SELECT 1 FROM isac_group_orgs g JOIN org_tree t "   \
                     "ON (t.ancestor = g.org_id AND t.descendant = ?2) OR (t.ancestor = ?2 AND t.descendant = g.org_id) " \
                     "WHERE g.group_id = ?1)")                                            \
    X(TCOLL_PUT, "INSERT INTO taxii_collections(root_id, uuid, title, description, alias, group_id, can_read, " \
                 "can_write, default_tlp, media_types, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) " \
                 "ON CONFLICT (uuid) DO UPDATE SET root_id = excluded.root_id, title = excluded.title, " \
                 "description = excluded.description, alias = excluded.alias, group_id = excluded.group_id, " \
                 "can_read = excluded.can_read, can_write = excluded.can_write, default_tlp = excluded.default_tlp, " \
                 "media_types = excluded.media_types RETURNING id")                       \
    X(TCOLL_GET, "SELECT " COLL_COLS " FROM taxii_collections c WHERE c.root_id = ?1 AND c.uuid = ?2") \
    X(TCOLL_LIST, "SELECT " COLL_COLS " FROM taxii_collections c WHERE c.root_id = ?1 AND c.id > ?2 " \
                  "ORDER BY c.id LIMIT ?3")                                               \
    X(STIX_LAST_ADDED, "SELECT last_added FROM taxii_collections WHERE id = ?1")          \
    X(STIX_SET_ADDED, "UPDATE taxii_collections SET last_added = max(last_added, ?2) WHERE id = ?1") \
    X(STIX_INSERT, "INSERT INTO stix_objects(collection_id, stix_id, type, spec_version, created, modified, " \
                   "version, vkey, created_by_ref, marking_refs, labels, valid_from, valid_until, revoked, tlp, " \
                   "recipients, added_by, date_added, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, " \
                   "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "                       \
                   "ON CONFLICT (collection_id, stix_id, vkey) DO NOTHING")               \
    X(STIX_LABELS, "INSERT OR IGNORE INTO stix_labels(object_id, label) "                \
                   "SELECT ?1, value FROM json_each(?2) WHERE type = 'text'")             \
    X(STIX_MARKINGS, "INSERT OR IGNORE INTO stix_markings(object_id, marking_ref) "      \
                     "SELECT ?1, value FROM json_each(?2) WHERE type = 'text'")           \
    X(STIX_Q, "SELECT " STIX_HIT_COLS " FROM stix_objects o WHERE " STIX_WHERE("o")      \
              " ORDER BY o.date_added, o.id LIMIT ?18") \
    /* one object (and STIX_DEL_ID): through its versions' index; unforced, the planner */ \
    /* walks the whole collection in date_added order to spare sorting a few rows */     \
    X(STIX_Q_ID, "SELECT " STIX_HIT_COLS " FROM stix_objects o INDEXED BY stix_objects_id " \
                 "WHERE o.stix_id = ?2 AND " STIX_WHERE("o") " ORDER BY o.date_added, o.id LIMIT ?18") \
    X(STIX_Q_LATEST, "SELECT " STIX_HIT_COLS " FROM stix_objects o WHERE " STIX_WHERE_LATEST("o") \
                     " ORDER BY o.date_added, o.id LIMIT ?18")                            \
    X(STIX_Q_LATEST_ID, "SELECT " STIX_HIT_COLS " FROM stix_objects o INDEXED BY stix_objects_id " \
                        "WHERE o.stix_id = ?2 AND " STIX_WHERE_LATEST("o") " ORDER BY o.date_added, o.id LIMIT ?18") \
    X(STIX_DEL_ID, "DELETE FROM stix_objects WHERE id IN (SELECT o.id FROM stix_objects o " \
                   "INDEXED BY stix_objects_id WHERE o.stix_id = ?2 AND " STIX_WHERE("o") " AND ?17 IS NOT NULL AND ?18 IS NOT NULL)") \
    X(STIX_COUNT, "SELECT count(*) FROM stix_objects WHERE collection_id = ?1")           \
    X(TSTATUS_PUT, "INSERT INTO taxii_status(uuid, root_id, collection_id, org_id, status, request_timestamp, " \
                   "total, success, failure, pending, successes, failures, pendings, created) "            \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "                  \
                   "ON CONFLICT (uuid) DO UPDATE SET status = excluded.status, "          \
                   "request_timestamp = excluded.request_timestamp, total = excluded.total, " \
                   "success = excluded.success, failure = excluded.failure, pending = excluded.pending, " \
                   "successes = excluded.successes, failures = excluded.failures, pendings = excluded.pendings") \
    X(TSTATUS_GET, "SELECT " TSTATUS_COLS " FROM taxii_status t WHERE t.root_id = ?1 AND t.uuid = ?2")

/* ---- ISAC-DISPATCH (schema 7): approvals, blocklist rows, fetches, counters */
#define IAPP_COLS                                                                        \
    "a.id, a.group_id, a.stix_id, a.object_id, a.tlp, a.source, a.expires, a.approved_by, a.approver, " \
    "a.approver_org, a.created, a.revoked_at, a.revoked_by, "                            \
    "(SELECT count(*) FROM isac_approval_iocs i WHERE i.approval_id = a.id)"
/* the TLP view of an approval for fetcher ?2 of group ?1 (as STIX_VIS, with the group's
 * membership standing for "member": the fetch handler checks it) */
#define IAPP_VIS                                                                         \
    "(CASE a.tlp WHEN 1 THEN 1 WHEN 2 THEN 1 "                                            \
    "WHEN 3 THEN a.coll_group = ?1 OR a.added_by IN (SELECT ancestor FROM org_tree WHERE descendant = ?2) " \
    "WHEN 4 THEN a.added_by IN (SELECT ancestor FROM org_tree WHERE descendant = ?2) "  \
    "ELSE a.added_by = ?2 OR instr(coalesce(a.recipients, ''), ',' || ?2 || ',') > 0 END)"
#define ICOUNT_SUB(kind)                                                                 \
    "(SELECT coalesce(sum(k.n), 0) FROM isac_counts k WHERE k.kind = '" kind "' AND k.year = ?2 " \
    "AND k.org_id IN (SELECT descendant FROM org_tree WHERE ancestor = u.id))"
#define SQ_STATEMENTS_ISAC_DISPATCH(X)                                                   \
    X(IDX_IND_FIND, "SELECT o.id, o.collection_id, coalesce(c.group_id, 0), o.stix_id, o.type, " \
                    "CASE WHEN o.tlp = 0 THEN c.default_tlp ELSE o.tlp END, coalesce(o.added_by, 0), " \
                    "o.recipients, o.created_by_ref, o.valid_until, o.revoked, o.json " \
                    "FROM stix_objects o JOIN taxii_collections c ON c.id = o.collection_id " \
                    "WHERE o.stix_id = ?1 ORDER BY o.vkey DESC, o.date_added DESC LIMIT 1") \
    X(IDX_APPROVE, "INSERT INTO isac_approvals(group_id, stix_id, object_id, coll_group, tlp, added_by, " \
                   "recipients, source, expires, approved_by, approver, approver_org, created) " \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "    \
                   "ON CONFLICT (group_id, stix_id) DO UPDATE SET object_id = excluded.object_id, " \
                   "coll_group = excluded.coll_group, tlp = excluded.tlp, added_by = excluded.added_by, " \
                   "recipients = excluded.recipients, source = excluded.source, expires = excluded.expires, " \
                   "approved_by = excluded.approved_by, approver = excluded.approver, " \
                   "approver_org = excluded.approver_org, created = excluded.created, revoked_at = 0, " \
                   "revoked_by = NULL RETURNING id")                                     \
    X(IDX_IOC_CLEAR, "DELETE FROM isac_approval_iocs WHERE approval_id = ?1")            \
    X(IDX_IOC_INSERT, "INSERT INTO isac_approval_iocs(approval_id, kind, value) VALUES (?1, ?2, ?3)") \
    X(IDX_APPROVAL_GET, "SELECT " IAPP_COLS " FROM isac_approvals a WHERE a.id = ?1")    \
    X(IDX_APPROVAL_LIST, "SELECT " IAPP_COLS " FROM isac_approvals a WHERE (?1 = 0 OR a.group_id = ?1) " \
                         "AND (NOT ?2 OR (a.revoked_at = 0 AND a.expires > ?3)) AND a.id > ?4 " \
                         "ORDER BY a.id LIMIT ?5")                                       \
    X(IDX_REVOKE, "UPDATE isac_approvals SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 AND revoked_at = 0") \
    X(IDX_BL_EACH, "SELECT a.stix_id, a.source, a.tlp, a.expires, a.kind, a.value FROM isac_bl_rows a " \
                   "WHERE a.group_id = ?1 AND a.kind BETWEEN ?4 AND ?5 AND a.expires > ?3 AND " IAPP_VIS) \
    X(IDX_BLROW_CLEAR, "DELETE FROM isac_bl_rows WHERE approval_id = ?1")                \
    X(IDX_BL_STAMP, "SELECT changes FROM isac_bl_state WHERE group_id = ?1")           \
    X(IDX_BLROW_INSERT, "INSERT OR IGNORE INTO isac_bl_rows(group_id, kind, value, approval_id, expires, tlp, " \
                        "coll_group, added_by, recipients, stix_id, source) "            \
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")         \
    X(IDX_FETCH_LOG, "INSERT INTO isac_bl_fetches(group_id, org_id, token_id, user_id, list, version, status, at) " \
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")                          \
    X(IDX_FETCH_LATEST, "SELECT f.id, f.group_id, f.org_id, o.code, o.name_en, f.token_id, f.user_id, f.list, " \
                        "f.version, f.status, f.at, (SELECT count(*) FROM isac_bl_fetches g WHERE " \
                        "g.group_id = f.group_id AND g.org_id = f.org_id AND g.list = f.list) " \
                        "FROM isac_bl_fetches f JOIN orgs o ON o.id = f.org_id WHERE f.group_id = ?1 " \
                        "AND f.org_id IN (SELECT descendant FROM org_tree WHERE ancestor = ?2) " \
                        "AND f.id = (SELECT max(g.id) FROM isac_bl_fetches g WHERE g.group_id = f.group_id " \
                        "AND g.org_id = f.org_id AND g.list = f.list) ORDER BY f.org_id, f.list") \
    X(IDX_COUNT_ADD, "INSERT INTO isac_counts(org_id, year, kind, n) VALUES (?1, ?2, ?3, ?4) " \
                     "ON CONFLICT (org_id, year, kind) DO UPDATE SET n = n + excluded.n") \
    X(IDX_COUNTERS, "SELECT u.id, u.code, u.name_en, u.name_zh, "                        \
                    "(SELECT count(*) FROM stix_objects x WHERE x.added_by IN "          \
                    "(SELECT descendant FROM org_tree WHERE ancestor = u.id) AND x.date_added >= ?3 " \
                    "AND x.date_added < ?4) + " ICOUNT_SUB("shared") ", " ICOUNT_SUB("received") \
                    " FROM orgs u WHERE (?5 AND u.id = ?1) OR (NOT ?5 AND u.kind = 'county' AND u.id IN " \
                    "(SELECT descendant FROM org_tree WHERE ancestor = ?1)) ORDER BY u.id")

/* ---- sources (schema 6): scan items, finding sources, not-affected records, snapshots */
#define SQ_STATEMENTS_SOURCES(X)                                                         \
    X(SRC_SCAN_INSERT, "INSERT INTO scan_items(upload_id, host, rec, line, pkg, cpe) "   \
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                \
    X(SRC_SCAN_INSERT32, "INSERT INTO scan_items(upload_id, host, rec, line, pkg, cpe) VALUES " \
                         ROWS32("(?, ?, ?, ?, ?, ?)"))                                   \
    X(SRC_SET, "UPDATE findings SET sources_id = ?4, sources = NULL WHERE host_id = "    \
               "(SELECT id FROM hosts WHERE agency_id = ?1 AND name = ?2) AND cve = ?3 " \
               "AND sources_id IS NOT ?4")                                               \
    /* schema 12: the JSON is kept once per distinct text; `sources` is what older rows \
     * had inline (NULL since the migration, kept as the fallback) */                      \
    X(SRC_GET, "SELECT coalesce((SELECT j.json FROM finding_sources j WHERE j.id = f.sources_id), " \
               "f.sources) FROM findings f WHERE f.id = ?1")                             \
    X(SRC_NA_CLEAR, "DELETE FROM not_affected WHERE agency_id = ?1")                     \
    X(SRC_NA_INSERT, "INSERT INTO not_affected(agency_id, upload_id, host, cve, cpe, source, record, " \
                     "sources, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "    \
                     "ON CONFLICT (agency_id, host, cve) DO UPDATE SET upload_id = excluded.upload_id, " \
                     "cpe = excluded.cpe, source = excluded.source, record = excluded.record, " \
                     "sources = excluded.sources, created = excluded.created")           \
    X(SRC_NA_LIST, "SELECT id, agency_id, upload_id, host, cve, cpe, source, record, sources, created " \
                   "FROM not_affected WHERE agency_id = ?1 AND (?2 IS NULL OR host = ?2) " \
                   "AND (?3 IS NULL OR cve = ?3) AND id > ?4 ORDER BY id LIMIT ?5")      \
    X(SRC_SNAPSHOTS, "SELECT p.agency_id, p.id, p.month FROM uploads p WHERE p.status = 'current' " \
                     "AND p.month = (SELECT max(q.month) FROM uploads q WHERE q.agency_id = p.agency_id " \
                     "AND q.status = 'current') ORDER BY p.agency_id")

/* ---- MATCHSCOPE: ?3 / ?2 is a JSON array of CVE ids (json_each: one statement for any
 * number, through the findings_cve index). */
#define SQ_STATEMENTS_MATCHSCOPE(X)                                                      \
    X(F_STALE_CVES, "SELECT f.id FROM findings f WHERE f.cve IN (SELECT value FROM json_each(?3)) " \
                    "AND f.agency_id = ?1 AND (f.last_run IS NULL OR f.last_run <> ?2) " \
                    "AND (f.state IN ('open', 'measure_filed', 'risk_accepted') "        \
                    "OR (f.state = 'fixed' AND f.fixed_confirmed = 0)) ORDER BY f.id")  \
    X(SRC_NA_CLEAR_CVES, "DELETE FROM not_affected WHERE agency_id = ?1 "                \
                         "AND cve IN (SELECT value FROM json_each(?2))")                 \
    /* the steady state of a run in one statement: a known, active finding not yet hit by  \
     * this run whose indexed scores are unchanged (F_TOUCH's case) */                     \
    X(F_TOUCH_HC, "UPDATE findings SET cpe = ?3, cvss_version = ?5, kev_due = ?8, epss = ?9, " \
                  "last_seen = ?10, last_run = ?11, sources_id = coalesce(?13, sources_id) "   \
                  "WHERE host_id = ?1 AND cve = ?2 AND (last_run IS NULL OR last_run <> ?11) " \
                  "AND state IN ('open', 'measure_filed', 'risk_accepted') "             \
                  "AND kind IS ?4 AND cvss IS ?6 AND severity IS ?7 AND kev IS ?12")    \
    X(F_MAX_ID, "SELECT coalesce(max(id), 0) FROM findings")                             \
    /* schema 10: what the insert trigger adds for one row, for a batch's new rows (a new  \
     * finding is open and unfixed, so dash_fix gets nothing) */                           \
    X(DASH_RUN_OPEN, "INSERT INTO dash_open(org_id, sev, kev, due, n) SELECT t.ancestor, " DASH_SEV("f") ", " \
                     "coalesce(f.kev, 0) <> 0, coalesce(f.due_date, ''), count(*) FROM findings f NOT INDEXED " \
                     "JOIN org_tree t ON t.descendant = f.agency_id WHERE f.id > ?1 AND f.last_run = ?2 " \
                     "AND " DASH_OPEN("f") " GROUP BY 1, 2, 3, 4 "                     \
                     "ON CONFLICT(org_id, sev, kev, due) DO UPDATE SET n = n + excluded.n") \
    X(DASH_RUN_FIX, "INSERT INTO dash_fix(org_id, month, tenths, n) SELECT t.ancestor, " \
                    DASH_MONTH("f.fixed_at") ", " DASH_TENTHS("f") ", count(*) FROM findings f NOT INDEXED " \
                    "JOIN org_tree t ON t.descendant = f.agency_id WHERE f.id > ?1 AND f.last_run = ?2 " \
                    "AND f.state = 'fixed' AND f.fixed_at > 0 GROUP BY 1, 2, 3 "       \
                    "ON CONFLICT(org_id, month, tenths) DO UPDATE SET n = n + excluded.n") \
    X(DASH_RUN_LIFE, "INSERT INTO dash_life(org_id, sev, om, cm, n) SELECT t.ancestor, " DASH_SEV("f") ", " \
                     DASH_MONTH("f.first_seen") ", " DASH_CLOSED("f") ", count(*) FROM findings f NOT INDEXED " \
                     "JOIN org_tree t ON t.descendant = f.agency_id WHERE f.id > ?1 AND f.last_run = ?2 " \
                     "GROUP BY 1, 2, 3, 4 ON CONFLICT(org_id, sev, om, cm) DO UPDATE SET n = n + excluded.n")

/* ---- BULK: a batch's first hits of each (host, CVE) written set-wise (sq_finding_bulk):
 * the statements read the hits from the caller's memory through the table-valued function
 * lf_bulk_hits(batch) (bulk_vtab below), then one statement inserts the new findings, one
 * writes their audit rows and one refreshes the unchanged active ones. Per-row statements
 * cost ~10 us each in SQLite's per-statement work, most of a 100k-row upload. */
#define FIX_FROM "FROM lf_ids(?1) x JOIN findings f ON f.id = x.id"
/* a stale finding's fix time and risk fields once fixed (r: "f." or "" in the UPDATE) */
#define FIX_AT(r) "CASE WHEN " r "state = 'fixed' THEN " r "fixed_at ELSE ?2 END"
#define FIX_KEEP(r, col) "CASE WHEN " r "state = 'fixed' THEN " r col " END"
#define SQ_STATEMENTS_BULK(X)                                                            \
    X(BULK_PROBE, "SELECT 1 FROM findings WHERE host_id = ?1 AND cve = ?2")              \
    /* n new findings of one key into the per-host summary (schema 14) and, the batch's hits \
     * carrying no agency (it is the run's, ?1), the per-CVSS one (schema 18) */          \
    X(BULK_HOST_OPEN, "INSERT INTO host_open(host_id, sev, kev, due, n) SELECT " HOST_OPEN_KEY("f") ", ?5 " \
                      "FROM (SELECT ?1 AS host_id, ?2 AS severity, ?3 AS kev, ?4 AS due_date) f WHERE true " \
                      "ON CONFLICT(host_id, sev, kev, due) DO UPDATE SET n = n + excluded.n") \
    X(BULK_OPEN_CVSS, "INSERT INTO open_cvss(agency_id, cvss, notice, n) SELECT ?1, " OPEN_CVSS_VAL("f") ", ?4 " \
                      "FROM (SELECT ?2 AS cvss, ?3 AS notice_date) f WHERE true "         \
                      "ON CONFLICT(agency_id, cvss, notice) DO UPDATE SET n = n + excluded.n") \
    X(DASH_RUN_CVSS, "INSERT INTO open_cvss(agency_id, cvss, notice, n) SELECT " OPEN_CVSS_KEY("f") ", " \
                     "count(*) FROM findings f NOT INDEXED "                             \
                     "WHERE f.id > ?1 AND f.last_run = ?2 AND " DASH_OPEN("f") " GROUP BY 1, 2, 3 " \
                     "ON CONFLICT(agency_id, cvss, notice) DO UPDATE SET n = n + excluded.n") \
    X(DASH_RUN_HOST, "INSERT INTO host_open(host_id, sev, kev, due, n) SELECT " HOST_OPEN_KEY("f") ", " \
                     "count(*) FROM findings f NOT INDEXED "                             \
                     "WHERE f.id > ?1 AND f.last_run = ?2 AND " DASH_OPEN("f") " GROUP BY 1, 2, 3, 4 " \
                     "ON CONFLICT(host_id, sev, kev, due) DO UPDATE SET n = n + excluded.n")  \
    X(SRCS_FIND, "SELECT id FROM finding_sources WHERE hash = ?1 AND json = ?2")         \
    X(SRCS_INSERT, "INSERT INTO finding_sources(hash, json) VALUES (?1, ?2)")            \
    /* EPSS refresh: lf_score(fn, cve) is the caller's score function (score_func below) */ \
    X(META_GET, "SELECT value FROM store_meta WHERE key = ?1")                           \
    X(META_SET, "INSERT INTO store_meta(key, value) VALUES (?1, ?2) "                     \
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value")                \
    X(F_EPSS_REFRESH, "UPDATE findings SET epss = lf_score(?1, cve) WHERE epss IS NOT lf_score(?1, cve)") \
    X(F_EPSS_REFRESH_AGENCY, "UPDATE findings SET epss = lf_score(?1, cve) WHERE agency_id = ?2 "  \
                             "AND epss IS NOT lf_score(?1, cve)")                          \
    X(SRCS_GC, "DELETE FROM finding_sources WHERE id NOT IN "                            \
               "(SELECT sources_id FROM findings WHERE sources_id IS NOT NULL)")         \
    /* new: no finding of the host and CVE, no suppression of the host, CPE and CVE */     \
    X(BULK_NEW, "INSERT INTO findings(host_id, agency_id, cve, cpe, kind, cvss, cvss_version, severity, " \
                "kev, kev_due, epss, state, first_seen, last_seen, last_run, updated, notice_date, due_date, " \
                "sources_id) SELECT b.host_id, ?1, b.cve, b.cpe, b.kind, b.cvss, b.cvss_version, b.severity, " \
                "b.kev, b.kev_due, b.epss, 'open', ?2, ?2, ?3, ?2, b.notice_date, b.due_date, " \
                "lf_bulk_mark(?4, b.i, b.sources_id) FROM lf_bulk_hits(?4) b WHERE NOT EXISTS (SELECT 1 FROM findings f "     \
                "WHERE f.host_id = b.host_id AND f.cve = b.cve) AND NOT EXISTS (SELECT 1 FROM suppressions u " \
                "WHERE u.host_id = b.host_id AND u.cpe = b.cpe AND u.cve = b.cve) ORDER BY b.i") \
    /* BULK_NEW for hits whose host has no finding and no suppression (BULK_HOST_FRESH): \
     * nothing to check per row, and every row is written, so no RETURNING either */       \
    X(BULK_NEW_FRESH, "INSERT INTO findings(host_id, agency_id, cve, cpe, kind, cvss, cvss_version, severity, " \
                      "kev, kev_due, epss, state, first_seen, last_seen, last_run, updated, notice_date, " \
                      "due_date, sources_id) SELECT b.host_id, ?1, b.cve, b.cpe, b.kind, b.cvss, " \
                      "b.cvss_version, b.severity, b.kev, b.kev_due, b.epss, 'open', ?2, ?2, ?3, ?2, " \
                      "b.notice_date, b.due_date, b.sources_id FROM lf_bulk_hits(?4) b ORDER BY b.i") \
    X(BULK_HOST_FRESH, "SELECT NOT EXISTS (SELECT 1 FROM findings WHERE host_id = ?1) "   \
                       "AND NOT EXISTS (SELECT 1 FROM suppressions WHERE host_id = ?1)")  \
    /* F_TOUCH_HC for the whole batch */                                                 \
    X(BULK_TOUCH, "UPDATE findings SET cpe = b.cpe, cvss_version = b.cvss_version, kev_due = b.kev_due, " \
                  "epss = b.epss, last_seen = ?1, last_run = lf_bulk_mark(?3, b.i, ?2), "   \
                  "sources_id = coalesce(b.sources_id, findings.sources_id) "               \
                  "FROM lf_bulk_hits(?3) b WHERE findings.host_id = b.host_id AND findings.cve = b.cve " \
                  "AND (findings.last_run IS NULL OR findings.last_run <> ?2) "          \
                  "AND findings.state IN ('open', 'measure_filed', 'risk_accepted') "    \
                  "AND findings.kind IS b.kind AND findings.cvss IS b.cvss "             \
                  "AND findings.severity IS b.severity AND findings.kev IS b.kev")       \
    /* what the insert trigger adds for one row, for n new open findings of one key */     \
    X(BULK_DASH_OPEN, "INSERT INTO dash_open(org_id, sev, kev, due, n) SELECT t.ancestor, " DASH_SEV("f") ", " \
                      "coalesce(f.kev, 0) <> 0, coalesce(f.due_date, ''), ?5 FROM (SELECT ?1 AS agency_id, " \
                      "?2 AS severity, ?3 AS kev, ?4 AS due_date, 'open' AS state) f "  \
                      "JOIN org_tree t ON t.descendant = f.agency_id WHERE " DASH_OPEN("f") " " \
                      "ON CONFLICT(org_id, sev, kev, due) DO UPDATE SET n = n + excluded.n") \
    X(BULK_DASH_LIFE, "INSERT INTO dash_life(org_id, sev, om, cm, n) SELECT t.ancestor, " DASH_SEV("f") ", " \
                      DASH_MONTH("f.first_seen") ", " DASH_CLOSED("f") ", ?4 FROM (SELECT ?1 AS agency_id, " \
                      "?2 AS severity, ?3 AS first_seen, 'open' AS state, 0 AS fixed_at, ?3 AS updated) f " \
                      "JOIN org_tree t ON t.descendant = f.agency_id WHERE true "        \
                      "ON CONFLICT(org_id, sev, om, cm) DO UPDATE SET n = n + excluded.n") \
    /* FIX (sq_finding_fix_bulk): the stale findings lf_ids(?1) fixed at ?2, or confirmed \
     * when fixed by hand (they keep their fix time and risk fields, as fix_stale does) */ \
    X(FIX_KEYS, "SELECT f.state = 'fixed', f.agency_id, f.host_id, " DASH_OPEN("f") ", " DASH_SEV("f") ", " \
                "coalesce(f.kev, 0) <> 0, coalesce(f.due_date, ''), CASE WHEN f.state = 'fixed' AND f.fixed_at > 0 " \
                "THEN " DASH_MONTH("f.fixed_at") " END, " DASH_TENTHS("f") ", " DASH_MONTH("f.first_seen") ", " \
                DASH_CLOSED("f") ", " OPEN_CVSS_VAL("f") " " FIX_FROM)                  \
    X(FIX_AUDIT, "INSERT INTO audit(at, user_id, actor, org_id, entity, entity_id, action, before_json, " \
                 "after_json) SELECT ?2, NULL, 'system', f.agency_id, 'finding', f.id, "    \
                 "CASE WHEN f.state = 'fixed' THEN 'confirm' ELSE 'fixed' END, " FINDING_JSON("f") ", " \
                 "lf_finding_json('fixed', f.cpe, f.measure, f.measure_planned, " FIX_KEEP("f.", "risk_reason") \
                 ", " FIX_KEEP("f.", "risk_approver") ", " FIX_KEEP("f.", "risk_expiry") ", f.fp_reason, " \
                 "f.notice_date, f.due_date, " FIX_AT("f.") ", 1, f.reopened) " FIX_FROM)  \
    X(FIX_UPDATE, "UPDATE findings SET state = 'fixed', fixed_at = " FIX_AT("") ", risk_reason = " \
                  FIX_KEEP("", "risk_reason") ", risk_approver = " FIX_KEEP("", "risk_approver") ", " \
                  "risk_expiry = " FIX_KEEP("", "risk_expiry") ", fixed_confirmed = 1, updated = ?2 " \
                  "WHERE id IN (SELECT id FROM lf_ids(?1))")                              \
    /* one key's change of a summary, n (negative: fewer) */                             \
    X(FIX_DASH_OPEN, "INSERT INTO dash_open(org_id, sev, kev, due, n) SELECT ancestor, ?2, ?3, ?4, ?5 " \
                     "FROM org_tree WHERE descendant = ?1 "                                \
                     "ON CONFLICT(org_id, sev, kev, due) DO UPDATE SET n = n + excluded.n") \
    X(FIX_DASH_FIX, "INSERT INTO dash_fix(org_id, month, tenths, n) SELECT ancestor, ?2, ?3, ?4 " \
                    "FROM org_tree WHERE descendant = ?1 "                                 \
                    "ON CONFLICT(org_id, month, tenths) DO UPDATE SET n = n + excluded.n") \
    X(FIX_DASH_LIFE, "INSERT INTO dash_life(org_id, sev, om, cm, n) SELECT ancestor, ?2, ?3, ?4, ?5 " \
                     "FROM org_tree WHERE descendant = ?1 "                                \
                     "ON CONFLICT(org_id, sev, om, cm) DO UPDATE SET n = n + excluded.n")  \
    X(FIX_HOST_OPEN, "INSERT INTO host_open(host_id, sev, kev, due, n) VALUES (?1, ?2, ?3, ?4, ?5) " \
                     "ON CONFLICT(host_id, sev, kev, due) DO UPDATE SET n = n + excluded.n") \
    X(FIX_OPEN_CVSS, "INSERT INTO open_cvss(agency_id, cvss, notice, n) VALUES (?1, ?2, ?3, ?4) " \
                     "ON CONFLICT(agency_id, cvss, notice) DO UPDATE SET n = n + excluded.n")

enum {
#define SQ_ENUM(name, sql) ST_##name,
    SQ_STATEMENTS(SQ_ENUM)
    SQ_STATEMENTS_DASHBOARD(SQ_ENUM)
    SQ_STATEMENTS_MATCHRUN(SQ_ENUM)
    SQ_STATEMENTS_SOURCES(SQ_ENUM)
    SQ_STATEMENTS_ISAC(SQ_ENUM)
    SQ_STATEMENTS_ISAC_DISPATCH(SQ_ENUM)
    SQ_STATEMENTS_NOTICES(SQ_ENUM)
    SQ_STATEMENTS_MATCHSCOPE(SQ_ENUM)
    SQ_STATEMENTS_BULK(SQ_ENUM)
#undef SQ_ENUM
    ST_COUNT
};

static const char *const st_sql[ST_COUNT] = {
#define SQ_SQL(name, sql) sql,
    SQ_STATEMENTS(SQ_SQL)
    SQ_STATEMENTS_DASHBOARD(SQ_SQL)
    SQ_STATEMENTS_MATCHRUN(SQ_SQL)
    SQ_STATEMENTS_SOURCES(SQ_SQL)
    SQ_STATEMENTS_ISAC(SQ_SQL)
    SQ_STATEMENTS_ISAC_DISPATCH(SQ_SQL)
    SQ_STATEMENTS_NOTICES(SQ_SQL)
    SQ_STATEMENTS_MATCHSCOPE(SQ_SQL)
    SQ_STATEMENTS_BULK(SQ_SQL)
#undef SQ_SQL
};

/* ---------------------------------------------------------------- connections */

/* schema 12: finding sources already stored in this transaction, by content (a match
 * run writes the same text for every host with the same software). Valid only inside the
 * write transaction that saw them: cleared when it ends, so no other writer's change or a
 * rollback can leave a stale id here. */
typedef struct srcs_entry {
    uint64_t hash;
    lf_id id;                          /* 0 = empty slot */
    size_t len;
    char *json;
} srcs_entry;
#define SRCS_CACHE_BYTES ((size_t)64 << 20)

struct sq_conn {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    int depth;                         /* transaction nesting: 0 none, 1 BEGIN, >1 savepoints */
    struct sq_store *q;
    sq_conn *next_all, *next_idle;
    srcs_entry *srcs;                  /* open addressing, srcs_cap a power of two */
    size_t srcs_cap, srcs_n, srcs_bytes;
};

typedef struct sq_store {
    lf_store *s;
    char *path;
    pthread_key_t key;
    pthread_mutex_t mu;                /* guards all, idle */
    sq_conn *all;
    sq_conn *idle;
    /* the WAL checkpointer (ckpt_main): a thread of its own, so that the commit that
     * crosses the threshold does not also copy the log into the database and fsync it
     * (a fifth of the commit of a first upload) */
    pthread_t ckpt;
    bool ckpt_running, ckpt_due, ckpt_stop;
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
} sq_store;

/* Map a SQLite result to an LF code with the database's message. */
static int sq_fail(sqlite3 *db, int src, const char *what, lf_err *err)
{
    int code;
    switch (src & 0xff) {
    case SQLITE_CONSTRAINT:
        code = (src == SQLITE_CONSTRAINT_UNIQUE || src == SQLITE_CONSTRAINT_PRIMARYKEY) ? LF_EEXIST : LF_EINVAL;
        break;
    case SQLITE_NOMEM:
        code = LF_ENOMEM;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = LF_ECORRUPT;
        break;
    case SQLITE_TOOBIG:
        code = LF_ELIMIT;
        break;
    case SQLITE_BUSY:     /* another writer held the lock past the busy timeout: a retry can work */
    case SQLITE_LOCKED:
        code = LF_EBUSY;
        break;
    default:
        code = LF_EIO;
        break;
    }
    return lf_err_set(err, code, "%s: %s (sqlite %d)", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(src), src);
}

/* BULK: lf_bulk_hits(batch), an eponymous table-valued function over a batch in memory
 * (bulk_rows, bound with sqlite3_bind_pointer): the set-wise statements read the hits
 * where they are instead of from a table filled row by row first. */
typedef struct bulk_rows {
    const lf_store_bulk *b;
    const lf_id *sid;                  /* each hit's sources id (0 = keep) */
    size_t n;
    bool only_left;                    /* rows the statements before left (LF_BULK_LEFT) only */
    const bool *fresh;                 /* each hit's host has no finding or suppression */
    signed char want_fresh;            /* rows whose fresh[] is this (1 / 0) only; -1 all */
    uint8_t *marked;                   /* lf_bulk_mark: the rows a statement wrote */
    size_t nmarked;
} bulk_rows;
#define BULK_PTR "lf_bulk_rows"
enum { BV_I, BV_HOST, BV_CVE, BV_CPE, BV_KIND, BV_CVSS, BV_CVSS_VERSION, BV_SEVERITY, BV_KEV, BV_KEV_DUE,
       BV_EPSS, BV_NOTICE, BV_DUE, BV_SOURCES, BV_BATCH };

/* Table-valued functions over arrays in the caller's memory (lf_bulk_hits, lf_ids), bound
 * with sqlite3_bind_pointer to a HIDDEN column: each is only a scan given its array, in the
 * array's order; a cursor is the array, its length and a position. */
typedef struct arr_cursor {
    sqlite3_vtab_cursor base;
    const void *p;                     /* NULL: no array given */
    size_t n, i;
} arr_cursor;

static int arr_connect(sqlite3 *db, const char *decl, sqlite3_vtab **out)
{
    int rc = sqlite3_declare_vtab(db, decl);
    if (rc != SQLITE_OK)
        return rc;
    /* zeroed, from SQLite's allocator, which arr_disconnect gives back */
    *out = sqlite3_malloc64(sizeof(sqlite3_vtab));
    if (!*out)
        return SQLITE_NOMEM;
    memset(*out, 0, sizeof(sqlite3_vtab));
    return SQLITE_OK;
}

static int arr_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

/* The planner must not use the function but as a scan given its array (column arr_col);
 * an ORDER BY the position column pos_col (-1: none) is the scan's own order, so it needs
 * no sorter. */
static int arr_best_index(sqlite3_index_info *ix, int arr_col, int pos_col, double rows)
{
    for (int k = 0; k < ix->nConstraint; k++)
        if (ix->aConstraint[k].iColumn == arr_col && ix->aConstraint[k].op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!ix->aConstraint[k].usable)
                return SQLITE_CONSTRAINT;
            ix->aConstraintUsage[k].argvIndex = 1;
            ix->aConstraintUsage[k].omit = 1;
            ix->estimatedCost = rows;
            ix->estimatedRows = (sqlite3_int64)rows;
            if (pos_col >= 0 && ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == pos_col && !ix->aOrderBy[0].desc)
                ix->orderByConsumed = 1;
            return SQLITE_OK;
        }
    return SQLITE_CONSTRAINT;
}

static int arr_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    arr_cursor *c = sqlite3_malloc64(sizeof *c);
    if (c)
        memset(c, 0, sizeof *c);
    *out = c ? &c->base : NULL;
    return c ? SQLITE_OK : SQLITE_NOMEM;
}

static int arr_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static int arr_eof(sqlite3_vtab_cursor *cur)
{
    const arr_cursor *c = (const arr_cursor *)cur;
    return !c->p || c->i >= c->n;
}

static int arr_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = (sqlite3_int64)((const arr_cursor *)cur)->i;
    return SQLITE_OK;
}

static int bv_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **msg)
{
    (void)aux, (void)argc, (void)argv, (void)msg;
    return arr_connect(db,
                       "CREATE TABLE x(i INTEGER, host_id INTEGER, cve TEXT, cpe TEXT, kind TEXT, "
                       "cvss REAL, cvss_version TEXT, severity TEXT, kev INTEGER, kev_due TEXT, "
                       "epss REAL, notice_date TEXT, due_date TEXT, sources_id INTEGER, batch HIDDEN)",
                       out);
}

/* BULK_NEW's ORDER BY i is the scan's order (a sorter copied every new row's columns once
 * more) */
static int bv_best_index(sqlite3_vtab *v, sqlite3_index_info *ix)
{
    (void)v;
    return arr_best_index(ix, BV_BATCH, BV_I, 10000);
}

static void bv_skip(arr_cursor *c)
{
    const bulk_rows *r = c->p;
    while (r && c->i < c->n &&
           ((r->only_left && r->b[c->i].state != LF_BULK_LEFT) ||
            (r->want_fresh >= 0 && r->fresh[c->i] != (r->want_fresh == 1))))
        c->i++;
}

static int bv_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv)
{
    (void)idx, (void)idxs;
    arr_cursor *c = (arr_cursor *)cur;
    const bulk_rows *r = argc == 1 ? sqlite3_value_pointer(argv[0], BULK_PTR) : NULL;
    c->p = r;
    c->n = r ? r->n : 0;
    c->i = 0;
    bv_skip(c);
    return SQLITE_OK;
}

static int bv_next(sqlite3_vtab_cursor *cur)
{
    arr_cursor *c = (arr_cursor *)cur;
    c->i++;
    bv_skip(c);
    return SQLITE_OK;
}

static void bv_text(sqlite3_context *x, const char *v)
{
    if (v)
        sqlite3_result_text(x, v, -1, SQLITE_STATIC);   /* the batch outlives the statement */
    else
        sqlite3_result_null(x);
}

static void bv_score(sqlite3_context *x, double v)
{
    if (v >= 0)
        sqlite3_result_double(x, v);
    else
        sqlite3_result_null(x);
}

static int bv_column(sqlite3_vtab_cursor *cur, sqlite3_context *x, int col)
{
    const arr_cursor *c = (const arr_cursor *)cur;
    const bulk_rows *r = c->p;
    const lf_store_bulk *e = &r->b[c->i];
    const lf_store_hit *h = e->hit;
    switch (col) {
    case BV_I: sqlite3_result_int64(x, (sqlite3_int64)c->i); break;
    case BV_HOST: sqlite3_result_int64(x, e->host_id); break;
    case BV_CVE: bv_text(x, h->cve); break;
    case BV_CPE: bv_text(x, h->cpe); break;
    case BV_KIND: bv_text(x, lf_fkind_name(h->kind)); break;
    case BV_CVSS: bv_score(x, h->cvss); break;
    case BV_CVSS_VERSION: bv_text(x, h->cvss_version); break;
    case BV_SEVERITY: bv_text(x, h->severity); break;
    case BV_KEV: sqlite3_result_int(x, h->kev); break;
    case BV_KEV_DUE: bv_text(x, h->kev_due); break;
    case BV_EPSS: bv_score(x, h->epss); break;
    case BV_NOTICE: bv_text(x, h->notice_date); break;
    case BV_DUE: bv_text(x, h->due_date); break;
    case BV_SOURCES:
        if (r->sid[c->i])
            sqlite3_result_int64(x, r->sid[c->i]);
        else
            sqlite3_result_null(x);
        break;
    default: sqlite3_result_null(x); break;
    }
    return SQLITE_OK;
}

static const sqlite3_module bulk_module = {
    .iVersion = 0,
    .xCreate = NULL,                   /* eponymous only: no CREATE VIRTUAL TABLE */
    .xConnect = bv_connect,
    .xBestIndex = bv_best_index,
    .xDisconnect = arr_disconnect,
    .xOpen = arr_open,
    .xClose = arr_close,
    .xFilter = bv_filter,
    .xNext = bv_next,
    .xEof = arr_eof,
    .xColumn = bv_column,
    .xRowid = arr_rowid,
};

/* lf_bulk_mark(batch, i, v): v, after marking row i of the batch as written. In an
 * UPDATE's SET or an INSERT's SELECT list it runs once for each row the statement writes,
 * in order, which tells the writer which rows a statement took without RETURNING (whose
 * ephemeral table of output rows cost 4,400 instructions a row: callgrind, the sqlite3
 * shell). DIRECTONLY and bound by pointer, as lf_bulk_hits. */
static void bulk_mark_sql(sqlite3_context *x, int argc, sqlite3_value **argv)
{
    (void)argc;
    bulk_rows *r = sqlite3_value_pointer(argv[0], BULK_PTR);
    sqlite3_int64 i = sqlite3_value_int64(argv[1]);
    if (!r || !r->marked || i < 0 || (size_t)i >= r->n) {
        sqlite3_result_error(x, "lf_bulk_mark: no such batch row", -1);
        return;
    }
    if (!r->marked[i]) {
        r->marked[i] = 1;
        r->nmarked++;
    }
    sqlite3_result_value(x, argv[2]);
}

static int bulk_vtab_register(sqlite3 *db)
{
    int src = sqlite3_create_module_v2(db, "lf_bulk_hits", &bulk_module, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(db, "lf_bulk_mark", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                         bulk_mark_sql, NULL, NULL, NULL);
    return src;
}

/* FIX: lf_ids(list), an array table-valued function (as lf_bulk_hits) over finding ids,
 * for the set-wise fix of a run's stale findings (sq_finding_fix_bulk). */
typedef struct id_list {
    const lf_id *ids;
    size_t n;
} id_list;
#define IDS_PTR "lf_id_list"

static int ids_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **msg)
{
    (void)aux, (void)argc, (void)argv, (void)msg;
    return arr_connect(db, "CREATE TABLE x(id INTEGER, list HIDDEN)", out);
}

static int ids_best_index(sqlite3_vtab *v, sqlite3_index_info *ix)
{
    (void)v;
    return arr_best_index(ix, 1, -1, 100000);
}

static int ids_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv)
{
    (void)idx, (void)idxs;
    arr_cursor *c = (arr_cursor *)cur;
    const id_list *l = argc == 1 ? sqlite3_value_pointer(argv[0], IDS_PTR) : NULL;
    c->p = l;
    c->n = l ? l->n : 0;
    c->i = 0;
    return SQLITE_OK;
}

static int ids_next(sqlite3_vtab_cursor *cur)
{
    ((arr_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int ids_column(sqlite3_vtab_cursor *cur, sqlite3_context *x, int col)
{
    const arr_cursor *c = (const arr_cursor *)cur;
    if (col == 0)
        sqlite3_result_int64(x, ((const id_list *)c->p)->ids[c->i]);
    else
        sqlite3_result_null(x);
    return SQLITE_OK;
}

static const sqlite3_module ids_module = {
    .iVersion = 0,
    .xCreate = NULL,
    .xConnect = ids_connect,
    .xBestIndex = ids_best_index,
    .xDisconnect = arr_disconnect,
    .xOpen = arr_open,
    .xClose = arr_close,
    .xFilter = ids_filter,
    .xNext = ids_next,
    .xEof = arr_eof,
    .xColumn = ids_column,
    .xRowid = arr_rowid,
};

/* lf_finding_json(state, cpe, measure, measure_planned, risk_reason, risk_approver,
 * risk_expiry, fp_reason, notice_date, due_date, fixed_at, fixed_confirmed, reopened): the
 * audit JSON of a finding with those values, by the same writer as every other audit row
 * of a finding (lf_store_finding_json), so a set-wise fix leaves the same text. */
static void finding_json_sql(sqlite3_context *x, int argc, sqlite3_value **argv)
{
    (void)argc;
    int st = lf_fstate_parse((const char *)sqlite3_value_text(argv[0]));
    if (st < 0) {
        sqlite3_result_error(x, "lf_finding_json: unknown state", -1);
        return;
    }
#define ARG_TEXT(i) ((const char *)sqlite3_value_text(argv[i]))
    lf_store_finding f = {
        .state = (lf_fstate)st,
        .cpe = ARG_TEXT(1),
        .measure = ARG_TEXT(2),
        .measure_planned = ARG_TEXT(3),
        .risk_reason = ARG_TEXT(4),
        .risk_approver = ARG_TEXT(5),
        .risk_expiry = ARG_TEXT(6),
        .fp_reason = ARG_TEXT(7),
        .notice_date = ARG_TEXT(8),
        .due_date = ARG_TEXT(9),
        .fixed_at = sqlite3_value_int64(argv[10]),
        .fixed_confirmed = sqlite3_value_int64(argv[11]) != 0,
        .reopened = (unsigned)sqlite3_value_int64(argv[12]),
    };
#undef ARG_TEXT
    lf_buf b;
    lf_buf_init(&b, 0);
    if (lf_store_finding_json(&f, &b) || b.len > INT_MAX) {
        lf_buf_clear(&b);
        sqlite3_result_error_nomem(x);
        return;
    }
    sqlite3_result_text(x, b.data, (int)b.len, free);
}

static int fix_sql_register(sqlite3 *db)
{
    int src = sqlite3_create_module_v2(db, "lf_ids", &ids_module, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(db, "lf_finding_json", 13, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                         finding_json_sql, NULL, NULL, NULL);
    return src;
}

/* lf_score(fn, cve): the score a caller's function gives a CVE (NULL without one), for
 * set-wise updates; fn is bound with sqlite3_bind_pointer, so SQL text cannot forge it */
typedef struct score_func {
    lf_store_score_fn fn;
    void *ud;
} score_func;
#define SCORE_PTR "lf_score_fn"

static void score_sql(sqlite3_context *x, int argc, sqlite3_value **argv)
{
    (void)argc;
    const score_func *f = sqlite3_value_pointer(argv[0], SCORE_PTR);
    const char *cve = (const char *)sqlite3_value_text(argv[1]);
    double v;
    if (f && cve && f->fn(f->ud, cve, &v))
        sqlite3_result_double(x, v);
    else
        sqlite3_result_null(x);
}

static void srcs_forget(sq_conn *c)
{
    for (size_t i = 0; i < c->srcs_cap; i++)
        free(c->srcs[i].json);
    free(c->srcs);
    c->srcs = NULL;
    c->srcs_cap = c->srcs_n = c->srcs_bytes = 0;
}

static void conn_free(sq_conn *c)
{
    if (!c)
        return;
    srcs_forget(c);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close_v2(c->db);
    free(c);
}

/* SQLite's process-wide settings, once, before its first use. Memory statistics off: with
 * them every allocation SQLite makes (an aggregate's context per group, a result's text)
 * takes one process-wide mutex, and with 200 clients on the hosts page the server spent a
 * quarter of its time in futex waits on it (perf, bench_upload --reads). lianfang reads no
 * SQLite memory statistic. If the application already initialised SQLite, the call fails
 * harmlessly and the defaults stay. */
/* SQLite's own threshold (wal_autocheckpoint's default): a log of this many pages is
 * copied back. */
#define CKPT_FRAMES 1000

/* After each commit (it replaces SQLite's automatic checkpoint): a log past the threshold
 * wakes the checkpointer; without one (its thread could not start) the committing
 * connection checkpoints as SQLite would have. */
static int wal_hook(void *ud, sqlite3 *db, const char *name, int frames)
{
    sq_store *q = ud;
    if (frames < CKPT_FRAMES)
        return SQLITE_OK;
    if (!q->ckpt_running) {
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return SQLITE_OK;
    }
    pthread_mutex_lock(&q->ckpt_mu);
    q->ckpt_due = true;
    pthread_cond_signal(&q->ckpt_cv);
    pthread_mutex_unlock(&q->ckpt_mu);
    return SQLITE_OK;
}

/* RESTART, not PASSIVE as SQLite's automatic one: a PASSIVE checkpoint running beside
 * back-to-back write transactions (a re-match commits agency by agency) never finds the
 * log fully copied when the next writer starts, so the log is never reset and grows by
 * every transaction (150 MB in a re-match of 1M rows, and page reads slow down with it).
 * RESTART waits (up to 2 s) for the writer of the moment, copies everything and holds the
 * next writer until the log can start over: what the inline checkpoint did, but after
 * the committing request has been answered. Readers are never blocked. */
static void *ckpt_main(void *arg)
{
    sq_store *q = arg;
    sqlite3 *db = NULL;
#ifdef __linux__
    /* Linux's nice value is per thread: the copy of the log competes for the CPU with the
     * requests and, at equal weight, halved their rate for the half second it took after a
     * 100,000-row upload; at the lowest weight it takes what they leave. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
#endif
    /* a connection that has read nothing has not opened the log yet, and a checkpoint
     * through it does nothing: read the schema once */
    if (sqlite3_open_v2(q->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        db = NULL;
    }
    if (db)
        sqlite3_busy_timeout(db, 2000);
    pthread_mutex_lock(&q->ckpt_mu);
    for (;;) {
        while (!q->ckpt_due && !q->ckpt_stop)
            pthread_cond_wait(&q->ckpt_cv, &q->ckpt_mu);
        if (q->ckpt_stop)
            break;
        q->ckpt_due = false;
        pthread_mutex_unlock(&q->ckpt_mu);
        /* the bulk of the copy PASSIVE, which holds no writer back while it runs at the
         * lowest weight; then RESTART copies what was committed meanwhile and resets the log */
        if (db) {
            sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
        }
        pthread_mutex_lock(&q->ckpt_mu);
    }
    pthread_mutex_unlock(&q->ckpt_mu);
    sqlite3_close(db);
    return NULL;
}

static void ckpt_start(sq_store *q)
{
    if (pthread_mutex_init(&q->ckpt_mu, NULL) != 0)
        return;
    if (pthread_cond_init(&q->ckpt_cv, NULL) != 0) {
        pthread_mutex_destroy(&q->ckpt_mu);
        return;
    }
    q->ckpt_running = pthread_create(&q->ckpt, NULL, ckpt_main, q) == 0;
    if (!q->ckpt_running) {
        pthread_cond_destroy(&q->ckpt_cv);
        pthread_mutex_destroy(&q->ckpt_mu);
    }
}

static void ckpt_stop(sq_store *q)
{
    if (!q->ckpt_running)
        return;
    pthread_mutex_lock(&q->ckpt_mu);
    q->ckpt_stop = true;
    pthread_cond_signal(&q->ckpt_cv);
    pthread_mutex_unlock(&q->ckpt_mu);
    pthread_join(q->ckpt, NULL);
    q->ckpt_running = false;
    pthread_cond_destroy(&q->ckpt_cv);
    pthread_mutex_destroy(&q->ckpt_mu);
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int conn_open(sq_store *q, sq_conn **out, lf_err *err)
{
    pthread_once(&sqlite_once, sqlite_configure);
    sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return lf_err_set(err, LF_ENOMEM, "store: out of memory");
    c->q = q;
    int src = sqlite3_open_v2(q->path, &c->db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        int rc = sq_fail(c->db, src, q->path, err);
        lf_err_at(err, q->path, 0, 0, NULL);
        conn_free(c);
        return rc;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, (int)q->s->opts.busy_timeout_ms);
    sqlite3_wal_hook(c->db, wal_hook, q);
    char *emsg = NULL;
    src = sqlite3_exec(c->db,
                       /* not temp_store = MEMORY: in-memory statement journals are
                        * truncated by walking them, which made long savepoints (a match
                        * run inside a transaction) quadratic; file ones spill at 64 KiB */
                       "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                       /* a match run writes hundreds of MB in one transaction: with the
                        * default 2 MB page cache the same B-tree pages are spilled to the
                        * WAL again and again (bench/bench_upload.py) */
                       "PRAGMA cache_size = -65536;",
                       NULL, NULL, &emsg);
    sqlite3_free(emsg);
    if (src == SQLITE_OK)
        src = bulk_vtab_register(c->db);
    if (src == SQLITE_OK)
        src = fix_sql_register(c->db);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(c->db, "lf_score", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, score_sql,
                                         NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        int rc = sq_fail(c->db, src, q->path, err);
        conn_free(c);
        return rc;
    }
    *out = c;
    return LF_OK;
}

/* Thread exit: give the connection back to the pool, without a transaction. */
static void conn_release(void *p)
{
    sq_conn *c = p;
    if (c->depth > 0 && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    c->depth = 0;
    pthread_mutex_lock(&c->q->mu);
    c->next_idle = c->q->idle;
    c->q->idle = c;
    pthread_mutex_unlock(&c->q->mu);
}

/* The calling thread's connection. */
static int conn_get(lf_store *s, sq_conn **out, lf_err *err)
{
    sq_store *q = s->impl;
    sq_conn *c = pthread_getspecific(q->key);
    if (c) {
        *out = c;
        return LF_OK;
    }
    pthread_mutex_lock(&q->mu);
    c = q->idle;
    if (c)
        q->idle = c->next_idle;
    pthread_mutex_unlock(&q->mu);
    if (!c) {
        int rc = conn_open(q, &c, err);
        if (rc)
            return rc;
        pthread_mutex_lock(&q->mu);
        c->next_all = q->all;
        q->all = c;
        pthread_mutex_unlock(&q->mu);
    }
    c->next_idle = NULL;
    if (pthread_setspecific(q->key, c) != 0) {
        conn_release(c);
        return lf_err_set(err, LF_ENOMEM, "store: cannot bind a connection to this thread");
    }
    *out = c;
    return LF_OK;
}

static int st_get(sq_conn *c, int id, sqlite3_stmt **out, lf_err *err)
{
    *out = NULL;   /* callers never read it after a failure; said so for the compiler */
    if (!c->st[id]) {
        int src = sqlite3_prepare_v3(c->db, st_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &c->st[id], NULL);
        if (src != SQLITE_OK)
            return sq_fail(c->db, src, "prepare", err);
    }
    *out = c->st[id];
    return LF_OK;
}

static void st_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Connection + statement in one go: the prologue of nearly every operation. */
#define STMT(id)                                                                         \
    sq_conn *c = NULL;                                                                   \
    sqlite3_stmt *st = NULL;                                                             \
    do {                                                                                 \
        int rc_ = conn_get(s, &c, err);                                                  \
        if (rc_)                                                                         \
            return rc_;                                                                  \
        if ((rc_ = st_get(c, ST_##id, &st, err)))                                        \
            return rc_;                                                                  \
    } while (0)

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id(sqlite3_stmt *st, int i, lf_id v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static void bind_score(sqlite3_stmt *st, int i, double v)
{
    if (v >= 0)
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Step a statement that returns no rows (or whose rows are ignored) and reset it. */
static int st_exec(sq_conn *c, sqlite3_stmt *st, const char *what, lf_err *err)
{
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        ;
    int rc = src == SQLITE_DONE ? LF_OK : sq_fail(c->db, src, what, err);
    st_done(st);
    return rc;
}

/* Step a statement expected to modify one row; LF_ENOTFOUND when it touched none. */
static int st_exec_one(sq_conn *c, sqlite3_stmt *st, const char *what, lf_id id, lf_err *err)
{
    int rc = st_exec(c, st, what, err);
    if (!rc && sqlite3_changes(c->db) == 0)
        rc = lf_err_set(err, LF_ENOTFOUND, "%s: no row with id %lld", what, (long long)id);
    return rc;
}

static void srcs_remember(sq_conn *c, uint64_t hash, lf_id id, const char *json, size_t len)
{
    if (c->srcs_bytes + len > SRCS_CACHE_BYTES)
        srcs_forget(c);
    if (2 * (c->srcs_n + 1) > c->srcs_cap) {
        size_t nc = c->srcs_cap ? 2 * c->srcs_cap : 1024;
        srcs_entry *t = calloc(nc, sizeof *t);
        if (!t)
            return;                    /* only a cache */
        for (size_t i = 0; i < c->srcs_cap; i++) {
            if (!c->srcs[i].id)
                continue;
            size_t k = c->srcs[i].hash & (nc - 1);
            while (t[k].id)
                k = (k + 1) & (nc - 1);
            t[k] = c->srcs[i];
        }
        free(c->srcs);
        c->srcs = t;
        c->srcs_cap = nc;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, json, len + 1);
    size_t k = hash & (c->srcs_cap - 1);
    while (c->srcs[k].id)
        k = (k + 1) & (c->srcs_cap - 1);
    c->srcs[k] = (srcs_entry){hash, id, len, copy};
    c->srcs_n++;
    c->srcs_bytes += len + sizeof(srcs_entry);
}

/* The id of a finding's sources text in finding_sources (schema 12), stored when new;
 * 0 for NULL (= keep what the finding has). Same text, same id. */
static int srcs_intern(sq_conn *c, const char *json, lf_id *id, lf_err *err)
{
    *id = 0;
    if (!json)
        return LF_OK;
    size_t len = strlen(json);
    uint64_t hash = lf_hash64(json, len);   /* the texts are ~1 KB and every hit has one */
    bool cache = c->depth > 0 && !sqlite3_get_autocommit(c->db);
    if (cache && c->srcs_cap)
        for (size_t k = hash & (c->srcs_cap - 1); c->srcs[k].id; k = (k + 1) & (c->srcs_cap - 1))
            if (c->srcs[k].hash == hash && c->srcs[k].len == len && !memcmp(c->srcs[k].json, json, len)) {
                *id = c->srcs[k].id;
                return LF_OK;
            }
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_SRCS_FIND, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)hash);
    sqlite3_bind_text(st, 2, json, (int)len, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "finding sources", err);
    st_done(st);
    if (rc)
        return rc;
    if (!*id) {
        if ((rc = st_get(c, ST_SRCS_INSERT, &st, err)))
            return rc;
        sqlite3_bind_int64(st, 1, (int64_t)hash);
        sqlite3_bind_text(st, 2, json, (int)len, SQLITE_STATIC);
        if ((rc = st_exec(c, st, "finding sources", err)))
            return rc;
        *id = sqlite3_last_insert_rowid(c->db);
    }
    if (cache)
        srcs_remember(c, hash, *id, json, len);
    return LF_OK;
}

/* Arena copy of a text column (NULL for SQL NULL); sets *oom when the arena is full. */
static const char *col_str(sqlite3_stmt *st, int i, lf_arena *a, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    char *p = lf_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
    if (!p)
        *oom = true;
    return p;
}

static int64_t col_i64(sqlite3_stmt *st, int i) { return sqlite3_column_int64(st, i); }

static double col_score(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, i);
}

/* Enum column by name table lookup; 0 when unknown (cannot happen: CHECK constraints). */
static int col_enum(sqlite3_stmt *st, int i, int (*parse)(const char *))
{
    int v = parse((const char *)sqlite3_column_text(st, i));
    return v < 0 ? 0 : v;
}

static int upload_status_parse(const char *s)
{
    for (int i = LF_UPLOAD_PENDING; i <= LF_UPLOAD_SUPERSEDED; i++)
        if (s && strcmp(s, lf_upload_status_name((lf_upload_status)i)) == 0)
            return i;
    return -1;
}

/* ---------------------------------------------------------------- row decoders */

typedef bool (*row_fn)(sqlite3_stmt *st, lf_arena *a, void *out);   /* false: out of memory */

static bool row_org(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_org *o = out;
    bool oom = false;
    memset(o, 0, sizeof *o);
    o->id = col_i64(st, 0);
    o->parent_id = col_i64(st, 1);
    o->kind = (lf_org_kind)col_enum(st, 2, lf_org_kind_parse);
    o->code = col_str(st, 3, a, &oom);
    o->name_zh = col_str(st, 4, a, &oom);
    o->name_en = col_str(st, 5, a, &oom);
    const unsigned char *lv = sqlite3_column_text(st, 6);
    o->level = lv ? (char)lv[0] : 0;
    o->created = col_i64(st, 7);
    return !oom;
}

static bool row_user(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_auth_row *r = out;
    lf_store_user *u = &r->user;
    bool oom = false;
    memset(r, 0, sizeof *r);
    u->id = col_i64(st, 0);
    u->login = col_str(st, 1, a, &oom);
    u->display_name = col_str(st, 2, a, &oom);
    u->email = col_str(st, 3, a, &oom);
    u->role = (lf_role)col_enum(st, 4, lf_role_parse);
    u->org_id = col_i64(st, 5);
    u->disabled = col_i64(st, 6) != 0;
    r->password_hash = col_str(st, 7, a, &oom);
    u->has_password = r->password_hash != NULL;
    u->failed_logins = (unsigned)col_i64(st, 8);
    u->locked_until = col_i64(st, 9);
    u->last_login = col_i64(st, 10);
    u->created = col_i64(st, 11);
    return !oom;
}

/* Lists of users must not carry hashes: decode, then drop the auth part. */
static bool row_user_only(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_auth_row r;
    if (!row_user(st, a, &r))
        return false;
    *(lf_store_user *)out = r.user;
    return true;
}

static bool row_token(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_apitoken *t = out;
    bool oom = false;
    memset(t, 0, sizeof *t);
    t->id = col_i64(st, 0);
    t->name = col_str(st, 1, a, &oom);
    t->org_id = col_i64(st, 2);
    t->created_by = col_i64(st, 3);
    t->created = col_i64(st, 4);
    t->last_used = col_i64(st, 5);
    t->revoked = col_i64(st, 6) != 0;
    return !oom;
}

static bool row_upload(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_upload *u = out;
    bool oom = false;
    memset(u, 0, sizeof *u);
    u->id = col_i64(st, 0);
    u->agency_id = col_i64(st, 1);
    const unsigned char *m = sqlite3_column_text(st, 2);
    snprintf(u->month, sizeof u->month, "%s", m ? (const char *)m : "");
    u->status = (lf_upload_status)col_enum(st, 3, upload_status_parse);
    u->uploaded_by = col_i64(st, 4);
    u->token_id = col_i64(st, 5);
    u->uploaded_at = col_i64(st, 6);
    u->published_at = col_i64(st, 7);
    u->superseded_by = col_i64(st, 8);
    u->file_name = col_str(st, 9, a, &oom);
    u->encoding = col_str(st, 10, a, &oom);
    u->format = col_str(st, 11, a, &oom);
    u->report_json = col_str(st, 12, a, &oom);
    u->counts.records = (uint64_t)col_i64(st, 13);
    u->counts.resolved = (uint64_t)col_i64(st, 14);
    u->counts.unresolved = (uint64_t)col_i64(st, 15);
    u->counts.rejected = (uint64_t)col_i64(st, 16);
    u->items = (uint64_t)col_i64(st, 17);
    return !oom;
}

static bool row_item(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_item *it = out;
    bool oom = false;
    memset(it, 0, sizeof *it);
    it->id = col_i64(st, 0);
    it->host = col_str(st, 1, a, &oom);
    it->ip = col_str(st, 2, a, &oom);
    it->os = col_str(st, 3, a, &oom);
    it->name = col_str(st, 4, a, &oom);
    it->version = col_str(st, 5, a, &oom);
    it->vendor = col_str(st, 6, a, &oom);
    it->cpe = col_str(st, 7, a, &oom);
    it->bucket = col_str(st, 8, a, &oom);
    it->confidence = col_str(st, 9, a, &oom);
    it->line = (long)col_i64(st, 10);
    return !oom;
}

static bool row_host(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_host *h = out;
    bool oom = false;
    memset(h, 0, sizeof *h);
    h->id = col_i64(st, 0);
    h->agency_id = col_i64(st, 1);
    h->name = col_str(st, 2, a, &oom);
    h->ip = col_str(st, 3, a, &oom);
    h->os = col_str(st, 4, a, &oom);
    h->first_seen = col_i64(st, 5);
    h->last_seen = col_i64(st, 6);
    return !oom;
}

static bool row_finding(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_finding *f = out;
    bool oom = false;
    memset(f, 0, sizeof *f);
    f->id = col_i64(st, 0);
    f->host_id = col_i64(st, 1);
    f->agency_id = col_i64(st, 2);
    f->host = col_str(st, 3, a, &oom);
    f->cve = col_str(st, 4, a, &oom);
    f->cpe = col_str(st, 5, a, &oom);
    f->kind = (lf_fkind)col_enum(st, 6, lf_fkind_parse);
    f->cvss = col_score(st, 7);
    f->cvss_version = col_str(st, 8, a, &oom);
    f->severity = col_str(st, 9, a, &oom);
    f->kev = col_i64(st, 10) != 0;
    f->kev_due = col_str(st, 11, a, &oom);
    f->epss = col_score(st, 12);
    f->state = (lf_fstate)col_enum(st, 13, lf_fstate_parse);
    f->measure = col_str(st, 14, a, &oom);
    f->measure_planned = col_str(st, 15, a, &oom);
    f->risk_reason = col_str(st, 16, a, &oom);
    f->risk_approver = col_str(st, 17, a, &oom);
    f->risk_expiry = col_str(st, 18, a, &oom);
    f->fp_reason = col_str(st, 19, a, &oom);
    f->notice_date = col_str(st, 20, a, &oom);
    f->due_date = col_str(st, 21, a, &oom);
    f->first_seen = col_i64(st, 22);
    f->last_seen = col_i64(st, 23);
    f->fixed_at = col_i64(st, 24);
    f->fixed_confirmed = col_i64(st, 25) != 0;
    f->reopened = (unsigned)col_i64(st, 26);
    f->last_run = col_i64(st, 27);
    f->updated = col_i64(st, 28);
    return !oom;
}

static bool row_audit(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_audit *r = out;
    bool oom = false;
    memset(r, 0, sizeof *r);
    r->id = col_i64(st, 0);
    r->at = col_i64(st, 1);
    r->user_id = col_i64(st, 2);
    r->actor = col_str(st, 3, a, &oom);
    r->org_id = col_i64(st, 4);
    r->entity = col_str(st, 5, a, &oom);
    r->entity_id = col_i64(st, 6);
    r->action = col_str(st, 7, a, &oom);
    r->before_json = col_str(st, 8, a, &oom);
    r->after_json = col_str(st, 9, a, &oom);
    return !oom;
}

/* Step a bound statement expected to give at most one row, decoded into out.
 * LF_ENOTFOUND (message "<what> not found") when there is none. */
static int st_one(sq_conn *c, sqlite3_stmt *st, const char *what, row_fn fn, lf_arena *a, void *out,
                  lf_err *err)
{
    int src = sqlite3_step(st);
    int rc;
    if (src == SQLITE_ROW)
        rc = fn(st, a, out) ? LF_OK : lf_err_set(err, LF_ENOMEM, "%s: out of memory", what);
    else if (src == SQLITE_DONE)
        rc = lf_err_set(err, LF_ENOTFOUND, "%s not found", what);
    else
        rc = sq_fail(c->db, src, what, err);
    st_done(st);
    return rc;
}

/*
 * Run a list statement whose last parameter is the LIMIT (bound here to limit + 1, the
 * extra row telling whether more follow) and whose column 0 is the row id. Rows are
 * decoded into a growing heap array, then copied into the arena in one piece.
 */
static int st_list(sq_conn *c, sqlite3_stmt *st, int limit_param, const char *what, lf_store_page *pg,
                   size_t esz, row_fn fn, lf_arena *a, void **out, size_t *n, lf_err *err)
{
    uint32_t limit = lf_store_page_limit(pg);
    sqlite3_bind_int64(st, limit_param, (sqlite3_int64)limit + 1);
    unsigned char *buf = NULL;
    size_t cnt = 0, cap = 0;
    bool more = false;
    lf_id last = 0;
    int rc = LF_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == limit) {
            more = true;
            break;
        }
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            unsigned char *nb = realloc(buf, ncap * esz);
            if (!nb) {
                rc = lf_err_set(err, LF_ENOMEM, "%s: out of memory", what);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        if (!fn(st, a, buf + cnt * esz)) {
            rc = lf_err_set(err, LF_ENOMEM, "%s: out of memory", what);
            goto done;
        }
        last = col_i64(st, 0);
        cnt++;
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        rc = sq_fail(c->db, src, what, err);
        goto done;
    }
    *out = NULL;
    if (cnt) {
        void *p = lf_arena_alloc(a, cnt * esz);
        if (!p) {
            rc = lf_err_set(err, LF_ENOMEM, "%s: out of memory", what);
            goto done;
        }
        memcpy(p, buf, cnt * esz);
        *out = p;
    }
    *n = cnt;
    if (pg) {
        pg->next = last;
        pg->more = more;
    }
done:
    free(buf);
    st_done(st);
    return rc;
}

static lf_id page_after(const lf_store_page *pg) { return pg ? pg->after : 0; }

/* ---------------------------------------------------------------- open, migrate, close */

static int exec_sql(sq_conn *c, const char *sql, const char *what, lf_err *err)
{
    char *emsg = NULL;
    int src = sqlite3_exec(c->db, sql, NULL, NULL, &emsg);
    int rc = LF_OK;
    if (src != SQLITE_OK)
        rc = lf_err_set(err, src == SQLITE_NOTADB || src == SQLITE_CORRUPT ? LF_ECORRUPT : LF_EIO,
                        "%s: %s", what, emsg ? emsg : sqlite3_errstr(src));
    sqlite3_free(emsg);
    return rc;
}

static int seed_one(sq_conn *c, lf_store *s, lf_id parent, lf_org_kind kind, const lf_store_seed_org *o,
                    lf_id *id, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_ORG_INSERT, &st, err);
    if (rc)
        return rc;
    bind_id(st, 1, parent);
    bind_text(st, 2, lf_org_kind_name(kind));
    bind_text(st, 3, o->code);
    bind_text(st, 4, o->name_zh);
    bind_text(st, 5, o->name_en);
    sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, lf_store_now(s));
    if ((rc = st_exec(c, st, "seed", err)))
        return rc;
    *id = sqlite3_last_insert_rowid(c->db);
    return LF_OK;
}

/* schema 12's data step: every inline sources text into finding_sources, by id order in
 * slices (the rows are rewritten as they are read) */
static int migrate_sources_dedup(sq_conn *c, lf_store *s, lf_err *err)
{
    (void)s;
    sqlite3_stmt *rd = NULL, *wr = NULL;
    int rc = LF_OK, src;
    if ((src = sqlite3_prepare_v2(c->db, "SELECT id, sources FROM findings WHERE sources IS NOT NULL AND id > ?1 "
                                         "ORDER BY id LIMIT 1000", -1, &rd, NULL)) != SQLITE_OK ||
        (src = sqlite3_prepare_v2(c->db, "UPDATE findings SET sources_id = ?2, sources = NULL WHERE id = ?1", -1,
                                  &wr, NULL)) != SQLITE_OK) {
        rc = sq_fail(c->db, src, "schema migration 12", err);
        goto done;
    }
    lf_id after = 0;
    for (;;) {
        lf_id ids[1000], sids[1000];
        size_t n = 0;
        sqlite3_bind_int64(rd, 1, after);
        while (!rc && (src = sqlite3_step(rd)) == SQLITE_ROW) {
            ids[n] = sqlite3_column_int64(rd, 0);
            rc = srcs_intern(c, (const char *)sqlite3_column_text(rd, 1), &sids[n], err);
            n++;
        }
        if (!rc && src != SQLITE_DONE)
            rc = sq_fail(c->db, src, "schema migration 12", err);
        sqlite3_reset(rd);
        for (size_t i = 0; !rc && i < n; i++) {
            sqlite3_bind_int64(wr, 1, ids[i]);
            bind_id(wr, 2, sids[i]);
            if ((src = sqlite3_step(wr)) != SQLITE_DONE)
                rc = sq_fail(c->db, src, "schema migration 12", err);
            sqlite3_reset(wr);
        }
        if (rc || n < 1000)
            break;
        after = ids[n - 1];
    }
done:
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    return rc;
}

static int seed_orgs(sq_conn *c, lf_store *s, lf_err *err)
{
    lf_id national, region[6], county;
    int rc = seed_one(c, s, 0, LF_ORG_NATIONAL, &lf_store_seed_national, &national, err);
    for (int i = 0; !rc && i < 6; i++)
        rc = seed_one(c, s, national, LF_ORG_REGION, &lf_store_seed_regions[i], &region[i], err);
    for (int i = 0; !rc && i < 22; i++)
        rc = seed_one(c, s, region[lf_store_seed_counties[i].region], LF_ORG_COUNTY,
                      &lf_store_seed_counties[i], &county, err);
    return rc;
}

static int query_int(sq_conn *c, const char *sql, int64_t *out, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (src != SQLITE_OK)
        return sq_fail(c->db, src, sql, err);
    src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = sq_fail(c->db, src, sql, err);
    sqlite3_finalize(st);
    return rc;
}

/* schema 19 (see FINDINGS_KIND_V19): the table's SQL text edited in sqlite_master. A
 * table whose text does not hold schema 1's constraints (made by hand) is left as it is:
 * it is only slower. RESET makes this connection parse the schema again (its other
 * connections see the new schema_version). */
static int migrate_findings_checks(sq_conn *c, lf_store *s, lf_err *err)
{
    (void)s;
    const char *what = "schema migration 19";
    sqlite3_stmt *st = NULL;
    int64_t ver = 0;
    int rc = query_int(c, "PRAGMA schema_version", &ver, err);
    if (rc || (rc = exec_sql(c, "PRAGMA writable_schema = ON", what, err)))
        return rc;
    int src = sqlite3_prepare_v2(c->db,
                                 "UPDATE sqlite_master SET sql = replace(replace(sql, ?1, ?2), ?3, ?4) "
                                 "WHERE type = 'table' AND name = 'findings' AND instr(sql, ?1) > 0 "
                                 "AND instr(sql, ?3) > 0",
                                 -1, &st, NULL);
    if (src != SQLITE_OK) {
        rc = sq_fail(c->db, src, what, err);
        goto done;
    }
    bind_text(st, 1, FINDINGS_KIND_V1);
    bind_text(st, 2, FINDINGS_KIND_V19);
    bind_text(st, 3, FINDINGS_STATE_V1);
    bind_text(st, 4, FINDINGS_STATE_V19);
    if ((src = sqlite3_step(st)) != SQLITE_DONE) {
        rc = sq_fail(c->db, src, what, err);
        goto done;
    }
    if (sqlite3_changes(c->db) > 0) {
        char q[64];
        snprintf(q, sizeof q, "PRAGMA schema_version = %lld", (long long)ver + 1);
        rc = exec_sql(c, q, what, err);
    }
done:
    sqlite3_finalize(st);
    /* RESET also turns writable_schema off, on every path */
    lf_err later;
    int rc2 = exec_sql(c, "PRAGMA writable_schema = RESET", what, rc ? &later : err);
    if (!rc)
        rc = rc2;
    /* the new text must parse: a statement on the table reads the schema again */
    if (!rc && (src = sqlite3_prepare_v2(c->db, "SELECT kind, state FROM findings LIMIT 0", -1, &st, NULL)) != SQLITE_OK)
        rc = sq_fail(c->db, src, what, err);
    else if (!rc)
        sqlite3_finalize(st);
    return rc;
}

static int migrate(sq_conn *c, lf_store *s, const char *path, lf_err *err)
{
    /* A new file gets 8 KiB pages (before WAL, which fixes the size; a file that exists
     * keeps its own): an upload's finding inserts into seven B-trees took 12-15 % less
     * than with SQLite's 4 KiB, in interleaved runs of the same 322k rows. */
    int src = sqlite3_exec(c->db, "PRAGMA page_size = 8192", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return sq_fail(c->db, src, path, err);
    /* WAL is a property of the file: set once, every later connection uses it. */
    sqlite3_stmt *st = NULL;
    src = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (src != SQLITE_OK)
        return sq_fail(c->db, src, path, err);
    src = sqlite3_step(st);
    char mode[16] = "";
    if (src == SQLITE_ROW)
        snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (src != SQLITE_ROW)
        return sq_fail(c->db, src, path, err);
    if (strcmp(mode, "wal") != 0)
        return lf_err_set(err, LF_EIO, "%s: cannot switch to WAL mode (journal mode is %s)", path, mode);

    int rc = exec_sql(c, "BEGIN IMMEDIATE", path, err);
    if (rc)
        return rc;
    rc = exec_sql(c,
                  "CREATE TABLE IF NOT EXISTS schema_version ("
                  "  version INTEGER PRIMARY KEY,"
                  "  applied_at INTEGER NOT NULL,"
                  "  description TEXT NOT NULL)",
                  path, err);
    int64_t cur = 0;
    if (!rc)
        rc = query_int(c, "SELECT coalesce(max(version), 0) FROM schema_version", &cur, err);
    int latest = lf_store_sqlite_latest();
    if (!rc && cur > latest)
        rc = lf_err_set(err, LF_ECORRUPT,
                        "%s: database schema version %lld is newer than this build knows (%d); "
                        "use a newer lianfang or restore a backup",
                        path, (long long)cur, latest);
    for (size_t i = 0; !rc && i < NMIGRATIONS; i++) {
        const migration *m = &migrations[i];
        /* applied when missing, not only when above the highest: a release may bring a
         * migration numbered below one a database already has (parallel work lands in
         * any order), and each migration is applied exactly once */
        int64_t have = 0;
        char q[96];
        snprintf(q, sizeof q, "SELECT count(*) FROM schema_version WHERE version = %d", m->version);
        if ((rc = query_int(c, q, &have, err)) != LF_OK)
            break;
        if (have)
            continue;
        char what[64];
        snprintf(what, sizeof what, "schema migration %d", m->version);
        rc = exec_sql(c, m->sql, what, err);
        if (!rc && m->after)
            rc = m->after(c, s, err);
        if (!rc) {
            sqlite3_stmt *ins;
            src = sqlite3_prepare_v2(c->db, "INSERT INTO schema_version(version, applied_at, description) "
                                            "VALUES (?1, ?2, ?3)", -1, &ins, NULL);
            if (src != SQLITE_OK)
                rc = sq_fail(c->db, src, what, err);
            else {
                sqlite3_bind_int(ins, 1, m->version);
                sqlite3_bind_int64(ins, 2, lf_store_now(s));
                bind_text(ins, 3, m->description);
                src = sqlite3_step(ins);
                if (src != SQLITE_DONE)
                    rc = sq_fail(c->db, src, what, err);
                sqlite3_finalize(ins);
            }
        }
    }
    if (!rc)
        rc = exec_sql(c, "COMMIT", path, err);
    if (rc && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static void sq_close(lf_store *s)
{
    sq_store *q = s->impl;
    if (!q)
        return;
    /* Statements prepared later on this thread must not find a freed connection. */
    if (pthread_getspecific(q->key))
        pthread_setspecific(q->key, NULL);
    pthread_key_delete(q->key);
    ckpt_stop(q);
    sq_conn *c = q->all;
    while (c) {
        sq_conn *nx = c->next_all;
        conn_free(c);
        c = nx;
    }
    pthread_mutex_destroy(&q->mu);
    free(q->path);
    free(q);
    s->impl = NULL;
}

static int sq_open(lf_store *s, const char *path, lf_err *err)
{
    if (!sqlite3_threadsafe())
        return lf_err_set(err, LF_EFORMAT, "store: this SQLite library was built without thread support");
    sq_store *q = calloc(1, sizeof *q);
    if (!q)
        return lf_err_set(err, LF_ENOMEM, "store: out of memory");
    q->s = s;
    size_t n = strlen(path);
    q->path = malloc(n + 1);
    if (!q->path) {
        free(q);
        return lf_err_set(err, LF_ENOMEM, "store: out of memory");
    }
    memcpy(q->path, path, n + 1);
    if (pthread_mutex_init(&q->mu, NULL) != 0) {
        free(q->path);
        free(q);
        return lf_err_set(err, LF_ENOMEM, "store: cannot create a mutex");
    }
    if (pthread_key_create(&q->key, conn_release) != 0) {
        pthread_mutex_destroy(&q->mu);
        free(q->path);
        free(q);
        return lf_err_set(err, LF_ENOMEM, "store: cannot create a thread key");
    }
    s->impl = q;
    sq_conn *c;
    int rc = conn_get(s, &c, err);
    if (!rc)
        rc = migrate(c, s, path, err);
    if (!rc)
        ckpt_start(q);
    if (rc) {
        if (!err || !err->src[0])
            lf_err_at(err, path, 0, 0, NULL);
        sq_close(s);
    }
    return rc;
}

/* ---------------------------------------------------------------- transactions, health */

static int sq_begin(lf_store *s, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    if (c->depth > 0 && sqlite3_get_autocommit(c->db))
        c->depth = 0;                  /* SQLite rolled back on its own (I/O error, full disk) */
    if (c->depth == 0)
        srcs_forget(c);
    if ((rc = st_get(c, c->depth == 0 ? ST_BEGIN : ST_SAVEPOINT, &st, err)))
        return rc;
    if ((rc = st_exec(c, st, "begin", err)))
        return rc;
    c->depth++;
    return LF_OK;
}

static int sq_commit(lf_store *s, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    if (c->depth == 0)
        return lf_err_set(err, LF_EUSAGE, "store: commit without begin");
    if (sqlite3_get_autocommit(c->db)) {
        c->depth = 0;
        return lf_err_set(err, LF_EIO, "store: the transaction was rolled back by the database");
    }
    if ((rc = st_get(c, c->depth == 1 ? ST_COMMIT : ST_RELEASE, &st, err)))
        return rc;
    if ((rc = st_exec(c, st, "commit", err)))
        return rc;                     /* still open: the caller rolls back */
    if (--c->depth == 0)
        srcs_forget(c);
    return LF_OK;
}

static void sq_rollback(lf_store *s)
{
    sq_conn *c;
    if (conn_get(s, &c, NULL) || c->depth == 0)
        return;
    srcs_forget(c);                    /* a savepoint's rows are undone too */
    if (sqlite3_get_autocommit(c->db)) {
        c->depth = 0;
        return;
    }
    if (c->depth == 1) {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        c->depth = 0;
        return;
    }
    /* undo the savepoint's work, then pop it */
    if (sqlite3_exec(c->db, "ROLLBACK TO lf; RELEASE lf", NULL, NULL, NULL) != SQLITE_OK &&
        sqlite3_get_autocommit(c->db)) {
        c->depth = 0;
        return;
    }
    c->depth--;
}

static int sq_schema_version(lf_store *s, int *version, lf_err *err)
{
    STMT(SCHEMA_VERSION);
    int src = sqlite3_step(st);
    int rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "schema version", err);
    if (!rc)
        *version = sqlite3_column_int(st, 0);
    st_done(st);
    return rc;
}

static int sq_ping(lf_store *s, lf_err *err)
{
    STMT(PING);
    return st_exec(c, st, "ping", err);
}

static int sq_check(lf_store *s, lf_err *err)
{
    sq_conn *c;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &st, NULL);
    if (src != SQLITE_OK)
        return sq_fail(c->db, src, "integrity check", err);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0)
            rc = lf_err_set(err, LF_ECORRUPT, "integrity check: %.400s", r ? r : "(no answer)");
    } else {
        rc = sq_fail(c->db, src, "integrity check", err);
    }
    sqlite3_finalize(st);
    if (!rc) {
        /* foreign keys are not part of integrity_check */
        src = sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL);
        if (src != SQLITE_OK)
            return sq_fail(c->db, src, "foreign key check", err);
        src = sqlite3_step(st);
        if (src == SQLITE_ROW)
            rc = lf_err_set(err, LF_ECORRUPT, "foreign key check: table %s row %lld refers to a missing %s row",
                            (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                            (const char *)sqlite3_column_text(st, 2));
        else if (src != SQLITE_DONE)
            rc = sq_fail(c->db, src, "foreign key check", err);
        sqlite3_finalize(st);
    }
    return rc;
}

/* ---------------------------------------------------------------- organisations */

static int sq_org_create(lf_store *s, const lf_store_org *in, lf_id *id, lf_err *err)
{
    STMT(ORG_INSERT);
    char level[2] = {in->level, 0};
    bind_id(st, 1, in->parent_id);
    bind_text(st, 2, lf_org_kind_name(in->kind));
    bind_text(st, 3, in->code);
    bind_text(st, 4, in->name_zh);
    bind_text(st, 5, in->name_en);
    bind_text(st, 6, in->level ? level : NULL);
    sqlite3_bind_int64(st, 7, lf_store_now(s));
    int rc = st_exec(c, st, "org", err);
    if (rc == LF_EEXIST)
        rc = lf_err_set(err, LF_EEXIST, "org: code '%s' already exists", in->code);
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_org_get(lf_store *s, lf_id id, const char *code, lf_arena *a, lf_store_org *out, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = st_get(c, code ? ST_ORG_GET_CODE : ST_ORG_GET, &st, err)))
        return rc;
    if (code)
        bind_text(st, 1, code);
    else
        sqlite3_bind_int64(st, 1, id);
    char what[96];
    if (code)
        snprintf(what, sizeof what, "org '%.64s'", code);
    else
        snprintf(what, sizeof what, "org %lld", (long long)id);
    if ((rc = st_one(c, st, what, row_org, a, out, err)))
        return rc;

    /* contacts */
    if ((rc = st_get(c, ST_ORG_CONTACTS, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, out->id);
    const char **em = NULL;
    size_t n = 0, cap = 0;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            const char **ne = lf_arena_alloc(a, ncap * sizeof *ne);
            if (!ne) {
                st_done(st);
                return lf_err_set(err, LF_ENOMEM, "org: out of memory");
            }
            if (n)
                memcpy(ne, em, n * sizeof *ne);
            em = ne;
            cap = ncap;
        }
        bool oom = false;
        em[n++] = col_str(st, 0, a, &oom);
        if (oom) {
            st_done(st);
            return lf_err_set(err, LF_ENOMEM, "org: out of memory");
        }
    }
    rc = src == SQLITE_DONE ? LF_OK : sq_fail(c->db, src, what, err);
    st_done(st);
    out->emails = em;
    out->nemails = n;
    return rc;
}

static int sq_org_set_contacts(lf_store *s, lf_id id, const char *const *emails, size_t n, lf_err *err)
{
    STMT(ORG_GET);
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    st_done(st);
    if (src == SQLITE_DONE)
        return lf_err_set(err, LF_ENOTFOUND, "org %lld not found", (long long)id);
    if (src != SQLITE_ROW)
        return sq_fail(c->db, src, "org contacts", err);
    int rc = st_get(c, ST_ORG_CONTACTS_DEL, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = st_exec(c, st, "org contacts", err)))
        return rc;
    if ((rc = st_get(c, ST_ORG_CONTACT_ADD, &st, err)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, emails[i]);
        if ((rc = st_exec(c, st, "org contacts", err)))
            return rc;
    }
    return LF_OK;
}

static int sq_org_children(lf_store *s, lf_id id, lf_store_page *pg, lf_arena *a, lf_store_org **out,
                           size_t *n, lf_err *err)
{
    STMT(ORG_CHILDREN);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 3, "org children", pg, sizeof **out, row_org, a, &p, n, err);
    *out = p;
    return rc;
}

static int sq_org_agencies(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a, lf_store_org **out,
                           size_t *n, lf_err *err)
{
    STMT(ORG_AGENCIES);
    sqlite3_bind_int64(st, 1, scope);
    sqlite3_bind_int64(st, 2, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 3, "agencies", pg, sizeof **out, row_org, a, &p, n, err);
    *out = p;
    return rc;
}

static int sq_org_ancestors(lf_store *s, lf_id id, lf_arena *a, lf_store_org **out, size_t *n, lf_err *err)
{
    STMT(ORG_ANCESTORS);
    sqlite3_bind_int64(st, 1, id);
    /* st_list wants a LIMIT parameter; the hierarchy is four deep, so read rows here */
    lf_store_org tmp[8];
    size_t cnt = 0;
    int src, rc = LF_OK;
    while ((src = sqlite3_step(st)) == SQLITE_ROW && cnt < 8) {
        if (!row_org(st, a, &tmp[cnt])) {
            rc = lf_err_set(err, LF_ENOMEM, "org ancestors: out of memory");
            break;
        }
        cnt++;
    }
    if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "org ancestors", err);
    st_done(st);
    if (rc)
        return rc;
    if (cnt == 0)
        return lf_err_set(err, LF_ENOTFOUND, "org %lld not found", (long long)id);
    lf_store_org *p = lf_arena_alloc(a, cnt * sizeof *p);
    if (!p)
        return lf_err_set(err, LF_ENOMEM, "org ancestors: out of memory");
    memcpy(p, tmp, cnt * sizeof *p);
    *out = p;
    *n = cnt;
    return LF_OK;
}

static int sq_org_within(lf_store *s, lf_id org, lf_id scope, bool *inside, lf_err *err)
{
    STMT(ORG_WITHIN);
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int64(st, 2, scope);
    int src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW)
        *inside = true;
    else if (src == SQLITE_DONE)
        *inside = false;
    else
        rc = sq_fail(c->db, src, "scope check", err);
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- users */

static int sq_user_create(lf_store *s, const lf_store_user *in, lf_id *id, lf_err *err)
{
    STMT(USER_INSERT);
    bind_text(st, 1, in->login);
    bind_text(st, 2, in->display_name);
    bind_text(st, 3, in->email);
    bind_text(st, 4, lf_role_name(in->role));
    sqlite3_bind_int64(st, 5, in->org_id);
    sqlite3_bind_int(st, 6, in->disabled);
    sqlite3_bind_int64(st, 7, lf_store_now(s));
    int rc = st_exec(c, st, "user", err);
    if (rc == LF_EEXIST)
        rc = lf_err_set(err, LF_EEXIST, "user: login '%s' already exists", in->login);
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_user_get(lf_store *s, lf_id id, const char *login, lf_arena *a, lf_store_auth_row *out,
                       lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = st_get(c, login ? ST_USER_GET_LOGIN : ST_USER_GET, &st, err)))
        return rc;
    char what[96];
    if (login) {
        bind_text(st, 1, login);
        snprintf(what, sizeof what, "user '%.64s'", login);
    } else {
        sqlite3_bind_int64(st, 1, id);
        snprintf(what, sizeof what, "user %lld", (long long)id);
    }
    return st_one(c, st, what, row_user, a, out, err);
}

static int sq_user_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a, lf_store_user **out,
                        size_t *n, lf_err *err)
{
    STMT(USER_LIST);
    sqlite3_bind_int64(st, 1, scope);
    sqlite3_bind_int64(st, 2, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 3, "users", pg, sizeof **out, row_user_only, a, &p, n, err);
    *out = p;
    return rc;
}

static int sq_user_update(lf_store *s, const lf_store_user *in, lf_err *err)
{
    STMT(USER_UPDATE);
    sqlite3_bind_int64(st, 1, in->id);
    bind_text(st, 2, in->display_name);
    bind_text(st, 3, in->email);
    bind_text(st, 4, lf_role_name(in->role));
    sqlite3_bind_int64(st, 5, in->org_id);
    sqlite3_bind_int(st, 6, in->disabled);
    return st_exec_one(c, st, "user", in->id, err);
}

static int sq_user_set_hash(lf_store *s, lf_id id, const char *hash, lf_err *err)
{
    STMT(USER_SET_HASH);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, hash);
    return st_exec_one(c, st, "user", id, err);
}

static int sq_user_login_failed(lf_store *s, lf_id id, unsigned max_failures, int64_t lock_until,
                                lf_err *err)
{
    STMT(USER_FAILED);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, max_failures);
    sqlite3_bind_int64(st, 3, lock_until);
    return st_exec_one(c, st, "user", id, err);
}

static int sq_user_login_ok(lf_store *s, lf_id id, lf_err *err)
{
    STMT(USER_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, lf_store_now(s));
    return st_exec_one(c, st, "user", id, err);
}

/* ---------------------------------------------------------------- sessions */

static int sq_session_insert(lf_store *s, const char *token_hash, const lf_store_session *in, lf_id *id,
                             lf_err *err)
{
    STMT(SES_INSERT);
    bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, in->user_id);
    bind_text(st, 3, in->csrf);
    sqlite3_bind_int64(st, 4, in->created);
    sqlite3_bind_int64(st, 5, in->expires);
    sqlite3_bind_int64(st, 6, in->last_seen);
    int rc = st_exec(c, st, "session", err);
    if (rc == LF_EINVAL)
        rc = lf_err_set(err, LF_ENOTFOUND, "session: user %lld not found", (long long)in->user_id);
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_session_get(lf_store *s, const char *token_hash, lf_store_session *out, lf_err *err)
{
    STMT(SES_GET);
    bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, lf_store_now(s));
    int src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->id = col_i64(st, 0);
        out->user_id = col_i64(st, 1);
        const unsigned char *csrf = sqlite3_column_text(st, 2);
        snprintf(out->csrf, sizeof out->csrf, "%s", csrf ? (const char *)csrf : "");
        out->created = col_i64(st, 3);
        out->expires = col_i64(st, 4);
        out->last_seen = col_i64(st, 5);
    } else if (src == SQLITE_DONE) {
        rc = lf_err_set(err, LF_ENOTFOUND, "session: unknown or expired");
    } else {
        rc = sq_fail(c->db, src, "session", err);
    }
    st_done(st);
    return rc;
}

static int sq_session_touch(lf_store *s, const char *token_hash, int64_t expires, lf_err *err)
{
    STMT(SES_TOUCH);
    bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, lf_store_now(s));
    sqlite3_bind_int64(st, 3, expires);
    int rc = st_exec(c, st, "session", err);
    if (!rc && sqlite3_changes(c->db) == 0)
        rc = lf_err_set(err, LF_ENOTFOUND, "session: unknown or expired");
    return rc;
}

static int sq_session_delete(lf_store *s, const char *token_hash, lf_id user_id, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = st_get(c, token_hash ? ST_SES_DEL : ST_SES_DEL_USER, &st, err)))
        return rc;
    if (token_hash)
        bind_text(st, 1, token_hash);
    else
        sqlite3_bind_int64(st, 1, user_id);
    return st_exec(c, st, "session", err);
}

static int sq_session_purge(lf_store *s, size_t *removed, lf_err *err)
{
    STMT(SES_PURGE);
    sqlite3_bind_int64(st, 1, lf_store_now(s));
    int rc = st_exec(c, st, "session purge", err);
    if (!rc)
        *removed = (size_t)sqlite3_changes(c->db);
    return rc;
}

/* ---------------------------------------------------------------- API tokens */

static int sq_apitoken_insert(lf_store *s, const lf_store_apitoken *in, const char *secret_hash, lf_id *id,
                              lf_err *err)
{
    STMT(TOK_INSERT);
    bind_text(st, 1, in->name);
    sqlite3_bind_int64(st, 2, in->org_id);
    bind_text(st, 3, secret_hash);
    bind_id(st, 4, in->created_by);
    sqlite3_bind_int64(st, 5, lf_store_now(s));
    int rc = st_exec(c, st, "api token", err);
    if (rc == LF_EINVAL)
        rc = lf_err_set(err, LF_ENOTFOUND, "api token: org %lld or user %lld not found", (long long)in->org_id,
                   (long long)in->created_by);
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_apitoken_get(lf_store *s, const char *secret_hash, lf_arena *a, lf_store_apitoken *out,
                           lf_err *err)
{
    STMT(TOK_GET);
    bind_text(st, 1, secret_hash);
    return st_one(c, st, "api token", row_token, a, out, err);
}

static int sq_apitoken_used(lf_store *s, lf_id id, lf_err *err)
{
    STMT(TOK_USED);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, lf_store_now(s));
    return st_exec_one(c, st, "api token", id, err);
}

static int sq_apitoken_revoke(lf_store *s, lf_id id, lf_err *err)
{
    STMT(TOK_REVOKE);
    sqlite3_bind_int64(st, 1, id);
    return st_exec_one(c, st, "api token", id, err);
}

static int sq_apitoken_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a, lf_store_apitoken **out,
                            size_t *n, lf_err *err)
{
    STMT(TOK_LIST);
    sqlite3_bind_int64(st, 1, scope);
    sqlite3_bind_int64(st, 2, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 3, "api tokens", pg, sizeof **out, row_token, a, &p, n, err);
    *out = p;
    return rc;
}

/* ---------------------------------------------------------------- uploads and items */

static int sq_upload_create(lf_store *s, const lf_store_upload *in, lf_id *id, lf_err *err)
{
    STMT(UP_INSERT);
    sqlite3_bind_int64(st, 1, in->agency_id);
    bind_text(st, 2, in->month);
    bind_id(st, 3, in->uploaded_by);
    bind_id(st, 4, in->token_id);
    sqlite3_bind_int64(st, 5, lf_store_now(s));
    bind_text(st, 6, in->file_name);
    bind_text(st, 7, in->encoding);
    bind_text(st, 8, in->format);
    int rc = st_exec(c, st, "upload", err);
    if (rc == LF_EINVAL)
        rc = lf_err_set(err, LF_ENOTFOUND, "upload: the uploading user or API token does not exist");
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

/* row i of an array into the statement's parameters base+1 .. base+ncol */
typedef void (*row_bind_fn)(sqlite3_stmt *st, int base, const void *rows, size_t i, lf_id upload_id);
typedef long (*row_line_fn)(const void *rows, size_t i);

/* One row with the single-row statement; a failure names the row's line in the file. */
static int insert_one(sq_conn *c, sqlite3_stmt *st, const void *rows, size_t i, lf_id upload_id, row_bind_fn bind,
                      row_line_fn line, const char *what, lf_err *err)
{
    bind(st, 0, rows, i, upload_id);
    int src = sqlite3_step(st);
    sqlite3_reset(st);
    if (src == SQLITE_DONE)
        return LF_OK;
    int rc = sq_fail(c->db, src, what, err);
    long ln = line(rows, i);
    if (ln > 0) {
        char m[sizeof err->msg];
        memcpy(m, err->msg, sizeof m);
        lf_err_set(err, rc, "%.440s (the row of line %ld)", m, ln);
        err->line = ln;
    }
    return rc;
}

/* n rows, 32 a statement through many_id and the rest one by one through one_id: the
 * per-statement work, not the rows, was most of storing a snapshot's items */
static int insert_rows(sq_conn *c, int one_id, int many_id, int ncol, const void *rows, size_t n, lf_id upload_id,
                       row_bind_fn bind, row_line_fn line, const char *what, lf_err *err)
{
    sqlite3_stmt *st = NULL, *one = NULL;
    int rc = LF_OK, src;
    size_t i = 0;
    if ((rc = st_get(c, one_id, &one, err)))
        return rc;
    bool in_tx = !sqlite3_get_autocommit(c->db);
    if (n >= 32) {
        if ((rc = st_get(c, many_id, &st, err)))
            return rc;
        for (; i + 32 <= n; i += 32) {
            for (int k = 0; k < 32; k++)
                bind(st, k * ncol, rows, i + (size_t)k, upload_id);
            /* no clear_bindings per statement: every parameter is bound again */
            if ((src = sqlite3_step(st)) == SQLITE_DONE) {
                sqlite3_reset(st);
                continue;
            }
            rc = sq_fail(c->db, src, what, err);
            st_done(st);
            /* A failed statement undid its own rows; while the transaction stands (a
             * constraint, not a full disk that rolled it back), the 32 rows go again one
             * by one, so the error names the row's line. */
            if (in_tx && sqlite3_get_autocommit(c->db))
                return rc;
            for (size_t k = i; k < i + 32; k++)
                if ((rc = insert_one(c, one, rows, k, upload_id, bind, line, what, err))) {
                    st_done(one);
                    return rc;
                }
            lf_err_clear(err);
        }
        st_done(st);
    }
    for (; i < n; i++)
        if ((rc = insert_one(c, one, rows, i, upload_id, bind, line, what, err)))
            break;
    st_done(one);
    return rc;
}

static long item_line(const void *rows, size_t i) { return ((const lf_store_item *)rows)[i].line; }
static long scan_item_line(const void *rows, size_t i) { return ((const lf_store_scan_item *)rows)[i].line; }

static void bind_item(sqlite3_stmt *st, int b, const void *rows, size_t i, lf_id upload_id)
{
    const lf_store_item *it = (const lf_store_item *)rows + i;
    sqlite3_bind_int64(st, b + 1, upload_id);
    bind_text(st, b + 2, it->host);
    bind_text(st, b + 3, it->ip);
    bind_text(st, b + 4, it->os);
    bind_text(st, b + 5, it->name);
    bind_text(st, b + 6, it->version);
    bind_text(st, b + 7, it->vendor);
    bind_text(st, b + 8, it->cpe);
    bind_text(st, b + 9, it->bucket);
    bind_text(st, b + 10, it->confidence);
    sqlite3_bind_int64(st, b + 11, it->line);
}

static void bind_scan_item(sqlite3_stmt *st, int b, const void *rows, size_t i, lf_id upload_id)
{
    const lf_store_scan_item *v = (const lf_store_scan_item *)rows + i;
    sqlite3_bind_int64(st, b + 1, upload_id);
    bind_text(st, b + 2, v->host);
    sqlite3_bind_int64(st, b + 3, v->rec);
    sqlite3_bind_int64(st, b + 4, v->line);
    sqlite3_bind_int(st, b + 5, v->pkg ? 1 : 0);
    bind_text(st, b + 6, v->cpe);
}

static int sq_items_add(lf_store *s, lf_id upload_id, const lf_store_item *items, size_t n, lf_err *err)
{
    STMT(UP_STATUS);
    /* once published, a snapshot's items and counts must agree: no late additions */
    sqlite3_bind_int64(st, 1, upload_id);
    int src = sqlite3_step(st);
    int status = src == SQLITE_ROW ? col_enum(st, 0, upload_status_parse) : 0;
    st_done(st);
    if (src == SQLITE_DONE)
        return lf_err_set(err, LF_ENOTFOUND, "items: upload %lld not found", (long long)upload_id);
    if (src != SQLITE_ROW)
        return sq_fail(c->db, src, "items", err);
    if (status != LF_UPLOAD_PENDING)
        return lf_err_set(err, LF_EINVAL, "items: upload %lld is %s; items go only into a pending upload",
                          (long long)upload_id, lf_upload_status_name((lf_upload_status)status));
    return insert_rows(c, ST_ITEM_INSERT, ST_ITEM_INSERT32, 11, items, n, upload_id, bind_item, item_line, "items",
                       err);
}

static int sq_upload_publish(lf_store *s, lf_id upload_id, const lf_store_counts *counts,
                             const char *report_json, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_store_upload up, prev;
    if ((rc = st_get(c, ST_UP_GET, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, upload_id);
    char what[64];
    snprintf(what, sizeof what, "upload %lld", (long long)upload_id);
    if ((rc = st_one(c, st, what, row_upload, &a, &up, err)))
        goto done;
    if (up.status != LF_UPLOAD_PENDING) {
        rc = lf_err_set(err, LF_EINVAL, "upload %lld is already %s", (long long)upload_id,
                        lf_upload_status_name(up.status));
        goto done;
    }
    if ((rc = st_get(c, ST_UP_CURRENT, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, up.agency_id);
    bind_text(st, 2, up.month);
    rc = st_one(c, st, "snapshot", row_upload, &a, &prev, err);
    if (rc == LF_OK) {
        /* the old snapshot stays as history (row, counts, report); its items go */
        if ((rc = st_get(c, ST_UP_SUPERSEDE, &st, err)))
            goto done;
        sqlite3_bind_int64(st, 1, prev.id);
        sqlite3_bind_int64(st, 2, upload_id);
        if ((rc = st_exec(c, st, "supersede", err)))
            goto done;
        if ((rc = st_get(c, ST_ITEMS_DEL, &st, err)))
            goto done;
        sqlite3_bind_int64(st, 1, prev.id);
        if ((rc = st_exec(c, st, "supersede", err)))
            goto done;
    } else if (rc != LF_ENOTFOUND) {
        goto done;
    }
    lf_err_clear(err);
    int64_t now = lf_store_now(s);
    if ((rc = st_get(c, ST_UP_PUBLISH, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, upload_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)counts->records);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)counts->resolved);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)counts->unresolved);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)counts->rejected);
    bind_text(st, 7, report_json);
    if ((rc = st_exec(c, st, "publish", err)))
        goto done;
    if ((rc = st_get(c, ST_HOSTS_FROM_ITEMS, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, up.agency_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, upload_id);
    rc = st_exec(c, st, "hosts", err);
done:
    lf_arena_clear(&a);
    return rc;
}

static int sq_upload_get(lf_store *s, lf_id id, lf_arena *a, lf_store_upload *out, lf_err *err)
{
    STMT(UP_GET);
    sqlite3_bind_int64(st, 1, id);
    char what[64];
    snprintf(what, sizeof what, "upload %lld", (long long)id);
    return st_one(c, st, what, row_upload, a, out, err);
}

static int sq_upload_snapshot(lf_store *s, lf_id agency_id, const char *month, lf_arena *a,
                              lf_store_upload *out, lf_err *err)
{
    STMT(UP_CURRENT);
    sqlite3_bind_int64(st, 1, agency_id);
    bind_text(st, 2, month);
    char what[96];
    snprintf(what, sizeof what, "snapshot of agency %lld for %s", (long long)agency_id, month);
    return st_one(c, st, what, row_upload, a, out, err);
}

static int sq_upload_list(lf_store *s, lf_id scope, const char *month, lf_store_page *pg, lf_arena *a,
                          lf_store_upload **out, size_t *n, lf_err *err)
{
    STMT(UP_LIST);
    sqlite3_bind_int64(st, 1, scope);
    bind_text(st, 2, month);
    sqlite3_bind_int64(st, 3, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 4, "uploads", pg, sizeof **out, row_upload, a, &p, n, err);
    *out = p;
    return rc;
}

static int sq_items_list(lf_store *s, lf_id upload_id, lf_store_page *pg, lf_arena *a, lf_store_item **out,
                         size_t *n, lf_err *err)
{
    STMT(ITEM_LIST);
    sqlite3_bind_int64(st, 1, upload_id);
    sqlite3_bind_int64(st, 2, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 3, "items", pg, sizeof **out, row_item, a, &p, n, err);
    *out = p;
    return rc;
}

static int sq_items_each(lf_store *s, lf_id upload_id, lf_store_item_fn fn, void *ud, lf_err *err)
{
    sq_conn *c;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    /* a statement of its own, not the cache: fn may use the cached ones meanwhile */
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(c->db, "SELECT " ITEM_COLS " FROM items i WHERE i.upload_id = ?1 ORDER BY i.id",
                                 -1, &st, NULL);
    if (src != SQLITE_OK)
        return sq_fail(c->db, src, "items", err);
    sqlite3_bind_int64(st, 1, upload_id);
    lf_arena a;
    lf_arena_init(&a, 4096);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lf_store_item it;
        lf_arena_reset(&a);
        if (!row_item(st, &a, &it)) {
            rc = lf_err_set(err, LF_ENOMEM, "items: out of memory");
            break;
        }
        if ((rc = fn(ud, &it)) != 0)
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "items", err);
    lf_arena_clear(&a);
    sqlite3_finalize(st);
    return rc;
}

/* ---------------------------------------------------------------- hosts */

static int sq_host_get(lf_store *s, lf_id id, lf_id agency_id, const char *name, lf_arena *a,
                       lf_store_host *out, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = st_get(c, name ? ST_HOST_GET_NAME : ST_HOST_GET, &st, err)))
        return rc;
    char what[128];
    if (name) {
        sqlite3_bind_int64(st, 1, agency_id);
        bind_text(st, 2, name);
        snprintf(what, sizeof what, "host '%.64s' of agency %lld", name, (long long)agency_id);
    } else {
        sqlite3_bind_int64(st, 1, id);
        snprintf(what, sizeof what, "host %lld", (long long)id);
    }
    return st_one(c, st, what, row_host, a, out, err);
}

static int sq_host_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a, lf_store_host **out,
                        size_t *n, lf_err *err)
{
    STMT(HOST_LIST);
    sqlite3_bind_int64(st, 1, scope);
    sqlite3_bind_int64(st, 2, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 3, "hosts", pg, sizeof **out, row_host, a, &p, n, err);
    *out = p;
    return rc;
}

static int sq_host_upsert(lf_store *s, lf_id agency_id, const char *name, lf_id *id, lf_err *err)
{
    STMT(HOST_UPSERT);
    sqlite3_bind_int64(st, 1, agency_id);
    bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, lf_store_now(s));
    int src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW)
        *id = col_i64(st, 0);
    else
        rc = sq_fail(c->db, src, "host", err);
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- match runs */

static int sq_run_create(lf_store *s, lf_id agency_id, lf_id upload_id, bool full, lf_id *id, lf_err *err)
{
    STMT(RUN_INSERT);
    sqlite3_bind_int64(st, 1, agency_id);
    bind_id(st, 2, upload_id);
    sqlite3_bind_int(st, 3, full);
    sqlite3_bind_int64(st, 4, lf_store_now(s));
    int rc = st_exec(c, st, "match run", err);
    if (rc == LF_EINVAL)
        rc = lf_err_set(err, LF_ENOTFOUND, "match run: upload %lld not found", (long long)upload_id);
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_run_get(lf_store *s, lf_id id, lf_id *agency_id, bool *full, bool *finished,
                      lf_store_match_summary *sum, lf_err *err)
{
    STMT(RUN_GET);
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW) {
        *agency_id = col_i64(st, 0);
        *full = col_i64(st, 1) != 0;
        *finished = col_i64(st, 2) != 0;
        sum->hits = (uint64_t)col_i64(st, 3);
        sum->new_findings = (uint64_t)col_i64(st, 4);
        sum->seen = (uint64_t)col_i64(st, 5);
        sum->reopened = (uint64_t)col_i64(st, 6);
        sum->suppressed = (uint64_t)col_i64(st, 7);
        sum->fixed = (uint64_t)col_i64(st, 8);
        sum->confirmed = (uint64_t)col_i64(st, 9);
    } else if (src == SQLITE_DONE) {
        rc = lf_err_set(err, LF_ENOTFOUND, "match run %lld not found", (long long)id);
    } else {
        rc = sq_fail(c->db, src, "match run", err);
    }
    st_done(st);
    return rc;
}

static int sq_run_add(lf_store *s, lf_id id, const lf_store_match_summary *d, lf_err *err)
{
    STMT(RUN_ADD);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)d->hits);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)d->new_findings);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)d->seen);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)d->reopened);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)d->suppressed);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)d->fixed);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)d->confirmed);
    return st_exec_one(c, st, "match run", id, err);
}

static int sq_run_finish(lf_store *s, lf_id id, lf_err *err)
{
    STMT(RUN_FINISH);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, lf_store_now(s));
    return st_exec_one(c, st, "match run", id, err);
}

/* ---------------------------------------------------------------- findings */

static int sq_finding_get(lf_store *s, lf_id id, lf_id host_id, const char *cve, lf_arena *a,
                          lf_store_finding *out, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = st_get(c, cve ? ST_F_GET_HC : ST_F_GET, &st, err)))
        return rc;
    char what[128];
    if (cve) {
        sqlite3_bind_int64(st, 1, host_id);
        bind_text(st, 2, cve);
        snprintf(what, sizeof what, "finding %.64s on host %lld", cve, (long long)host_id);
    } else {
        sqlite3_bind_int64(st, 1, id);
        snprintf(what, sizeof what, "finding %lld", (long long)id);
    }
    return st_one(c, st, what, row_finding, a, out, err);
}

static int sq_finding_insert(lf_store *s, const lf_store_finding *f, lf_id *id, lf_err *err)
{
    STMT(F_INSERT);
    sqlite3_bind_int64(st, 1, f->host_id);
    sqlite3_bind_int64(st, 2, f->agency_id);
    bind_text(st, 3, f->cve);
    bind_text(st, 4, f->cpe);
    bind_text(st, 5, lf_fkind_name(f->kind));
    bind_score(st, 6, f->cvss);
    bind_text(st, 7, f->cvss_version);
    bind_text(st, 8, f->severity);
    sqlite3_bind_int(st, 9, f->kev);
    bind_text(st, 10, f->kev_due);
    bind_score(st, 11, f->epss);
    bind_text(st, 12, lf_fstate_name(f->state));
    sqlite3_bind_int64(st, 13, f->first_seen);
    sqlite3_bind_int64(st, 14, f->last_seen);
    bind_id(st, 15, f->last_run);
    sqlite3_bind_int64(st, 16, lf_store_now(s));
    bind_text(st, 17, f->notice_date);
    bind_text(st, 18, f->due_date);
    lf_id sid = 0;
    int rc = srcs_intern(c, f->sources_json, &sid, err);
    if (rc) {
        st_done(st);
        return rc;
    }
    bind_id(st, 19, sid);
    rc = st_exec(c, st, "finding", err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_finding_update(lf_store *s, const lf_store_finding *f, lf_err *err)
{
    STMT(F_UPDATE);
    sqlite3_bind_int64(st, 1, f->id);
    bind_text(st, 2, f->cpe);
    bind_text(st, 3, lf_fkind_name(f->kind));
    bind_score(st, 4, f->cvss);
    bind_text(st, 5, f->cvss_version);
    bind_text(st, 6, f->severity);
    sqlite3_bind_int(st, 7, f->kev);
    bind_text(st, 8, f->kev_due);
    bind_score(st, 9, f->epss);
    bind_text(st, 10, lf_fstate_name(f->state));
    bind_text(st, 11, f->measure);
    bind_text(st, 12, f->measure_planned);
    bind_text(st, 13, f->risk_reason);
    bind_text(st, 14, f->risk_approver);
    bind_text(st, 15, f->risk_expiry);
    bind_text(st, 16, f->fp_reason);
    bind_text(st, 17, f->notice_date);
    bind_text(st, 18, f->due_date);
    sqlite3_bind_int64(st, 19, f->last_seen);
    sqlite3_bind_int64(st, 20, f->fixed_at);
    sqlite3_bind_int(st, 21, f->fixed_confirmed);
    sqlite3_bind_int64(st, 22, f->reopened);
    bind_id(st, 23, f->last_run);
    sqlite3_bind_int64(st, 24, lf_store_now(s));
    lf_id sid = 0;
    int rc = srcs_intern(c, f->sources_json, &sid, err);
    if (rc) {
        st_done(st);
        return rc;
    }
    bind_id(st, 25, sid);
    return st_exec_one(c, st, "finding", f->id, err);
}

static int sq_finding_refresh(lf_store *s, const lf_store_finding *f, lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    lf_id sid = 0;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = srcs_intern(c, f->sources_json, &sid, err)))
        return rc;
    for (int pass = 0; pass < 2; pass++) {
        if ((rc = st_get(c, pass ? ST_F_REFRESH : ST_F_TOUCH, &st, err)))
            return rc;
        sqlite3_bind_int64(st, 1, f->id);
        bind_text(st, 2, f->cpe);
        bind_text(st, 3, lf_fkind_name(f->kind));
        bind_score(st, 4, f->cvss);
        bind_text(st, 5, f->cvss_version);
        bind_text(st, 6, f->severity);
        sqlite3_bind_int(st, 7, f->kev);
        bind_text(st, 8, f->kev_due);
        bind_score(st, 9, f->epss);
        sqlite3_bind_int64(st, 10, f->last_seen);
        bind_id(st, 11, f->last_run);
        bind_id(st, 13, sid);
        if (pass) {
            sqlite3_bind_int64(st, 12, lf_store_now(s));
            return st_exec_one(c, st, "finding", f->id, err);
        }
        if ((rc = st_exec(c, st, "finding", err)))
            return rc;
        if (sqlite3_changes(c->db) == 1)
            return LF_OK;
    }
    return LF_OK;
}

static int sq_finding_list(lf_store *s, const lf_store_ffilter *f, lf_store_page *pg, lf_arena *a,
                           lf_store_finding **out, size_t *n, lf_err *err)
{
    STMT(ORG_IS_AGENCY);
    sqlite3_bind_int64(st, 1, f->scope);
    int src = sqlite3_step(st);
    bool agency = src == SQLITE_ROW && sqlite3_column_int(st, 0);
    st_done(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return sq_fail(c->db, src, "findings", err);
    int which = f->cve       ? ST_F_LIST_CVE
                : f->host_id ? ST_F_LIST_HOST
                : agency     ? (f->state ? ST_F_LIST_AGENCY_STATE : ST_F_LIST_AGENCY)
                : f->state   ? ST_F_LIST_STATE
                             : ST_F_LIST;
    if (which == ST_F_LIST || which == ST_F_LIST_STATE) {
        /* Reading and sorting what matches costs its count M (the scope's size, or its
         * findings in that state); scanning all N findings in id order costs about
         * limit x N / M rows a page: scan when M^2 >= limit x N. The open count covers
         * open and measure filed; the other states share what is left. */
        int rc1 = st_get(c, ST_F_SCOPE_SIZE, &st, err);
        if (rc1)
            return rc1;
        sqlite3_bind_int64(st, 1, f->scope);
        src = sqlite3_step(st);
        double sz = src == SQLITE_ROW ? (double)sqlite3_column_int64(st, 0) : 0;
        double all = src == SQLITE_ROW ? (double)sqlite3_column_int64(st, 1) : 0;
        double open = src == SQLITE_ROW ? (double)sqlite3_column_int64(st, 2) : 0;
        st_done(st);
        if (src != SQLITE_ROW && src != SQLITE_DONE)
            return sq_fail(c->db, src, "findings", err);
        double lim = (double)lf_store_page_limit(pg) + 1;
        double m = !f->state ? sz
                   : f->state == LF_FSTATE_OPEN || f->state == LF_FSTATE_MEASURE_FILED ? open
                                                                                       : sz - open;
        if (m * m >= lim * all && f->state && f->state != LF_FSTATE_OPEN && f->state != LF_FSTATE_MEASURE_FILED) {
            /* the closed states share sz - open: a rare one (false positives among many
             * fixed) would be scanned for through the whole table; count it, as far as
             * the threshold sqrt(limit x N) */
            double thr = sqrt(lim * all) + 1;
            if ((rc1 = st_get(c, ST_F_STATE_COUNT, &st, err)))
                return rc1;
            sqlite3_bind_int64(st, 1, f->scope);
            bind_text(st, 2, lf_fstate_name(f->state));
            sqlite3_bind_int64(st, 3, (sqlite3_int64)thr);
            src = sqlite3_step(st);
            m = src == SQLITE_ROW ? (double)sqlite3_column_int64(st, 0) : 0;
            st_done(st);
            if (src != SQLITE_ROW && src != SQLITE_DONE)
                return sq_fail(c->db, src, "findings", err);
        }
        if (m * m >= lim * all)
            which = ST_F_LIST_SCAN;
    }
    int rc0 = st_get(c, which, &st, err);
    if (rc0)
        return rc0;
    sqlite3_bind_int64(st, 1, f->scope);
    sqlite3_bind_int64(st, 2, f->host_id);
    bind_text(st, 3, f->state ? lf_fstate_name(f->state) : NULL);
    if (f->min_cvss > 0)
        sqlite3_bind_double(st, 4, f->min_cvss);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, f->kev_only);
    bind_text(st, 6, f->cve);
    sqlite3_bind_int64(st, 7, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 8, "findings", pg, sizeof **out, row_finding, a, &p, n, err);
    *out = p;
    return rc;
}

/* The ids a bound statement returns (column 0), copied into a; resets st. */
static int stale_collect(sq_conn *c, sqlite3_stmt *st, lf_arena *a, lf_id **ids, size_t *n, lf_err *err)
{
    lf_id *buf = NULL;
    size_t cnt = 0, cap = 0;
    int src, rc = LF_OK;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            lf_id *nb = realloc(buf, ncap * sizeof *nb);
            if (!nb) {
                rc = lf_err_set(err, LF_ENOMEM, "findings: out of memory");
                break;
            }
            buf = nb;
            cap = ncap;
        }
        buf[cnt++] = col_i64(st, 0);
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "findings", err);
    st_done(st);
    *ids = NULL;
    *n = 0;
    if (!rc && cnt) {
        *ids = lf_arena_alloc(a, cnt * sizeof **ids);
        if (!*ids) {
            rc = lf_err_set(err, LF_ENOMEM, "findings: out of memory");
        } else {
            memcpy(*ids, buf, cnt * sizeof **ids);
            *n = cnt;
        }
    }
    free(buf);
    return rc;
}

static int sq_finding_stale(lf_store *s, lf_id agency_id, lf_id run, lf_arena *a, lf_id **ids, size_t *n,
                            lf_err *err)
{
    STMT(F_STALE);
    sqlite3_bind_int64(st, 1, agency_id);
    sqlite3_bind_int64(st, 2, run);
    return stale_collect(c, st, a, ids, n, err);
}

static int sq_suppress_add(lf_store *s, lf_id host_id, const char *cpe, const char *cve, lf_id finding_id,
                           const char *reason, lf_id by, lf_err *err)
{
    STMT(SUP_ADD);
    sqlite3_bind_int64(st, 1, host_id);
    bind_text(st, 2, cpe);
    bind_text(st, 3, cve);
    bind_id(st, 4, finding_id);
    bind_text(st, 5, reason);
    sqlite3_bind_int64(st, 6, lf_store_now(s));
    bind_id(st, 7, by);
    return st_exec(c, st, "suppression", err);
}

static int sq_suppress_del(lf_store *s, lf_id finding_id, lf_err *err)
{
    STMT(SUP_DEL);
    sqlite3_bind_int64(st, 1, finding_id);
    return st_exec(c, st, "suppression", err);
}

static int sq_suppress_has(lf_store *s, lf_id host_id, const char *cpe, const char *cve, bool *has,
                           lf_err *err)
{
    STMT(SUP_HAS);
    sqlite3_bind_int64(st, 1, host_id);
    bind_text(st, 2, cpe);
    bind_text(st, 3, cve);
    int src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW || src == SQLITE_DONE)
        *has = src == SQLITE_ROW;
    else
        rc = sq_fail(c->db, src, "suppression", err);
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- audit */

static int sq_audit_add(lf_store *s, const lf_store_audit *in, lf_id *id, lf_err *err)
{
    STMT(AUD_INSERT);
    sqlite3_bind_int64(st, 1, lf_store_now(s));
    bind_id(st, 2, in->user_id);
    bind_text(st, 3, in->actor);
    bind_id(st, 4, in->org_id);
    bind_text(st, 5, in->entity);
    sqlite3_bind_int64(st, 6, in->entity_id);
    bind_text(st, 7, in->action);
    bind_text(st, 8, in->before_json);
    bind_text(st, 9, in->after_json);
    int rc = st_exec(c, st, "audit", err);
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int sq_audit_list(lf_store *s, lf_id scope, const char *entity, lf_id entity_id, lf_store_page *pg,
                         lf_arena *a, lf_store_audit **out, size_t *n, lf_err *err)
{
    STMT(AUD_LIST);
    if (entity && entity_id) {
        int rc0 = st_get(c, strcmp(entity, "finding") ? ST_AUD_LIST_ENTITY : ST_AUD_LIST_FINDING, &st, err);
        if (rc0)
            return rc0;
    }
    sqlite3_bind_int64(st, 1, scope);
    bind_text(st, 2, entity);
    sqlite3_bind_int64(st, 3, entity_id);
    sqlite3_bind_int64(st, 4, page_after(pg));
    void *p = NULL;
    int rc = st_list(c, st, 5, "audit", pg, sizeof **out, row_audit, a, &p, n, err);
    *out = p;
    return rc;
}

/* ---------------------------------------------------------------- metrics */

static int sq_metrics(lf_store *s, lf_id scope, const char *month, lf_store_metrics *out, lf_err *err)
{
    STMT(M_STATES);
    sqlite3_bind_int64(st, 1, scope);
    int src, rc = LF_OK;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int k = col_enum(st, 0, lf_fstate_parse);
        if (k > 0 && k < LF_FSTATE_COUNT)
            out->findings[k] += (uint64_t)col_i64(st, 1);
    }
    if (src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "metrics", err);
    st_done(st);
    if (rc || (rc = st_get(c, ST_M_OPEN, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, scope);
    if ((src = sqlite3_step(st)) == SQLITE_ROW) {
        out->open_high = (uint64_t)col_i64(st, 0);
        out->open_kev = (uint64_t)col_i64(st, 1);
    } else {
        rc = sq_fail(c->db, src, "metrics", err);
    }
    st_done(st);
    if (rc || (rc = st_get(c, ST_M_COUNTS, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, scope);
    if ((src = sqlite3_step(st)) == SQLITE_ROW) {
        out->agencies = (uint64_t)col_i64(st, 0);
        out->hosts = (uint64_t)col_i64(st, 1);
        out->users = (uint64_t)col_i64(st, 2);
    } else {
        rc = sq_fail(c->db, src, "metrics", err);
    }
    st_done(st);
    if (rc || (rc = st_get(c, ST_M_UPLOADS, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, scope);
    bind_text(st, 2, month);
    if ((src = sqlite3_step(st)) == SQLITE_ROW) {
        out->uploads_month = (uint64_t)col_i64(st, 0);
        out->agencies_with_snapshot = (uint64_t)col_i64(st, 1);
    } else {
        rc = sq_fail(c->db, src, "metrics", err);
    }
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- dashboard aggregates (web UI) */

/* The programme's clock (Taiwan, UTC+8, no daylight saving): months of trends. */
#define TW_OFFSET (8 * 3600)

static void bind_overview(sqlite3_stmt *st, lf_id org, bool self, const lf_store_overview_q *q, lf_id after,
                          int64_t limit)
{
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int(st, 2, self);
    bind_text(st, 3, q->month);
    bind_text(st, 4, q->today);
    sqlite3_bind_double(st, 5, q->high_cvss);
    bind_text(st, 6, q->late_notice);
    sqlite3_bind_int64(st, 7, after);
    sqlite3_bind_int64(st, 8, limit);
}

static bool row_overview(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_overview_row *r = out;
    memset(r, 0, sizeof *r);
    if (!row_org(st, a, &r->org))
        return false;
    int i = 8;
    r->agencies = (uint64_t)col_i64(st, i++);
    r->connected = (uint64_t)col_i64(st, i++);
    r->uploaded = (uint64_t)col_i64(st, i++);
    r->hosts = (uint64_t)col_i64(st, i++);
    for (int k = 0; k < LF_SEV_IDX_COUNT; k++)
        r->open[k] = (uint64_t)col_i64(st, i++);
    r->open_kev = (uint64_t)col_i64(st, i++);
    r->overdue = (uint64_t)col_i64(st, i++);
    r->b_agencies = (uint64_t)col_i64(st, i++);
    r->b_late = (uint64_t)col_i64(st, i++);
    r->flagged = (uint64_t)col_i64(st, i++);
    r->median_fix_days = -1;
    return true;
}

/* A fix-time histogram (tenths of a day, ascending, with counts) and its median. */
typedef struct fix_hist {
    int64_t *v, *n;
    size_t len, cap;
    uint64_t total;
} fix_hist;

static int hist_push(fix_hist *h, int64_t v, int64_t n, lf_err *err)
{
    if (h->len == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        int64_t *nv = realloc(h->v, cap * sizeof *nv);
        if (!nv)
            return lf_err_set(err, LF_ENOMEM, "fix-time histogram: out of memory");
        h->v = nv;
        int64_t *nn = realloc(h->n, cap * sizeof *nn);
        if (!nn)
            return lf_err_set(err, LF_ENOMEM, "fix-time histogram: out of memory");
        h->n = nn;
        h->cap = cap;
    }
    h->v[h->len] = v;
    h->n[h->len++] = n;
    h->total += (uint64_t)n;
    return LF_OK;
}

/* The k-th smallest value (1-based) of the histogram. */
static int64_t hist_kth(const fix_hist *h, uint64_t k)
{
    uint64_t seen = 0;
    for (size_t i = 0; i < h->len; i++) {
        seen += (uint64_t)h->n[i];
        if (seen >= k)
            return h->v[i];
    }
    return h->len ? h->v[h->len - 1] : 0;
}

/* The middle value, or the mean of the two middle values, in days; -1 when empty. */
static double hist_median(const fix_hist *h)
{
    if (!h->total)
        return -1;
    int64_t lo = hist_kth(h, (h->total + 1) / 2), hi = hist_kth(h, (h->total + 2) / 2);
    return (double)(lo + hi) / 20.0;
}

static void hist_reset(fix_hist *h)
{
    h->len = 0;
    h->total = 0;
}

static void hist_clear(fix_hist *h)
{
    free(h->v);
    free(h->n);
    memset(h, 0, sizeof *h);
}

/* Median fix time and fixed count of each row's org, from its fix-time summary. */
static int overview_medians(sq_conn *c, lf_store_overview_row *rows, size_t n, lf_err *err)
{
    fix_hist h = {0};
    int rc = LF_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_stmt *st;
        if ((rc = st_get(c, ST_OV_FIX, &st, err)))
            break;
        sqlite3_bind_int64(st, 1, rows[i].org.id);
        hist_reset(&h);
        int src = SQLITE_DONE;
        while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW)
            rc = hist_push(&h, col_i64(st, 0), col_i64(st, 1), err);
        if (!rc && src != SQLITE_DONE)
            rc = sq_fail(c->db, src, "overview medians", err);
        st_done(st);
        rows[i].fixed = h.total;
        rows[i].median_fix_days = hist_median(&h);
    }
    hist_clear(&h);
    return rc;
}

/* total = the sum of the children's additive figures (median and fixed excepted). */
static void overview_sum(lf_store_overview_row *total, const lf_store_overview_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const lf_store_overview_row *r = &rows[i];
        total->agencies += r->agencies;
        total->connected += r->connected;
        total->uploaded += r->uploaded;
        total->hosts += r->hosts;
        for (int k = 0; k < LF_SEV_IDX_COUNT; k++)
            total->open[k] += r->open[k];
        total->open_kev += r->open_kev;
        total->overdue += r->overdue;
        total->b_agencies += r->b_agencies;
        total->b_late += r->b_late;
        total->flagged += r->flagged;
    }
}

static int sq_overview(lf_store *s, lf_id org, const lf_store_overview_q *q, lf_arena *a,
                       lf_store_overview_row *total, lf_store_overview_row **rows, size_t *n, bool *more,
                       lf_err *err)
{
    /* The children first: when all of them came back, the org's own figures are their sums
     * (every agency below the org is below exactly one child), which halves the cost of a
     * national overview. An agency, an org without children or a truncated list asks for
     * the org's own row. */
    STMT(OV_MAIN);
    bind_overview(st, org, false, q, 0, 0);
    lf_store_page pg = {LF_STORE_PAGE_MAX, 0, 0, false};
    void *v = NULL;
    int rc = st_list(c, st, 8, "overview", &pg, sizeof **rows, row_overview, a, &v, n, err);
    if (rc)
        return rc;
    *rows = v;
    *more = pg.more;
    if (*n && !*more) {
        memset(total, 0, sizeof *total);
        if ((rc = st_get(c, ST_ORG_GET, &st, err)))
            return rc;
        sqlite3_bind_int64(st, 1, org);
        if ((rc = st_one(c, st, "organisation", row_org, a, &total->org, err)))
            return rc;
        overview_sum(total, *rows, *n);
    } else {
        if ((rc = st_get(c, ST_OV_MAIN, &st, err)))
            return rc;
        bind_overview(st, org, true, q, 0, 1);
        if ((rc = st_one(c, st, "organisation", row_overview, a, total, err)))
            return rc;
    }
    if ((rc = overview_medians(c, total, 1, err)))
        return rc;
    return overview_medians(c, *rows, *n, err);
}

/* Index of month m ("YYYY-MM") among the nmonths from first; -1 before, nmonths after. */
static long month_index(const char *first, unsigned nmonths, const char *m)
{
    if (!m || strlen(m) != 7)
        return -1;
    long a = strtol(first, NULL, 10) * 12 + strtol(first + 5, NULL, 10);
    long b = strtol(m, NULL, 10) * 12 + strtol(m + 5, NULL, 10);
    long d = b - a;
    return d < 0 ? -1 : d > (long)nmonths ? (long)nmonths : d;
}

/* The month's median of the histogram gathered so far into out (when it is in the window). */
static void trend_fix_flush(fix_hist *h, long i, unsigned nmonths, lf_store_trend *out)
{
    if (h->total && i >= 0 && i < (long)nmonths) {
        out[i].median_fix_days = hist_median(h);
        out[i].fixed = h->total;
    }
    hist_reset(h);
}

static int sq_trends(lf_store *s, lf_id org, const char *first, unsigned nmonths, lf_store_trend *out,
                     lf_err *err)
{
    sq_conn *c = NULL;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    static const int ids[] = {ST_TR_OPEN, ST_TR_FIX, ST_TR_AGENCIES, ST_TR_UPLOADS};
    fix_hist h = {0};
    for (size_t q = 0; q < sizeof ids / sizeof ids[0] && !rc; q++) {
        sqlite3_stmt *st;
        if ((rc = st_get(c, ids[q], &st, err)))
            break;
        sqlite3_bind_int64(st, 1, org);
        bind_text(st, 2, first);
        if (sqlite3_bind_parameter_count(st) >= 3)
            sqlite3_bind_int(st, 3, TW_OFFSET);
        long fix_month = -1;
        int src = SQLITE_DONE;
        while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, ids[q] == ST_TR_OPEN ? 1 : 0);
            long i = month_index(first, nmonths, m);
            if (ids[q] == ST_TR_OPEN) {
                /* open from its first month (clamped to the window) until the month it closed */
                int sev = sqlite3_column_int(st, 0);
                long end = sqlite3_column_type(st, 2) == SQLITE_NULL
                               ? (long)nmonths
                               : month_index(first, nmonths, (const char *)sqlite3_column_text(st, 2));
                uint64_t cnt = (uint64_t)col_i64(st, 3);
                if (sev < 0 || sev >= LF_SEV_IDX_COUNT)
                    sev = LF_SEV_IDX_NONE;
                for (long k = i < 0 ? 0 : i; k < end && k < (long)nmonths; k++)
                    out[k].open[sev] += cnt;
            } else if (ids[q] == ST_TR_FIX) {
                /* rows come by month, then fix time: one histogram per month */
                if (i != fix_month)
                    trend_fix_flush(&h, fix_month, nmonths, out);
                fix_month = i;
                rc = hist_push(&h, col_i64(st, 1), col_i64(st, 2), err);
            } else if (ids[q] == ST_TR_AGENCIES) {
                /* created before the window: there in every month of it */
                uint64_t cnt = (uint64_t)col_i64(st, 1);
                for (long k = i < 0 ? 0 : i; k < (long)nmonths; k++)
                    out[k].agencies += cnt;
            } else if (i >= 0 && i < (long)nmonths) {
                out[i].uploaded = (uint64_t)col_i64(st, 1);
            }
        }
        if (!rc && src != SQLITE_DONE)
            rc = sq_fail(c->db, src, "trends", err);
        if (!rc && ids[q] == ST_TR_FIX)
            trend_fix_flush(&h, fix_month, nmonths, out);
        st_done(st);
    }
    hist_clear(&h);
    return rc;
}

static int sq_host_summary(lf_store *s, lf_id agency, const char *today, lf_store_page *pg, lf_arena *a,
                           lf_store_host_sum **out, size_t *n, lf_err *err)
{
    STMT(HOST_SUMMARY);
    uint32_t limit = lf_store_page_limit(pg);
    sqlite3_bind_int64(st, 1, agency);
    sqlite3_bind_int64(st, 2, page_after(pg));
    lf_store_host_sum *v = NULL;
    size_t cnt = 0, cap = 0;
    bool more = false;
    int rc = LF_OK, src;
    *out = NULL;
    *n = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lf_id id = col_i64(st, 0);
        if (!cnt || v[cnt - 1].host.id != id) {
            if (cnt == limit) {
                more = true;
                break;
            }
            /* grown as hosts come (an agency with 3 hosts asking for 10,000 a page) */
            if (lf_arena_grow(a, (void **)&v, &cap, cnt, sizeof *v)) {
                rc = lf_err_set(err, LF_ENOMEM, "hosts: out of memory");
                goto done;
            }
            lf_store_host_sum *h = &v[cnt++];
            memset(h, 0, sizeof *h);
            if (!row_host(st, a, &h->host)) {
                rc = lf_err_set(err, LF_ENOMEM, "hosts: out of memory");
                goto done;
            }
        }
        if (sqlite3_column_type(st, 7) == SQLITE_NULL) /* a host without open findings */
            continue;
        lf_store_host_sum *h = &v[cnt - 1];
        int64_t sev = col_i64(st, 7), k = col_i64(st, 10);
        if (sev >= 0 && sev < LF_SEV_IDX_COUNT)
            h->open[sev] += (uint64_t)k;
        if (col_i64(st, 8))
            h->open_kev += (uint64_t)k;
        const char *due = (const char *)sqlite3_column_text(st, 9);
        if (due && *due && strcmp(due, today) < 0)
            h->overdue += (uint64_t)k;
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        rc = sq_fail(c->db, src, "hosts", err);
        goto done;
    }
    *out = cnt ? v : NULL;
    *n = cnt;
    if (pg) {
        pg->next = cnt ? v[cnt - 1].host.id : 0;
        pg->more = more;
    }
done:
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- NOTICES (scheduler outbox) */

static int nstate_col(sqlite3_stmt *st, int i)
{
    int v = lf_nstate_parse((const char *)sqlite3_column_text(st, i));
    return v < 0 ? 0 : v;
}

/* Columns N_COLS (0..14). */
static bool row_notice_head(sqlite3_stmt *st, lf_arena *a, lf_store_notice *n)
{
    bool oom = false;
    memset(n, 0, sizeof *n);
    n->id = col_i64(st, 0);
    n->key = col_str(st, 1, a, &oom);
    n->kind = col_str(st, 2, a, &oom);
    n->stage = col_str(st, 3, a, &oom);
    n->org_id = col_i64(st, 4);
    n->notice_date = col_str(st, 5, a, &oom);
    n->created = col_i64(st, 6);
    n->state = (lf_nstate)nstate_col(st, 7);
    n->attempts = (unsigned)col_i64(st, 8);
    n->last_error = col_str(st, 9, a, &oom);
    n->sent_at = col_i64(st, 10);
    n->updated = col_i64(st, 11);
    n->subject = col_str(st, 12, a, &oom);
    n->recipients = col_str(st, 13, a, &oom);
    n->nfindings = (unsigned)col_i64(st, 14);
    return !oom;
}

/* N_COLS + bodies (get, due). */
static bool row_notice_full(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_notice *n = out;
    if (!row_notice_head(st, a, n))
        return false;
    bool oom = false;
    n->body_text = col_str(st, 15, a, &oom);
    n->body_html = col_str(st, 16, a, &oom);
    n->payload_json = col_str(st, 17, a, &oom);
    return !oom;
}

/* N_COLS + deliveries_json (lists). */
static bool row_notice_list(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_notice *n = out;
    if (!row_notice_head(st, a, n))
        return false;
    bool oom = false;
    n->deliveries_json = col_str(st, 15, a, &oom);
    return !oom;
}

static int notice_deliveries(sq_conn *c, lf_store_notice *n, lf_arena *a, lf_err *err)
{
    sqlite3_stmt *st;
    int rc = st_get(c, ST_ND_LIST, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->id);
    int src;
    n->ndeliveries = 0;
    bool oom = false;
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n->ndeliveries < LF_STORE_NOTICE_MAX_CHANNELS) {
        lf_store_delivery *d = &n->deliveries[n->ndeliveries++];
        d->channel = col_str(st, 0, a, &oom);
        d->state = (lf_nstate)nstate_col(st, 1);
        d->attempts = (unsigned)col_i64(st, 2);
        d->next_attempt = col_i64(st, 3);
        d->last_error = col_str(st, 4, a, &oom);
        d->sent_at = col_i64(st, 5);
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "notice deliveries", err);
    else if (oom)
        rc = lf_err_set(err, LF_ENOMEM, "notice deliveries: out of memory");
    st_done(st);
    return rc;
}

static int sq_notice_create(lf_store *s, const lf_store_notice *in, const char *const *channels, size_t nch,
                            const lf_store_notice_mark *marks, size_t nmarks, lf_id *id, lf_err *err)
{
    STMT(N_INSERT);
    bind_text(st, 1, in->key);
    bind_text(st, 2, in->kind);
    bind_text(st, 3, in->stage);
    sqlite3_bind_int64(st, 4, in->org_id);
    bind_text(st, 5, in->notice_date);
    sqlite3_bind_int64(st, 6, in->created);
    bind_text(st, 7, in->subject);
    bind_text(st, 8, in->recipients);
    bind_text(st, 9, in->body_text);
    bind_text(st, 10, in->body_html);
    bind_text(st, 11, in->payload_json);
    sqlite3_bind_int64(st, 12, in->nfindings);
    int rc = st_exec(c, st, "notice", err);
    if (rc)
        return rc;
    lf_id nid = sqlite3_last_insert_rowid(c->db);
    for (size_t i = 0; i < nch && !rc; i++) {
        if ((rc = st_get(c, ST_ND_INSERT, &st, err)))
            return rc;
        sqlite3_bind_int64(st, 1, nid);
        bind_text(st, 2, channels[i]);
        sqlite3_bind_int64(st, 3, in->created);
        rc = st_exec(c, st, "notice delivery", err);
    }
    for (size_t i = 0; i < nmarks && !rc; i++) {
        if ((rc = st_get(c, ST_NM_INSERT, &st, err)))
            return rc;
        sqlite3_bind_int64(st, 1, marks[i].finding_id);
        bind_text(st, 2, in->stage);
        sqlite3_bind_int64(st, 3, marks[i].agency_id);
        sqlite3_bind_int64(st, 4, nid);
        rc = st_exec(c, st, "notice mark", err);
    }
    if (!rc && id)
        *id = nid;
    return rc;
}

static int sq_notice_get(lf_store *s, lf_id id, const char *key, lf_arena *a, lf_store_notice *out, lf_err *err)
{
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = st_get(c, key ? ST_N_GET_KEY : ST_N_GET, &st, err)))
        return rc;
    if (key)
        bind_text(st, 1, key);
    else
        sqlite3_bind_int64(st, 1, id);
    if ((rc = st_one(c, st, "notice", row_notice_full, a, out, err)))
        return rc;
    return notice_deliveries(c, out, a, err);
}

static int sq_notice_marks(lf_store *s, lf_id agency_id, const char *stage, lf_arena *a, lf_id **ids, size_t *n,
                           lf_err *err)
{
    STMT(NM_LIST);
    sqlite3_bind_int64(st, 1, agency_id);
    bind_text(st, 2, stage);
    lf_id *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc = LF_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            lf_id *nv = lf_arena_alloc(a, ncap * sizeof *nv);
            if (!nv) {
                rc = lf_err_set(err, LF_ENOMEM, "notice marks: out of memory");
                break;
            }
            if (cnt)
                memcpy(nv, v, cnt * sizeof *nv);
            v = nv;
            cap = ncap;
        }
        v[cnt++] = col_i64(st, 0);
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "notice marks", err);
    st_done(st);
    if (!rc) {
        *ids = v;
        *n = cnt;
    }
    return rc;
}

static int sq_notice_due(lf_store *s, int64_t now, size_t limit, lf_arena *a, lf_store_notice **out, size_t *n,
                         lf_err *err)
{
    STMT(N_DUE);
    sqlite3_bind_int64(st, 1, now);
    lf_store_page pg = {(uint32_t)limit, 0, 0, false};
    void *v = NULL;
    int rc = st_list(c, st, 2, "notices due", &pg, sizeof **out, row_notice_full, a, &v, n, err);
    *out = v;
    for (size_t i = 0; i < *n && !rc; i++)
        rc = notice_deliveries(c, &(*out)[i], a, err);
    return rc;
}

static int sq_notice_delivered(lf_store *s, lf_id notice_id, const lf_store_delivery *d, int64_t at, lf_err *err)
{
    STMT(ND_UPDATE);
    sqlite3_bind_int64(st, 1, notice_id);
    bind_text(st, 2, d->channel);
    bind_text(st, 3, lf_nstate_name(d->state));
    sqlite3_bind_int64(st, 4, d->attempts);
    sqlite3_bind_int64(st, 5, d->next_attempt);
    bind_text(st, 6, d->last_error);
    sqlite3_bind_int64(st, 7, d->sent_at);
    int rc = st_exec_one(c, st, "notice delivery", notice_id, err);
    if (rc || (rc = st_get(c, ST_N_SUMMARY, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, notice_id);
    bind_text(st, 2, d->last_error);
    sqlite3_bind_int64(st, 3, at);
    return st_exec_one(c, st, "notice", notice_id, err);
}

static int sq_notice_list(lf_store *s, const lf_store_nfilter *f, lf_store_page *pg, lf_arena *a,
                          lf_store_notice **out, size_t *n, lf_err *err)
{
    STMT(N_LIST);
    sqlite3_bind_int64(st, 1, f->org_id);
    bind_text(st, 2, f->state ? lf_nstate_name(f->state) : NULL);
    bind_text(st, 3, f->kind);
    bind_text(st, 4, f->key_prefix);
    sqlite3_bind_int64(st, 5, page_after(pg));
    void *v = NULL;
    int rc = st_list(c, st, 6, "notices", pg, sizeof **out, row_notice_list, a, &v, n, err);
    *out = v;
    return rc;
}

static int sq_notice_counts(lf_store *s, uint64_t out[4], lf_err *err)
{
    STMT(N_COUNTS);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int k = nstate_col(st, 0);
        if (k > 0 && k < 4)
            out[k] = (uint64_t)col_i64(st, 1);
    }
    int rc = src == SQLITE_DONE ? LF_OK : sq_fail(c->db, src, "notice counts", err);
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- sources (schema 6) */

static int sq_scan_items_add(lf_store *s, lf_id upload_id, const lf_store_scan_item *v, size_t n, lf_err *err)
{
    STMT(UP_STATUS);
    sqlite3_bind_int64(st, 1, upload_id);
    int src = sqlite3_step(st);
    int status = src == SQLITE_ROW ? col_enum(st, 0, upload_status_parse) : 0;
    st_done(st);
    if (src == SQLITE_DONE)
        return lf_err_set(err, LF_ENOTFOUND, "scan items: upload %lld not found", (long long)upload_id);
    if (src != SQLITE_ROW)
        return sq_fail(c->db, src, "scan items", err);
    if (status != LF_UPLOAD_PENDING)
        return lf_err_set(err, LF_EINVAL, "scan items: upload %lld is %s; they go only into a pending upload",
                          (long long)upload_id, lf_upload_status_name((lf_upload_status)status));
    return insert_rows(c, ST_SRC_SCAN_INSERT, ST_SRC_SCAN_INSERT32, 6, v, n, upload_id, bind_scan_item, scan_item_line,
                       "scan items", err);
}

static int sq_scan_items_each(lf_store *s, lf_id upload_id, lf_store_scan_item_fn fn, void *ud, lf_err *err)
{
    sq_conn *c;
    int rc = conn_get(s, &c, err);
    if (rc)
        return rc;
    /* a statement of its own, not the cache: fn may use the cached ones meanwhile */
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(c->db, "SELECT host, rec, line, pkg, cpe FROM scan_items WHERE upload_id = ?1 "
                                        "ORDER BY id", -1, &st, NULL);
    if (src != SQLITE_OK)
        return sq_fail(c->db, src, "scan items", err);
    sqlite3_bind_int64(st, 1, upload_id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lf_store_scan_item it;
        it.host = (const char *)sqlite3_column_text(st, 0);
        it.rec = (long)sqlite3_column_int64(st, 1);
        it.line = (long)sqlite3_column_int64(st, 2);
        it.pkg = sqlite3_column_int(st, 3) != 0;
        it.cpe = (const char *)sqlite3_column_text(st, 4);
        if (!it.host || !it.cpe) {
            rc = lf_err_set(err, LF_ENOMEM, "scan items: out of memory");
            break;
        }
        if ((rc = fn(ud, &it)) != 0)
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "scan items", err);
    sqlite3_finalize(st);
    return rc;
}

static int sq_finding_sources_set(lf_store *s, lf_id agency_id, const lf_store_fsources *v, size_t n, lf_err *err)
{
    STMT(SRC_SET);
    for (size_t i = 0; i < n; i++) {
        lf_id sid = 0;
        int rc = srcs_intern(c, v[i].sources_json, &sid, err);
        if (rc) {
            st_done(st);
            return rc;
        }
        sqlite3_bind_int64(st, 1, agency_id);
        bind_text(st, 2, v[i].host);
        bind_text(st, 3, v[i].cve);
        bind_id(st, 4, sid);
        int src = sqlite3_step(st);
        if (src != SQLITE_DONE) {
            rc = sq_fail(c->db, src, "finding sources", err);
            st_done(st);
            return rc;
        }
        sqlite3_reset(st);
    }
    st_done(st);
    return LF_OK;
}

static int sq_finding_sources_get(lf_store *s, lf_id finding_id, lf_arena *a, const char **json, lf_err *err)
{
    STMT(SRC_GET);
    sqlite3_bind_int64(st, 1, finding_id);
    int src = sqlite3_step(st);
    int rc = LF_OK;
    if (src == SQLITE_ROW) {
        bool oom = false;
        *json = col_str(st, 0, a, &oom);
        if (oom)
            rc = lf_err_set(err, LF_ENOMEM, "finding sources: out of memory");
    } else if (src == SQLITE_DONE) {
        rc = lf_err_set(err, LF_ENOTFOUND, "finding %lld not found", (long long)finding_id);
    } else {
        rc = sq_fail(c->db, src, "finding sources", err);
    }
    st_done(st);
    return rc;
}

static int sq_not_affected_clear(lf_store *s, lf_id agency_id, lf_err *err)
{
    STMT(SRC_NA_CLEAR);
    sqlite3_bind_int64(st, 1, agency_id);
    return st_exec(c, st, "not affected", err);
}

static int sq_not_affected_add(lf_store *s, lf_id agency_id, lf_id upload_id, const lf_store_not_affected *v,
                               size_t n, int64_t now, lf_err *err)
{
    STMT(SRC_NA_INSERT);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, agency_id);
        bind_id(st, 2, upload_id);
        bind_text(st, 3, v[i].host);
        bind_text(st, 4, v[i].cve);
        bind_text(st, 5, v[i].cpe);
        bind_text(st, 6, v[i].source);
        bind_text(st, 7, v[i].record);
        bind_text(st, 8, v[i].sources_json);
        sqlite3_bind_int64(st, 9, now);
        int src = sqlite3_step(st);
        if (src != SQLITE_DONE) {
            int rc = sq_fail(c->db, src, "not affected", err);
            st_done(st);
            return rc;
        }
        sqlite3_reset(st);
    }
    st_done(st);
    return LF_OK;
}

static bool row_not_affected(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_not_affected *r = out;
    bool oom = false;
    r->id = col_i64(st, 0);
    r->agency_id = col_i64(st, 1);
    r->upload_id = col_i64(st, 2);
    r->host = col_str(st, 3, a, &oom);
    r->cve = col_str(st, 4, a, &oom);
    r->cpe = col_str(st, 5, a, &oom);
    r->source = col_str(st, 6, a, &oom);
    r->record = col_str(st, 7, a, &oom);
    r->sources_json = col_str(st, 8, a, &oom);
    r->created = col_i64(st, 9);
    return !oom;
}

static int sq_not_affected_list(lf_store *s, lf_id agency_id, const char *host, const char *cve, lf_store_page *pg,
                                lf_arena *a, lf_store_not_affected **out, size_t *n, lf_err *err)
{
    STMT(SRC_NA_LIST);
    sqlite3_bind_int64(st, 1, agency_id);
    bind_text(st, 2, host);
    bind_text(st, 3, cve);
    sqlite3_bind_int64(st, 4, page_after(pg));
    void *v = NULL;
    int rc = st_list(c, st, 5, "not affected", pg, sizeof **out, row_not_affected, a, &v, n, err);
    *out = v;
    return rc;
}

static int sq_snapshots_latest(lf_store *s, lf_arena *a, lf_store_snapshot_ref **out, size_t *n, lf_err *err)
{
    STMT(SRC_SNAPSHOTS);
    size_t cnt = 0, cap = 0;
    lf_store_snapshot_ref *v = NULL;
    int src, rc = LF_OK;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 64;
            lf_store_snapshot_ref *nv = lf_arena_alloc(a, nc * sizeof *nv);
            if (!nv) {
                rc = lf_err_set(err, LF_ENOMEM, "snapshots: out of memory");
                break;
            }
            if (cnt)
                memcpy(nv, v, cnt * sizeof *nv);
            v = nv;
            cap = nc;
        }
        v[cnt].agency_id = col_i64(st, 0);
        v[cnt].upload_id = col_i64(st, 1);
        const char *m = (const char *)sqlite3_column_text(st, 2);
        snprintf(v[cnt].month, sizeof v[cnt].month, "%s", m ? m : "");
        cnt++;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "snapshots", err);
    st_done(st);
    if (!rc) {
        *out = v;
        *n = cnt;
    }
    return rc;
}

/* ---------------------------------------------------------------- ISAC: TAXII 2.1 server state */

static bool row_troot(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_taxii_root *r = out;
    bool oom = false;
    memset(r, 0, sizeof *r);
    r->id = col_i64(st, 0);
    r->name = col_str(st, 1, a, &oom);
    r->title = col_str(st, 2, a, &oom);
    r->description = col_str(st, 3, a, &oom);
    r->max_content_length = col_i64(st, 4);
    return !oom;
}

static int sq_taxii_root_put(lf_store *s, const lf_store_taxii_root *in, lf_id *id, lf_err *err)
{
    STMT(TROOT_PUT);
    bind_text(st, 1, in->name);
    bind_text(st, 2, in->title);
    bind_text(st, 3, in->description);
    sqlite3_bind_int64(st, 4, in->max_content_length);
    int src = sqlite3_step(st);
    int rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "TAXII API root", err);
    if (!rc)
        *id = col_i64(st, 0);
    st_done(st);
    return rc;
}

static int sq_taxii_root_get(lf_store *s, const char *name, lf_arena *a, lf_store_taxii_root *out, lf_err *err)
{
    STMT(TROOT_GET);
    bind_text(st, 1, name);
    return st_one(c, st, "TAXII API root", row_troot, a, out, err);
}

static int sq_taxii_root_list(lf_store *s, lf_arena *a, lf_store_taxii_root **out, size_t *n, lf_err *err)
{
    STMT(TROOT_LIST);
    sqlite3_bind_int64(st, 1, 0);
    lf_store_page pg = {LF_STORE_PAGE_MAX, 0, 0, false};
    void *v = NULL;
    int rc = st_list(c, st, 2, "TAXII API roots", &pg, sizeof **out, row_troot, a, &v, n, err);
    *out = v;
    return rc;
}

static bool row_igroup(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_isac_group *g = out;
    bool oom = false;
    memset(g, 0, sizeof *g);
    g->id = col_i64(st, 0);
    g->code = col_str(st, 1, a, &oom);
    g->name = col_str(st, 2, a, &oom);
    g->created = col_i64(st, 3);
    return !oom;
}

static int sq_isac_group_create(lf_store *s, const lf_store_isac_group *in, lf_id *id, lf_err *err)
{
    int rc = sq_begin(s, err);
    if (rc)
        return rc;
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    if ((rc = conn_get(s, &c, err)) || (rc = st_get(c, ST_IGROUP_INSERT, &st, err)))
        goto fail;
    bind_text(st, 1, in->code);
    bind_text(st, 2, in->name);
    sqlite3_bind_int64(st, 3, lf_store_now(s));
    if ((rc = st_exec(c, st, "sharing group", err)))
        goto fail;
    lf_id gid = sqlite3_last_insert_rowid(c->db);
    if ((rc = st_get(c, ST_IGROUP_ORG, &st, err)))
        goto fail;
    for (size_t i = 0; i < in->norgs; i++) {
        sqlite3_bind_int64(st, 1, gid);
        sqlite3_bind_int64(st, 2, in->orgs[i]);
        if ((rc = st_exec(c, st, "sharing group member", err))) {
            if (rc == LF_EINVAL)   /* the foreign key: no such organisation */
                lf_err_set(err, LF_ENOTFOUND, "sharing group: no organisation with id %lld",
                           (long long)in->orgs[i]);
            goto fail;
        }
    }
    if ((rc = sq_commit(s, err)))
        goto fail;
    *id = gid;
    return LF_OK;
fail:
    sq_rollback(s);
    return rc;
}

static int group_orgs(sq_conn *c, lf_store_isac_group *g, lf_arena *a, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_IGROUP_ORGS, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, g->id);
    size_t cap = 16, n = 0;
    lf_id *ids = lf_arena_alloc(a, cap * sizeof *ids);
    int src;
    while (ids && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            lf_id *nids = lf_arena_alloc(a, 2 * cap * sizeof *ids);
            if (nids)
                memcpy(nids, ids, n * sizeof *ids);
            ids = nids;
            cap *= 2;
            if (!ids)
                break;
        }
        ids[n++] = col_i64(st, 0);
    }
    if (!ids)
        rc = lf_err_set(err, LF_ENOMEM, "sharing group: out of memory");
    else if (src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "sharing group members", err);
    st_done(st);
    g->orgs = ids;
    g->norgs = n;
    return rc;
}

static int sq_isac_group_get(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_group *out, lf_err *err)
{
    STMT(IGROUP_GET);
    sqlite3_bind_int64(st, 1, id);
    int rc = st_one(c, st, "sharing group", row_igroup, a, out, err);
    return rc ? rc : group_orgs(c, out, a, err);
}

static int sq_isac_group_list(lf_store *s, lf_arena *a, lf_store_isac_group **out, size_t *n, lf_err *err)
{
    STMT(IGROUP_LIST);
    sqlite3_bind_int64(st, 1, 0);
    lf_store_page pg = {LF_STORE_PAGE_MAX, 0, 0, false};
    void *v = NULL;
    int rc = st_list(c, st, 2, "sharing groups", &pg, sizeof **out, row_igroup, a, &v, n, err);
    *out = v;
    for (size_t i = 0; !rc && i < *n; i++)
        rc = group_orgs(c, &(*out)[i], a, err);
    return rc;
}

static int sq_isac_group_member(lf_store *s, lf_id group, lf_id org, bool *member, lf_err *err)
{
    STMT(IGROUP_MEMBER);
    sqlite3_bind_int64(st, 1, group);
    sqlite3_bind_int64(st, 2, org);
    int src = sqlite3_step(st);
    int rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "sharing group membership", err);
    if (!rc)
        *member = col_i64(st, 0) != 0;
    st_done(st);
    return rc;
}

static bool row_tcoll(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_taxii_coll *t = out;
    bool oom = false;
    memset(t, 0, sizeof *t);
    t->id = col_i64(st, 0);
    t->root_id = col_i64(st, 1);
    t->uuid = col_str(st, 2, a, &oom);
    t->title = col_str(st, 3, a, &oom);
    t->description = col_str(st, 4, a, &oom);
    t->alias = col_str(st, 5, a, &oom);
    t->group_id = col_i64(st, 6);
    int r = lf_taxii_access_parse((const char *)sqlite3_column_text(st, 7));
    int w = lf_taxii_access_parse((const char *)sqlite3_column_text(st, 8));
    t->read = r < 0 ? LF_TAXII_ACCESS_NONE : (lf_taxii_access)r;
    t->write = w < 0 ? LF_TAXII_ACCESS_NONE : (lf_taxii_access)w;
    t->default_tlp = (int)col_i64(st, 9);
    t->media_types = col_str(st, 10, a, &oom);
    t->created = col_i64(st, 11);
    return !oom;
}

static int sq_taxii_coll_put(lf_store *s, const lf_store_taxii_coll *in, lf_id *id, lf_err *err)
{
    STMT(TCOLL_PUT);
    sqlite3_bind_int64(st, 1, in->root_id);
    bind_text(st, 2, in->uuid);
    bind_text(st, 3, in->title);
    bind_text(st, 4, in->description);
    bind_text(st, 5, in->alias);
    bind_id(st, 6, in->group_id);
    bind_text(st, 7, lf_taxii_access_name(in->read));
    bind_text(st, 8, lf_taxii_access_name(in->write));
    sqlite3_bind_int(st, 9, in->default_tlp);
    bind_text(st, 10, in->media_types);
    sqlite3_bind_int64(st, 11, lf_store_now(s));
    int src = sqlite3_step(st);
    int rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "TAXII collection", err);
    if (!rc)
        *id = col_i64(st, 0);
    st_done(st);
    return rc;
}

static int sq_taxii_coll_get(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_coll *out,
                             lf_err *err)
{
    STMT(TCOLL_GET);
    sqlite3_bind_int64(st, 1, root_id);
    bind_text(st, 2, uuid);
    return st_one(c, st, "TAXII collection", row_tcoll, a, out, err);
}

static int sq_taxii_coll_list(lf_store *s, lf_id root_id, lf_arena *a, lf_store_taxii_coll **out, size_t *n,
                              lf_err *err)
{
    STMT(TCOLL_LIST);
    sqlite3_bind_int64(st, 1, root_id);
    sqlite3_bind_int64(st, 2, 0);
    lf_store_page pg = {LF_STORE_PAGE_MAX, 0, 0, false};
    void *v = NULL;
    int rc = st_list(c, st, 3, "TAXII collections", &pg, sizeof **out, row_tcoll, a, &v, n, err);
    *out = v;
    return rc;
}

static int stix_add_rows(lf_store *s, sq_conn *c, lf_id coll, const lf_store_stix_row *rows, size_t n,
                         int64_t now_us, bool *dup, int64_t *first, int64_t *last, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_STIX_LAST_ADDED, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, coll);
    int src = sqlite3_step(st);
    int64_t prev = src == SQLITE_ROW ? col_i64(st, 0) : 0;
    st_done(st);
    if (src == SQLITE_DONE)
        return lf_err_set(err, LF_ENOTFOUND, "TAXII collection %lld not found", (long long)coll);
    if (src != SQLITE_ROW)
        return sq_fail(c->db, src, "TAXII collection", err);
    (void)s;
    sqlite3_stmt *ins = NULL, *lab = NULL, *mark = NULL;
    if ((rc = st_get(c, ST_STIX_INSERT, &ins, err)) || (rc = st_get(c, ST_STIX_LABELS, &lab, err)) ||
        (rc = st_get(c, ST_STIX_MARKINGS, &mark, err)))
        return rc;
    int64_t hi = prev;
    for (size_t i = 0; i < n; i++) {
        const lf_store_stix_row *r = &rows[i];
        /* strictly increasing per collection: the page key never goes backwards */
        int64_t at = r->date_added > 0 ? r->date_added : (now_us > hi ? now_us : hi + 1);
        sqlite3_bind_int64(ins, 1, coll);
        bind_text(ins, 2, r->stix_id);
        bind_text(ins, 3, r->type);
        bind_text(ins, 4, r->spec_version);
        bind_text(ins, 5, r->created);
        bind_text(ins, 6, r->modified);
        bind_text(ins, 7, r->version);
        bind_text(ins, 8, r->vkey);
        bind_text(ins, 9, r->created_by_ref);
        bind_text(ins, 10, r->marking_refs);
        bind_text(ins, 11, r->labels_json);
        bind_text(ins, 12, r->valid_from);
        bind_text(ins, 13, r->valid_until);
        sqlite3_bind_int(ins, 14, r->revoked);
        sqlite3_bind_int(ins, 15, r->tlp);
        bind_text(ins, 16, r->recipients);
        bind_id(ins, 17, r->added_by);
        sqlite3_bind_int64(ins, 18, at);
        sqlite3_bind_text(ins, 19, r->json, (int)r->json_len, SQLITE_STATIC);
        if ((rc = st_exec(c, ins, "STIX object", err))) {
            lf_err_id(err, r->stix_id);
            return rc;
        }
        bool d = sqlite3_changes(c->db) == 0;
        if (dup)
            dup[i] = d;
        if (d)
            continue;
        lf_id oid = sqlite3_last_insert_rowid(c->db);
        if (at > hi)
            hi = at;
        if (first && !*first)
            *first = at;
        if (last)
            *last = at;
        if (r->labels_json) {
            sqlite3_bind_int64(lab, 1, oid);
            bind_text(lab, 2, r->labels_json);
            if ((rc = st_exec(c, lab, "STIX labels", err)))
                return rc;
        }
        if (r->marking_refs) {
            sqlite3_bind_int64(mark, 1, oid);
            bind_text(mark, 2, r->marking_refs);
            if ((rc = st_exec(c, mark, "STIX markings", err)))
                return rc;
        }
    }
    if (hi == prev)
        return LF_OK;
    if ((rc = st_get(c, ST_STIX_SET_ADDED, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, coll);
    sqlite3_bind_int64(st, 2, hi);
    return st_exec(c, st, "TAXII collection", err);
}

static int sq_stix_add(lf_store *s, lf_id coll, const lf_store_stix_row *rows, size_t n, int64_t now_us, bool *dup,
                       int64_t *first, int64_t *last, lf_err *err)
{
    sq_conn *c = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || (rc = sq_begin(s, err)))
        return rc;
    if (first)
        *first = 0;
    if (last)
        *last = 0;
    rc = stix_add_rows(s, c, coll, rows, n, now_us, dup, first, last, err);
    if (!rc)
        rc = sq_commit(s, err);
    if (rc)
        sq_rollback(s);
    return rc;
}

static void bind_stix_q(sqlite3_stmt *st, const lf_store_stix_q *q)
{
    sqlite3_bind_int64(st, 1, q->coll);
    bind_text(st, 2, q->id);
    bind_text(st, 3, q->ids_json);
    bind_text(st, 4, q->types_json);
    bind_text(st, 5, q->specs_json);
    bool none = !q->v_all && !q->v_first && !q->v_last && !q->vkeys_json;
    sqlite3_bind_int(st, 6, q->v_all);
    sqlite3_bind_int(st, 7, q->v_first);
    sqlite3_bind_int(st, 8, q->v_last || none);
    bind_text(st, 9, q->vkeys_json);
    /* date_added > added_after is (date_added, id) > (added_after, max id): the lower bound
     * is the larger of that and the page key */
    bool page = q->page_added > q->added_after;
    sqlite3_bind_int64(st, 11, page ? q->page_added : q->added_after);
    sqlite3_bind_int64(st, 12, page ? q->page_row : INT64_MAX);
    sqlite3_bind_int(st, 13, q->default_tlp);
    sqlite3_bind_int64(st, 14, q->org);
    sqlite3_bind_int(st, 15, q->authenticated);
    sqlite3_bind_int(st, 16, q->member && q->authenticated);
    sqlite3_bind_int(st, 17, q->with_json);
    sqlite3_bind_int64(st, 18, (sqlite3_int64)q->limit + 1);
}

static bool row_stix_hit(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_stix_hit *h = out;
    bool oom = false;
    memset(h, 0, sizeof *h);
    h->row = col_i64(st, 0);
    h->stix_id = col_str(st, 1, a, &oom);
    h->version = col_str(st, 2, a, &oom);
    h->spec_version = col_str(st, 3, a, &oom);
    h->date_added = col_i64(st, 4);
    h->json = col_str(st, 5, a, &oom);
    h->json_len = h->json ? (size_t)sqlite3_column_bytes(st, 5) : 0;
    return !oom;
}

static int sq_stix_query(lf_store *s, const lf_store_stix_q *q, lf_arena *a, lf_store_stix_hit **out, size_t *n,
                         bool *more, lf_err *err)
{
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    /* the default selection has a cheaper statement (STIX_WHERE_LATEST) */
    bool latest = !q->specs_json && !q->v_all && !q->v_first && !q->vkeys_json;
    int which = latest ? (q->id ? ST_STIX_Q_LATEST_ID : ST_STIX_Q_LATEST) : (q->id ? ST_STIX_Q_ID : ST_STIX_Q);
    if (rc || (rc = st_get(c, which, &st, err)))
        return rc;
    bind_stix_q(st, q);
    /* the page key is (date_added, id), not the id alone: rows are decoded here */
    size_t cap = q->limit < 64 ? q->limit : 64, cnt = 0;
    lf_store_stix_hit *hits = lf_arena_alloc(a, cap * sizeof *hits);
    int src = SQLITE_DONE;
    *more = false;
    if (!hits) {
        st_done(st);
        return lf_err_set(err, LF_ENOMEM, "STIX objects: out of memory");
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == q->limit) {
            *more = true;
            break;
        }
        if (cnt == cap) {
            lf_store_stix_hit *nh = lf_arena_alloc(a, 2 * cap * sizeof *hits);
            if (!nh) {
                st_done(st);
                return lf_err_set(err, LF_ENOMEM, "STIX objects: out of memory");
            }
            memcpy(nh, hits, cnt * sizeof *hits);
            hits = nh;
            cap *= 2;
        }
        if (!row_stix_hit(st, a, &hits[cnt])) {
            st_done(st);
            return lf_err_set(err, LF_ENOMEM, "STIX objects: out of memory");
        }
        cnt++;
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "STIX objects", err);
    st_done(st);
    *out = hits;
    *n = cnt;
    return rc;
}

static int sq_stix_delete(lf_store *s, const lf_store_stix_q *q, size_t *deleted, lf_err *err)
{
    STMT(STIX_DEL_ID);
    lf_store_stix_q d = *q;
    d.page_added = 0;
    d.page_row = 0;
    d.limit = 1;
    bind_stix_q(st, &d);
    int rc = st_exec(c, st, "STIX objects", err);
    if (!rc)
        *deleted = (size_t)sqlite3_changes(c->db);
    return rc;
}

static int sq_stix_count(lf_store *s, lf_id coll, uint64_t *n, lf_err *err)
{
    STMT(STIX_COUNT);
    sqlite3_bind_int64(st, 1, coll);
    int src = sqlite3_step(st);
    int rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "STIX objects", err);
    if (!rc)
        *n = (uint64_t)col_i64(st, 0);
    st_done(st);
    return rc;
}

static bool row_tstatus(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_taxii_status *t = out;
    bool oom = false;
    memset(t, 0, sizeof *t);
    t->id = col_i64(st, 0);
    t->uuid = col_str(st, 1, a, &oom);
    t->root_id = col_i64(st, 2);
    t->coll_id = col_i64(st, 3);
    t->org_id = col_i64(st, 4);
    t->status = col_str(st, 5, a, &oom);
    t->request_timestamp = col_str(st, 6, a, &oom);
    t->total = (uint64_t)col_i64(st, 7);
    t->success = (uint64_t)col_i64(st, 8);
    t->failure = (uint64_t)col_i64(st, 9);
    t->pending = (uint64_t)col_i64(st, 10);
    t->successes = col_str(st, 11, a, &oom);
    t->failures = col_str(st, 12, a, &oom);
    t->pendings = col_str(st, 13, a, &oom);
    t->created = col_i64(st, 14);
    return !oom;
}

static int sq_taxii_status_put(lf_store *s, const lf_store_taxii_status *in, lf_err *err)
{
    STMT(TSTATUS_PUT);
    bind_text(st, 1, in->uuid);
    sqlite3_bind_int64(st, 2, in->root_id);
    bind_id(st, 3, in->coll_id);
    bind_id(st, 4, in->org_id);
    bind_text(st, 5, in->status);
    bind_text(st, 6, in->request_timestamp);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)in->total);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)in->success);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)in->failure);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)in->pending);
    bind_text(st, 11, in->successes);
    bind_text(st, 12, in->failures);
    bind_text(st, 13, in->pendings);
    sqlite3_bind_int64(st, 14, lf_store_now(s));
    return st_exec(c, st, "TAXII status", err);
}

static int sq_taxii_status_get(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_status *out,
                               lf_err *err)
{
    STMT(TSTATUS_GET);
    sqlite3_bind_int64(st, 1, root_id);
    bind_text(st, 2, uuid);
    return st_one(c, st, "TAXII status", row_tstatus, a, out, err);
}

/* ---------------------------------------------------------------- ISAC-DISPATCH (schema 7) */

static bool row_iind(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_isac_ind *d = out;
    bool oom = false;
    memset(d, 0, sizeof *d);
    d->object_id = col_i64(st, 0);
    d->coll_id = col_i64(st, 1);
    d->coll_group = col_i64(st, 2);
    d->stix_id = col_str(st, 3, a, &oom);
    d->type = col_str(st, 4, a, &oom);
    d->tlp = (int)col_i64(st, 5);
    d->added_by = col_i64(st, 6);
    d->recipients = col_str(st, 7, a, &oom);
    d->created_by_ref = col_str(st, 8, a, &oom);
    d->valid_until = col_str(st, 9, a, &oom);
    d->revoked = col_i64(st, 10) != 0;
    d->json = col_str(st, 11, a, &oom);
    d->json_len = d->json ? (size_t)sqlite3_column_bytes(st, 11) : 0;
    return !oom;
}

static int sq_isac_ind_find(lf_store *s, const char *stix_id, lf_arena *a, lf_store_isac_ind *out, lf_err *err)
{
    STMT(IDX_IND_FIND);
    bind_text(st, 1, stix_id);
    return st_one(c, st, "indicator", row_iind, a, out, err);
}

static int sq_isac_approve(lf_store *s, const lf_store_isac_approval *in, const lf_store_isac_ioc *iocs, size_t n,
                           lf_id *id, lf_err *err)
{
    int rc = sq_begin(s, err);
    if (rc)
        return rc;
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    const lf_store_isac_ind *d = in->ind;
    if ((rc = conn_get(s, &c, err)) || (rc = st_get(c, ST_IDX_APPROVE, &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, in->group_id);
    bind_text(st, 2, d->stix_id);
    sqlite3_bind_int64(st, 3, d->object_id);
    sqlite3_bind_int64(st, 4, d->coll_group);
    sqlite3_bind_int(st, 5, d->tlp);
    sqlite3_bind_int64(st, 6, d->added_by);
    bind_text(st, 7, d->recipients);
    bind_text(st, 8, in->source);
    sqlite3_bind_int64(st, 9, in->expires);
    bind_id(st, 10, in->approved_by);
    bind_text(st, 11, in->approver);
    sqlite3_bind_int64(st, 12, in->approver_org);
    sqlite3_bind_int64(st, 13, lf_store_now(s));
    int src = sqlite3_step(st);
    lf_id aid = src == SQLITE_ROW ? col_i64(st, 0) : 0;
    rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "approval", err);
    st_done(st);
    if (rc)
        goto fail;
    if ((rc = st_get(c, ST_IDX_IOC_CLEAR, &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, aid);
    if ((rc = st_exec(c, st, "approval indicators", err)) || (rc = st_get(c, ST_IDX_IOC_INSERT, &st, err)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, aid);
        sqlite3_bind_int(st, 2, iocs[i].kind);
        bind_text(st, 3, iocs[i].value);
        if ((rc = st_exec(c, st, "approval indicator", err)))
            goto fail;
    }
    /* the list rows (schema 8) follow the approval: replaced on re-approval */
    if ((rc = st_get(c, ST_IDX_BLROW_CLEAR, &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, aid);
    if ((rc = st_exec(c, st, "blocklist rows", err)) || (rc = st_get(c, ST_IDX_BLROW_INSERT, &st, err)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, in->group_id);
        sqlite3_bind_int(st, 2, iocs[i].kind);
        bind_text(st, 3, iocs[i].value);
        sqlite3_bind_int64(st, 4, aid);
        sqlite3_bind_int64(st, 5, in->expires);
        sqlite3_bind_int(st, 6, d->tlp);
        sqlite3_bind_int64(st, 7, d->coll_group);
        sqlite3_bind_int64(st, 8, d->added_by);
        bind_text(st, 9, d->recipients);
        bind_text(st, 10, d->stix_id);
        bind_text(st, 11, in->source);
        if ((rc = st_exec(c, st, "blocklist row", err)))
            goto fail;
    }
    if ((rc = sq_commit(s, err)))
        goto fail;
    if (id)
        *id = aid;
    return LF_OK;
fail:
    sq_rollback(s);
    return rc;
}

static bool row_iapproval(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_isac_approval *p = out;
    bool oom = false;
    memset(p, 0, sizeof *p);
    p->id = col_i64(st, 0);
    p->group_id = col_i64(st, 1);
    p->stix_id = col_str(st, 2, a, &oom);
    p->object_id = col_i64(st, 3);
    p->tlp = (int)col_i64(st, 4);
    p->source = col_str(st, 5, a, &oom);
    p->expires = col_i64(st, 6);
    p->approved_by = col_i64(st, 7);
    p->approver = col_str(st, 8, a, &oom);
    p->approver_org = col_i64(st, 9);
    p->created = col_i64(st, 10);
    p->revoked_at = col_i64(st, 11);
    p->revoked_by = col_str(st, 12, a, &oom);
    p->niocs = (uint64_t)col_i64(st, 13);
    return !oom;
}

static int sq_isac_approval_get(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_approval *out, lf_err *err)
{
    STMT(IDX_APPROVAL_GET);
    sqlite3_bind_int64(st, 1, id);
    return st_one(c, st, "approval", row_iapproval, a, out, err);
}

static int sq_isac_revoke(lf_store *s, lf_id id, const char *by, lf_err *err)
{
    int rc = sq_begin(s, err);
    if (rc)
        return rc;
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    if ((rc = conn_get(s, &c, err)) || (rc = st_get(c, ST_IDX_REVOKE, &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, lf_store_now(s));
    bind_text(st, 3, by);
    if ((rc = st_exec_one(c, st, "active approval", id, err)) || (rc = st_get(c, ST_IDX_BLROW_CLEAR, &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = st_exec(c, st, "blocklist rows", err)) || (rc = sq_commit(s, err)))
        goto fail;
    return LF_OK;
fail:
    sq_rollback(s);
    return rc;
}

static int sq_isac_approval_list(lf_store *s, lf_id group, bool active_only, int64_t now, lf_store_page *pg,
                                 lf_arena *a, lf_store_isac_approval **out, size_t *n, lf_err *err)
{
    STMT(IDX_APPROVAL_LIST);
    sqlite3_bind_int64(st, 1, group);
    sqlite3_bind_int(st, 2, active_only);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, page_after(pg));
    void *v = NULL;
    int rc = st_list(c, st, 5, "approvals", pg, sizeof **out, row_iapproval, a, &v, n, err);
    *out = v;
    return rc;
}

static int sq_isac_bl_each(lf_store *s, lf_id group, lf_id fetcher, int64_t now, int kind_lo, int kind_hi,
                           lf_store_isac_bl_fn fn, void *ud, lf_err *err)
{
    STMT(IDX_BL_EACH);
    sqlite3_bind_int64(st, 1, group);
    sqlite3_bind_int64(st, 2, fetcher);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int(st, 4, kind_lo);
    sqlite3_bind_int(st, 5, kind_hi);
    int rc = LF_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lf_store_isac_bl_row r;
        r.stix_id = (const char *)sqlite3_column_text(st, 0);
        r.source = (const char *)sqlite3_column_text(st, 1);
        r.tlp = sqlite3_column_int(st, 2);
        r.expires = col_i64(st, 3);
        r.kind = sqlite3_column_int(st, 4);
        r.value = (const char *)sqlite3_column_text(st, 5);
        if ((rc = fn(ud, &r)))
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "blocklist", err);
    st_done(st);
    return rc;
}

static int sq_isac_bl_stamp(lf_store *s, lf_id group, uint64_t *changes, lf_err *err)
{
    STMT(IDX_BL_STAMP);
    sqlite3_bind_int64(st, 1, group);
    int src = sqlite3_step(st);
    *changes = src == SQLITE_ROW ? (uint64_t)col_i64(st, 0) : 0;
    int rc = src == SQLITE_ROW || src == SQLITE_DONE ? LF_OK : sq_fail(c->db, src, "blocklist state", err);
    st_done(st);
    return rc;
}

static int sq_isac_fetch_log(lf_store *s, const lf_store_isac_fetch *in, lf_err *err)
{
    STMT(IDX_FETCH_LOG);
    sqlite3_bind_int64(st, 1, in->group_id);
    sqlite3_bind_int64(st, 2, in->org_id);
    bind_id(st, 3, in->token_id);
    bind_id(st, 4, in->user_id);
    bind_text(st, 5, in->list);
    bind_text(st, 6, in->version);
    sqlite3_bind_int(st, 7, in->status);
    sqlite3_bind_int64(st, 8, lf_store_now(s));
    return st_exec(c, st, "blocklist fetch", err);
}

static bool row_ifetch(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_isac_fetch *f = out;
    bool oom = false;
    memset(f, 0, sizeof *f);
    f->id = col_i64(st, 0);
    f->group_id = col_i64(st, 1);
    f->org_id = col_i64(st, 2);
    f->org_code = col_str(st, 3, a, &oom);
    f->org_name = col_str(st, 4, a, &oom);
    f->token_id = col_i64(st, 5);
    f->user_id = col_i64(st, 6);
    f->list = col_str(st, 7, a, &oom);
    f->version = col_str(st, 8, a, &oom);
    f->status = (int)col_i64(st, 9);
    f->at = col_i64(st, 10);
    f->count = (uint64_t)col_i64(st, 11);
    return !oom;
}

static int sq_isac_fetch_latest(lf_store *s, lf_id group, lf_id scope, lf_arena *a, lf_store_isac_fetch **out,
                                size_t *n, lf_err *err)
{
    STMT(IDX_FETCH_LATEST);
    sqlite3_bind_int64(st, 1, group);
    sqlite3_bind_int64(st, 2, scope);
    /* no LIMIT parameter: one row per (org, list) is bounded by the organisations */
    unsigned char *buf = NULL;
    size_t cnt = 0, cap = 0;
    int rc = LF_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            unsigned char *nb = realloc(buf, ncap * sizeof **out);
            if (!nb) {
                rc = lf_err_set(err, LF_ENOMEM, "blocklist fetches: out of memory");
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        if (!row_ifetch(st, a, buf + cnt * sizeof **out)) {
            rc = lf_err_set(err, LF_ENOMEM, "blocklist fetches: out of memory");
            goto done;
        }
        cnt++;
    }
    if (src != SQLITE_DONE) {
        rc = sq_fail(c->db, src, "blocklist fetches", err);
        goto done;
    }
    *out = NULL;
    if (cnt && !(*out = lf_arena_alloc(a, cnt * sizeof **out))) {
        rc = lf_err_set(err, LF_ENOMEM, "blocklist fetches: out of memory");
        goto done;
    }
    if (cnt)
        memcpy(*out, buf, cnt * sizeof **out);
    *n = cnt;
done:
    free(buf);
    st_done(st);
    return rc;
}

static int sq_isac_count_add(lf_store *s, lf_id org, int year, lf_isac_count_kind kind, uint64_t n, lf_err *err)
{
    STMT(IDX_COUNT_ADD);
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int(st, 2, year);
    bind_text(st, 3, kind == LF_ISAC_SHARED ? "shared" : "received");
    sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
    return st_exec(c, st, "ISAC counter", err);
}

static bool row_icounter(sqlite3_stmt *st, lf_arena *a, void *out)
{
    lf_store_isac_counter *k = out;
    bool oom = false;
    memset(k, 0, sizeof *k);
    k->org_id = col_i64(st, 0);
    k->code = col_str(st, 1, a, &oom);
    k->name_en = col_str(st, 2, a, &oom);
    k->name_zh = col_str(st, 3, a, &oom);
    k->shared = (uint64_t)col_i64(st, 4);
    k->received = (uint64_t)col_i64(st, 5);
    return !oom;
}

/* Unix seconds of 1 January of year (UTC), proleptic Gregorian. */
static int64_t year_start(int year)
{
    int64_t y = year - 1;
    int64_t days = 365 * (y - 1969) + (y / 4 - 1969 / 4) - (y / 100 - 1969 / 100) + (y / 400 - 1969 / 400);
    return days * 86400;
}

static int sq_isac_counters(lf_store *s, lf_id scope, int year, lf_arena *a, lf_store_isac_counter **out, size_t *n,
                            lf_err *err)
{
    lf_store_org o;
    int rc = sq_org_get(s, scope, NULL, a, &o, err);
    if (rc)
        return rc;
    STMT(IDX_COUNTERS);
    sqlite3_bind_int64(st, 1, scope);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, year_start(year) * 1000000);
    sqlite3_bind_int64(st, 4, year_start(year + 1) * 1000000);
    sqlite3_bind_int(st, 5, o.kind == LF_ORG_COUNTY || o.kind == LF_ORG_AGENCY);
    lf_store_isac_counter *v = NULL;
    size_t cnt = 0, cap = 0;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (lf_arena_grow(a, (void **)&v, &cap, cnt, sizeof *v)) {
            rc = lf_err_set(err, LF_ENOMEM, "ISAC counters: out of memory");
            goto done;
        }
        if (!row_icounter(st, a, &v[cnt])) {
            rc = lf_err_set(err, LF_ENOMEM, "ISAC counters: out of memory");
            goto done;
        }
        cnt++;
    }
    if (src != SQLITE_DONE) {
        rc = sq_fail(c->db, src, "ISAC counters", err);
        goto done;
    }
    *out = v;
    *n = cnt;
done:
    st_done(st);
    return rc;
}

/* ---------------------------------------------------------------- MATCHSCOPE (schema 9) */

static int sq_finding_touch_hc(lf_store *s, lf_id host_id, const lf_store_hit *h, lf_id run, int64_t now,
                               bool *touched, lf_err *err)
{
    STMT(F_TOUCH_HC);
    sqlite3_bind_int64(st, 1, host_id);
    bind_text(st, 2, h->cve);
    bind_text(st, 3, h->cpe);
    bind_text(st, 4, lf_fkind_name(h->kind));
    bind_text(st, 5, h->cvss_version);
    bind_score(st, 6, h->cvss);
    bind_text(st, 7, h->severity);
    bind_text(st, 8, h->kev_due);
    bind_score(st, 9, h->epss);
    sqlite3_bind_int64(st, 10, now);
    sqlite3_bind_int64(st, 11, run);
    sqlite3_bind_int(st, 12, h->kev);
    lf_id sid = 0;
    int rc = srcs_intern(c, h->sources_json, &sid, err);
    if (rc) {
        st_done(st);
        return rc;
    }
    bind_id(st, 13, sid);
    rc = st_exec(c, st, "finding", err);
    *touched = !rc && sqlite3_changes(c->db) == 1;
    return rc;
}

static int sq_finding_max_id(lf_store *s, lf_id *out, lf_err *err)
{
    STMT(F_MAX_ID);
    int src = sqlite3_step(st);
    *out = src == SQLITE_ROW ? col_i64(st, 0) : 0;
    int rc = src == SQLITE_ROW ? LF_OK : sq_fail(c->db, src, "findings", err);
    st_done(st);
    return rc;
}

static int sq_dash_run_add(lf_store *s, lf_id after_id, lf_id run, lf_err *err)
{
    sq_conn *c;
    int rc = conn_get(s, &c, err);
    static const int ids[] = {ST_DASH_RUN_OPEN, ST_DASH_RUN_FIX, ST_DASH_RUN_LIFE, ST_DASH_RUN_HOST,
                              ST_DASH_RUN_CVSS};
    for (size_t i = 0; !rc && i < sizeof ids / sizeof ids[0]; i++) {
        sqlite3_stmt *st = NULL;
        if ((rc = st_get(c, ids[i], &st, err)))
            break;
        sqlite3_bind_int64(st, 1, after_id);
        sqlite3_bind_int64(st, 2, run);
        rc = st_exec(c, st, "dashboard summaries", err);
    }
    return rc;
}

static bool sq_in_tx(lf_store *s)
{
    sq_conn *c;
    lf_err e;
    if (conn_get(s, &c, &e))
        return false;
    return c->depth > 0 && !sqlite3_get_autocommit(c->db);
}

/* cves as one JSON array, the text json_each reads */
static int cves_json(const char *const *cves, size_t n, lf_buf *b, lf_err *err)
{
    int rc = lf_buf_putc(b, '[');
    for (size_t i = 0; !rc && i < n; i++) {
        if (i)
            rc = lf_buf_putc(b, ',');
        if (!rc)
            rc = lf_json_write_str(b, cves[i], strlen(cves[i]));
    }
    if (!rc)
        rc = lf_buf_putc(b, ']');
    if (rc)
        return lf_err_set(err, rc, "findings: out of memory listing %zu CVEs", n);
    return LF_OK;
}

static int sq_finding_stale_cves(lf_store *s, lf_id agency_id, lf_id run, const char *const *cves, size_t ncves,
                                 lf_arena *a, lf_id **ids, size_t *n, lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = cves_json(cves, ncves, &b, err);
    if (rc)
        goto done;
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    if ((rc = conn_get(s, &c, err)) || (rc = st_get(c, ST_F_STALE_CVES, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, agency_id);
    sqlite3_bind_int64(st, 2, run);
    sqlite3_bind_text(st, 3, b.data, (int)b.len, SQLITE_STATIC);
    rc = stale_collect(c, st, a, ids, n, err);
done:
    lf_buf_clear(&b);
    return rc;
}

static int sq_not_affected_clear_cves(lf_store *s, lf_id agency_id, const char *const *cves, size_t ncves,
                                      lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = cves_json(cves, ncves, &b, err);
    if (rc)
        goto done;
    sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    if ((rc = conn_get(s, &c, err)) || (rc = st_get(c, ST_SRC_NA_CLEAR_CVES, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, agency_id);
    sqlite3_bind_text(st, 2, b.data, (int)b.len, SQLITE_STATIC);
    rc = st_exec(c, st, "not affected", err);
done:
    lf_buf_clear(&b);
    return rc;
}

/* ---------------------------------------------------------------- the table */

/* ---------------------------------------------------------------- BULK */

/* A new finding's values under the summaries a run's new rows are added to by the writer
 * (schema 10: the insert triggers leave those rows alone): dash_open and dash_life per
 * (severity, KEV, due date), host_open per host and the same, open_cvss per score and
 * notice date. */
typedef struct bulk_okey {
    lf_id host;
    const char *severity, *due, *notice;
    double cvss;                       /* < 0: none */
    int kev;
} bulk_okey;

static int str_order(const char *a, const char *b)
{
    return a == b ? 0 : !a ? -1 : !b ? 1 : strcmp(a, b);
}

static int okey_dash_cmp(const void *x, const void *y)
{
    const bulk_okey *a = x, *b = y;
    int r = str_order(a->severity, b->severity);
    if (!r && a->kev != b->kev)
        r = a->kev < b->kev ? -1 : 1;
    return r ? r : str_order(a->due, b->due);
}

static int okey_host_cmp(const void *x, const void *y)
{
    const bulk_okey *a = x, *b = y;
    if (a->host != b->host)
        return a->host < b->host ? -1 : 1;
    return okey_dash_cmp(x, y);
}

static int okey_cvss_cmp(const void *x, const void *y)
{
    const bulk_okey *a = x, *b = y;
    if (a->cvss != b->cvss)
        return a->cvss < b->cvss ? -1 : 1;
    return str_order(a->notice, b->notice);
}

static uint64_t okey_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t okey_str(const char *s)
{
    return s ? lf_strmap_hash(s, strlen(s)) : 1;
}

static uint64_t okey_dash_hash(const bulk_okey *k)
{
    return okey_mix(okey_mix(okey_str(k->severity), (uint64_t)k->kev), okey_str(k->due));
}

static uint64_t okey_host_hash(const bulk_okey *k)
{
    return okey_mix(okey_dash_hash(k), (uint64_t)k->host);
}

static uint64_t okey_cvss_hash(const bulk_okey *k)
{
    uint64_t bits;
    memcpy(&bits, &k->cvss, sizeof bits);
    return okey_mix(bits, okey_str(k->notice));
}

/* The groups of equal keys (cmp 0) among k[0..m), in order of first appearance: first[g]
 * is a group's first key, cnt[g] its size. A hash table of the groups so far finds each
 * key's group; a hash that splits equal keys (-0 and 0) only makes two groups whose
 * additions land on the same summary row. */
static size_t okey_groups(const bulk_okey *k, size_t m, uint64_t (*hash)(const bulk_okey *),
                          int (*cmp)(const void *, const void *), uint32_t *tab, size_t cap, uint32_t *first,
                          uint32_t *cnt)
{
    size_t ng = 0;
    memset(tab, 0, cap * sizeof *tab);
    for (size_t i = 0; i < m; i++) {
        size_t s = (size_t)hash(&k[i]) & (cap - 1);
        while (tab[s] && cmp(&k[first[tab[s] - 1]], &k[i]) != 0)
            s = (s + 1) & (cap - 1);
        if (tab[s]) {
            cnt[tab[s] - 1]++;
        } else {
            first[ng] = (uint32_t)i;
            cnt[ng] = 1;
            tab[s] = (uint32_t)++ng;
        }
    }
    return ng;
}

/* The batch's nnew new findings into the summaries above: grouped here by their raw values
 * and added with one statement per group and summary, whose SQL computes the summary key
 * as the triggers do. Groups are few (severities and due dates; scores). A GROUP BY over
 * the batch had put every new row through SQLite's sorter, twice (0.9 G instructions of a
 * first upload's writer, callgrind); three qsorts of the keys then cost 1,900 instructions
 * a row (0.18 G for 98,507 new findings); a hash table of the groups costs a few hundred. */
static int bulk_sums(sq_conn *c, lf_id agency, int64_t now, const lf_store_bulk *b, size_t n, size_t nnew,
                     lf_err *err)
{
    bulk_okey *k = malloc(nnew * sizeof *k);
    if (!k)
        return lf_err_set(err, LF_ENOMEM, "match batch: summaries: out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n && m < nnew; i++) {
        if (b[i].state != LF_BULK_NEW)
            continue;
        const lf_store_hit *h = b[i].hit;
        k[m++] = (bulk_okey){b[i].host_id, h->severity, h->due_date, h->notice_date, h->cvss < 0 ? -1 : h->cvss,
                             h->kev};
    }
    int rc = LF_OK;
    sqlite3_stmt *st = NULL;
    size_t cap = 16;
    while (cap < 2 * m)
        cap *= 2;
    uint32_t *tab = malloc(cap * sizeof *tab), *first = malloc((m ? m : 1) * sizeof *first),
             *cnt = malloc((m ? m : 1) * sizeof *cnt);
    if (!tab || !first || !cnt) {
        rc = lf_err_set(err, LF_ENOMEM, "match batch: summaries: out of memory");
        goto out;
    }
    size_t ng = okey_groups(k, m, okey_dash_hash, okey_dash_cmp, tab, cap, first, cnt);
    for (size_t g = 0; !rc && g < ng; g++) {
        const bulk_okey *x = &k[first[g]];
        if ((rc = st_get(c, ST_BULK_DASH_OPEN, &st, err)))
            break;
        sqlite3_bind_int64(st, 1, agency);
        bind_text(st, 2, x->severity);
        sqlite3_bind_int(st, 3, x->kev);
        bind_text(st, 4, x->due);
        sqlite3_bind_int64(st, 5, (int64_t)cnt[g]);
        if ((rc = st_exec(c, st, "dashboard summaries", err)) || (rc = st_get(c, ST_BULK_DASH_LIFE, &st, err)))
            break;
        sqlite3_bind_int64(st, 1, agency);
        bind_text(st, 2, x->severity);
        sqlite3_bind_int64(st, 3, now);
        sqlite3_bind_int64(st, 4, (int64_t)cnt[g]);
        rc = st_exec(c, st, "dashboard summaries", err);
    }
    if (!rc)
        ng = okey_groups(k, m, okey_host_hash, okey_host_cmp, tab, cap, first, cnt);
    for (size_t g = 0; !rc && g < ng; g++) {
        const bulk_okey *x = &k[first[g]];
        if ((rc = st_get(c, ST_BULK_HOST_OPEN, &st, err)))
            break;
        sqlite3_bind_int64(st, 1, x->host);
        bind_text(st, 2, x->severity);
        sqlite3_bind_int(st, 3, x->kev);
        bind_text(st, 4, x->due);
        sqlite3_bind_int64(st, 5, (int64_t)cnt[g]);
        rc = st_exec(c, st, "host summaries", err);
    }
    if (!rc)
        ng = okey_groups(k, m, okey_cvss_hash, okey_cvss_cmp, tab, cap, first, cnt);
    for (size_t g = 0; !rc && g < ng; g++) {
        const bulk_okey *x = &k[first[g]];
        if ((rc = st_get(c, ST_BULK_OPEN_CVSS, &st, err)))
            break;
        sqlite3_bind_int64(st, 1, agency);
        bind_score(st, 2, x->cvss);
        bind_text(st, 3, x->notice);
        sqlite3_bind_int64(st, 4, (int64_t)cnt[g]);
        rc = st_exec(c, st, "open findings by CVSS", err);
    }
out:
    free(tab);
    free(first);
    free(cnt);
    free(k);
    return rc;
}

/* The rows lf_bulk_mark marked since the statement began (rows->nmarked was `before`)
 * that are still LF_BULK_LEFT: now `to`. Their number must be what the statement wrote
 * (`wrote`). */
static int bulk_take(bulk_rows *rows, lf_store_bulk *b, size_t before, sqlite3_int64 wrote, lf_bulk_state to,
                     size_t *taken, lf_err *err)
{
    size_t k = 0;
    if (rows->nmarked - before != (size_t)wrote)
        return lf_err_set(err, LF_EIO, "match batch: %lld rows written but %zu marked", (long long)wrote,
                          rows->nmarked - before);
    for (size_t i = 0; i < rows->n && k < (size_t)wrote; i++)
        if (rows->marked[i] && b[i].state == LF_BULK_LEFT) {
            b[i].state = to;
            k++;
        }
    if (k != (size_t)wrote)
        return lf_err_set(err, LF_EIO, "match batch: %zu of %lld written rows found", k, (long long)wrote);
    *taken += k;
    return LF_OK;
}

/* the findings of rows that do not exist yet (*nnew more): the rows the INSERT took are the
 * ones it marked (lf_bulk_mark) */
static int bulk_new(sq_conn *c, lf_id agency, lf_id run, int64_t now, bulk_rows *rows,
                    lf_store_bulk *b, size_t *nnew, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_BULK_NEW, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, agency);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, run);
    sqlite3_bind_pointer(st, 4, rows, BULK_PTR, NULL);
    size_t before = rows->nmarked;
    if ((rc = st_exec(c, st, "match batch: new findings", err)))
        return rc;
    return bulk_take(rows, b, before, sqlite3_changes64(c->db), LF_BULK_NEW, nnew, err);
}

/* Which hits' hosts are fresh: no finding and no suppression yet, so none of their hits can
 * meet a finding or a suppression (a batch has one hit per host and CVE). Hosts come in
 * runs; each run is asked once. */
static int bulk_fresh(sq_conn *c, const lf_store_bulk *b, size_t n, bool *fresh, size_t *nfresh, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    *nfresh = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && b[j].host_id == b[i].host_id; j++)
            ;
        int rc = st_get(c, ST_BULK_HOST_FRESH, &st, err);
        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, b[i].host_id);
        int src = sqlite3_step(st);
        bool f = src == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
        st_done(st);
        if (src != SQLITE_ROW)
            return sq_fail(c->db, src, "match batch: fresh hosts", err);
        for (size_t k = i; k < j; k++)
            fresh[k] = f;
        if (f)
            *nfresh += j - i;
    }
    return LF_OK;
}

/* The connection's triggers on or off (SQLITE_DBCONFIG_ENABLE_TRIGGER). Each change
 * expires every prepared statement of the connection, so each is compiled again for the
 * setting it then runs under; one running at that moment would stop at its next cursor
 * open, so the setting is changed between statements only (stmts_idle). */
static int triggers_set(sq_conn *c, bool on, const char *what, lf_err *err)
{
    int src = sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, (int *)NULL);
    return src == SQLITE_OK ? LF_OK : sq_fail(c->db, src, what, err);
}

/* no statement of the connection is running */
static bool stmts_idle(sq_conn *c)
{
    for (sqlite3_stmt *p = sqlite3_next_stmt(c->db, NULL); p; p = sqlite3_next_stmt(c->db, p))
        if (sqlite3_stmt_busy(p))
            return false;
    return true;
}

/* The findings of the fresh hosts' hits, all new: one plain INSERT, which must write every
 * one of them (the count is checked). Against BULK_NEW's NOT EXISTS
 * probes and RETURNING, 21 % fewer SQLite instructions per row (callgrind, the sqlite3
 * shell, 98,304 rows: 3.43 G with both, 2.71 G with neither).
 * It runs with the triggers off when nothing else of the connection is running: the
 * findings insert triggers leave a run's rows alone (WHEN NEW.last_run IS NULL; bulk_sums
 * adds them to the summaries), but SQLite runs each trigger's program for every row to
 * find that out, its prologue of constants included (callgrind, a 30,000-row first upload:
 * sq_finding_bulk 3.09 G with them, 2.49 G without, the statements compiled again after
 * each switch included). The rows and summaries are the same either way. */
static int bulk_new_fresh(sq_conn *c, lf_id agency, lf_id run, int64_t now, bulk_rows *rows, lf_store_bulk *b,
                          size_t n, size_t nfresh, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    bool off = stmts_idle(c) && triggers_set(c, false, "match batch: triggers off", NULL) == LF_OK;
    int rc = st_get(c, ST_BULK_NEW_FRESH, &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, agency);
        sqlite3_bind_int64(st, 2, now);
        sqlite3_bind_int64(st, 3, run);
        sqlite3_bind_pointer(st, 4, rows, BULK_PTR, NULL);
        rc = st_exec(c, st, "match batch: new findings", err);
    }
    if (off) {
        int on = triggers_set(c, true, "match batch: triggers on", rc ? NULL : err);
        if (!rc)
            rc = on;
    }
    if (rc)
        return rc;
    sqlite3_int64 k = sqlite3_changes64(c->db);
    if (k != (sqlite3_int64)nfresh)
        return lf_err_set(err, LF_EIO, "match batch: %lld of %zu new findings inserted", (long long)k, nfresh);
    for (size_t i = 0; i < n; i++)
        if (rows->fresh[i])
            b[i].state = LF_BULK_NEW;
    return LF_OK;
}

/* the active findings seen again with the same scores (marked by the UPDATE) */
static int bulk_touch(sq_conn *c, lf_id run, int64_t now, bulk_rows *rows, lf_store_bulk *b, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_BULK_TOUCH, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, run);
    sqlite3_bind_pointer(st, 3, rows, BULK_PTR, NULL);
    size_t before = rows->nmarked, seen = 0;
    if ((rc = st_exec(c, st, "match batch: refreshed findings", err)))
        return rc;
    return bulk_take(rows, b, before, sqlite3_changes64(c->db), LF_BULK_SEEN, &seen, err);
}

static int sq_finding_bulk(lf_store *s, lf_id agency, lf_id run, int64_t now, lf_store_bulk *b, size_t n,
                           lf_err *err)
{
    sq_conn *c;
    sqlite3_stmt *st = NULL;
    int rc = conn_get(s, &c, err);
    if (rc || n == 0)
        return rc;
    lf_id *sid = calloc(n, sizeof *sid);
    bool *fresh = calloc(n, sizeof *fresh);
    uint8_t *marked = calloc(n, 1);
    size_t nfresh = 0;
    if (!sid || !fresh || !marked) {
        free(sid);
        free(fresh);
        free(marked);
        return lf_err_set(err, LF_ENOMEM, "match: out of memory");
    }
    /* A text the batch has already interned under the same pointer has its id: callers
     * that share one copy of equal texts (the server's match batches) spare the store
     * hashing and comparing ~1 KB of each hit. Pointer-keyed, open addressing. */
    size_t pcap = 16;
    while (pcap < 2 * n)
        pcap <<= 1;
    struct {
        const char *p;
        lf_id id;
    } *pm = calloc(pcap, sizeof *pm);
    if (!pm) {
        rc = lf_err_set(err, LF_ENOMEM, "match: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        b[i].state = LF_BULK_LEFT;
        const char *js = b[i].hit->sources_json;
        if (!js)
            continue;
        size_t k = (size_t)(((uintptr_t)js >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 20) & (pcap - 1);
        while (pm[k].p && pm[k].p != js)
            k = (k + 1) & (pcap - 1);
        if (pm[k].p) {
            sid[i] = pm[k].id;
            continue;
        }
        if ((rc = srcs_intern(c, js, &sid[i], err)))
            break;
        pm[k].p = js;
        pm[k].id = sid[i];
    }
    free(pm);
    if (rc)
        goto done;
    /* Hits of fresh hosts (a first upload: all of them) are new without asking */
    if ((rc = bulk_fresh(c, b, n, fresh, &nfresh, err)))
        goto done;
    bulk_rows rows = {b, sid, n, false, fresh, 1, marked, 0};
    size_t nnew = 0;
    if (nfresh && (rc = bulk_new_fresh(c, agency, run, now, &rows, b, n, nfresh, err)))
        goto done;
    nnew += nfresh;
    size_t f0 = 0;
    while (f0 < n && fresh[f0])
        f0++;
    if (f0 < n) {
        /* The two statements take disjoint rows (new: no finding; seen: a finding), so
         * either may go first; the second reads only what the first left. A batch whose
         * first such hit has a finding is most likely a month's repeat: refreshing first
         * spares the probe of every seen hit for a finding; else inserting first spares it
         * for every new one. */
        if ((rc = st_get(c, ST_BULK_PROBE, &st, err)))
            goto done;
        sqlite3_bind_int64(st, 1, b[f0].host_id);
        bind_text(st, 2, b[f0].hit->cve);
        int src = sqlite3_step(st);
        bool known = src == SQLITE_ROW;
        if (src != SQLITE_ROW && src != SQLITE_DONE)
            rc = sq_fail(c->db, src, "match batch", err);
        st_done(st);
        if (rc)
            goto done;
        rows.want_fresh = 0;
        if (known) {
            if ((rc = bulk_touch(c, run, now, &rows, b, err)))
                goto done;
            rows.only_left = true;
            rc = bulk_new(c, agency, run, now, &rows, b, &nnew, err);
        } else {
            if ((rc = bulk_new(c, agency, run, now, &rows, b, &nnew, err)))
                goto done;
            rows.only_left = true;
            rc = bulk_touch(c, run, now, &rows, b, err);
        }
        if (rc)
            goto done;
    }
    if (nnew)
        rc = bulk_sums(c, agency, now, b, n, nnew, err);
done:
    free(sid);
    free(fresh);
    free(marked);
    return rc;
}

/* ---- FIX: a run's stale findings fixed at once (ops finding_fix_bulk) */

/* One summary key's change: t names the summary (dash_open 'o', dash_fix 'f', dash_life
 * 'l', host_open 'h', open_cvss 'c'); who is the agency (the host for 'h'); s1, s2 point
 * into the key's bytes in the map's arena. */
typedef struct fix_sum {
    char t;
    lf_id who;
    int64_t a, b;
    double cvss;
    const char *s1, *s2;
    int64_t n;
} fix_sum;

typedef struct fix_sums {
    lf_strmap map;
    lf_arena arena;
    fix_sum *v;
    size_t n, cap;
} fix_sums;

#define FIX_HEAD (1 + 3 * sizeof(int64_t) + sizeof(double))

static int fix_add(fix_sums *fs, char t, lf_id who, int64_t a, int64_t b, double cvss, const char *s1,
                   const char *s2, int64_t d)
{
    char small[FIX_HEAD + 64];         /* months and dates; a longer text takes the heap */
    size_t l1 = s1 ? strlen(s1) : 0, l2 = s2 ? strlen(s2) : 0, len = FIX_HEAD + l1 + l2 + 2;
    char *k = len <= sizeof small ? small : malloc(len);
    if (!k)
        return LF_ENOMEM;
    k[0] = t;
    memcpy(k + 1, &who, 8);
    memcpy(k + 9, &a, 8);
    memcpy(k + 17, &b, 8);
    memcpy(k + 25, &cvss, 8);
    memcpy(k + FIX_HEAD, s1 ? s1 : "", l1 + 1);
    memcpy(k + FIX_HEAD + l1 + 1, s2 ? s2 : "", l2 + 1);
    lf_strmap_slot *slot;
    bool existing;
    int rc = lf_strmap_put(&fs->map, &fs->arena, k, len, (uint32_t)fs->n, &slot, &existing);
    if (k != small)
        free(k);
    if (rc)
        return LF_ENOMEM;
    if (!existing) {
        if (fs->n == fs->cap) {
            size_t nc = fs->cap ? 2 * fs->cap : 256;
            fix_sum *nv = realloc(fs->v, nc * sizeof *nv);
            if (!nv)
                return LF_ENOMEM;
            fs->v = nv;
            fs->cap = nc;
        }
        fs->v[fs->n++] = (fix_sum){t, who, a, b, cvss, slot->k + FIX_HEAD, slot->k + FIX_HEAD + l1 + 1, 0};
    }
    fs->v[slot->v].n += d;
    return LF_OK;
}

/* Every summary key of the findings in ids as they are now, d each (-1 before the update,
 * +1 after): the keys FIX_KEYS computes with the triggers' own expressions. */
static int fix_keys(sq_conn *c, id_list *ids, int d, fix_sums *fs, uint64_t *nconfirm, lf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = st_get(c, ST_FIX_KEYS, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_pointer(st, 1, ids, IDS_PTR, NULL);
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (nconfirm)                          /* fixed by hand: confirmed */
            *nconfirm += sqlite3_column_int(st, 0) != 0;
        lf_id agency = col_i64(st, 1), host = col_i64(st, 2);
        int64_t sev = col_i64(st, 4), kev = col_i64(st, 5);
        const char *due = (const char *)sqlite3_column_text(st, 6);
        if (sqlite3_column_int(st, 3)) {      /* open */
            const char *notice = (const char *)sqlite3_column_text(st, 12);
            if (!(rc = fix_add(fs, 'o', agency, sev, kev, 0, due, NULL, d)) &&
                !(rc = fix_add(fs, 'h', host, sev, kev, 0, due, NULL, d)))
                rc = fix_add(fs, 'c', agency, 0, 0, sqlite3_column_double(st, 11), notice, NULL, d);
        }
        if (!rc && sqlite3_column_type(st, 7) != SQLITE_NULL)   /* fixed with a fix time */
            rc = fix_add(fs, 'f', agency, col_i64(st, 8), 0, 0, (const char *)sqlite3_column_text(st, 7), NULL, d);
        if (!rc)
            rc = fix_add(fs, 'l', agency, sev, 0, 0, (const char *)sqlite3_column_text(st, 9),
                         (const char *)sqlite3_column_text(st, 10), d);
    }
    if (rc)
        rc = lf_err_set(err, rc, "fixing findings: summary keys: out of memory");
    else if (src != SQLITE_DONE)
        rc = sq_fail(c->db, src, "fixing findings", err);
    st_done(st);
    return rc;
}

/* the keys whose count moved, each with one statement (the summaries' own zero triggers
 * delete the rows that reach 0) */
static int fix_flush(sq_conn *c, const fix_sums *fs, lf_err *err)
{
    int rc = LF_OK;
    for (size_t i = 0; !rc && i < fs->n; i++) {
        const fix_sum *k = &fs->v[i];
        if (!k->n)
            continue;
        sqlite3_stmt *st = NULL;
        int id = k->t == 'o' ? ST_FIX_DASH_OPEN : k->t == 'f' ? ST_FIX_DASH_FIX : k->t == 'l' ? ST_FIX_DASH_LIFE
               : k->t == 'h' ? ST_FIX_HOST_OPEN : ST_FIX_OPEN_CVSS;
        if ((rc = st_get(c, id, &st, err)))
            break;
        sqlite3_bind_int64(st, 1, k->who);
        switch (k->t) {
        case 'o':
        case 'h':
            sqlite3_bind_int64(st, 2, k->a);
            sqlite3_bind_int64(st, 3, k->b);
            bind_text(st, 4, k->s1);
            sqlite3_bind_int64(st, 5, k->n);
            break;
        case 'f':
            bind_text(st, 2, k->s1);
            sqlite3_bind_int64(st, 3, k->a);
            sqlite3_bind_int64(st, 4, k->n);
            break;
        case 'l':
            sqlite3_bind_int64(st, 2, k->a);
            bind_text(st, 3, k->s1);
            bind_text(st, 4, k->s2);
            sqlite3_bind_int64(st, 5, k->n);
            break;
        default:
            sqlite3_bind_double(st, 2, k->cvss);
            bind_text(st, 3, k->s1);
            sqlite3_bind_int64(st, 4, k->n);
            break;
        }
        rc = st_exec(c, st, "fixing findings: summaries", err);
    }
    return rc;
}

/* The rows change in one UPDATE with the connection's triggers off (SQLite's
 * SQLITE_DBCONFIG_ENABLE_TRIGGER, which expires every prepared statement on each change,
 * so no statement runs under the setting it was not compiled for): the findings triggers
 * only keep the five summaries, and their per-row work was 83 % of fixing 107k findings
 * (5.3 of 6.4 s in the sqlite3 shell). The summaries get the same changes here, from each
 * finding's keys before and after, counted per key; the audit rows are one INSERT. */
static int sq_finding_fix_bulk(lf_store *s, const lf_id *ids, size_t n, int64_t now, uint64_t *fixed,
                               uint64_t *confirmed, lf_err *err)
{
    sq_conn *c;
    int rc = conn_get(s, &c, err);
    if (rc || n == 0)
        return rc;
    id_list l = {ids, n};
    fix_sums fs = {0};
    lf_arena_init(&fs.arena, 0);
    uint64_t nconfirm = 0;
    sqlite3_stmt *st = NULL;
    if ((rc = fix_keys(c, &l, -1, &fs, &nconfirm, err)) || (rc = st_get(c, ST_FIX_AUDIT, &st, err)))
        goto done;
    sqlite3_bind_pointer(st, 1, &l, IDS_PTR, NULL);
    sqlite3_bind_int64(st, 2, now);
    if ((rc = st_exec(c, st, "fixing findings: audit", err)))
        goto done;
    if ((rc = triggers_set(c, false, "fixing findings: triggers off", err)))
        goto done;
    if (!(rc = st_get(c, ST_FIX_UPDATE, &st, err))) {
        sqlite3_bind_pointer(st, 1, &l, IDS_PTR, NULL);
        sqlite3_bind_int64(st, 2, now);
        rc = st_exec(c, st, "fixing findings", err);
    }
    int on = triggers_set(c, true, "fixing findings: triggers on", rc ? NULL : err);
    if (!rc)
        rc = on;
    if (rc || (rc = fix_keys(c, &l, 1, &fs, NULL, err)) || (rc = fix_flush(c, &fs, err)))
        goto done;
    *confirmed += nconfirm;
    *fixed += n - nconfirm;
done:
    free(fs.v);
    lf_strmap_clear(&fs.map);
    lf_arena_clear(&fs.arena);
    return rc;
}

/* ---------------------------------------------------------------- SOURCES (schema 12) */

static int sq_sources_gc(lf_store *s, uint64_t *removed, lf_err *err)
{
    STMT(SRCS_GC);
    int rc = st_exec(c, st, "finding sources", err);
    *removed = rc ? 0 : (uint64_t)sqlite3_changes64(c->db);
    return rc;
}

static int sq_findings_epss_refresh(lf_store *s, lf_id agency_id, lf_store_score_fn fn, void *ud, uint64_t *changed,
                                    lf_err *err)
{
    STMT(F_EPSS_REFRESH);
    if (agency_id) {
        int rc0 = st_get(c, ST_F_EPSS_REFRESH_AGENCY, &st, err);
        if (rc0)
            return rc0;
        sqlite3_bind_int64(st, 2, agency_id);
    }
    score_func f = {fn, ud};
    sqlite3_bind_pointer(st, 1, &f, SCORE_PTR, NULL);
    int rc = st_exec(c, st, "findings", err);
    *changed = rc ? 0 : (uint64_t)sqlite3_changes64(c->db);
    return rc;
}

static int sq_meta_get(lf_store *s, const char *key, char *out, size_t n, lf_err *err)
{
    STMT(META_GET);
    bind_text(st, 1, key);
    int src = sqlite3_step(st);
    const char *v = src == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    snprintf(out, n, "%s", v ? v : "");
    st_done(st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? LF_OK : sq_fail(c->db, src, "store meta", err);
}

static int sq_meta_set(lf_store *s, const char *key, const char *value, lf_err *err)
{
    STMT(META_SET);
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return st_exec(c, st, "store meta", err);
}

const lf_store_ops lf_store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .check = sq_check,
    .ping = sq_ping,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .org_create = sq_org_create,
    .org_get = sq_org_get,
    .org_set_contacts = sq_org_set_contacts,
    .org_children = sq_org_children,
    .org_agencies = sq_org_agencies,
    .org_ancestors = sq_org_ancestors,
    .org_within = sq_org_within,
    .user_create = sq_user_create,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_update = sq_user_update,
    .user_set_hash = sq_user_set_hash,
    .user_login_failed = sq_user_login_failed,
    .user_login_ok = sq_user_login_ok,
    .session_insert = sq_session_insert,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .session_purge = sq_session_purge,
    .apitoken_insert = sq_apitoken_insert,
    .apitoken_get = sq_apitoken_get,
    .apitoken_used = sq_apitoken_used,
    .apitoken_revoke = sq_apitoken_revoke,
    .apitoken_list = sq_apitoken_list,
    .upload_create = sq_upload_create,
    .items_add = sq_items_add,
    .upload_publish = sq_upload_publish,
    .upload_get = sq_upload_get,
    .upload_snapshot = sq_upload_snapshot,
    .upload_list = sq_upload_list,
    .items_list = sq_items_list,
    .items_each = sq_items_each,
    .host_get = sq_host_get,
    .host_list = sq_host_list,
    .host_upsert = sq_host_upsert,
    .run_create = sq_run_create,
    .run_get = sq_run_get,
    .run_add = sq_run_add,
    .run_finish = sq_run_finish,
    .finding_get = sq_finding_get,
    .finding_insert = sq_finding_insert,
    .finding_update = sq_finding_update,
    .finding_refresh = sq_finding_refresh,
    .finding_list = sq_finding_list,
    .finding_stale = sq_finding_stale,
    .suppress_add = sq_suppress_add,
    .suppress_del = sq_suppress_del,
    .suppress_has = sq_suppress_has,
    .audit_add = sq_audit_add,
    .audit_list = sq_audit_list,
    .metrics = sq_metrics,
    .overview = sq_overview,
    .trends = sq_trends,
    .host_summary = sq_host_summary,
    /* ISAC */
    .taxii_root_put = sq_taxii_root_put,
    .taxii_root_get = sq_taxii_root_get,
    .taxii_root_list = sq_taxii_root_list,
    .isac_group_create = sq_isac_group_create,
    .isac_group_get = sq_isac_group_get,
    .isac_group_list = sq_isac_group_list,
    .isac_group_member = sq_isac_group_member,
    .taxii_coll_put = sq_taxii_coll_put,
    .taxii_coll_get = sq_taxii_coll_get,
    .taxii_coll_list = sq_taxii_coll_list,
    .stix_add = sq_stix_add,
    .stix_query = sq_stix_query,
    .stix_delete = sq_stix_delete,
    .stix_count = sq_stix_count,
    .taxii_status_put = sq_taxii_status_put,
    .taxii_status_get = sq_taxii_status_get,
    /* NOTICES */
    .notice_create = sq_notice_create,
    .notice_get = sq_notice_get,
    .notice_marks = sq_notice_marks,
    .notice_due = sq_notice_due,
    .notice_delivered = sq_notice_delivered,
    .notice_list = sq_notice_list,
    .notice_counts = sq_notice_counts,
    /* sources (schema 6) */
    .scan_items_add = sq_scan_items_add,
    .scan_items_each = sq_scan_items_each,
    .finding_sources_set = sq_finding_sources_set,
    .finding_sources_get = sq_finding_sources_get,
    .not_affected_clear = sq_not_affected_clear,
    .not_affected_add = sq_not_affected_add,
    .not_affected_list = sq_not_affected_list,
    .snapshots_latest = sq_snapshots_latest,
    /* ISAC-DISPATCH (schema 7) */
    .isac_ind_find = sq_isac_ind_find,
    .isac_approve = sq_isac_approve,
    .isac_approval_get = sq_isac_approval_get,
    .isac_revoke = sq_isac_revoke,
    .isac_approval_list = sq_isac_approval_list,
    .isac_bl_each = sq_isac_bl_each,
    .isac_bl_stamp = sq_isac_bl_stamp,
    .isac_fetch_log = sq_isac_fetch_log,
    .isac_fetch_latest = sq_isac_fetch_latest,
    .isac_count_add = sq_isac_count_add,
    .isac_counters = sq_isac_counters,
    /* MATCHSCOPE (schema 9) */
    .finding_stale_cves = sq_finding_stale_cves,
    .not_affected_clear_cves = sq_not_affected_clear_cves,
    .finding_touch_hc = sq_finding_touch_hc,
    .in_tx = sq_in_tx,
    .finding_max_id = sq_finding_max_id,
    .dash_run_add = sq_dash_run_add,
    /* BULK */
    .finding_bulk = sq_finding_bulk,
    .finding_fix_bulk = sq_finding_fix_bulk,
    /* SOURCES (schema 12) */
    .sources_gc = sq_sources_gc,
    .findings_epss_refresh = sq_findings_epss_refresh,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
};
