/*
 * store: the backend-independent half of the storage layer (see store.h, store_int.h):
 * URL dispatch, argument checks, the organisation and role rules, argon2id passwords,
 * session and API-token secrets (random from getrandom(2), kept as SHA-256, FIPS 180-4),
 * the finding lifecycle with its audit rows, and the seed organisations.
 */
#include "store/store_int.h"

#include <argon2.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/buf.h"
#include "core/hash.h"
#include "core/sha2.h"
#include "core/json.h"

/* ---------------------------------------------------------------- seed organisations */

const lf_store_seed_org lf_store_seed_national = {
    "TW", "數位發展部資通安全署", "Administration for Cyber Security, Ministry of Digital Affairs", -1};

/* Codes: "R-" + the hub's ISO 3166-2:TW subdivision code. */
const lf_store_seed_org lf_store_seed_regions[6] = {
    {"R-TPE", "臺北市區域聯防中心", "Taipei City Regional Joint-Defense Centre", -1},
    {"R-NWT", "新北市區域聯防中心", "New Taipei City Regional Joint-Defense Centre", -1},
    {"R-TAO", "桃園市區域聯防中心", "Taoyuan City Regional Joint-Defense Centre", -1},
    {"R-TXG", "臺中市區域聯防中心", "Taichung City Regional Joint-Defense Centre", -1},
    {"R-TNN", "臺南市區域聯防中心", "Tainan City Regional Joint-Defense Centre", -1},
    {"R-KHH", "高雄市區域聯防中心", "Kaohsiung City Regional Joint-Defense Centre", -1},
};

/* Codes: ISO 3166-2:TW. The first six are the hubs, in region order. */
const lf_store_seed_org lf_store_seed_counties[22] = {
    {"TW-TPE", "臺北市", "Taipei City", 0},
    {"TW-NWT", "新北市", "New Taipei City", 1},
    {"TW-TAO", "桃園市", "Taoyuan City", 2},
    {"TW-TXG", "臺中市", "Taichung City", 3},
    {"TW-TNN", "臺南市", "Tainan City", 4},
    {"TW-KHH", "高雄市", "Kaohsiung City", 5},
    {"TW-HUA", "花蓮縣", "Hualien County", 0},
    {"TW-KIN", "金門縣", "Kinmen County", 0},
    {"TW-LIE", "連江縣", "Lienchiang County", 0},
    {"TW-KEE", "基隆市", "Keelung City", 1},
    {"TW-ILA", "宜蘭縣", "Yilan County", 1},
    {"TW-HSQ", "新竹縣", "Hsinchu County", 2},
    {"TW-HSZ", "新竹市", "Hsinchu City", 2},
    {"TW-MIA", "苗栗縣", "Miaoli County", 2},
    {"TW-CHA", "彰化縣", "Changhua County", 3},
    {"TW-NAN", "南投縣", "Nantou County", 3},
    {"TW-YUN", "雲林縣", "Yunlin County", 4},
    {"TW-CYQ", "嘉義縣", "Chiayi County", 4},
    {"TW-CYI", "嘉義市", "Chiayi City", 4},
    {"TW-PIF", "屏東縣", "Pingtung County", 5},
    {"TW-TTT", "臺東縣", "Taitung County", 5},
    {"TW-PEN", "澎湖縣", "Penghu County", 5},
};

/* ---------------------------------------------------------------- enum names */

static const char *const org_kind_names[] = {NULL, "national", "region", "county", "agency"};
static const char *const role_names[] = {NULL, "national_admin", "region_analyst", "county_officer",
                                         "agency_officer", "read_only"};
static const char *const fstate_names[] = {NULL, "open", "measure_filed", "fixed", "risk_accepted",
                                           "false_positive"};
static const char *const fkind_names[] = {NULL, "match", "review", "unanalysed"};
static const char *const upload_status_names[] = {NULL, "pending", "current", "superseded"};

#define NAMES_N(t) (sizeof(t) / sizeof((t)[0]))

static const char *name_of(const char *const *t, size_t n, int v)
{
    return (v > 0 && (size_t)v < n) ? t[v] : NULL;
}

static int parse_name(const char *const *t, size_t n, const char *s)
{
    if (!s)
        return -1;
    for (size_t i = 1; i < n; i++)
        if (strcmp(t[i], s) == 0)
            return (int)i;
    return -1;
}

const char *lf_org_kind_name(lf_org_kind k) { return name_of(org_kind_names, NAMES_N(org_kind_names), (int)k); }
int lf_org_kind_parse(const char *s) { return parse_name(org_kind_names, NAMES_N(org_kind_names), s); }
const char *lf_role_name(lf_role r) { return name_of(role_names, NAMES_N(role_names), (int)r); }
int lf_role_parse(const char *s) { return parse_name(role_names, NAMES_N(role_names), s); }
const char *lf_fstate_name(lf_fstate st) { return name_of(fstate_names, NAMES_N(fstate_names), (int)st); }
int lf_fstate_parse(const char *s) { return parse_name(fstate_names, NAMES_N(fstate_names), s); }
const char *lf_fkind_name(lf_fkind k) { return name_of(fkind_names, NAMES_N(fkind_names), (int)k); }
int lf_fkind_parse(const char *s) { return parse_name(fkind_names, NAMES_N(fkind_names), s); }
const char *lf_upload_status_name(lf_upload_status st)
{
    return name_of(upload_status_names, NAMES_N(upload_status_names), (int)st);
}

/* ---------------------------------------------------------------- token hashes */

static void hex_encode(const unsigned char *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void lf_store_token_hash(const char *s, size_t n, char out[LF_STORE_TOKEN_SIZE])
{
    lf_sha2_hex(LF_SHA2_256, s, n, out);   /* 64 hex digits + NUL = LF_STORE_TOKEN_SIZE */
}

/* ---------------------------------------------------------------- randomness */

static int random_bytes(unsigned char *p, size_t n, lf_err *err)
{
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return lf_err_set(err, LF_EIO, "getrandom: %s", strerror(errno));
        }
        p += got;
        n -= (size_t)got;
    }
    return LF_OK;
}

/* 32 random bytes as 64 hex digits. */
static int random_token(char out[LF_STORE_TOKEN_SIZE], lf_err *err)
{
    unsigned char b[32];
    int rc = random_bytes(b, sizeof b, err);
    if (rc)
        return rc;
    hex_encode(b, sizeof b, out);
    return LF_OK;
}

/* ---------------------------------------------------------------- checks */

#define NEED(cond, ...)                                                                  \
    do {                                                                                 \
        if (!(cond))                                                                     \
            return lf_err_set(err, LF_EINVAL, __VA_ARGS__);                              \
    } while (0)

static bool nonempty(const char *s, size_t max) { return s && *s && strlen(s) <= max; }

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int two_digits(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

/* "YYYY-MM" */
static bool valid_month(const char *s)
{
    if (!s || strnlen(s, 8) != 7 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2))
        return false;
    int m = two_digits(s + 5);
    return m >= 1 && m <= 12;
}

/* "YYYY-MM-DD" with a day that exists in that month; NULL is fine (no date). */
static bool valid_date_or_null(const char *s)
{
    if (!s)
        return true;
    if (strnlen(s, 11) != 10 || !valid_month((char[8]){s[0], s[1], s[2], s[3], s[4], s[5], s[6], 0}) ||
        s[7] != '-' || !all_digits(s + 8, 2))
        return false;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + two_digits(s + 2);
    int m = two_digits(s + 5), d = two_digits(s + 8);
    int maxd = mdays[m - 1];
    if (m == 2 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        maxd = 28;
    return d >= 1 && d <= maxd;
}

/* Codes and logins: printable ASCII without spaces. */
static bool valid_ident(const char *s, size_t max)
{
    if (!nonempty(s, max))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return false;
    return true;
}

static bool valid_email(const char *s)
{
    return valid_ident(s, 254) && strchr(s, '@') && s[0] != '@' && s[strlen(s) - 1] != '@';
}

uint32_t lf_store_page_limit(const lf_store_page *pg)
{
    if (!pg || pg->limit == 0)
        return LF_STORE_PAGE_DEFAULT;
    return pg->limit > LF_STORE_PAGE_MAX ? LF_STORE_PAGE_MAX : pg->limit;
}

static int need_store(lf_store *s, lf_err *err)
{
    if (!s)
        return lf_err_set(err, LF_EINVAL, "store: no store");
    return LF_OK;
}

#define NEED_OUT(p)                                                                      \
    do {                                                                                 \
        if (!(p))                                                                        \
            return lf_err_set(err, LF_EINVAL, "%s: missing output argument", __func__);  \
    } while (0)

/* ---------------------------------------------------------------- open, close */

static int64_t clock_time(void *ud)
{
    (void)ud;
    return (int64_t)time(NULL);
}

int64_t lf_store_now(const lf_store *s) { return s->opts.clock(s->opts.clock_ud); }

int lf_store_open(const char *url, lf_store **out, lf_err *err)
{
    return lf_store_open_opts(url, NULL, out, err);
}

int lf_store_open_opts(const char *url, const lf_store_opts *opts, lf_store **out, lf_err *err)
{
    NEED_OUT(out);
    *out = NULL;
    NEED(url && *url, "store: empty URL (want sqlite:/path/to/file.db or a path)");

    const lf_store_ops *ops = NULL;
    const char *path = url;
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return lf_err_set(err, LF_EFORMAT, "store: this build has no PostgreSQL backend (url %.64s...)",
                          url);
    if (strncmp(url, "sqlite:", 7) == 0) {
        path = url + 7;
        if (strncmp(path, "//", 2) == 0)
            path += 2;          /* sqlite:///abs/path */
        ops = &lf_store_sqlite_ops;
    } else {
        const char *colon = strstr(url, "://");
        if (colon) {
            int n = (int)(colon - url);
            return lf_err_set(err, LF_EFORMAT, "store: unknown backend '%.*s' (this build has sqlite)",
                              n > 32 ? 32 : n, url);
        }
        ops = &lf_store_sqlite_ops;
    }
    NEED(*path, "store: URL '%s' names no file", url);
    NEED(strcmp(path, ":memory:") != 0,
         "store: ':memory:' cannot be shared between the server's threads; use a file");

    lf_store *s = calloc(1, sizeof *s);
    if (!s)
        return lf_err_set(err, LF_ENOMEM, "store: out of memory");
    s->ops = ops;
    if (opts)
        s->opts = *opts;
    if (!s->opts.clock)
        s->opts.clock = clock_time;
    if (!s->opts.argon2_t_cost)
        s->opts.argon2_t_cost = 3;
    if (!s->opts.argon2_m_kib)
        s->opts.argon2_m_kib = 64 * 1024;
    if (!s->opts.argon2_lanes)
        s->opts.argon2_lanes = 1;
    if (!s->opts.login_max_failures)
        s->opts.login_max_failures = 5;
    if (!s->opts.login_lock_seconds)
        s->opts.login_lock_seconds = 900;
    if (!s->opts.busy_timeout_ms)
        s->opts.busy_timeout_ms = 10000;
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        return lf_err_set(err, LF_ENOMEM, "store: cannot create a mutex");
    }
    int rc = ops->open(s, path, err);
    if (rc) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return rc;
    }
    *out = s;
    return LF_OK;
}

void lf_store_close(lf_store *s)
{
    if (!s)
        return;
    s->ops->close(s);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const char *lf_store_backend_name(const lf_store *s) { return s ? s->ops->name : NULL; }

int lf_store_schema_latest(void) { return lf_store_sqlite_latest(); }

int lf_store_schema_version(lf_store *s, int *version, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(version);
    return s->ops->schema_version(s, version, err);
}

int lf_store_check(lf_store *s, lf_err *err)
{
    int rc = need_store(s, err);
    return rc ? rc : s->ops->check(s, err);
}

int lf_store_ping(lf_store *s, lf_err *err)
{
    int rc = need_store(s, err);
    return rc ? rc : s->ops->ping(s, err);
}

int lf_store_begin(lf_store *s, lf_err *err)
{
    int rc = need_store(s, err);
    return rc ? rc : s->ops->begin(s, err);
}

int lf_store_commit(lf_store *s, lf_err *err)
{
    int rc = need_store(s, err);
    return rc ? rc : s->ops->commit(s, err);
}

void lf_store_rollback(lf_store *s)
{
    if (s)
        s->ops->rollback(s);
}

/* Commit on success, roll back on failure; returns rc (or the commit's error). */
static int finish_tx(lf_store *s, int rc, lf_err *err)
{
    if (rc) {
        s->ops->rollback(s);
        return rc;
    }
    rc = s->ops->commit(s, err);
    if (rc)
        s->ops->rollback(s);
    return rc;
}

/* ---------------------------------------------------------------- organisations */

static int check_contacts(const char *const *emails, size_t n, lf_err *err)
{
    NEED(n == 0 || emails, "org: contacts missing");
    NEED(n <= 64, "org: %zu contacts (at most 64)", n);
    for (size_t i = 0; i < n; i++)
        NEED(valid_email(emails[i]), "org: contact %zu is not an e-mail address", i + 1);
    return LF_OK;
}

int lf_store_org_create(lf_store *s, const lf_store_org *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in, "org: nothing to create");
    NEED(valid_ident(in->code, 64), "org: code must be 1-64 printable ASCII characters without spaces");
    NEED(nonempty(in->name_zh, 300) && nonempty(in->name_en, 300),
         "org %s: both names (Chinese and English, at most 300 bytes) are required", in->code);
    NEED(in->kind >= LF_ORG_NATIONAL && in->kind <= LF_ORG_AGENCY, "org %s: unknown kind %d", in->code,
         (int)in->kind);
    if (in->kind == LF_ORG_AGENCY)
        NEED(in->level == 'A' || in->level == 'B' || in->level == 'C',
             "org %s: an agency needs responsibility level A, B or C", in->code);
    else
        NEED(in->level == 0, "org %s: only agencies carry a responsibility level", in->code);
    rc = check_contacts(in->emails, in->nemails, err);
    if (rc)
        return rc;

    if (in->kind == LF_ORG_NATIONAL) {
        NEED(in->parent_id == 0, "org %s: the national root has no parent", in->code);
    } else {
        NEED(in->parent_id > 0, "org %s: a %s needs a parent", in->code, lf_org_kind_name(in->kind));
        lf_arena a;
        lf_arena_init(&a, 4096);
        lf_store_org parent = {0};
        rc = s->ops->org_get(s, in->parent_id, NULL, &a, &parent, err);
        lf_org_kind pk = parent.kind;
        lf_arena_clear(&a);
        if (rc)
            return rc;
        bool ok = (in->kind == LF_ORG_REGION && pk == LF_ORG_NATIONAL) ||
                  (in->kind == LF_ORG_COUNTY && pk == LF_ORG_REGION) ||
                  (in->kind == LF_ORG_AGENCY && pk != LF_ORG_AGENCY);
        NEED(ok, "org %s: a %s cannot be placed under a %s", in->code, lf_org_kind_name(in->kind),
             lf_org_kind_name(pk));
    }
    lf_id id = 0;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    rc = s->ops->org_create(s, in, &id, err);
    if (!rc && in->nemails)
        rc = s->ops->org_set_contacts(s, id, in->emails, in->nemails, err);
    rc = finish_tx(s, rc, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_org_get(lf_store *s, lf_id id, lf_arena *a, lf_store_org *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    return s->ops->org_get(s, id, NULL, a, out, err);
}

int lf_store_org_get_by_code(lf_store *s, const char *code, lf_arena *a, lf_store_org *out,
                             lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(code && *code, "org: empty code");
    return s->ops->org_get(s, 0, code, a, out, err);
}

int lf_store_org_set_contacts(lf_store *s, lf_id id, const char *const *emails, size_t n,
                              lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    rc = check_contacts(emails, n, err);
    if (rc)
        return rc;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->org_set_contacts(s, id, emails, n, err), err);
}

#define LIST_ARGS_OK()                                                                   \
    do {                                                                                 \
        int rc_ = need_store(s, err);                                                    \
        if (rc_)                                                                         \
            return rc_;                                                                  \
        NEED_OUT(a && out && n);                                                         \
        *out = NULL;                                                                     \
        *n = 0;                                                                          \
    } while (0)

int lf_store_org_children(lf_store *s, lf_id id, lf_store_page *pg, lf_arena *a,
                          lf_store_org **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->org_children(s, id, pg, a, out, n, err);
}

int lf_store_org_agencies(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                          lf_store_org **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->org_agencies(s, scope, pg, a, out, n, err);
}

int lf_store_org_ancestors(lf_store *s, lf_id id, lf_arena *a, lf_store_org **out, size_t *n,
                           lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->org_ancestors(s, id, a, out, n, err);
}

int lf_store_org_within(lf_store *s, lf_id org, lf_id scope, bool *inside, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(inside);
    *inside = false;
    return s->ops->org_within(s, org, scope, inside, err);
}

/* ---------------------------------------------------------------- users */

static int check_user_fields(lf_store *s, const lf_store_user *in, lf_err *err)
{
    NEED(nonempty(in->display_name, 200), "user: display name must be 1-200 bytes");
    NEED(valid_email(in->email), "user: '%.64s' is not an e-mail address", in->email ? in->email : "");
    NEED(in->role >= LF_ROLE_NATIONAL_ADMIN && in->role <= LF_ROLE_READ_ONLY, "user: unknown role %d",
         (int)in->role);
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_store_org org = {0};
    int rc = s->ops->org_get(s, in->org_id, NULL, &a, &org, err);
    lf_org_kind k = org.kind;
    lf_arena_clear(&a);
    if (rc)
        return rc;
    /* A role is tied to one level of the hierarchy, so the org is the role's scope. */
    static const lf_org_kind role_kind[] = {0, LF_ORG_NATIONAL, LF_ORG_REGION, LF_ORG_COUNTY,
                                            LF_ORG_AGENCY, 0};
    lf_org_kind want = role_kind[in->role];
    NEED(want == 0 || want == k, "user: role %s belongs to a %s, not a %s", lf_role_name(in->role),
         lf_org_kind_name(want), lf_org_kind_name(k));
    return LF_OK;
}

int lf_store_user_create(lf_store *s, const lf_store_user *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in, "user: nothing to create");
    NEED(valid_ident(in->login, 64), "user: login must be 1-64 printable ASCII characters without spaces");
    rc = check_user_fields(s, in, err);
    if (rc)
        return rc;
    lf_id id = 0;
    rc = s->ops->user_create(s, in, &id, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_user_get(lf_store *s, lf_id id, lf_arena *a, lf_store_user *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    lf_store_auth_row row;
    rc = s->ops->user_get(s, id, NULL, a, &row, err);
    if (!rc)
        *out = row.user;
    return rc;
}

int lf_store_user_get_by_login(lf_store *s, const char *login, lf_arena *a, lf_store_user *out,
                               lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(login && *login, "user: empty login");
    lf_store_auth_row row;
    rc = s->ops->user_get(s, 0, login, a, &row, err);
    if (!rc)
        *out = row.user;
    return rc;
}

int lf_store_user_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                       lf_store_user **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->user_list(s, scope, pg, a, out, n, err);
}

int lf_store_user_update(lf_store *s, const lf_store_user *in, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && in->id > 0, "user: no user to update");
    rc = check_user_fields(s, in, err);
    if (rc)
        return rc;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    rc = s->ops->user_update(s, in, err);
    if (!rc && in->disabled)
        rc = s->ops->session_delete(s, NULL, in->id, err);
    return finish_tx(s, rc, err);
}

/* argon2id with the store's cost and a fresh salt into out (size n). */
static int hash_password(lf_store *s, const char *pw, size_t len, char *out, size_t n, lf_err *err)
{
    unsigned char salt[16];
    int rc = random_bytes(salt, sizeof salt, err);
    if (rc)
        return rc;
    const lf_store_opts *o = &s->opts;
    size_t need = argon2_encodedlen(o->argon2_t_cost, o->argon2_m_kib, o->argon2_lanes, sizeof salt, 32,
                                    Argon2_id);
    if (need > n)
        return lf_err_set(err, LF_ELIMIT, "password: encoded hash needs %zu bytes", need);
    int ar = argon2id_hash_encoded(o->argon2_t_cost, o->argon2_m_kib, o->argon2_lanes, pw, len, salt,
                                   sizeof salt, 32, out, n);
    if (ar != ARGON2_OK)
        return lf_err_set(err, ar == ARGON2_MEMORY_ALLOCATION_ERROR ? LF_ENOMEM : LF_EINVAL,
                          "password: argon2id: %s", argon2_error_message(ar));
    return LF_OK;
}

int lf_store_user_set_password(lf_store *s, lf_id id, const char *password, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(password && *password, "password: empty");
    size_t len = strlen(password);
    NEED(len <= LF_STORE_PASSWORD_MAX, "password: longer than %d bytes", LF_STORE_PASSWORD_MAX);
    char enc[160];
    rc = hash_password(s, password, len, enc, sizeof enc, err);
    if (rc)
        return rc;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    rc = s->ops->user_set_hash(s, id, enc, err);
    /* a new password ends every session opened with the old one */
    if (!rc)
        rc = s->ops->session_delete(s, NULL, id, err);
    return finish_tx(s, rc, err);
}

/* The hash an unknown login is checked against, made once per store (lazily: opening a
 * store should not cost a password hash). */
static int dummy_hash(lf_store *s, char *out, size_t n, lf_err *err)
{
    int rc = LF_OK;
    pthread_mutex_lock(&s->mu);
    if (!s->have_dummy) {
        char pw[LF_STORE_TOKEN_SIZE];
        rc = random_token(pw, err);
        if (!rc)
            rc = hash_password(s, pw, strlen(pw), s->dummy_hash, sizeof s->dummy_hash, err);
        s->have_dummy = rc == LF_OK;
    }
    if (!rc)
        snprintf(out, n, "%s", s->dummy_hash);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void lf_store_login_policy(const lf_store *s, unsigned *max_failures, int64_t *lock_seconds)
{
    *max_failures = s->opts.login_max_failures;
    *lock_seconds = s->opts.login_lock_seconds;
}

int lf_store_user_check_password(lf_store *s, const char *login, const char *password,
                                 lf_auth_result *result, lf_arena *a, lf_store_user *user,
                                 lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(result && a);
    *result = LF_AUTH_BAD;
    NEED(login && password, "login: missing login or password");
    size_t len = strlen(password);
    if (len > LF_STORE_PASSWORD_MAX)
        len = LF_STORE_PASSWORD_MAX;   /* still verified (and fails): same time as any other */

    lf_store_auth_row row;
    rc = s->ops->user_get(s, 0, login, a, &row, err);
    if (rc && rc != LF_ENOTFOUND)
        return rc;
    bool known = rc == LF_OK && row.password_hash;
    if (known && row.user.locked_until > lf_store_now(s)) {
        *result = LF_AUTH_LOCKED;
        if (user)
            *user = row.user;
        lf_err_clear(err);
        return LF_OK;
    }
    char dummy[160];
    const char *hash = known ? row.password_hash : NULL;
    if (!hash) {
        rc = dummy_hash(s, dummy, sizeof dummy, err);
        if (rc)
            return rc;
        hash = dummy;
    }
    int ar = argon2id_verify(hash, password, len);
    lf_err_clear(err);
    if (!known)
        return LF_OK;                  /* unknown login (or no password): LF_AUTH_BAD */
    if (ar != ARGON2_OK) {
        if (ar == ARGON2_MEMORY_ALLOCATION_ERROR)
            return lf_err_set(err, LF_ENOMEM, "login: argon2id: out of memory");
        int64_t until = lf_store_now(s) + s->opts.login_lock_seconds;
        rc = s->ops->user_login_failed(s, row.user.id, s->opts.login_max_failures, until, err);
        return rc;
    }
    if (row.user.disabled) {
        *result = LF_AUTH_DISABLED;
    } else {
        rc = s->ops->user_login_ok(s, row.user.id, err);
        if (rc)
            return rc;
        row.user.failed_logins = 0;
        row.user.last_login = lf_store_now(s);
        *result = LF_AUTH_OK;
    }
    if (user)
        *user = row.user;
    return LF_OK;
}

/* ---------------------------------------------------------------- sessions */

static int need_token(const char *token, lf_err *err)
{
    NEED(token && strlen(token) == LF_STORE_TOKEN_SIZE - 1, "session: malformed token");
    return LF_OK;
}

int lf_store_session_create(lf_store *s, lf_id user_id, int64_t ttl,
                            char token[LF_STORE_TOKEN_SIZE], lf_store_session *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(token);
    token[0] = '\0';
    NEED(ttl > 0, "session: lifetime must be positive");
    lf_store_session ses = {0};
    ses.user_id = user_id;
    char tok[LF_STORE_TOKEN_SIZE], hash[LF_STORE_TOKEN_SIZE];
    if ((rc = random_token(tok, err)) || (rc = random_token(ses.csrf, err)))
        return rc;
    lf_store_token_hash(tok, strlen(tok), hash);
    ses.created = ses.last_seen = lf_store_now(s);
    ses.expires = ses.created + ttl;
    rc = s->ops->session_insert(s, hash, &ses, &ses.id, err);
    if (rc)
        return rc;
    memcpy(token, tok, LF_STORE_TOKEN_SIZE);
    if (out)
        *out = ses;
    return LF_OK;
}

int lf_store_session_get(lf_store *s, const char *token, lf_store_session *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(out);
    if ((rc = need_token(token, err)))
        return rc;
    char hash[LF_STORE_TOKEN_SIZE];
    lf_store_token_hash(token, strlen(token), hash);
    return s->ops->session_get(s, hash, out, err);
}

int lf_store_session_touch(lf_store *s, const char *token, int64_t ttl, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    if ((rc = need_token(token, err)))
        return rc;
    char hash[LF_STORE_TOKEN_SIZE];
    lf_store_token_hash(token, strlen(token), hash);
    return s->ops->session_touch(s, hash, ttl > 0 ? lf_store_now(s) + ttl : 0, err);
}

int lf_store_session_delete(lf_store *s, const char *token, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    if ((rc = need_token(token, err)))
        return rc;
    char hash[LF_STORE_TOKEN_SIZE];
    lf_store_token_hash(token, strlen(token), hash);
    return s->ops->session_delete(s, hash, 0, err);
}

int lf_store_session_delete_user(lf_store *s, lf_id user_id, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(user_id > 0, "session: no user");
    return s->ops->session_delete(s, NULL, user_id, err);
}

int lf_store_session_purge(lf_store *s, size_t *removed, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    size_t k = 0;
    rc = s->ops->session_purge(s, &k, err);
    if (removed)
        *removed = k;
    return rc;
}

/* ---------------------------------------------------------------- API tokens */

int lf_store_apitoken_create(lf_store *s, const char *name, lf_id org_id, lf_id created_by,
                             char secret[LF_STORE_SECRET_SIZE], lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(secret);
    secret[0] = '\0';
    NEED(nonempty(name, 200), "api token: name must be 1-200 bytes");
    char tok[LF_STORE_TOKEN_SIZE], full[LF_STORE_SECRET_SIZE], hash[LF_STORE_TOKEN_SIZE];
    if ((rc = random_token(tok, err)))
        return rc;
    snprintf(full, sizeof full, "lft_%s", tok);
    lf_store_token_hash(full, strlen(full), hash);
    lf_store_apitoken in = {.name = name, .org_id = org_id, .created_by = created_by};
    lf_id id = 0;
    rc = s->ops->apitoken_insert(s, &in, hash, &id, err);
    if (rc)
        return rc;
    memcpy(secret, full, LF_STORE_SECRET_SIZE);
    if (id_out)
        *id_out = id;
    return LF_OK;
}

int lf_store_apitoken_check(lf_store *s, const char *secret, lf_arena *a, lf_store_apitoken *out,
                            lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    if (!secret || strlen(secret) != LF_STORE_SECRET_SIZE - 1 || strncmp(secret, "lft_", 4) != 0)
        return lf_err_set(err, LF_ENOTFOUND, "api token: unknown or revoked");
    char hash[LF_STORE_TOKEN_SIZE];
    lf_store_token_hash(secret, strlen(secret), hash);
    rc = s->ops->apitoken_get(s, hash, a, out, err);
    if (rc == LF_OK && out->revoked)
        rc = LF_ENOTFOUND;
    if (rc == LF_ENOTFOUND)
        return lf_err_set(err, LF_ENOTFOUND, "api token: unknown or revoked");
    if (rc)
        return rc;
    rc = s->ops->apitoken_used(s, out->id, err);
    if (!rc)
        out->last_used = lf_store_now(s);
    return rc;
}

int lf_store_apitoken_revoke(lf_store *s, lf_id id, lf_err *err)
{
    int rc = need_store(s, err);
    return rc ? rc : s->ops->apitoken_revoke(s, id, err);
}

int lf_store_apitoken_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                           lf_store_apitoken **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->apitoken_list(s, scope, pg, a, out, n, err);
}

/* ---------------------------------------------------------------- uploads */

static int need_agency(lf_store *s, lf_id id, const char *what, lf_err *err)
{
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_store_org org = {0};
    int rc = s->ops->org_get(s, id, NULL, &a, &org, err);
    lf_org_kind k = org.kind;
    lf_arena_clear(&a);
    if (rc)
        return rc;
    NEED(k == LF_ORG_AGENCY, "%s: org %lld is a %s, not an agency", what, (long long)id,
         lf_org_kind_name(k));
    return LF_OK;
}

int lf_store_upload_create(lf_store *s, const lf_store_upload *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in, "upload: nothing to create");
    NEED(valid_month(in->month), "upload: month '%.8s' is not YYYY-MM", in->month);
    NEED(nonempty(in->file_name, 1024), "upload: file name must be 1-1024 bytes");
    NEED(in->uploaded_by > 0 || in->token_id > 0, "upload: who uploaded it (user or API token)?");
    if ((rc = need_agency(s, in->agency_id, "upload", err)))
        return rc;
    lf_id id = 0;
    rc = s->ops->upload_create(s, in, &id, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_items_add(lf_store *s, lf_id upload_id, const lf_store_item *items, size_t n,
                       lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(n == 0 || items, "items: none given");
    for (size_t i = 0; i < n; i++)
        NEED(items[i].host && items[i].bucket, "items: item %zu has no host or bucket", i + 1);
    if (n == 0)
        return LF_OK;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->items_add(s, upload_id, items, n, err), err);
}

int lf_store_upload_publish(lf_store *s, lf_id upload_id, const lf_store_counts *counts,
                            const char *report_json, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    lf_store_counts zero = {0};
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->upload_publish(s, upload_id, counts ? counts : &zero, report_json, err),
                     err);
}

int lf_store_upload_get(lf_store *s, lf_id id, lf_arena *a, lf_store_upload *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    return s->ops->upload_get(s, id, a, out, err);
}

int lf_store_upload_snapshot(lf_store *s, lf_id agency_id, const char *month, lf_arena *a,
                             lf_store_upload *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(valid_month(month), "snapshot: month '%.8s' is not YYYY-MM", month ? month : "");
    return s->ops->upload_snapshot(s, agency_id, month, a, out, err);
}

int lf_store_upload_list(lf_store *s, lf_id scope, const char *month, lf_store_page *pg,
                         lf_arena *a, lf_store_upload **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    NEED(!month || valid_month(month), "uploads: month '%.8s' is not YYYY-MM", month);
    return s->ops->upload_list(s, scope, month, pg, a, out, n, err);
}

int lf_store_items_list(lf_store *s, lf_id upload_id, lf_store_page *pg, lf_arena *a,
                        lf_store_item **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->items_list(s, upload_id, pg, a, out, n, err);
}

int lf_store_items_each(lf_store *s, lf_id upload_id, lf_store_item_fn fn, void *ud, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(fn, "items: no callback");
    return s->ops->items_each(s, upload_id, fn, ud, err);
}

/* ---------------------------------------------------------------- hosts */

int lf_store_host_get(lf_store *s, lf_id id, lf_arena *a, lf_store_host *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    return s->ops->host_get(s, id, 0, NULL, a, out, err);
}

int lf_store_host_get_by_name(lf_store *s, lf_id agency_id, const char *name, lf_arena *a,
                              lf_store_host *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(name, "host: no name");
    return s->ops->host_get(s, 0, agency_id, name, a, out, err);
}

int lf_store_host_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                       lf_store_host **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->host_list(s, scope, pg, a, out, n, err);
}

/* ---------------------------------------------------------------- audit */

/* {"key": or ,"key": in one append: the keys are short ASCII literals, which
 * lf_json_write_str would copy unchanged (every audit row of a finding has thirteen) */
static int json_key(lf_buf *b, bool *first, const char *key)
{
    char t[64];
    size_t kl = strlen(key);
    if (kl > sizeof t - 4)
        return LF_EINVAL;
    t[0] = *first ? '{' : ',';
    t[1] = '"';
    memcpy(t + 2, key, kl);
    t[kl + 2] = '"';
    t[kl + 3] = ':';
    *first = false;
    return lf_buf_append(b, t, kl + 4);
}

static int json_str(lf_buf *b, bool *first, const char *key, const char *v)
{
    int rc = json_key(b, first, key);
    if (!rc)
        rc = v ? lf_json_write_str(b, v, strlen(v)) : lf_buf_puts(b, "null");
    return rc;
}

/* v in decimal, as "%lld" writes it, without printf's parsing */
static int json_int(lf_buf *b, bool *first, const char *key, int64_t v)
{
    int rc = json_key(b, first, key);
    if (rc)
        return rc;
    char t[24], *p = t + sizeof t;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return lf_buf_append(b, p, (size_t)(t + sizeof t - p));
}

/* The part of a finding a person or a run changes, as the audit trail records it. */
int lf_store_finding_json(const lf_store_finding *f, lf_buf *b)
{
    bool first = true;
    int rc = json_str(b, &first, "state", lf_fstate_name(f->state));
    if (!rc) rc = json_str(b, &first, "cpe", f->cpe);
    if (!rc) rc = json_str(b, &first, "measure", f->measure);
    if (!rc) rc = json_str(b, &first, "measure_planned", f->measure_planned);
    if (!rc) rc = json_str(b, &first, "risk_reason", f->risk_reason);
    if (!rc) rc = json_str(b, &first, "risk_approver", f->risk_approver);
    if (!rc) rc = json_str(b, &first, "risk_expiry", f->risk_expiry);
    if (!rc) rc = json_str(b, &first, "fp_reason", f->fp_reason);
    if (!rc) rc = json_str(b, &first, "notice_date", f->notice_date);
    if (!rc) rc = json_str(b, &first, "due_date", f->due_date);
    if (!rc) rc = json_int(b, &first, "fixed_at", f->fixed_at);
    if (!rc) rc = json_int(b, &first, "fixed_confirmed", f->fixed_confirmed);
    if (!rc) rc = json_int(b, &first, "reopened", f->reopened);
    if (!rc) rc = lf_buf_putc(b, '}');
    return rc;
}

static const lf_store_actor system_actor = {0, "system"};

/* One audit row for a finding change: before may be NULL (created). */
static int audit_finding(lf_store *s, const lf_store_finding *before, const lf_store_finding *after,
                         const char *action, const lf_store_actor *who, lf_err *err)
{
    lf_buf b1, b2;
    lf_buf_init(&b1, 1 << 20);
    lf_buf_init(&b2, 1 << 20);
    int rc = LF_OK;
    if (before)
        rc = lf_store_finding_json(before, &b1);
    if (!rc)
        rc = lf_store_finding_json(after, &b2);
    if (rc) {
        rc = lf_err_set(err, rc, "audit: cannot build the finding's JSON");
        goto done;
    }
    if (!who)
        who = &system_actor;
    lf_store_audit row = {
        .user_id = who->user_id,
        .actor = who->login ? who->login : (who->user_id ? "?" : "system"),
        .org_id = after->agency_id,
        .entity = "finding",
        .entity_id = after->id,
        .action = action,
        .before_json = before ? b1.data : NULL,
        .after_json = b2.data,
    };
    rc = s->ops->audit_add(s, &row, NULL, err);
done:
    lf_buf_clear(&b1);
    lf_buf_clear(&b2);
    return rc;
}

int lf_store_audit_add(lf_store *s, const lf_store_audit *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in, "audit: nothing to add");
    NEED(nonempty(in->actor, 200) && nonempty(in->entity, 64) && nonempty(in->action, 64),
         "audit: actor, entity and action are required");
    lf_id id = 0;
    rc = s->ops->audit_add(s, in, &id, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_audit_list(lf_store *s, lf_id scope, const char *entity, lf_id entity_id,
                        lf_store_page *pg, lf_arena *a, lf_store_audit **out, size_t *n,
                        lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->audit_list(s, scope, entity, entity_id, pg, a, out, n, err);
}

/* ---------------------------------------------------------------- match runs */

int lf_store_match_begin(lf_store *s, lf_id agency_id, lf_id upload_id, bool full, lf_id *run,
                         lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(run);
    if ((rc = need_agency(s, agency_id, "match run", err)))
        return rc;
    return s->ops->run_create(s, agency_id, upload_id, full, run, err);
}

static void copy_hit(lf_store_finding *f, const lf_store_hit *h, bool cpe_too)
{
    if (cpe_too)
        f->cpe = h->cpe;
    f->kind = h->kind;
    f->cvss = h->cvss;
    f->cvss_version = h->cvss_version;
    f->severity = h->severity;
    f->kev = h->kev;
    f->kev_due = h->kev_due;
    f->epss = h->epss;
}

/* The findings this batch inserted since *mark into the dashboard summaries (schema 10:
 * the insert trigger leaves a run's rows to this), *mark moved past them: it ends at the
 * highest id of the table. */
static int dash_flush(lf_store *s, lf_id run, lf_id *mark, lf_err *err)
{
    lf_id top;
    int rc = s->ops->finding_max_id(s, &top, err);
    if (rc || top <= *mark)
        return rc;
    if ((rc = s->ops->dash_run_add(s, *mark, run, err)))
        return rc;
    *mark = top;
    return LF_OK;
}

bool lf_store_str_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool score_same(double a, double b) { return (a < 0 && b < 0) || a == b; }

/* a stored finding scored as the hit scores it */
static bool stored_same(const lf_store_finding *f, const lf_store_hit *h)
{
    return f->kind == h->kind && score_same(f->cvss, h->cvss) && f->kev == h->kev && score_same(f->epss, h->epss) &&
           lf_store_str_same(f->cvss_version, h->cvss_version) && lf_store_str_same(f->severity, h->severity) &&
           lf_store_str_same(f->kev_due, h->kev_due);
}

/* One hit on host_id of the run's agency, inside the caller's transaction; the counters
 * go to *d. Rows with ids above *mark were inserted by this batch and are not yet in the
 * dashboard summaries (dash_flush). */
static int match_one(lf_store *s, lf_id run, lf_id agency, lf_id host_id, const lf_store_hit *h, lf_arena *a,
                     lf_id *mark, lf_store_match_summary *d, lf_err *err)
{
    int64_t now = lf_store_now(s);
    d->hits++;
    /* the common case first, without reading the row: a finding seen again unchanged */
    bool touched = false;
    int rc = s->ops->finding_touch_hc(s, host_id, h, run, now, &touched, err);
    if (rc)
        return rc;
    if (touched) {
        d->seen++;
        return LF_OK;
    }
    lf_store_finding f;
    rc = s->ops->finding_get(s, 0, host_id, h->cve, a, &f, err);
    if (rc == LF_ENOTFOUND) {
        bool sup = false;
        if ((rc = s->ops->suppress_has(s, host_id, h->cpe, h->cve, &sup, err)))
            return rc;
        if (sup) {
            d->suppressed++;
            return LF_OK;
        }
        memset(&f, 0, sizeof f);
        f.host_id = host_id;
        f.agency_id = agency;
        f.host = h->host;
        f.cve = h->cve;
        copy_hit(&f, h, true);
        f.notice_date = h->notice_date;
        f.due_date = h->due_date;
        f.state = LF_FSTATE_OPEN;
        f.first_seen = f.last_seen = now;
        f.last_run = run;
        f.sources_json = h->sources_json;
        /* its creation is in the batch's one "new" row (audit_new_range) */
        if ((rc = s->ops->finding_insert(s, &f, &f.id, err)))
            return rc;
        d->new_findings++;
        return LF_OK;
    }
    if (rc)
        return rc;

    /* a row this batch inserted, about to move between summary keys (a second item of the
     * host hit the CVE with another severity or KEV flag): summarised first, so the update
     * trigger moves a counted row */
    if (f.id > *mark && (!lf_store_str_same(f.severity, h->severity) || f.kev != h->kev) &&
        (rc = dash_flush(s, run, mark, err)))
        return rc;
    lf_store_finding before = f;
    const char *action = NULL;
    bool again = f.last_run == run;    /* a second item of the host hit the same CVE */
    /* ... and scored it as the first did: nothing to write (the CPE and sources are the
     * first's by rule), as in batch_bulk */
    if (again && (f.state == LF_FSTATE_OPEN || f.state == LF_FSTATE_MEASURE_FILED || f.state == LF_FSTATE_RISK_ACCEPTED) &&
        stored_same(&f, h))
        return LF_OK;
    f.sources_json = again ? NULL : h->sources_json;
    f.last_seen = now;
    f.last_run = run;
    switch (f.state) {
    case LF_FSTATE_FIXED:
        f.state = LF_FSTATE_OPEN;
        f.reopened++;
        f.fixed_at = 0;
        f.fixed_confirmed = false;
        copy_hit(&f, h, true);
        action = "reopen";
        d->reopened++;
        break;
    case LF_FSTATE_FALSE_POSITIVE: {
        bool sup = false;
        if ((rc = s->ops->suppress_has(s, host_id, h->cpe, h->cve, &sup, err)))
            return rc;
        if (sup) {
            d->suppressed++;
        } else {
            /* the suppression names the CPE judged; this one was not */
            f.state = LF_FSTATE_OPEN;
            f.fp_reason = NULL;
            f.reopened++;
            copy_hit(&f, h, true);
            action = "reopen";
            d->reopened++;
        }
        break;
    }
    default:
        copy_hit(&f, h, !again);
        if (!again)
            d->seen++;
        /* Scored differently than when it was noticed (KEV-listed since, or rescored):
         * the deadline the new scores set, counted from today (the hit's due date), when
         * earlier than the one it has or it had none. A lower score never loosens a
         * deadline already given; a tighter one is a legal change, so it is audited. A
         * second hit of the run on the CVE scores it as the first (scores are the CVE's),
         * which decided already. */
        if (!again && (f.state == LF_FSTATE_OPEN || f.state == LF_FSTATE_MEASURE_FILED) && h->due_date &&
            (!f.due_date || strcmp(h->due_date, f.due_date) < 0)) {
            f.due_date = h->due_date;
            action = "deadline";
        }
        break;
    }
    if (!action)
        return s->ops->finding_refresh(s, &f, err);
    if ((rc = s->ops->finding_update(s, &f, err)))
        return rc;
    return audit_finding(s, &before, &f, action, NULL, err);
}

/* Two hits of one (host, CVE) that score it the same: the second changes nothing the
 * first did not (its CPE and sources are the first's by rule). */
static bool same_scores(const lf_store_hit *a, const lf_store_hit *b)
{
    return a->kind == b->kind && score_same(a->cvss, b->cvss) && a->kev == b->kev && score_same(a->epss, b->epss) &&
           lf_store_str_same(a->cvss_version, b->cvss_version) && lf_store_str_same(a->severity, b->severity) &&
           lf_store_str_same(a->kev_due, b->kev_due);
}

static uint64_t hc_hash(lf_id host_id, const char *cve)
{
    uint64_t x = lf_hash64(cve, strlen(cve)) ^ (uint64_t)host_id * 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 31);
}

int lf_store_hc_map_init(lf_store_hc_map *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->slot = calloc(cap, sizeof *m->slot);
    m->mask = cap - 1;
    return m->slot ? LF_OK : LF_ENOMEM;
}

void lf_store_hc_map_free(lf_store_hc_map *m)
{
    free(m->slot);
    m->slot = NULL;
}

static size_t hc_slot(const lf_store_hc_map *m, lf_id host, const char *cve)
{
    size_t k = hc_hash(host, cve) & m->mask;
    while (m->slot[k].cve && !(m->slot[k].host == host && !strcmp(m->slot[k].cve, cve)))
        k = (k + 1) & m->mask;
    return k;
}

uint32_t lf_store_hc_map_put(lf_store_hc_map *m, lf_id host, const char *cve, uint32_t pos)
{
    lf_store_hc_slot *e = &m->slot[hc_slot(m, host, cve)];
    if (!e->cve)
        *e = (lf_store_hc_slot){host, cve, pos};
    return e->pos;
}

uint32_t lf_store_hc_map_get(const lf_store_hc_map *m, lf_id host, const char *cve)
{
    if (!cve)
        return UINT32_MAX;
    const lf_store_hc_slot *e = &m->slot[hc_slot(m, host, cve)];
    return e->cve ? e->pos : UINT32_MAX;
}

/* The set-wise part of a batch (a backend's finding_bulk): the first hit of every (host,
 * CVE) whose other hits in the batch score it the same is given at once; done[i] says the
 * hit needs nothing more (its finding is new or was refreshed: counted into *d), the
 * others take the general path in order. A group with differing scores, or whose first hit
 * the backend left (a fixed or false-positive finding, changed scores, a suppression), goes
 * to the general path whole, so the order of its hits decides as before. */
static int batch_bulk(lf_store *s, lf_id agency, lf_id run, const lf_store_hit *h, const lf_id *hid, size_t n,
                      bool *done, lf_store_match_summary *d, lf_err *err)
{
    lf_store_hc_map groups = {0};                 /* (host, CVE) -> the group's first hit */
    uint32_t *first = malloc(n * sizeof *first);  /* each hit's group (its first hit) */
    bool *mixed = calloc(n, sizeof *mixed);       /* by first hit: scores differ in the group */
    lf_store_bulk *b = malloc(n * sizeof *b);
    lf_bulk_state *gs = calloc(n, sizeof *gs);    /* by first hit: what was done */
    size_t nb = 0;
    int rc = LF_OK;
    if (lf_store_hc_map_init(&groups, n) || !first || !mixed || !b || !gs) {
        rc = lf_err_set(err, LF_ENOMEM, "match: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        first[i] = lf_store_hc_map_put(&groups, hid[i], h[i].cve, (uint32_t)i);
        if (first[i] != i && !same_scores(&h[first[i]], &h[i]))
            mixed[first[i]] = true;
    }
    for (size_t i = 0; i < n; i++)
        if (first[i] == i && !mixed[i])
            b[nb++] = (lf_store_bulk){&h[i], hid[i], LF_BULK_LEFT};
    if (nb && (rc = s->ops->finding_bulk(s, agency, run, lf_store_now(s), b, nb, err)))
        goto done;
    /* what became of each group, by its first hit */
    for (size_t j = 0; j < nb; j++)
        gs[b[j].hit - h] = b[j].state;
    for (size_t i = 0; i < n; i++) {
        lf_bulk_state g = gs[first[i]];
        done[i] = g != LF_BULK_LEFT;
        if (!done[i])
            continue;
        d->hits++;
        if (first[i] == i)
            g == LF_BULK_NEW ? d->new_findings++ : d->seen++;
    }
done:
    lf_store_hc_map_free(&groups);
    free(first);
    free(mixed);
    free(b);
    free(gs);
    return rc;
}

/* The creation of a batch's new findings, ids first..last (a batch's inserts take
 * consecutive ids: max + 1 each, and nothing else inserts findings in its transaction),
 * as one audit row of entity "findings" whose entity_id is the first. A finding's own
 * trail shows it as its "new" entry (the backend's audit_list). One row per finding was
 * a fifth of a first upload's time and half of its database pages. */
static int audit_new_range(lf_store *s, lf_id agency, lf_id run, lf_id first, lf_id last, lf_err *err)
{
    char js[160];
    snprintf(js, sizeof js, "{\"first\":%lld,\"last\":%lld,\"count\":%lld,\"run\":%lld}", (long long)first,
             (long long)last, (long long)(last - first + 1), (long long)run);
    lf_store_audit row = {
        .actor = "system",
        .org_id = agency,
        .entity = "findings",
        .entity_id = first,
        .action = "new",
        .after_json = js,
    };
    return s->ops->audit_add(s, &row, NULL, err);
}

static int match_batch_tx(lf_store *s, lf_id run, const lf_store_hit *h, size_t n, lf_arena *a, size_t *failed,
                          lf_err *err)
{
    lf_id agency;
    bool full, finished;
    lf_store_match_summary d = {0}, sum;
    int rc = s->ops->run_get(s, run, &agency, &full, &finished, &sum, err);
    if (rc)
        return rc;
    NEED(!finished, "match run %lld has ended", (long long)run);
    lf_id *hid = malloc(n * sizeof *hid);
    bool *done = calloc(n, sizeof *done);
    if (!hid || !done) {
        rc = lf_err_set(err, LF_ENOMEM, "match: out of memory");
        goto out;
    }
    /* hits come host by host: look the host up once per run of equal names */
    const char *host = NULL;
    lf_id host_id = 0;
    for (size_t i = 0; i < n; i++) {
        *failed = i;
        if (!host || strcmp(host, h[i].host) != 0) {
            if ((rc = s->ops->host_upsert(s, agency, h[i].host, &host_id, err)))
                goto out;
            host = h[i].host;
        }
        hid[i] = host_id;
    }
    *failed = 0;
    lf_id before = 0;
    if ((rc = s->ops->finding_max_id(s, &before, err)))
        goto out;
    if (s->ops->finding_bulk && (rc = batch_bulk(s, agency, run, h, hid, n, done, &d, err)))
        goto out;
    /* what the set-wise part inserted is summarised already */
    lf_id mark = 0;
    if ((rc = s->ops->finding_max_id(s, &mark, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        *failed = i;
        lf_arena_reset(a);
        if ((rc = match_one(s, run, agency, hid[i], &h[i], a, &mark, &d, err)))
            goto out;
    }
    if ((rc = dash_flush(s, run, &mark, err)))
        goto out;
    lf_id top = mark;                  /* dash_flush leaves it at the highest id */
    if (top - before != (lf_id)d.new_findings) {
        rc = lf_err_set(err, LF_EIO, "match batch: %llu new findings but ids %lld..%lld",
                        (unsigned long long)d.new_findings, (long long)before + 1, (long long)top);
        goto out;
    }
    if (top > before && (rc = audit_new_range(s, agency, run, before + 1, top, err)))
        goto out;
    rc = s->ops->run_add(s, run, &d, err);
out:
    free(hid);
    free(done);
    return rc;
}

static int check_hit(const lf_store_hit *h, lf_err *err)
{
    NEED(nonempty(h->host, 1024) && nonempty(h->cve, 64) && nonempty(h->cpe, 1024),
         "match: a hit needs host, CVE and CPE");
    NEED(h->kind >= LF_FKIND_MATCH && h->kind <= LF_FKIND_UNANALYSED, "match %s: unknown kind %d", h->cve,
         (int)h->kind);
    NEED(valid_date_or_null(h->kev_due), "match %s: KEV due date is not YYYY-MM-DD", h->cve);
    NEED(valid_date_or_null(h->notice_date) && valid_date_or_null(h->due_date),
         "match %s: notice and due dates must be YYYY-MM-DD", h->cve);
    return LF_OK;
}

/* own_tx: the batch is a transaction (a savepoint inside the caller's) of its own. */
static int match_add(lf_store *s, lf_id run, const lf_store_hit *hits, size_t n, bool own_tx, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(n == 0 || hits, "match: no hits");
    if (!own_tx && !s->ops->in_tx(s))
        return lf_err_set(err, LF_EUSAGE, "match: lf_store_match_add_batch_tx outside a transaction");
    for (size_t i = 0; i < n; i++)
        if ((rc = check_hit(&hits[i], err)))
            return rc;
    if (n == 0)
        return LF_OK;
    lf_arena a;
    lf_arena_init(&a, 8192);
    size_t failed = 0;
    if (!own_tx)
        rc = match_batch_tx(s, run, hits, n, &a, &failed, err);
    else if (!(rc = s->ops->begin(s, err)))
        rc = finish_tx(s, match_batch_tx(s, run, hits, n, &a, &failed, err), err);
    lf_arena_clear(&a);
    if (rc && failed < n)
        lf_err_id(err, hits[failed].cve);
    return rc;
}

int lf_store_match_add_batch(lf_store *s, lf_id run, const lf_store_hit *hits, size_t n, lf_err *err)
{
    return match_add(s, run, hits, n, true, err);
}

int lf_store_match_add_batch_tx(lf_store *s, lf_id run, const lf_store_hit *hits, size_t n, lf_err *err)
{
    return match_add(s, run, hits, n, false, err);
}

int lf_store_match_add(lf_store *s, lf_id run, const lf_store_hit *h, lf_err *err)
{
    NEED(h, "match: no hit");
    return lf_store_match_add_batch(s, run, h, 1, err);
}

/* Findings ids the run did not hit: fixed (or, fixed by hand, confirmed), one audit row
 * each; counts into *d. */
static int fix_stale(lf_store *s, const lf_id *ids, size_t n, lf_store_match_summary *d, lf_err *err)
{
    if (n && s->ops->finding_fix_bulk)
        return s->ops->finding_fix_bulk(s, ids, n, lf_store_now(s), &d->fixed, &d->confirmed, err);
    lf_arena one;
    lf_arena_init(&one, 8192);
    int64_t now = lf_store_now(s);
    int rc = LF_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        lf_store_finding f;
        lf_arena_reset(&one);
        if ((rc = s->ops->finding_get(s, ids[i], 0, NULL, &one, &f, err)))
            break;
        lf_store_finding before = f;
        const char *action;
        if (f.state == LF_FSTATE_FIXED) {
            action = "confirm";            /* fixed by hand, now gone from the inventory */
            d->confirmed++;
        } else {
            f.state = LF_FSTATE_FIXED;
            f.fixed_at = now;
            f.risk_reason = f.risk_approver = f.risk_expiry = NULL;
            action = "fixed";
            d->fixed++;
        }
        f.fixed_confirmed = true;
        rc = s->ops->finding_update(s, &f, err);
        if (!rc)
            rc = audit_finding(s, &before, &f, action, NULL, err);
    }
    lf_arena_clear(&one);
    return rc;
}

/* cves: NULL for the run's own scope (everything when full); else only those CVEs. */
static int match_end_tx(lf_store *s, lf_id run, const char *const *cves, size_t ncves, lf_store_match_summary *sum,
                        lf_err *err)
{
    lf_id agency;
    bool full, finished;
    int rc = s->ops->run_get(s, run, &agency, &full, &finished, sum, err);
    if (rc)
        return rc;
    NEED(!finished, "match run %lld has already ended", (long long)run);
    NEED(!cves || !full, "match run %lld covers the whole snapshot: it cannot end on a list of CVEs", (long long)run);
    lf_store_match_summary d = {0};
    if (full || (cves && ncves)) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_id *ids;
        size_t n;
        rc = full ? s->ops->finding_stale(s, agency, run, &a, &ids, &n, err)
                  : s->ops->finding_stale_cves(s, agency, run, cves, ncves, &a, &ids, &n, err);
        if (!rc)
            rc = fix_stale(s, ids, n, &d, err);
        lf_arena_clear(&a);
        if (rc)
            return rc;
    }
    if ((rc = s->ops->run_add(s, run, &d, err)))
        return rc;
    sum->fixed += d.fixed;
    sum->confirmed += d.confirmed;
    return s->ops->run_finish(s, run, err);
}

int lf_store_match_end(lf_store *s, lf_id run, lf_store_match_summary *sum, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    lf_store_match_summary tmp;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    rc = finish_tx(s, match_end_tx(s, run, NULL, 0, &tmp, err), err);
    if (!rc && sum)
        *sum = tmp;
    return rc;
}

/* ---------------------------------------------------------------- finding changes */

static int check_change(const lf_store_fchange *c, lf_err *err)
{
    NEED(c, "finding: no change given");
    switch (c->to) {
    case LF_FSTATE_MEASURE_FILED:
        NEED(nonempty(c->measure, 10000), "finding: a measure needs its text (at most 10,000 bytes)");
        NEED(c->measure_planned && valid_date_or_null(c->measure_planned),
             "finding: a measure needs a planned date YYYY-MM-DD");
        break;
    case LF_FSTATE_RISK_ACCEPTED:
        NEED(nonempty(c->risk_reason, 10000) && nonempty(c->risk_approver, 200),
             "finding: accepting a risk needs a reason and an approver");
        NEED(c->risk_expiry && valid_date_or_null(c->risk_expiry),
             "finding: accepting a risk needs an expiry date YYYY-MM-DD");
        break;
    case LF_FSTATE_FALSE_POSITIVE:
        NEED(nonempty(c->fp_reason, 10000), "finding: a false positive needs a reason");
        break;
    case LF_FSTATE_OPEN:
    case LF_FSTATE_FIXED:
        break;
    default:
        return lf_err_set(err, LF_EINVAL, "finding: unknown target state %d", (int)c->to);
    }
    return LF_OK;
}

static bool transition_allowed(lf_fstate from, lf_fstate to)
{
    bool active = from == LF_FSTATE_OPEN || from == LF_FSTATE_MEASURE_FILED;
    switch (to) {
    case LF_FSTATE_MEASURE_FILED:
    case LF_FSTATE_FIXED:
    case LF_FSTATE_RISK_ACCEPTED:
    case LF_FSTATE_FALSE_POSITIVE:
        return active;
    case LF_FSTATE_OPEN:
        return from == LF_FSTATE_FIXED || from == LF_FSTATE_RISK_ACCEPTED ||
               from == LF_FSTATE_FALSE_POSITIVE;
    default:
        return false;
    }
}

static int transition_tx(lf_store *s, lf_id id, const lf_store_fchange *c, const lf_store_actor *who,
                         lf_arena *a, lf_err *err)
{
    lf_store_finding f;
    int rc = s->ops->finding_get(s, id, 0, NULL, a, &f, err);
    if (rc)
        return rc;
    if (!transition_allowed(f.state, c->to))
        return lf_err_set(err, LF_EINVAL, "finding %lld (%s): cannot go from %s to %s", (long long)id, f.cve,
                          lf_fstate_name(f.state), lf_fstate_name(c->to));
    lf_store_finding before = f;
    lf_fstate from = f.state;
    f.state = c->to;
    /* Leaving a state drops the fields that belong to it; the audit row keeps them. */
    if (from == LF_FSTATE_FALSE_POSITIVE) {
        f.fp_reason = NULL;
        if ((rc = s->ops->suppress_del(s, f.id, err)))
            return rc;
    }
    if (from == LF_FSTATE_RISK_ACCEPTED)
        f.risk_reason = f.risk_approver = f.risk_expiry = NULL;
    if (from == LF_FSTATE_FIXED) {
        f.fixed_at = 0;
        f.fixed_confirmed = false;
    }
    switch (c->to) {
    case LF_FSTATE_MEASURE_FILED:
        f.measure = c->measure;
        f.measure_planned = c->measure_planned;
        break;
    case LF_FSTATE_FIXED:
        f.fixed_at = lf_store_now(s);
        f.fixed_confirmed = false;
        break;
    case LF_FSTATE_RISK_ACCEPTED:
        f.risk_reason = c->risk_reason;
        f.risk_approver = c->risk_approver;
        f.risk_expiry = c->risk_expiry;
        break;
    case LF_FSTATE_FALSE_POSITIVE:
        f.fp_reason = c->fp_reason;
        rc = s->ops->suppress_add(s, f.host_id, f.cpe, f.cve, f.id, c->fp_reason, who ? who->user_id : 0,
                                  err);
        if (rc)
            return rc;
        break;
    default:
        break;
    }
    if ((rc = s->ops->finding_update(s, &f, err)))
        return rc;
    return audit_finding(s, &before, &f, "transition", who, err);
}

int lf_store_finding_transition(lf_store *s, lf_id id, const lf_store_fchange *c,
                                const lf_store_actor *who, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    if ((rc = check_change(c, err)))
        return rc;
    lf_arena a;
    lf_arena_init(&a, 4096);
    rc = s->ops->begin(s, err);
    if (!rc)
        rc = finish_tx(s, transition_tx(s, id, c, who, &a, err), err);
    lf_arena_clear(&a);
    return rc;
}

static int notice_tx(lf_store *s, lf_id id, const char *notice, const char *due, const lf_store_actor *who,
                     lf_arena *a, lf_err *err)
{
    lf_store_finding f;
    int rc = s->ops->finding_get(s, id, 0, NULL, a, &f, err);
    if (rc)
        return rc;
    lf_store_finding before = f;
    f.notice_date = notice;
    f.due_date = due;
    if ((rc = s->ops->finding_update(s, &f, err)))
        return rc;
    return audit_finding(s, &before, &f, "notice", who, err);
}

int lf_store_finding_set_notice(lf_store *s, lf_id id, const char *notice_date,
                                const char *due_date, const lf_store_actor *who, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(valid_date_or_null(notice_date) && valid_date_or_null(due_date),
         "finding: notice and due dates must be YYYY-MM-DD");
    lf_arena a;
    lf_arena_init(&a, 4096);
    rc = s->ops->begin(s, err);
    if (!rc)
        rc = finish_tx(s, notice_tx(s, id, notice_date, due_date, who, &a, err), err);
    lf_arena_clear(&a);
    return rc;
}

static int risk_expire_tx(lf_store *s, lf_id id, const char *today, const char *due, bool *expired, lf_arena *a,
                          lf_err *err)
{
    lf_store_finding f;
    int rc = s->ops->finding_get(s, id, 0, NULL, a, &f, err);
    if (rc)
        return rc;
    /* read again inside the transaction: a person may have reopened or renewed it since
     * the caller listed it */
    if (f.state != LF_FSTATE_RISK_ACCEPTED || !f.risk_expiry || strcmp(f.risk_expiry, today) >= 0)
        return LF_OK;
    lf_store_finding before = f;
    f.state = LF_FSTATE_OPEN;
    f.risk_reason = f.risk_approver = f.risk_expiry = NULL;
    f.due_date = due;
    if ((rc = s->ops->finding_update(s, &f, err)))
        return rc;
    *expired = true;
    return audit_finding(s, &before, &f, "risk_expired", NULL, err);
}

int lf_store_finding_risk_expire(lf_store *s, lf_id id, const char *today, const char *due_date, bool *expired,
                                 lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(expired);
    *expired = false;
    NEED(today && valid_date_or_null(today) && valid_date_or_null(due_date),
         "finding: today and the due date must be YYYY-MM-DD");
    lf_arena a;
    lf_arena_init(&a, 4096);
    rc = s->ops->begin(s, err);
    if (!rc)
        rc = finish_tx(s, risk_expire_tx(s, id, today, due_date, expired, &a, err), err);
    lf_arena_clear(&a);
    return rc;
}

int lf_store_finding_get(lf_store *s, lf_id id, lf_arena *a, lf_store_finding *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    return s->ops->finding_get(s, id, 0, NULL, a, out, err);
}

int lf_store_finding_list(lf_store *s, const lf_store_ffilter *f, lf_store_page *pg, lf_arena *a,
                          lf_store_finding **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    NEED(f && f->scope > 0, "findings: a scope is required");
    NEED(f->state == 0 || lf_fstate_name(f->state), "findings: unknown state %d", (int)f->state);
    return s->ops->finding_list(s, f, pg, a, out, n, err);
}

/* ---------------------------------------------------------------- metrics */

int lf_store_metrics_get(lf_store *s, lf_id scope, const char *month, lf_store_metrics *out,
                         lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(out);
    memset(out, 0, sizeof *out);
    char cur[32];
    if (!month) {
        time_t t = (time_t)lf_store_now(s);
        struct tm tm;
        if (!localtime_r(&t, &tm))
            return lf_err_set(err, LF_ERANGE, "metrics: clock out of range");
        snprintf(cur, sizeof cur, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
        month = cur;
    }
    NEED(valid_month(month), "metrics: month '%.8s' is not YYYY-MM", month);
    return s->ops->metrics(s, scope, month, out, err);
}

/* ---------------------------------------------------------------- dashboard aggregates (web UI) */

int lf_store_overview(lf_store *s, lf_id org, const lf_store_overview_q *q, lf_arena *a,
                      lf_store_overview_row *total, lf_store_overview_row **rows, size_t *n,
                      bool *more, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && total && rows && n && more);
    NEED(org > 0, "overview: an org is required");
    NEED(q && valid_month(q->month), "overview: month must be YYYY-MM");
    NEED(q->today && q->late_notice && valid_date_or_null(q->today) && valid_date_or_null(q->late_notice),
         "overview: today and late_notice must be YYYY-MM-DD");
    memset(total, 0, sizeof *total);
    *rows = NULL;
    *n = 0;
    *more = false;
    return s->ops->overview(s, org, q, a, total, rows, n, more, err);
}

int lf_store_trends(lf_store *s, lf_id org, const char *first, unsigned nmonths, lf_store_trend *out,
                    lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(out);
    NEED(org > 0, "trends: an org is required");
    NEED(valid_month(first), "trends: the first month must be YYYY-MM");
    NEED(nmonths >= 1 && nmonths <= 120, "trends: 1 to 120 months");
    memset(out, 0, nmonths * sizeof *out);
    int y = (first[0] - '0') * 1000 + (first[1] - '0') * 100 + (first[2] - '0') * 10 + (first[3] - '0');
    int m = two_digits(first + 5);
    for (unsigned i = 0; i < nmonths; i++) {
        char *o = out[i].month;   /* "YYYY-MM": valid_month bounds y to 4 digits */
        o[0] = (char)('0' + y / 1000 % 10);
        o[1] = (char)('0' + y / 100 % 10);
        o[2] = (char)('0' + y / 10 % 10);
        o[3] = (char)('0' + y % 10);
        o[4] = '-';
        o[5] = (char)('0' + m / 10);
        o[6] = (char)('0' + m % 10);
        o[7] = '\0';
        out[i].median_fix_days = -1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    return s->ops->trends(s, org, first, nmonths, out, err);
}

int lf_store_host_summary(lf_store *s, lf_id agency, const char *today, lf_store_page *pg, lf_arena *a,
                          lf_store_host_sum **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    NEED(agency > 0, "hosts: an agency is required");
    NEED(today && valid_date_or_null(today), "hosts: today must be YYYY-MM-DD");
    return s->ops->host_summary(s, agency, today, pg, a, out, n, err);
}

/* ---------------------------------------------------------------- notices (scheduler) */

static const char *const nstate_names[] = {NULL, "pending", "sent", "failed"};

const char *lf_nstate_name(lf_nstate st)
{
    return st >= LF_NSTATE_PENDING && st <= LF_NSTATE_FAILED ? nstate_names[st] : NULL;
}

int lf_nstate_parse(const char *s)
{
    for (int i = LF_NSTATE_PENDING; s && i <= LF_NSTATE_FAILED; i++)
        if (!strcmp(s, nstate_names[i]))
            return i;
    return -1;
}

static bool valid_channel(const char *c) { return c && (!strcmp(c, "mail") || !strcmp(c, "webhook")); }

int lf_store_notice_create(lf_store *s, const lf_store_notice *in, const char *const *channels, size_t nch,
                           const lf_store_notice_mark *marks, size_t nmarks, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && valid_ident(in->key, 200), "notice: key must be 1..200 printable ASCII bytes");
    NEED(nonempty(in->kind, 32) && nonempty(in->stage, 32), "notice: kind and stage are required");
    NEED(in->org_id > 0, "notice: an org is required");
    NEED(in->notice_date && valid_date_or_null(in->notice_date), "notice: notice_date must be YYYY-MM-DD");
    NEED(in->subject && in->body_text && in->body_html && in->payload_json, "notice: subject and bodies are required");
    NEED(nch >= 1 && nch <= LF_STORE_NOTICE_MAX_CHANNELS && channels, "notice: 1 or 2 channels");
    for (size_t i = 0; i < nch; i++)
        NEED(valid_channel(channels[i]) && (i == 0 || strcmp(channels[0], channels[i])),
             "notice: channels are \"mail\" and \"webhook\", each once");
    NEED(nmarks == 0 || marks, "notice: marks missing");
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->notice_create(s, in, channels, nch, marks, nmarks, id_out, err), err);
}

int lf_store_notice_get(lf_store *s, lf_id id, const char *key, lf_arena *a, lf_store_notice *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(key || id > 0, "notice: an id or a key is required");
    return s->ops->notice_get(s, id, key, a, out, err);
}

int lf_store_notice_marks(lf_store *s, lf_id agency_id, const char *stage, lf_arena *a, lf_id **ids, size_t *n,
                          lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && ids && n);
    *ids = NULL;
    *n = 0;
    NEED(agency_id > 0 && nonempty(stage, 32), "notice marks: agency and stage are required");
    return s->ops->notice_marks(s, agency_id, stage, a, ids, n, err);
}

int lf_store_notice_due(lf_store *s, int64_t now, size_t limit, lf_arena *a, lf_store_notice **out, size_t *n,
                        lf_err *err)
{
    LIST_ARGS_OK();
    NEED(limit >= 1 && limit <= LF_STORE_PAGE_MAX, "notices due: limit 1..%u", LF_STORE_PAGE_MAX);
    return s->ops->notice_due(s, now, limit, a, out, n, err);
}

int lf_store_notice_delivered(lf_store *s, lf_id notice_id, const lf_store_delivery *d, int64_t at, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(notice_id > 0 && d && valid_channel(d->channel) && lf_nstate_name(d->state),
         "notice delivery: a notice, a channel and a state are required");
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->notice_delivered(s, notice_id, d, at, err), err);
}

int lf_store_notice_list(lf_store *s, const lf_store_nfilter *f, lf_store_page *pg, lf_arena *a,
                         lf_store_notice **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    lf_store_nfilter none = {0, 0, NULL, NULL};
    if (!f)
        f = &none;
    NEED(f->state == 0 || lf_nstate_name(f->state), "notices: unknown state %d", (int)f->state);
    return s->ops->notice_list(s, f, pg, a, out, n, err);
}

int lf_store_notice_counts(lf_store *s, uint64_t out[4], lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(out);
    memset(out, 0, 4 * sizeof out[0]);
    return s->ops->notice_counts(s, out, err);
}

/* ---------------------------------------------------------------- sources (schema 6) */

int lf_store_scan_items_add(lf_store *s, lf_id upload_id, const lf_store_scan_item *v, size_t n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(upload_id > 0 && (n == 0 || v), "scan items: an upload and items are required");
    for (size_t i = 0; i < n; i++)
        NEED(nonempty(v[i].host, 1024) && nonempty(v[i].cpe, 1024), "scan items: row %zu needs host and CPE", i);
    if (n == 0)
        return LF_OK;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->scan_items_add(s, upload_id, v, n, err), err);
}

int lf_store_scan_items_each(lf_store *s, lf_id upload_id, lf_store_scan_item_fn fn, void *ud, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(upload_id > 0 && fn, "scan items: an upload and a callback are required");
    return s->ops->scan_items_each(s, upload_id, fn, ud, err);
}

int lf_store_finding_sources_set(lf_store *s, lf_id agency_id, const lf_store_fsources *v, size_t n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(agency_id > 0 && (n == 0 || v), "finding sources: an agency and rows are required");
    for (size_t i = 0; i < n; i++)
        NEED(nonempty(v[i].host, 1024) && nonempty(v[i].cve, 64), "finding sources: row %zu needs host and CVE", i);
    if (n == 0)
        return LF_OK;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->finding_sources_set(s, agency_id, v, n, err), err);
}

int lf_store_finding_sources_get(lf_store *s, lf_id finding_id, lf_arena *a, const char **json, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && json);
    *json = NULL;
    return s->ops->finding_sources_get(s, finding_id, a, json, err);
}

int lf_store_not_affected_clear(lf_store *s, lf_id agency_id, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(agency_id > 0, "not affected: an agency is required");
    return s->ops->not_affected_clear(s, agency_id, err);
}

int lf_store_not_affected_add(lf_store *s, lf_id agency_id, lf_id upload_id, const lf_store_not_affected *v,
                              size_t n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(agency_id > 0 && (n == 0 || v), "not affected: an agency and rows are required");
    for (size_t i = 0; i < n; i++)
        NEED(nonempty(v[i].host, 1024) && nonempty(v[i].cve, 64) && nonempty(v[i].cpe, 1024) &&
                 nonempty(v[i].source, 64),
             "not affected: row %zu needs host, CVE, CPE and source", i);
    if (n == 0)
        return LF_OK;
    rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    return finish_tx(s, s->ops->not_affected_add(s, agency_id, upload_id, v, n, lf_store_now(s), err), err);
}

int lf_store_not_affected_list(lf_store *s, lf_id agency_id, const char *host, const char *cve, lf_store_page *pg,
                               lf_arena *a, lf_store_not_affected **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->not_affected_list(s, agency_id, host, cve, pg, a, out, n, err);
}

int lf_store_snapshots_latest(lf_store *s, lf_arena *a, lf_store_snapshot_ref **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->snapshots_latest(s, a, out, n, err);
}

/* ---------------------------------------------------------------- ISAC: TAXII 2.1 server state */

static const char *const taxii_access_names[] = {"none", "group", "community", "public"};

const char *lf_taxii_access_name(lf_taxii_access v)
{
    return (unsigned)v < NAMES_N(taxii_access_names) ? taxii_access_names[v] : NULL;
}

int lf_taxii_access_parse(const char *s)
{
    for (size_t i = 0; s && i < NAMES_N(taxii_access_names); i++)
        if (!strcmp(s, taxii_access_names[i]))
            return (int)i;
    return -1;
}

/* The store clock in microseconds: an injected clock (tests) gives whole seconds. */
static int64_t now_us(const lf_store *s)
{
    if (s->opts.clock)
        return s->opts.clock(s->opts.clock_ud) * 1000000;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int lf_store_taxii_root_put(lf_store *s, const lf_store_taxii_root *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && nonempty(in->name, 64) && nonempty(in->title, 1024), "TAXII API root: name and title are required");
    for (const char *p = in->name; *p; p++)
        NEED((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_',
             "TAXII API root: name '%s' must be lower-case letters, digits, '-' or '_'", in->name);
    NEED(in->max_content_length >= 0, "TAXII API root: max_content_length must not be negative");
    lf_id id = 0;
    rc = s->ops->taxii_root_put(s, in, &id, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_taxii_root_get(lf_store *s, const char *name, lf_arena *a, lf_store_taxii_root *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(name, "TAXII API root: a name is required");
    return s->ops->taxii_root_get(s, name, a, out, err);
}

int lf_store_taxii_root_list(lf_store *s, lf_arena *a, lf_store_taxii_root **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->taxii_root_list(s, a, out, n, err);
}

int lf_store_isac_group_create(lf_store *s, const lf_store_isac_group *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && nonempty(in->code, 64) && nonempty(in->name, 1024), "sharing group: code and name are required");
    NEED(in->norgs > 0 && in->orgs, "sharing group: at least one organisation is required");
    lf_id id = 0;
    rc = s->ops->isac_group_create(s, in, &id, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_isac_group_get(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_group *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    return s->ops->isac_group_get(s, id, a, out, err);
}

int lf_store_isac_group_list(lf_store *s, lf_arena *a, lf_store_isac_group **out, size_t *n, lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->isac_group_list(s, a, out, n, err);
}

int lf_store_isac_group_member(lf_store *s, lf_id group, lf_id org, bool *member, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(member);
    *member = false;
    if (group <= 0 || org <= 0)
        return LF_OK;
    return s->ops->isac_group_member(s, group, org, member, err);
}

int lf_store_taxii_coll_put(lf_store *s, const lf_store_taxii_coll *in, lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && in->root_id > 0 && nonempty(in->uuid, 64) && nonempty(in->title, 1024),
         "TAXII collection: root, id and title are required");
    NEED(lf_taxii_access_name(in->read) && lf_taxii_access_name(in->write) && in->write != LF_TAXII_ACCESS_PUBLIC,
         "TAXII collection: can_read is none, group, community or public; can_write none, group or community");
    NEED(in->default_tlp >= 1 && in->default_tlp <= 5, "TAXII collection: default TLP must be 1..5");
    NEED(nonempty(in->media_types, 4096), "TAXII collection: media types are required");
    lf_id id = 0;
    rc = s->ops->taxii_coll_put(s, in, &id, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int lf_store_taxii_coll_get(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_coll *out,
                            lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(uuid, "TAXII collection: an id is required");
    return s->ops->taxii_coll_get(s, root_id, uuid, a, out, err);
}

int lf_store_taxii_coll_list(lf_store *s, lf_id root_id, lf_arena *a, lf_store_taxii_coll **out, size_t *n,
                             lf_err *err)
{
    LIST_ARGS_OK();
    return s->ops->taxii_coll_list(s, root_id, a, out, n, err);
}

int lf_store_stix_add(lf_store *s, lf_id coll, const lf_store_stix_row *rows, size_t n, bool *dup,
                      int64_t *first, int64_t *last, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(coll > 0 && (n == 0 || rows), "STIX objects: a collection and rows are required");
    for (size_t i = 0; i < n; i++) {
        const lf_store_stix_row *r = &rows[i];
        NEED(nonempty(r->stix_id, 300) && nonempty(r->type, 250) && nonempty(r->spec_version, 16) &&
                 nonempty(r->version, 64) && nonempty(r->vkey, 64) && r->json && r->json_len > 0 &&
                 r->json_len <= INT32_MAX && r->tlp >= 0 && r->tlp <= 5,
             "STIX objects: row %zu needs id, type, spec_version, version and the JSON", i);
    }
    if (first)
        *first = 0;
    if (last)
        *last = 0;
    if (n == 0)
        return LF_OK;
    return s->ops->stix_add(s, coll, rows, n, now_us(s), dup, first, last, err);
}

static int stix_q_ok(const lf_store_stix_q *q, lf_err *err)
{
    NEED(q && q->coll > 0, "STIX query: a collection is required");
    NEED(q->default_tlp >= 1 && q->default_tlp <= 5, "STIX query: default TLP must be 1..5");
    NEED(q->added_after >= 0 && q->page_added >= 0 && q->page_row >= 0, "STIX query: negative time or row");
    return LF_OK;
}

int lf_store_stix_query(lf_store *s, const lf_store_stix_q *q, lf_arena *a, lf_store_stix_hit **out, size_t *n,
                        bool *more, lf_err *err)
{
    LIST_ARGS_OK();
    NEED_OUT(more);
    *more = false;
    int rc = stix_q_ok(q, err);
    if (rc)
        return rc;
    NEED(q->limit >= 1 && q->limit <= LF_STORE_PAGE_MAX, "STIX query: limit must be 1..%u", LF_STORE_PAGE_MAX);
    return s->ops->stix_query(s, q, a, out, n, more, err);
}

int lf_store_stix_delete(lf_store *s, const lf_store_stix_q *q, size_t *deleted, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(deleted);
    *deleted = 0;
    if ((rc = stix_q_ok(q, err)))
        return rc;
    NEED(q->id, "STIX delete: an object id is required");
    return s->ops->stix_delete(s, q, deleted, err);
}

int lf_store_stix_count(lf_store *s, lf_id coll, uint64_t *n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(n);
    return s->ops->stix_count(s, coll, n, err);
}

int lf_store_taxii_status_put(lf_store *s, const lf_store_taxii_status *in, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && nonempty(in->uuid, 64) && in->root_id > 0, "TAXII status: id and root are required");
    NEED(in->status && (!strcmp(in->status, "complete") || !strcmp(in->status, "pending")),
         "TAXII status: status is complete or pending");
    NEED(in->successes && in->failures && in->pendings, "TAXII status: the three lists are required");
    return s->ops->taxii_status_put(s, in, err);
}

int lf_store_taxii_status_get(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_status *out,
                              lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(uuid, "TAXII status: an id is required");
    return s->ops->taxii_status_get(s, root_id, uuid, a, out, err);
}

/* ---------------------------------------------------------------- ISAC-DISPATCH (schema 7) */

int lf_store_isac_ind_find(lf_store *s, const char *stix_id, lf_arena *a, lf_store_isac_ind *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    NEED(nonempty(stix_id, 300), "indicator: a STIX id is required");
    return s->ops->isac_ind_find(s, stix_id, a, out, err);
}

int lf_store_isac_approve(lf_store *s, const lf_store_isac_approval *in, const lf_store_isac_ioc *iocs, size_t n,
                          lf_id *id_out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && in->group_id > 0 && in->ind && in->ind->object_id > 0 && nonempty(in->ind->stix_id, 300),
         "approval: a group and an indicator are required");
    NEED(in->ind->tlp >= 1 && in->ind->tlp <= 5, "approval: the indicator's TLP must be 1..5");
    NEED(in->expires > 0 && nonempty(in->approver, 200) && in->approver_org > 0,
         "approval: an expiry, the approver and the approver's organisation are required");
    NEED(n == 0 || iocs, "approval: indicators missing");
    for (size_t i = 0; i < n; i++)
        NEED(nonempty(iocs[i].value, 4096), "approval: an empty or oversized simple indicator");
    return s->ops->isac_approve(s, in, iocs, n, id_out, err);
}

int lf_store_isac_approval_get(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_approval *out, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out);
    return s->ops->isac_approval_get(s, id, a, out, err);
}

int lf_store_isac_revoke(lf_store *s, lf_id id, const char *by, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(nonempty(by, 200), "revocation: who revokes is required");
    return s->ops->isac_revoke(s, id, by, err);
}

int lf_store_isac_approval_list(lf_store *s, lf_id group, bool active_only, int64_t now, lf_store_page *pg,
                                lf_arena *a, lf_store_isac_approval **out, size_t *n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out && n);
    return s->ops->isac_approval_list(s, group, active_only, now, pg, a, out, n, err);
}

int lf_store_isac_bl_each(lf_store *s, lf_id group, lf_id fetcher, int64_t now, int kind_lo, int kind_hi,
                          lf_store_isac_bl_fn fn, void *ud, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(fn);
    NEED(group > 0 && fetcher > 0, "blocklist: a group and the fetching organisation are required");
    return s->ops->isac_bl_each(s, group, fetcher, now, kind_lo, kind_hi, fn, ud, err);
}

int lf_store_isac_bl_stamp(lf_store *s, lf_id group, uint64_t *changes, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(changes);
    NEED(group > 0, "blocklist: a group is required");
    return s->ops->isac_bl_stamp(s, group, changes, err);
}

int lf_store_isac_fetch_log(lf_store *s, const lf_store_isac_fetch *in, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(in && in->group_id > 0 && in->org_id > 0 && nonempty(in->list, 64) && nonempty(in->version, 128),
         "blocklist fetch: group, organisation, list and version are required");
    return s->ops->isac_fetch_log(s, in, err);
}

int lf_store_isac_fetch_latest(lf_store *s, lf_id group, lf_id scope, lf_arena *a, lf_store_isac_fetch **out,
                               size_t *n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out && n);
    return s->ops->isac_fetch_latest(s, group, scope, a, out, n, err);
}

int lf_store_isac_count_add(lf_store *s, lf_id org, int year, lf_isac_count_kind kind, uint64_t n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED(org > 0 && year >= 1970 && year <= 9999 && (kind == LF_ISAC_SHARED || kind == LF_ISAC_RECEIVED) &&
             n <= (uint64_t)INT64_MAX,
         "ISAC counter: an organisation, a year 1970..9999 and a kind are required");
    if (!n)
        return LF_OK;
    return s->ops->isac_count_add(s, org, year, kind, n, err);
}

int lf_store_isac_counters(lf_store *s, lf_id scope, int year, lf_arena *a, lf_store_isac_counter **out, size_t *n,
                           lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    NEED_OUT(a && out && n);
    NEED(scope > 0 && year >= 1970 && year <= 9999, "ISAC counters: an organisation and a year 1970..9999");
    *out = NULL;
    *n = 0;
    return s->ops->isac_counters(s, scope, year, a, out, n, err);
}

/* ---------------------------------------------------------------- MATCHSCOPE (schema 9) */

static int cve_list_ok(const char *const *cves, size_t n, lf_err *err)
{
    NEED(n == 0 || cves, "match: no CVE list");
    for (size_t i = 0; i < n; i++)
        NEED(nonempty(cves[i], 200), "match: CVE %zu of the list is empty or too long", i);
    return LF_OK;
}

int lf_store_match_end_cves(lf_store *s, lf_id run, const char *const *cves, size_t n, lf_store_match_summary *sum,
                            lf_err *err)
{
    int rc = need_store(s, err);
    if (rc || (rc = cve_list_ok(cves, n, err)))
        return rc;
    static const char *const none[1] = {NULL};
    lf_store_match_summary tmp;
    if ((rc = s->ops->begin(s, err)))
        return rc;
    rc = finish_tx(s, match_end_tx(s, run, n ? cves : none, n, &tmp, err), err);
    if (!rc && sum)
        *sum = tmp;
    return rc;
}

int lf_store_not_affected_clear_cves(lf_store *s, lf_id agency_id, const char *const *cves, size_t n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc || (rc = cve_list_ok(cves, n, err)))
        return rc;
    if (n == 0)
        return LF_OK;
    return s->ops->not_affected_clear_cves(s, agency_id, cves, n, err);
}

/* ---------------------------------------------------------------- SOURCES (schema 12) */

int lf_store_sources_gc(lf_store *s, uint64_t *removed, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    uint64_t n = 0;
    if (!(rc = s->ops->begin(s, err)))
        rc = finish_tx(s, s->ops->sources_gc(s, &n, err), err);
    if (removed)
        *removed = rc ? 0 : n;
    return rc;
}

/* ---------------------------------------------------------------- EPSS refresh */

#define EPSS_APPLIED_KEY "epss_applied"

int lf_store_findings_epss_refresh(lf_store *s, lf_id agency_id, lf_store_score_fn fn, void *ud, uint64_t *changed,
                                   lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    if (!fn)
        return lf_err_set(err, LF_EINVAL, "EPSS refresh: no score function");
    if (!s->ops->findings_epss_refresh)
        return lf_err_set(err, LF_EUSAGE, "EPSS refresh: the %s backend cannot do it", s->ops->name);
    uint64_t n = 0;
    if (!(rc = s->ops->begin(s, err)))
        rc = finish_tx(s, s->ops->findings_epss_refresh(s, agency_id, fn, ud, &n, err), err);
    if (changed)
        *changed = rc ? 0 : n;
    return rc;
}

int lf_store_epss_applied_set(lf_store *s, const char *applied, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    if (!applied)
        return lf_err_set(err, LF_EINVAL, "EPSS applied: no name");
    if (!s->ops->meta_set)
        return lf_err_set(err, LF_EUSAGE, "EPSS applied: the %s backend cannot keep it", s->ops->name);
    if (!(rc = s->ops->begin(s, err)))
        rc = finish_tx(s, s->ops->meta_set(s, EPSS_APPLIED_KEY, applied, err), err);
    return rc;
}

int lf_store_epss_applied(lf_store *s, char *out, size_t n, lf_err *err)
{
    int rc = need_store(s, err);
    if (rc)
        return rc;
    if (!out || !n)
        return lf_err_set(err, LF_EINVAL, "EPSS applied: no buffer");
    *out = '\0';
    if (!s->ops->meta_get)
        return LF_OK;
    return s->ops->meta_get(s, EPSS_APPLIED_KEY, out, n, err);
}
