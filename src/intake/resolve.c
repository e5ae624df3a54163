/*
 * resolve: record → bucket, CPE, confidence (see resolve.h for the evidence order and
 * the scores).
 */
#include "intake/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/purlidx.h"

#define CACHE_SLOTS 32768u     /* hash chains */
#define CACHE_MAX 16384u       /* entries at most (~59 MB of results) */
#define CACHE_CHUNK 256u       /* entries allocated together, as they are first needed */

typedef struct centry {
    struct centry *next;       /* the slot's chain */
    uint32_t hash;
    char key[480];
    lf_resolution res;
} centry;

/* The slots hold chains of entries taken from chunks as they are first needed. A
 * direct-mapped table of the entries themselves (calloc) cost a zero page and then a
 * copy-on-write fault for every slot touched, and its collisions evicted each other on
 * every host of a file (3,000 distinct rows over 16,384 slots: ~9 % of the rows resolved
 * again, most of an upload's resolution time, perf). Once CACHE_MAX entries exist, a new
 * result replaces the head of its own slot's chain (or is not kept). */
struct lf_resolver {
    const lf_namedb *db;
    lf_norm *norm;
    centry **cache;
    centry **chunks;
    size_t nchunks, chunk_used;
    lf_buf vfold;            /* scratch: a version column folded (full-width digits) */
    bool nocache;
    lf_resolver_stats st;
};

void lf_resolver_set_cache(lf_resolver *r, bool on)
{
    r->nocache = !on;
}

int lf_resolver_new(const lf_namedb *db, lf_resolver **out, lf_err *err)
{
    lf_resolver *r = calloc(1, sizeof(*r));
    if (!r)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    r->db = db;
    lf_buf_init(&r->vfold, 0);
    int rc = lf_norm_new(&r->norm, err);
    if (rc) {
        free(r);
        return rc;
    }
    r->cache = calloc(CACHE_SLOTS, sizeof(*r->cache));
    if (!r->cache) {
        lf_norm_free(r->norm);
        free(r);
        return lf_err_set(err, LF_ENOMEM, "out of memory for the resolver cache");
    }
    *out = r;
    return LF_OK;
}

void lf_resolver_free(lf_resolver *r)
{
    if (!r)
        return;
    lf_norm_free(r->norm);
    lf_buf_clear(&r->vfold);
    for (size_t i = 0; i < r->nchunks; i++)
        free(r->chunks[i]);
    free(r->chunks);
    free(r->cache);
    free(r);
}

/* a fresh entry for an empty slot, or NULL (out of memory: the result is not cached) */
static centry *cache_entry_new(lf_resolver *r)
{
    if (!r->nchunks || r->chunk_used == CACHE_CHUNK) {
        if (r->nchunks == CACHE_MAX / CACHE_CHUNK)
            return NULL;             /* full */
        if (!r->chunks && !(r->chunks = calloc(CACHE_MAX / CACHE_CHUNK, sizeof *r->chunks)))
            return NULL;
        centry *c = malloc(CACHE_CHUNK * sizeof *c);
        if (!c)
            return NULL;
        r->chunks[r->nchunks++] = c;
        r->chunk_used = 0;
    }
    return &r->chunks[r->nchunks - 1][r->chunk_used++];
}

void lf_resolver_get_stats(const lf_resolver *r, lf_resolver_stats *st)
{
    *st = r->st;
}

size_t lf_resolve_pkg_version(const char *v, char *out, size_t cap)
{
    if (!cap)
        return 0;
    out[0] = '\0';
    if (!v)
        return 0;
    const char *s = v;
    const char *colon = strchr(s, ':');
    if (colon) {
        bool digits = colon > s;
        for (const char *p = s; p < colon; p++)
            digits = digits && *p >= '0' && *p <= '9';
        if (digits)
            s = colon + 1;        /* epoch */
    }
    /* "2.0+really1.9": the package really holds 1.9 */
    const char *really = strstr(s, "+really");
    if (really)
        s = really + 7;
    size_t n = strlen(s);
    const char *dash = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '-')
            dash = s + i;         /* the last '-' starts the revision / release */
    if (dash)
        n = (size_t)(dash - s);
    /* Debian repack and distribution markers that are not part of the upstream version */
    static const char *const marks[] = {"+dfsg", "~dfsg", ".dfsg", "+ds", "~ds", "+repack", "~bpo",
                                        "+deb", "~deb", "+git", "~git", NULL};
    for (size_t m = 0; marks[m]; m++) {
        size_t ml = strlen(marks[m]);
        for (size_t i = 0; i + ml <= n; i++)
            if (memcmp(s + i, marks[m], ml) == 0) {
                n = i;
                break;
            }
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

/* ---- helpers ---- */

/* The segments=N option of aliases.tsv and packages.tsv (0: none): a version that starts
 * with a digit keeps its first N dot-separated parts and no +build ("17.0.9.0.9" and
 * "17.0.9+9" with 3: "17.0.9"; NVD writes the release, and a build read as one more number
 * puts the item past every fixed range). */
static void cut_segments(char *ver, unsigned segments)
{
    if (!segments || ver[0] < '0' || ver[0] > '9')
        return;
    unsigned seg = 1;
    for (size_t i = 0; ver[i]; i++)
        if (ver[i] == '+' || (ver[i] == '.' && ++seg > segments)) {
            ver[i] = '\0';
            break;
        }
}

static void copy_trim(char *dst, size_t cap, const char *s)
{
    dst[0] = '\0';
    if (!s)
        return;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    /* "2.4.1 (build 123)", "ad 8.0.6": the version is the first word that starts with
     * a digit (else the first word) */
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || s[i - 1] == ' ') && s[i] >= '0' && s[i] <= '9') {
            w = i;
            break;
        }
    s += w;
    n -= w;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ') {
            n = i;
            break;
        }
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static int make_cpe(char part, const char *vendor, const char *product, const char *version, const char *update,
                    char *out, size_t cap)
{
    lf_cpe c;
    lf_cpe_init(&c);
    char p[2] = {part, 0};
    if (lf_cpe_set_plain(&c, LF_CPE_PART, p, 1) || lf_cpe_set_plain(&c, LF_CPE_VENDOR, vendor, strlen(vendor)) ||
        lf_cpe_set_plain(&c, LF_CPE_PRODUCT, product, strlen(product)))
        return -1;
    if (version && strcmp(version, "-") == 0)
        lf_cpe_set_na(&c, LF_CPE_VERSION);
    else if (version && *version && lf_cpe_set_plain(&c, LF_CPE_VERSION, version, strlen(version)))
        return -1;
    if (update && *update && lf_cpe_set_plain(&c, LF_CPE_UPDATE, update, strlen(update)))
        return -1;
    return lf_cpe_format_fs(&c, out, cap) < 0 ? -1 : 0;
}

static void quote_vp(const lf_product *p, char *out, size_t cap)
{
    char tmp[LF_CPE_MAX];
    if (make_cpe(p->part, p->vendor, p->product, NULL, NULL, tmp, sizeof tmp) == 0) {
        /* cpe:2.3:a:vendor:product:*:... → a:vendor:product */
        const char *s = tmp + 8;
        const char *e = s;
        int colons = 0;
        while (*e && !(*e == ':' && e[-1] != '\\' && ++colons == 3))
            e++;
        snprintf(out, cap, "%.*s", (int)(e - s), s);
    } else {
        snprintf(out, cap, "%c:%s:%s", p->part, p->vendor, p->product);
    }
}

static void add_cand(lf_resolution *o, const lf_product *p, double score, const char *method)
{
    char vp[160];
    quote_vp(p, vp, sizeof vp);
    for (int i = 0; i < o->ncand; i++)
        if (strcmp(o->cand[i].cpe, vp) == 0) {
            if (score > o->cand[i].score) {
                o->cand[i].score = score;
                o->cand[i].method = method;
            }
            goto sort;
        }
    if (o->ncand < 3) {
        snprintf(o->cand[o->ncand].cpe, sizeof o->cand[0].cpe, "%s", vp);
        o->cand[o->ncand].score = score;
        o->cand[o->ncand].method = method;
        o->ncand++;
    } else if (score > o->cand[2].score) {
        snprintf(o->cand[2].cpe, sizeof o->cand[0].cpe, "%s", vp);
        o->cand[2].score = score;
        o->cand[2].method = method;
    }
sort:
    for (int i = 1; i < o->ncand; i++)
        for (int j = i; j > 0 && o->cand[j].score > o->cand[j - 1].score; j--) {
            lf_candidate t = o->cand[j];
            o->cand[j] = o->cand[j - 1];
            o->cand[j - 1] = t;
        }
}

/* "7.6p1" → 7.6 + p1, "22.3R1" → 22.3 + r1 (NVD's OpenSSH, sudo, Ivanti/Pulse form). */
static bool split_update(const char *v, char *ver, size_t vcap, char *upd, size_t ucap)
{
    size_t i = 0, dots = 0;
    while (v[i] >= '0' && v[i] <= '9') {
        while (v[i] >= '0' && v[i] <= '9')
            i++;
        if (v[i] == '.' && v[i + 1] >= '0' && v[i + 1] <= '9') {
            i++;
            dots++;
            continue;
        }
        break;
    }
    char c = v[i];
    if (!i || !(c == 'p' || ((c == 'r' || c == 'R') && dots >= 1)) || !(v[i + 1] >= '0' && v[i + 1] <= '9'))
        return false;
    for (size_t k = i + 1; v[k]; k++)
        if (!((v[k] >= '0' && v[k] <= '9') || (v[k] == '.' && c != 'p')))
            return false;
    if (i >= vcap || strlen(v + i) >= ucap)
        return false;
    memcpy(ver, v, i);
    ver[i] = '\0';
    snprintf(upd, ucap, "%c%s", c == 'R' ? 'r' : c, v + i + 1);
    return true;
}

/*
 * Version text that names no release, removed (the order of version.h would otherwise
 * put 11.0.28+6 after 11.0.28): semver build metadata "+6", an architecture suffix
 * "-x64", an installer revision "-1" (PostgreSQL 18.1-1), a channel "-insider", and, in
 * distribution versions, the
 * native-package suffixes "ubuntu2.1" / "deb12u1" / "build3" and "~" snapshots.
 */
static void clean_version(char *v, bool distro)
{
    size_t n = strlen(v);
    if (!n || v[0] < '0' || v[0] > '9')
        return;
    char *plus = strchr(v, '+');
    if (plus && plus > v && plus[-1] >= '0' && plus[-1] <= '9')
        *plus = '\0';
    static const char *const tails[] = {"-x64", "-x86", "-arm64", "-amd64", "-win64", "-win32", "-insider",
                                        "-beta", NULL};
    n = strlen(v);
    for (size_t t = 0; tails[t]; t++) {
        size_t tl = strlen(tails[t]);
        if (n > tl && strcmp(v + n - tl, tails[t]) == 0) {
            v[n - tl] = '\0';
            n -= tl;
            break;
        }
    }
    /* a build date after the release: GTK 2.22.0-2010-10-21-ash */
    for (char *d = strchr(v, '-'); d; d = strchr(d + 1, '-'))
        if ((d[1] == '1' || d[1] == '2') && (d[2] == '9' || d[2] == '0') && strspn(d + 1, "0123456789") == 4 &&
            (d[5] == '-' || d[5] == '\0') && d > v && d[-1] >= '0' && d[-1] <= '9') {
            *d = '\0';
            break;
        }
    char *dash = strrchr(v, '-');
    /* OpenVPN's installer builds: 2.6.8-I001 */
    if (dash && dash > v && (dash[1] == 'i' || dash[1] == 'I') && strlen(dash + 2) == 3 &&
        strspn(dash + 2, "0123456789") == 3) {
        *dash = '\0';
        dash = NULL;
    }
    if (dash && dash > v && strchr(v, '.') && dash[1] && strlen(dash + 1) <= 2) {
        bool digits = true;
        for (const char *c = dash + 1; *c; c++)
            digits = digits && *c >= '0' && *c <= '9';
        if (digits)
            *dash = '\0';
    }
    if (distro) {
        char *t = strchr(v, '~');
        if (t && t > v)
            *t = '\0';
        static const char *const marks[] = {"ubuntu", "deb", "build", "el", NULL};
        for (size_t m = 0; marks[m]; m++) {
            char *k = strstr(v, marks[m]);
            if (k && k > v && k[-1] >= '0' && k[-1] <= '9')
                *k = '\0';
        }
    }
}

/* Java's own version spellings of release 8: "8u202" and "1.8.0_401" (NVD:
 * jre:1.8.0:update202). */
static void java_version(char *ver, size_t vcap, char *upd, size_t ucap)
{
    size_t i = 0;
    while (ver[i] >= '0' && ver[i] <= '9')
        i++;
    if (i && i <= 2 && ver[i] == 'u' && ver[i + 1] >= '0' && ver[i + 1] <= '9') {
        char major[4];
        snprintf(major, sizeof major, "%.*s", (int)i, ver);
        snprintf(upd, ucap, "update%s", ver + i + 1);
        snprintf(ver, vcap, "1.%s.0", major);
        return;
    }
    const char *us = strchr(ver, '_');
    if (us && strncmp(ver, "1.", 2) == 0 && us[1] >= '0' && us[1] <= '9') {
        size_t ul = strspn(us + 1, "0123456789");
        snprintf(upd, ucap, "update%.*s", (int)ul, us + 1);
        ver[us - ver] = '\0';
    }
}

static void set_resolved(lf_resolution *o, const lf_product *p, const char *version, const char *update,
                         double conf, const char *method)
{
    char sv[128], su[64], cv[128];
    if (version && version != o->version) {
        snprintf(cv, sizeof cv, "%s", version);
        clean_version(cv, method && strcmp(method, "package") == 0);
        version = cv;
    }
    if ((!update || !*update) && version && split_update(version, sv, sizeof sv, su, sizeof su)) {
        version = sv;
        update = su;
    }
    snprintf(o->update, sizeof o->update, "%s", update ? update : "");
    if (make_cpe(p->part, p->vendor, p->product, version, update, o->cpe, sizeof o->cpe) != 0) {
        /* a version the CPE syntax cannot carry: keep the product, version unknown */
        if (make_cpe(p->part, p->vendor, p->product, NULL, NULL, o->cpe, sizeof o->cpe) != 0) {
            o->bucket = LF_BUCKET_UNRESOLVED;
            o->reason = "the product name cannot be written as a CPE";
            return;
        }
        o->version[0] = '\0';
        o->update[0] = '\0';
    } else if (version != o->version) {
        snprintf(o->version, sizeof o->version, "%s", version ? version : "");
    }
    o->bucket = LF_BUCKET_RESOLVED;
    o->confidence = conf;
    o->method = method;
    snprintf(o->vendor, sizeof o->vendor, "%s", p->vendor);
    snprintf(o->product, sizeof o->product, "%s", p->product);
}

/* ---- purl ---- */

typedef struct purl {
    char type[32];
    char name[256];     /* maven "group:artifact", npm "@scope/name", golang "path/name" */
    char version[128];
} purl;

static size_t pct_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (s[i] == '%' && i + 2 < n) {
            int hi = s[i + 1], lo = s[i + 2];
            hi = hi >= '0' && hi <= '9' ? hi - '0' : (hi | 32) >= 'a' && (hi | 32) <= 'f' ? (hi | 32) - 'a' + 10 : -1;
            lo = lo >= '0' && lo <= '9' ? lo - '0' : (lo | 32) >= 'a' && (lo | 32) <= 'f' ? (lo | 32) - 'a' + 10 : -1;
            if (hi >= 0 && lo >= 0) {
                out[o++] = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    return o;
}

static bool parse_purl(const char *s, purl *p)
{
    memset(p, 0, sizeof *p);
    if (strncmp(s, "pkg:", 4) != 0)
        return false;
    s += 4;
    while (*s == '/')
        s++;
    size_t n = strcspn(s, "?#");
    const char *slash = memchr(s, '/', n);
    if (!slash || slash == s || (size_t)(slash - s) >= sizeof p->type)
        return false;
    for (const char *t = s; t < slash; t++)
        p->type[t - s] = (char)((*t >= 'A' && *t <= 'Z') ? *t + 32 : *t);
    const char *rest = slash + 1;
    size_t rn = n - (size_t)(rest - s);
    const char *at = NULL;
    for (size_t i = 0; i < rn; i++)
        if (rest[i] == '@')
            at = rest + i;     /* the last '@' (npm scopes start with %40 or '@') */
    if (at && at == rest)
        at = NULL;
    size_t nl = at ? (size_t)(at - rest) : rn;
    if (at)
        pct_decode(at + 1, rn - nl - 1, p->version, sizeof p->version);
    char path[256];
    size_t pl = pct_decode(rest, nl, path, sizeof path);
    if (!pl)
        return false;
    char *last = strrchr(path, '/');
    if (last && strcmp(p->type, "maven") == 0) {
        *last = ':';           /* group/artifact → group:artifact */
        for (char *c = path; c < last; c++)
            if (*c == '/')
                *c = '.';
    } else if (last && (strcmp(p->type, "deb") == 0 || strcmp(p->type, "rpm") == 0 || strcmp(p->type, "apk") == 0 ||
                        strcmp(p->type, "pypi") == 0 || strcmp(p->type, "gem") == 0 ||
                        strcmp(p->type, "nuget") == 0 || strcmp(p->type, "cargo") == 0)) {
        memmove(path, last + 1, strlen(last + 1) + 1);  /* namespace is the distro */
    }
    snprintf(p->name, sizeof p->name, "%s", path);
    return true;
}

/* ---- packages ---- */

static const lf_product *find_package(const lf_namedb *db, const char *eco, const char *name, unsigned *seg)
{
    char n[256];
    snprintf(n, sizeof n, "%s", name);
    char *colon = strchr(n, ':');
    if (colon && strcmp(eco, "maven") != 0)
        *colon = '\0';                                    /* libc6:amd64 */
    const lf_product *p = lf_namedb_package(db, eco, n, strlen(n), seg);
    if (p)
        return p;
    /* linux-image-5.15.0-91-generic → linux-image; cut at the first "-<digit>" */
    for (char *c = n; *c; c++)
        if (*c == '-' && c[1] >= '0' && c[1] <= '9' && c > n) {
            *c = '\0';
            if ((p = lf_namedb_package(db, eco, n, strlen(n), seg)))
                return p;
            break;
        }
    /* libssl1.1 → libssl, python3.11 → python3 → python */
    size_t l = strlen(n);
    while (l && ((n[l - 1] >= '0' && n[l - 1] <= '9') || n[l - 1] == '.')) {
        l--;
        if (l && n[l - 1] != '.' && (n[l] == '.' || (n[l - 1] < '0' || n[l - 1] > '9'))) {
            if ((p = lf_namedb_package(db, eco, n, l, seg)))
                return p;
        }
    }
    return NULL;
}

/* A release candidate that a distribution version carries outside the upstream version:
 * RPM puts it in the release (runc 1.0.0-61.rc8.el8), Debian after a tilde (1.0.0~rc8-1).
 * NVD writes it as the update field (runc:1.0.0:rc8). */
static void pkg_prerelease(const char *v, char *upd, size_t cap)
{
    for (const char *c = v; *c; c++) {
        if (!(*c == '.' || *c == '~' || *c == '-') || c[1] != 'r' || c[2] != 'c' || c[3] < '0' || c[3] > '9')
            continue;
        size_t dl = strspn(c + 3, "0123456789");
        char end = c[3 + dl];
        if (end == '\0' || end == '.' || end == '-' || end == '+' || end == '~') {
            snprintf(upd, cap, "rc%.*s", (int)dl, c + 3);
            return;
        }
    }
}

static bool is_distro_eco(const char *eco)
{
    return strcmp(eco, "deb") == 0 || strcmp(eco, "rpm") == 0 || strcmp(eco, "apk") == 0;
}

/* A language registry's package (purl types): its name is the registry's, not a product
 * title, and the aliases are installed-software names: npm "mysql" is a client library,
 * not Oracle's database the alias "MySQL" names. */
static bool is_language_eco(const char *eco)
{
    /* the purl types of package registries, and the ecosystems purlidx.h names for
     * syft's (pear, pecl, wordpress-plugin, wordpress-theme); not generic, docker or
     * github, whose names may well be a product's */
    static const char *const lang[] = {"npm",       "pypi",  "gem",    "cargo",  "golang",           "maven",
                                       "composer",  "pear",  "pecl",   "nuget",  "pub",              "hex",
                                       "cocoapods", "swift", "conda",  "cran",   "hackage",          "wordpress-plugin",
                                       "wordpress-theme"};
    for (size_t i = 0; i < sizeof lang / sizeof lang[0]; i++)
        if (strcmp(eco, lang[i]) == 0)
            return true;
    return false;
}

static bool tok_eq(const lf_norm_result *nr, const lf_norm_tok *t, const char *w)
{
    return t->len == strlen(w) && memcmp(nr->text + t->off, w, t->len) == 0;
}

/* "第 N 版更新": zh-TW Windows's "Update N" in Java's name (Java 8 第 431 版更新), at i */
static bool zh_update_at(const lf_norm_result *nr, size_t i)
{
    return i + 2 < nr->ntok && tok_eq(nr, &nr->tok[i], "第") && nr->tok[i + 1].cls == LF_TOK_NUM &&
           nr->tok[i + 1].len <= 4 && tok_eq(nr, &nr->tok[i + 2], "版更新");
}

/* Java's Add/Remove Programs names ("Java 8 Update 401", zh-TW "Java 8 第 401 版更新")
 * state the release NVD writes as jre:1.8.0:update401 ("8u401" is java_version's). */
static bool java_update(const lf_norm_result *nr, char *ver, size_t vcap, char *upd, size_t ucap)
{
    for (size_t i = 0; i < nr->ntok; i++) {
        const lf_norm_tok *a = &nr->tok[i];
        const char *t = nr->text + a->off;
        if (i + 2 >= nr->ntok || a->cls != LF_TOK_NUM || a->len > 2)
            continue;
        const lf_norm_tok *b = &nr->tok[i + 1], *c = &nr->tok[i + 2];
        if ((b->len == 6 && memcmp(nr->text + b->off, "update", 6) == 0 && c->cls == LF_TOK_NUM && c->len <= 4) ||
            zh_update_at(nr, i + 1)) {
            snprintf(ver, vcap, "1.%.*s.0", (int)a->len, t);
            snprintf(upd, ucap, "update%.*s", (int)c->len, nr->text + c->off);
            return true;
        }
    }
    return false;
}

static size_t segments(const char *v)
{
    size_t n = *v ? 1 : 0;
    for (; *v; v++)
        n += *v == '.';
    return n;
}

/* The version of a record: the name's own version against the column (resolve.h). */
static void choose_version(const lf_norm_result *nr, const char *colver, bool allow_tailnum, char *out, size_t cap)
{
    char nv[128];
    lf_norm_name_version(nr, false, nv, sizeof nv);
    if (!nv[0]) {
        if (colver[0])
            snprintf(out, cap, "%s", colver);
        else
            lf_norm_name_version(nr, allow_tailnum, out, cap);
        return;
    }
    size_t nl = strlen(nv);
    if (colver[0] && segments(nv) < 3 && strncmp(colver, nv, nl) == 0 && colver[nl] == '.')
        snprintf(out, cap, "%s", colver);
    else
        snprintf(out, cap, "%s", nv);
}

/* Last YEAR (else NUM) token of the name: the version of version=name aliases. */
static bool name_year(const lf_norm_result *nr, char *out, size_t cap)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = nr->ntok; i-- > 0;) {
            const lf_norm_tok *t = &nr->tok[i];
            if (t->cls == (pass ? LF_TOK_NUM : LF_TOK_YEAR)) {
                snprintf(out, cap, "%.*s", (int)t->len, nr->text + t->off);
                return true;
            }
        }
    return false;
}

/* The Chinese names of a patch level, as zh-TW Windows and Exchange write them: 累積更新
 * (cumulative update), 服務套件 (service pack); *upd_prefix (may be NULL) gets NVD's prefix. */
static bool cjk_patch_word(const lf_norm_result *nr, const lf_norm_tok *t, const char **upd_prefix)
{
    static const char *const words[][2] = {{"累積更新", "cumulative_update_"}, {"服務套件", "sp"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (tok_eq(nr, t, words[i][0])) {
            if (upd_prefix)
                *upd_prefix = words[i][1];
            return true;
        }
    return false;
}

/* "Cumulative Update 13", "CU13", "SP1", "Service Pack 2", "累積更新 13" in a name: NVD's
 * update field (exchange_server:2019:cumulative_update_13, windows_7:-:sp1). */
static bool name_update(const lf_norm_result *nr, char *upd, size_t cap)
{
    for (size_t i = 0; i < nr->ntok; i++) {
        const char *t = nr->text + nr->tok[i].off;
        size_t l = nr->tok[i].len;
        const lf_norm_tok *nx = i + 1 < nr->ntok ? &nr->tok[i + 1] : NULL;
        const lf_norm_tok *nx2 = i + 2 < nr->ntok ? &nr->tok[i + 2] : NULL;
        bool nxnum = nx && nx->cls == LF_TOK_NUM && nx->len <= 3;
        const char *pre = NULL;
        if (nxnum && cjk_patch_word(nr, &nr->tok[i], &pre)) {
            snprintf(upd, cap, "%s%.*s", pre, (int)nx->len, nr->text + nx->off);
            return true;
        }
        if (l == 10 && memcmp(t, "cumulative", 10) == 0 && nx && nx->len == 6 &&
            memcmp(nr->text + nx->off, "update", 6) == 0 && nx2 && nx2->cls == LF_TOK_NUM && nx2->len <= 3) {
            snprintf(upd, cap, "cumulative_update_%.*s", (int)nx2->len, nr->text + nx2->off);
            return true;
        }
        if (l == 7 && memcmp(t, "service", 7) == 0 && nx && nx->len == 4 && memcmp(nr->text + nx->off, "pack", 4) == 0 &&
            nx2 && nx2->cls == LF_TOK_NUM && nx2->len <= 2) {
            snprintf(upd, cap, "sp%.*s", (int)nx2->len, nr->text + nx2->off);
            return true;
        }
        if ((l == 2 && (memcmp(t, "sp", 2) == 0 || memcmp(t, "cu", 2) == 0)) && nxnum) {
            snprintf(upd, cap, "%s%.*s", t[0] == 's' ? "sp" : "cumulative_update_", (int)nx->len,
                     nr->text + nx->off);
            return true;
        }
        if (l >= 3 && l <= 4 && (memcmp(t, "sp", 2) == 0 || memcmp(t, "cu", 2) == 0) && t[2] >= '1' && t[2] <= '9' &&
            (l == 3 || (t[3] >= '0' && t[3] <= '9'))) {
            snprintf(upd, cap, "%s%.*s", t[0] == 's' ? "sp" : "cumulative_update_", (int)(l - 2), t + 2);
            return true;
        }
    }
    return false;
}

/* The alias's segments= and vmap= options (namedb.h) on a version read from the row. */
static void alias_version_rules(const lf_alias *al, char *ver, size_t cap)
{
    cut_segments(ver, al->segments);
    if (al->vmap_from && strcmp(ver, al->vmap_from) == 0)
        snprintf(ver, cap, "%s", al->vmap_to);
}

static void apply_alias(lf_resolver *r, const lf_alias *al, const lf_norm_result *nr, const char *colver,
                        bool tail_dropped, double conf, const char *method, lf_resolution *o)
{
    o->category = al->category;
    if (al->flags & LF_ALIAS_NOCPE) {
        o->bucket = LF_BUCKET_UNRESOLVED;
        o->reason = "known software without a CPE of its own";
        o->method = method;
        return;
    }
    char ver[128] = "", upd[64] = "";
    if (al->flags & LF_ALIAS_VERSION_FIXED) {
        snprintf(ver, sizeof ver, "%s", al->fixed_version);
    } else if (al->flags & LF_ALIAS_VERSION_NAME) {
        name_year(nr, ver, sizeof ver);
    } else if ((al->flags & LF_ALIAS_VERSION_JAVA) && java_update(nr, ver, sizeof ver, upd, sizeof upd)) {
        /* set above */
    } else if ((al->flags & LF_ALIAS_NAME_VERSION) && lf_norm_name_version(nr, false, ver, sizeof ver)) {
        /* set above */
    } else {
        choose_version(nr, colver, tail_dropped, ver, sizeof ver);
    }
    if (!upd[0])
        name_update(nr, upd, sizeof upd);
    if (!(al->flags & LF_ALIAS_VERSION_FIXED))
        alias_version_rules(al, ver, sizeof ver);
    (void)r;
    set_resolved(o, &al->prod, ver, upd, conf, method);
}

/* CJK words that make a name something else than the product it names: an update, a
 * language pack, a plug-in, a driver, ... or a helper built around it ("Chrome
 * 書籤匯出小幫手", a bookmark-export helper, is not Chrome) */
static const char *const cjk_stop[] = {"更新", "語言", "外掛", "增益集", "元件", "驅動", "說明", "移除", "套件",
                                       "修補", "範例", "文件", "校訂", "工具組", "開發", "小幫手", "助手", "幫手",
                                       "擴充", "匯出", "匯入", "導出", "導入", "書籤", "轉檔", "下載器", "插件",
                                       "影音", NULL};

static bool cjk_descriptor(const lf_norm_result *nr, const lf_norm_tok *t)
{
    if (!t->cjk)
        return false;
    if (cjk_patch_word(nr, t, NULL))
        return true;                 /* a patch level ("累積更新 22"): name_update reads it */
    if (tok_eq(nr, t, "第") || tok_eq(nr, t, "版更新"))
        return true;                 /* "第 431 版更新", Java's update number: java_update reads it */
    for (size_t i = 0; cjk_stop[i]; i++) {
        size_t l = strlen(cjk_stop[i]);
        for (size_t k = 0; k + l <= t->len; k++)
            if (memcmp(nr->text + t->off + k, cjk_stop[i], l) == 0)
                return false;
    }
    return true;
}

/* Is tok[from..nt) a patch level after a product name ("Cumulative Update 13",
 * "Service Pack 1", "SP1", "CU 5", a bare number)? Then the product is still the product
 * (name_update turns the words into the CPE update field). "Update Service" is not. */
static bool patch_words(const lf_norm_result *nr, const lf_norm_tok *const *tk, size_t from, size_t nt,
                        bool year_ok)
{
    size_t i = from;
    while (i < nt) {
        const lf_norm_tok *t = tk[i];
        const char *s = nr->text + t->off;
        /* a release number; or a marketing year alone after the name ("CorelDRAW Graphics
         * Suite 2023", "Snagit 2024") when the version column says the release */
        if (t->cls == LF_TOK_NUM || (t->cls == LF_TOK_YEAR && year_ok && i == from && i + 1 == nt)) {
            i++;
            continue;
        }
        if (t->len >= 3 && t->len <= 4 && (memcmp(s, "sp", 2) == 0 || memcmp(s, "cu", 2) == 0) && s[2] >= '0' &&
            s[2] <= '9' && (t->len == 3 || (s[3] >= '0' && s[3] <= '9'))) {
            i++;
            continue;
        }
        /* a pre-release after the product ("SQL Server 2025 LocalDB RC1", "… Preview") */
        if ((t->len >= 3 && t->len <= 4 && s[0] == 'r' && s[1] == 'c' && s[2] >= '0' && s[2] <= '9' &&
             (t->len == 3 || (s[3] >= '0' && s[3] <= '9'))) ||
            tok_eq(nr, t, "preview")) {
            i++;
            continue;
        }
        size_t k = i;
        if (tok_eq(nr, t, "cumulative") && k + 1 < nt && tok_eq(nr, tk[k + 1], "update"))
            k += 2;
        else if (tok_eq(nr, t, "service") && k + 1 < nt && tok_eq(nr, tk[k + 1], "pack"))
            k += 2;
        else if (tok_eq(nr, t, "update") || tok_eq(nr, t, "sp") || tok_eq(nr, t, "cu"))
            k += 1;
        else
            return false;
        if (k >= nt || tk[k]->cls != LF_TOK_NUM)
            return false;
        i = k + 1;
    }
    return true;
}

/* Words that make a name the product's helper, not the product ("Adobe Flash Player Update
 * Service", "Wireshark Uninstaller", "… Language Pack"): a prefix alias does not stretch
 * over them, because the helper's version is not the product's. */
static bool helper_words(const lf_norm_result *nr, const lf_norm_tok *const *tk, size_t from, size_t nt)
{
    static const char *const words[] = {"update",   "updater",  "updates",   "service",  "helper",   "plugin",
                                        "plug-in",  "add-in",   "addin",     "extension", "uninstaller",
                                        "installer", "launcher", "language",  "scheduler", "bootstrap",
                                        "notifier", "tray",     "uninstall", "setup",
                                        /* product-family words: the base product's SDK, driver,
                                         * runtime or docs is not the product */
                                        "sdk", "driver", "drivers", "redistributable", "runtime",
                                        "documentation", "docs", "proofing", "pack", "components",
                                        "component", "toolkit", "samples", "templates", "agent",
                                        NULL};
    for (size_t i = from; i < nt; i++)
        for (size_t w = 0; words[w]; w++)
            if (tok_eq(nr, tk[i], words[w]))
                return true;
    return false;
}

/* A year after the alias names another NVD product when the vendor files that year as its
 * own product (sql_server_2019, visual_studio_2022, coreldraw_2020), or another release
 * than the alias's fixed version: then the alias, which names the family, does not answer
 * for the name. */
static bool year_product(const lf_namedb *db, const lf_alias *al, const lf_norm_result *nr,
                         const lf_norm_tok *const *tk, size_t from, size_t nt)
{
    if (al->flags & (LF_ALIAS_NOCPE | LF_ALIAS_VERSION_NAME))
        return false;
    for (size_t i = from; i < nt; i++) {
        if (tk[i]->cls != LF_TOK_YEAR)
            continue;
        if (al->flags & LF_ALIAS_VERSION_FIXED)
            return true;    /* "Microsoft Visio 2021" is not the version-less C2R Visio */
        char prod[300];
        int n = snprintf(prod, sizeof prod, "%s_%.*s", al->prod.product, (int)tk[i]->len, nr->text + tk[i]->off);
        if (n < 0 || (size_t)n >= sizeof prod || lf_namedb_has_product(db, al->prod.vendor, prod, NULL))
            return true;
    }
    return false;
}

static size_t join_key(const lf_norm_result *nr, const lf_norm_tok *const *tk, size_t n, const char *lead, char *key,
                       size_t cap)
{
    size_t o = 0;
    if (lead) {
        size_t l = strlen(lead);
        if (l + 2 > cap)
            return 0;
        memcpy(key, lead, l);
        o = l;
    }
    for (size_t i = 0; i < n && o + tk[i]->len + 2 < cap; i++) {
        if (o)
            key[o++] = ' ';
        memcpy(key + o, nr->text + tk[i]->off, tk[i]->len);
        o += tk[i]->len;
    }
    key[o] = '\0';
    return o;
}

/* Words after a product name that say what kind of thing it is, not which ("Notepad++
 * Portable", "KeePass Software", "Zoom App", and the category's own noun: "Firefox
 * Browser", "WinRAR Archiver", "VLC Player"). Only a whole tail of them, and never for
 * an alias of software known to have no CPE. */
static bool descriptor_words(const lf_norm_result *nr, const lf_norm_tok *const *tk, size_t from, size_t nt,
                             const lf_alias *al)
{
    static const char *const generic[] = {"portable", "software", "app", "application", "program", "freeware",
                                          NULL};
    static const struct {
        const char *category, *word;
    } noun[] = {{"browser", "browser"}, {"browser", "web"},       {"archiver", "archiver"},
                {"av", "antivirus"},     {"media", "player"},     {"pdf", "pdf"}};
    if (from >= nt || (al->flags & LF_ALIAS_NOCPE))
        return false;
    for (size_t i = from; i < nt; i++) {
        bool ok = false;
        for (size_t g = 0; generic[g] && !ok; g++)
            ok = tok_eq(nr, tk[i], generic[g]);
        for (size_t c = 0; c < sizeof noun / sizeof noun[0] && !ok; c++)
            ok = al->category && strcmp(al->category, noun[c].category) == 0 && tok_eq(nr, tk[i], noun[c].word);
        if (!ok)
            return false;
    }
    return true;
}

/* Exact, then prefixes longest first, over a token list. A prefix is accepted when the
 * alias allows more words, or when all the words left are Chinese descriptors
 * ("Google Chrome 瀏覽器", "趨勢科技 Apex One 安全代理程式"). */
static const lf_alias *lookup_tokens(const lf_namedb *db, const lf_norm_result *nr, const lf_norm_tok *const *tk,
                                     size_t nt, const char *lead, bool year_ok, bool *prefix)
{
    char key[512];
    size_t kn = join_key(nr, tk, nt, lead, key, sizeof key);
    const lf_alias *al = kn ? lf_namedb_alias(db, key, kn) : NULL;
    if (al) {
        *prefix = false;
        return al;
    }
    for (size_t k = nt; k-- > 1;) {
        kn = join_key(nr, tk, k, lead, key, sizeof key);
        al = kn ? lf_namedb_alias(db, key, kn) : NULL;
        if (!al)
            continue;
        bool rest_cjk = true;
        for (size_t i = k; i < nt && rest_cjk; i++)
            rest_cjk = cjk_descriptor(nr, tk[i]);
        if (!rest_cjk)
            rest_cjk = patch_words(nr, tk, k, nt, year_ok) && !year_product(db, al, nr, tk, k, nt);
        if (!rest_cjk)
            rest_cjk = descriptor_words(nr, tk, k, nt, al);
        if (rest_cjk || ((al->flags & LF_ALIAS_PREFIX) && !helper_words(nr, tk, k, nt))) {
            *prefix = true;
            return al;
        }
    }
    return NULL;
}

enum { HIT_EXACT = 0, HIT_PREFIX = 1, HIT_LATIN = 2, HIT_SQUASHED = 3, HIT_FUZZY = 4 };

/* Last resort for Latin names: one typing error from an alias (namedb.h). */
static const lf_alias *fuzzy_lookup(const lf_namedb *db, const lf_norm_result *nr, int *how, bool *tail_dropped)
{
    /* the third variant without a trailing number ("TeamViewr 15"), as alias_lookup tries */
    static const int variants[] = {LF_NORM_KEY_FULL, LF_NORM_KEY_NO_EDITION,
                                   LF_NORM_KEY_NO_EDITION | LF_NORM_KEY_NO_TAILNUM};
    char key[512];
    size_t prev = 0;
    for (size_t v = 0; v < 3; v++) {
        size_t kn = lf_norm_key(nr, variants[v], key, sizeof key);
        if (v && kn == prev)
            continue;   /* the variant changed nothing: the same key again */
        prev = kn;
        /* a name that is itself a product NVD knows is that product, however near an
         * alias it is ("OpenSSH" is no slip for OpenSSL) */
        char prod[512];
        size_t pl = 0;
        for (size_t i = 0; i < kn && pl + 1 < sizeof prod; i++)
            prod[pl++] = key[i] == ' ' ? '_' : key[i];
        prod[pl] = '\0';
        const lf_product *pv[1];
        if (pl && lf_namedb_product_vendors(db, prod, pv, 1))
            return NULL;
        const lf_alias *al = kn ? lf_namedb_alias_fuzzy(db, key, kn) : NULL;
        if (al) {
            *how = HIT_FUZZY;
            *tail_dropped = v == 2;
            return al;
        }
    }
    return NULL;
}

/* A Chinese word of the name that is a vendor's name in publishers.tsv (微軟, 賽門鐵克,
 * 趨勢科技), or NULL. Only asked for names that mix Chinese and Latin words when the
 * other lookups failed (each word costs a fold). */
static const char *cjk_vendor(lf_resolver *r, const lf_norm_result *nr)
{
    for (size_t i = 0; i < nr->ntok; i++) {
        const lf_norm_tok *t = &nr->tok[i];
        char w[128];
        if (!t->cjk || t->len >= sizeof w)
            continue;
        memcpy(w, nr->text + t->off, t->len);
        w[t->len] = '\0';
        const char *v = lf_namedb_publisher_vendor(r->db, r->norm, w);
        if (v)
            return v;
    }
    return NULL;
}

/* Alias lookup (resolve.h): whole keys, prefixes, then for names that mix Chinese and
 * Latin words the Latin words alone ("解壓縮軟體 WinRAR 6.24") and with the publisher's
 * vendor in front ("微軟 Excel 2013" → "microsoft excel 2013"). */
static const lf_alias *alias_lookup(const lf_namedb *db, const lf_norm_result *nr, const char *pub_vendor,
                                    lf_resolver *rv, bool fuzzy, bool year_ok, int *how, bool *tail_dropped)
{
    static const int variants[] = {LF_NORM_KEY_FULL, LF_NORM_KEY_NO_EDITION,
                                   LF_NORM_KEY_NO_EDITION | LF_NORM_KEY_NO_TAILNUM};
    char key[512];
    *how = HIT_EXACT;
    *tail_dropped = false;
    for (size_t v = 0; v < 3; v++) {
        size_t kn = lf_norm_key(nr, variants[v], key, sizeof key);
        if (!kn)
            continue;
        const lf_alias *al = lf_namedb_alias(db, key, kn);
        if (al) {
            *tail_dropped = v == 2;
            return al;
        }
    }
    const lf_norm_tok *tk[LF_NORM_MAX_TOKENS];
    for (size_t v = 0; v < 2; v++) {
        size_t nt = lf_norm_key_tokens(nr, variants[v], tk, LF_NORM_MAX_TOKENS);
        bool prefix;
        const lf_alias *al = nt > 1 ? lookup_tokens(db, nr, tk, nt, NULL, year_ok, &prefix) : NULL;
        if (al) {
            *how = HIT_PREFIX;
            return al;
        }
    }
    for (size_t v = 0; v < 3; v++) {
        size_t kn = lf_norm_key(nr, variants[v], key, sizeof key);
        const lf_alias *al = kn ? lf_namedb_alias_squashed(db, key, kn) : NULL;
        if (al) {
            *how = HIT_SQUASHED;
            *tail_dropped = v == 2;
            return al;
        }
    }
    if (!nr->has_cjk)
        return fuzzy ? fuzzy_lookup(db, nr, how, tail_dropped) : NULL;
    for (size_t v = 1; v < 3; v++) {
        const lf_norm_tok *all[LF_NORM_MAX_TOKENS];
        size_t na = lf_norm_key_tokens(nr, variants[v], all, LF_NORM_MAX_TOKENS), nl = 0, words = 0;
        bool changes_meaning = false;
        for (size_t i = 0; i < na; i++) {
            if (!all[i]->cjk) {
                tk[nl++] = all[i];
                words += all[i]->cls == LF_TOK_WORD;
            } else if (!cjk_descriptor(nr, all[i])) {
                changes_meaning = true;   /* "Office 2016 語言套件" is not Office */
            }
        }
        if (!words || nl == na || changes_meaning)
            continue;
        bool prefix;
        const lf_alias *al = lookup_tokens(db, nr, tk, nl, NULL, year_ok, &prefix);
        if (!al && pub_vendor)
            al = lookup_tokens(db, nr, tk, nl, pub_vendor, year_ok, &prefix);
        /* the vendor's Chinese name in the name itself ("賽門鐵克 Endpoint Protection",
         * published by Broadcom) */
        const char *cv = !al && rv ? cjk_vendor(rv, nr) : NULL;
        if (cv && (!pub_vendor || strcmp(cv, pub_vendor) != 0))
            al = lookup_tokens(db, nr, tk, nl, cv, year_ok, &prefix);
        if (al) {
            *how = HIT_LATIN;
            *tail_dropped = v == 2;
            return al;
        }
    }
    return NULL;
}

/* Words → CPE product name: "visual studio code" → "visual_studio_code". */
static size_t join_tokens(const lf_norm_result *nr, const lf_norm_tok *const *tk, size_t from, size_t to, char *out,
                          size_t cap)
{
    size_t o = 0;
    for (size_t i = from; i < to; i++) {
        if (tk[i]->cjk)
            return 0;
        if (o + tk[i]->len + 2 > cap)
            return 0;
        if (o)
            out[o++] = '_';
        memcpy(out + o, nr->text + tk[i]->off, tk[i]->len);
        o += tk[i]->len;
    }
    out[o] = '\0';
    return o;
}

/* A release-track word that NVD's product names leave out: LTS, Server, Classic, CS1..CS6. */
static bool track_word(const lf_norm_result *nr, const lf_norm_tok *t)
{
    const char *w = nr->text + t->off;
    if (t->cjk)
        return false;
    if (t->len == 3 && w[0] == 'c' && w[1] == 's' && w[2] >= '1' && w[2] <= '6')
        return true;
    return tok_eq(nr, t, "lts") || tok_eq(nr, t, "server") || tok_eq(nr, t, "classic");
}

static void vocabulary(lf_resolver *r, const lf_norm_result *nr, const char *pub_vendor, lf_resolution *o)
{
    const lf_namedb *db = r->db;
    const lf_norm_tok *tk[LF_NORM_MAX_TOKENS];
    for (int variant = 0; variant < 2; variant++) {
        int flags = LF_NORM_KEY_NO_EDITION | (variant ? LF_NORM_KEY_NO_TAILNUM : 0);
        size_t nt = lf_norm_key_tokens(nr, flags, tk, LF_NORM_MAX_TOKENS);
        if (!nt || nt > 8)
            continue;
        char prod[256], first[128];
        /* vendor from the publisher column */
        if (pub_vendor) {
            size_t vl = strlen(pub_vendor);
            size_t skip = 0;
            /* drop the vendor's own words from the front ("google chrome" → chrome) */
            char acc[256];
            size_t al = 0;
            for (size_t i = 0; i < nt && al < sizeof acc - 1; i++) {
                size_t l = tk[i]->len;
                if (al + l + 1 >= sizeof acc)
                    break;
                if (al)
                    acc[al++] = '_';
                memcpy(acc + al, nr->text + tk[i]->off, l);
                al += l;
                acc[al] = '\0';
                if ((al == vl && memcmp(acc, pub_vendor, vl) == 0) ||
                    (l == vl && memcmp(nr->text + tk[i]->off, pub_vendor, vl) == 0))
                    skip = i + 1;
            }
            for (size_t from = skip;; from = 0) {
                if (from < nt && join_tokens(nr, tk, from, nt, prod, sizeof prod)) {
                    char part = 'a';
                    if (lf_namedb_has_product(db, pub_vendor, prod, &part)) {
                        lf_product p = {part, pub_vendor, prod};
                        add_cand(o, &p, 0.88, "vocabulary");
                        return;
                    }
                }
                if (from == 0)
                    break;
            }
            /* the vendor's product followed by a release-track word NVD leaves out
             * ("SonarQube LTS", "RabbitMQ Server", "Dreamweaver CS6", "Fiddler Classic");
             * any other word makes it another product of the vendor more often than not
             * ("AutoCAD Raster Design", "Office Telemetry Processor", bench_intake) */
            for (size_t k = nt - 1; variant == 1 && k > skip; k--) {
                char part = 'a';
                bool other = false;
                for (size_t i = k; i < nt && !other; i++)
                    other = !track_word(nr, tk[i]);
                if (other || !join_tokens(nr, tk, skip, k, prod, sizeof prod) ||
                    !lf_namedb_has_product(db, pub_vendor, prod, &part))
                    continue;
                lf_product p = {part, pub_vendor, prod};
                add_cand(o, &p, 0.84, "vocabulary-prefix");
                return;
            }
        }
        /* vendor from the name's first word */
        if (tk[0]->cjk || tk[0]->len >= sizeof first)
            continue;
        memcpy(first, nr->text + tk[0]->off, tk[0]->len);
        first[tk[0]->len] = '\0';
        if (lf_namedb_has_vendor(db, first, tk[0]->len) && (!pub_vendor || strcmp(pub_vendor, first) == 0)) {
            size_t from = nt > 1 ? 1 : 0;
            if (join_tokens(nr, tk, from, nt, prod, sizeof prod)) {
                char part = 'a';
                if (lf_namedb_has_product(db, first, prod, &part)) {
                    lf_product p = {part, first, prod};
                    add_cand(o, &p, pub_vendor ? 0.88 : 0.82, "vocabulary");
                    return;
                }
            }
            if (from && join_tokens(nr, tk, 0, nt, prod, sizeof prod)) {
                char part = 'a';
                if (lf_namedb_has_product(db, first, prod, &part)) {
                    lf_product p = {part, first, prod};
                    add_cand(o, &p, pub_vendor ? 0.88 : 0.82, "vocabulary");
                    return;
                }
            }
        }
        /* the product name alone: a candidate, never a resolution */
        if (join_tokens(nr, tk, 0, nt, prod, sizeof prod)) {
            const lf_product *ps[3];
            size_t nv = lf_namedb_product_vendors(db, prod, ps, 3);
            for (size_t i = 0; i < nv && i < 3; i++)
                add_cand(o, ps[i], nv == 1 ? 0.55 : 0.40, "vocabulary");
        }
    }
}

/* Asset-sheet abbreviations of a leading word (general usage, not one product's name):
 * "MS Word 2016", "Win 10", "WinSvr 2019". */
static const struct {
    const char *abbr, *full;
} abbrevs[] = {{"ms", "microsoft"},        {"msft", "microsoft"}, {"win", "windows"},
               {"winsvr", "windows server"}, {"winsrv", "windows server"}};

/* Second chance for a Latin name no alias matched, rewritten the ways people mistype or
 * shorten names, then looked up again (exact, prefix, squashed; never fuzzy):
 *   - a leading abbreviation expanded (abbrevs above);
 *   - a platform after the product dropped ("Kaspersky Endpoint Security 12 for Windows",
 *     "… for PC");
 *   - letters glued to a number split ("Win10", "IE11", "Tomcat9", "SQL2019": the
 *     number becomes a word of its own, a release or a year);
 *   - a word with one typing error ("Micrsoft Ofice 2016", "Adobe Acrobt Reader"):
 *     in a name of two or more words, a plain Latin word of 5+ letters that no alias
 *     name uses and that is one letter from exactly one word that alias names use
 *     (lf_namedb_word_fix) is replaced, at most two per name; a word the vocabulary
 *     knows as a vendor or a product is not a typing error.
 * *kind says which rewrite happened (for the method name and the confidence). */
enum { RW_ABBREV = 1, RW_SPLIT = 2, RW_TYPO = 4, RW_PLATFORM = 8 };

static bool platform_word(const lf_norm_result *nr, const lf_norm_tok *t)
{
    static const char *const words[] = {"windows", "win", "win32", "win64", "pc", "desktop", NULL};
    for (size_t i = 0; words[i]; i++)
        if (tok_eq(nr, t, words[i]))
            return true;
    return false;
}

static const lf_alias *rewrite_lookup(lf_resolver *r, const lf_norm_result *nr, const char *pubv, bool year_ok,
                                      lf_norm_result *fixed, int *how, bool *tail, unsigned *kind, lf_err *err)
{
    char text[LF_NORM_MAX_TEXT];
    size_t o = 0, last = 0;
    int nfix = 0;
    unsigned k = 0;
    bool first = true;
    /* a name of one word has no other word to confirm a guess at its spelling (whole-name
     * slips are alias-fuzzy's, with its stricter length rule) */
    size_t nwords = 0;
    for (size_t i = 0; i < nr->ntok; i++)
        nwords += nr->tok[i].cls == LF_TOK_WORD;
    for (size_t i = 0; i < nr->ntok; i++) {
        const lf_norm_tok *t = &nr->tok[i];
        if (t->cjk)
            return NULL;
        if (t->cls != LF_TOK_WORD)
            continue;
        const char *w = nr->text + t->off;
        /* "… for Windows", "… for PC": the platform the download page offered */
        if (i > 0 && i + 1 < nr->ntok && tok_eq(nr, t, "for") && platform_word(nr, &nr->tok[i + 1])) {
            const lf_norm_tok *pt = &nr->tok[i + 1];
            size_t from = t->off;
            while (from > last && nr->text[from - 1] == ' ')
                from--;
            if (o + (from - last) + 1 >= sizeof text)
                return NULL;
            memcpy(text + o, nr->text + last, from - last);
            o += from - last;
            last = (size_t)pt->off + pt->len;
            k |= RW_PLATFORM;
            i++;
            continue;
        }
        const char *rep = NULL;
        char split[64];
        bool was_first = first;
        first = false;
        if (t->len >= 48)
            continue;
        if (was_first)
            for (size_t a = 0; a < sizeof abbrevs / sizeof abbrevs[0] && !rep; a++)
                if (strlen(abbrevs[a].abbr) == t->len && memcmp(abbrevs[a].abbr, w, t->len) == 0) {
                    rep = abbrevs[a].full;
                    k |= RW_ABBREV;
                }
        /* letters then digits only: "win10", "ie11", "sql2019" (not "7zip", "x64", "mp3") */
        size_t nl = 0;
        while (nl < t->len && w[nl] >= 'a' && w[nl] <= 'z')
            nl++;
        if (!rep && nl >= 2 && nl < t->len && strspn(w + nl, "0123456789") == t->len - nl) {
            const char *head = w;
            size_t hl = nl;
            for (size_t a = 0; was_first && a < sizeof abbrevs / sizeof abbrevs[0]; a++)
                if (strlen(abbrevs[a].abbr) == nl && memcmp(abbrevs[a].abbr, w, nl) == 0) {
                    head = abbrevs[a].full;
                    hl = strlen(head);
                    k |= RW_ABBREV;
                }
            /* "cygwin64", "mingw32": the build's bitness, not a release */
            bool bits = t->len - nl == 2 && (memcmp(w + nl, "64", 2) == 0 || memcmp(w + nl, "32", 2) == 0);
            int sl = bits ? snprintf(split, sizeof split, "%.*s", (int)hl, head)
                          : snprintf(split, sizeof split, "%.*s %.*s", (int)hl, head, (int)(t->len - nl), w + nl);
            if (sl > 0 && (size_t)sl < sizeof split) {
                rep = split;
                k |= RW_SPLIT;
            }
        }
        if (!rep && nwords > 1 && (rep = lf_namedb_word_fix(r->db, w, t->len)) != NULL) {
            char wz[48];
            memcpy(wz, w, t->len);
            wz[t->len] = '\0';
            if (lf_namedb_has_vendor(r->db, wz, t->len) || lf_namedb_product_vendors(r->db, wz, NULL, 0)) {
                rep = NULL;
            } else {
                if (++nfix > 2)
                    return NULL;
                k |= RW_TYPO;
            }
        }
        if (!rep)
            continue;
        size_t fl = strlen(rep);
        if (o + (t->off - last) + fl + 1 >= sizeof text)
            return NULL;
        memcpy(text + o, nr->text + last, t->off - last);
        o += t->off - last;
        memcpy(text + o, rep, fl);
        o += fl;
        last = (size_t)t->off + t->len;
    }
    if (!k || o + (nr->textlen - last) >= sizeof text)
        return NULL;
    memcpy(text + o, nr->text + last, nr->textlen - last);
    o += nr->textlen - last;
    if (lf_norm_name(r->norm, text, o, fixed, err) != LF_OK)
        return NULL;
    const lf_alias *al = alias_lookup(r->db, fixed, pubv, NULL, false, year_ok, how, tail);
    *kind = k;
    /* a corrected spelling that names software without a CPE is no evidence either way */
    return al && (!(al->flags & LF_ALIAS_NOCPE) || !(k & RW_TYPO)) ? al : NULL;
}

/* ---- word matching against NVD's own names (resolve.h, "words") ---- */

/* Words that make a name a part or helper of a product rather than the product: when the
 * product NVD names does not contain them, the match is a candidate only. */
static bool family_word(const char *w, size_t n)
{
    static const char *const words[] = {"runtime",  "redistributable", "sdk",       "driver",    "drivers",
                                        "helper",   "language",        "pack",      "update",    "updater",
                                        "updates",  "plugin",          "plug-in",   "add-in",    "addin",
                                        "extension", "service",        "services",  "agent",     "component",
                                        "components", "toolkit",       "tools",     "library",   "libraries",
                                        "documentation", "docs",       "help",      "samples",   "templates",
                                        "launcher", "installer",       "uninstaller", "setup",   "proofing",
                                        "module",   "bootstrapper",    "host",      "connector", "client",
                                        "viewer",   NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
            return true;
    return false;
}

/* Is w one of the '_'-separated words of product? */
static bool has_piece(const char *product, const char *w, size_t wl)
{
    for (const char *c = product; *c;) {
        const char *e = strchr(c, '_');
        size_t l = e ? (size_t)(e - c) : strlen(c);
        if (l == wl && memcmp(c, w, wl) == 0)
            return true;
        if (!e)
            break;
        c = e + 1;
    }
    return false;
}

typedef struct wname {
    const char *w[LF_NORM_MAX_TOKENS];
    size_t l[LF_NORM_MAX_TOKENS];
    size_t n;
} wname;

/* Do all the words of s (split at sep) occur among the name's words (each used once)?
 * Returns how many words s has, 0 when one is missing. */
static size_t words_within(const char *s, size_t sl, char sep, const wname *nw, const char *skip, size_t skipl)
{
    bool used[LF_NORM_MAX_TOKENS] = {false};
    size_t k = 0;
    for (size_t i = 0; i < sl;) {
        size_t e = i;
        while (e < sl && s[e] != sep)
            e++;
        size_t wl = e - i;
        if (wl && !(wl == skipl && memcmp(s + i, skip, wl) == 0)) {
            size_t j = 0;
            for (; j < nw->n; j++)
                if (!used[j] && nw->l[j] == wl && memcmp(nw->w[j], s + i, wl) == 0)
                    break;
            if (j == nw->n)
                return 0;
            used[j] = true;
            k++;
        }
        i = e + 1;
    }
    return k;
}

/*
 * Name words against the products of the vendor the record names (the Publisher's vendor,
 * or the vendor whose name the name starts with): a product matches when all its words
 * (the CPE product split at '_', or the words of one of its CPE-dictionary titles, vendor
 * words left out) are words of the name, in any order. Score:
 *     base + 0.40 x coverage
 *   base      0.45 vendor from the name's first word(s) only, 0.50 from the Publisher only,
 *             0.55 both;
 *   coverage  the share of the name's words (after the vendor's) the product accounts for.
 * A name with words the product does not account for is a candidate only (at most 0.75),
 * at most 0.60 when one of them is a family word ("Runtime", "SDK", "Driver", "Helper",
 * "Language", "Update", ...: family_word). Two different products with the same best
 * score are both candidates and neither resolves.
 */
static void word_match(lf_resolver *r, const lf_norm_result *nr, const char *pubv, lf_resolution *o)
{
    const lf_namedb *db = r->db;
    const lf_norm_tok *tk[LF_NORM_MAX_TOKENS];
    size_t nt = lf_norm_key_tokens(nr, LF_NORM_KEY_NO_EDITION | LF_NORM_KEY_NO_TAILNUM, tk, LF_NORM_MAX_TOKENS);
    if (!nt || nt > 10)
        return;
    wname all = {.n = 0};
    bool cjk = false;
    for (size_t i = 0; i < nt; i++) {
        if (tk[i]->cjk) {
            cjk = true;
            continue;
        }
        all.w[all.n] = nr->text + tk[i]->off;
        all.l[all.n++] = tk[i]->len;
    }
    if (!all.n)
        return;
    /* vendors: the Publisher's; the name's first word, or first two words joined */
    const char *vend[3];
    size_t vlead[3], nv = 0;
    char lead1[128], lead2[128];
    if (pubv)
        vend[nv] = pubv, vlead[nv++] = 0;
    if (all.l[0] < sizeof lead1) {
        memcpy(lead1, all.w[0], all.l[0]);
        lead1[all.l[0]] = '\0';
        lead2[0] = '\0';
        if (all.n > 1 && all.l[0] + all.l[1] < sizeof lead2) {
            memcpy(lead2, all.w[0], all.l[0]);
            memcpy(lead2 + all.l[0], all.w[1], all.l[1]);
            lead2[all.l[0] + all.l[1]] = '\0';
        }
        const char *ls[2] = {lead2, lead1};
        size_t lc[2] = {2, 1};
        for (int k = 0; k < 2; k++) {
            if (!ls[k][0] || !lf_namedb_has_vendor(db, ls[k], strlen(ls[k])))
                continue;
            if (nv && strcmp(vend[0], ls[k]) == 0) {
                vlead[0] = lc[k];     /* the Publisher's vendor, named in the name too */
            } else if (nv < 3) {
                vend[nv] = ls[k];
                vlead[nv++] = lc[k];
            }
            break;
        }
    }
    double best = 0;
    const lf_product *bestp = NULL;
    bool tie = false;
    if (!nv)
        return;
    for (size_t i = 0; cjk && i < nt; i++)
        if (tk[i]->cjk && !cjk_descriptor(nr, tk[i]))
            return;     /* "… 語言套件": not the product */
    enum { MAXP = 256 };
    const lf_product *ps[MAXP];
    for (size_t v = 0; v < nv; v++) {
        wname w = {.n = 0};
        for (size_t i = vlead[v]; i < all.n; i++) {
            w.w[w.n] = all.w[i];
            w.l[w.n++] = all.l[i];
        }
        if (!w.n)
            continue;
        bool from_pub = pubv && strcmp(vend[v], pubv) == 0;
        double base = from_pub ? (vlead[v] ? 0.55 : 0.50) : 0.45;
        size_t vl = strlen(vend[v]);
        /* the products that share a word with the name (namedb's (vendor, word) index) */
        size_t np = 0;
        for (size_t j = 0; j < w.n && np < MAXP; j++) {
            const lf_product *got[64];
            size_t ng = lf_namedb_vendor_word_products(db, vend[v], vl, w.w[j], w.l[j], got, 64);
            for (size_t g = 0; g < ng && g < 64 && np < MAXP; g++) {
                bool seen = false;
                for (size_t q = 0; q < np && !seen; q++)
                    seen = ps[q] == got[g];
                if (!seen)
                    ps[np++] = got[g];
            }
        }
        for (size_t i = 0; i < np; i++) {
            const lf_product *p = ps[i];
            size_t k = words_within(p->product, strlen(p->product), '_', &w, vend[v], vl);
            bool by_title = false;
            const char *tt[8];
            size_t ntt = lf_namedb_product_titles(db, p, tt, 8);
            for (size_t t = 0; t < ntt && t < 8; t++) {
                /* a title starts with the vendor's words ("ulead photo explorer") */
                const char *tk0 = tt[t];
                size_t tl = strlen(tk0);
                size_t kt = words_within(tk0, tl, ' ', &w, vend[v], vl);
                if (!kt && vlead[v] == 0) {
                    /* the title's first word is the vendor's name as people write it */
                    const char *sp = memchr(tk0, ' ', tl);
                    if (sp)
                        kt = words_within(sp + 1, tl - (size_t)(sp + 1 - tk0), ' ', &w, vend[v], vl);
                }
                if (kt > k || (kt == k && kt)) {
                    k = kt;
                    by_title = true;
                }
            }
            if (!k)
                continue;
            double cov = (double)k / (double)w.n;
            double sc = base + 0.40 * cov;
            /* only a title NVD wrote, with the Publisher's vendor, resolves: a CPE product
             * name split into words named another product too often (bench_intake) */
            if ((!from_pub || !by_title) && sc >= LF_RESOLVE_THRESHOLD)
                sc = LF_RESOLVE_THRESHOLD - 0.01;
            if (k < w.n) {
                sc = sc > 0.75 ? 0.75 : sc;
                bool fam = false;
                for (size_t j = 0; j < w.n && !fam; j++)
                    fam = family_word(w.w[j], w.l[j]) && !has_piece(p->product, w.w[j], w.l[j]);
                if (fam && sc > 0.60)
                    sc = 0.60;
            }
            if (sc > best + 1e-9) {
                best = sc;
                bestp = p;
                tie = false;
            } else if (bestp && sc > best - 1e-9 && p != bestp) {
                tie = true;
            }
            add_cand(o, p, sc, "words");
        }
    }
    if (tie && best >= LF_RESOLVE_THRESHOLD)
        for (int i = 0; i < o->ncand; i++)
            if (o->cand[i].score >= LF_RESOLVE_THRESHOLD)
                o->cand[i].score = LF_RESOLVE_THRESHOLD - 0.01;   /* two products: candidates only */
}

/* A guess at a name (one typing error) is not taken when the Publisher column names a
 * vendor known to publishers.tsv other than the alias's (nor one of its equivalents'). */
static bool contradicts(const lf_namedb *db, const char *pubv, const lf_alias *al)
{
    if (!pubv || (al->flags & LF_ALIAS_NOCPE) || strcmp(pubv, al->prod.vendor) == 0)
        return false;
    const lf_product *eq[3];
    size_t n = lf_namedb_equivalents(db, al->prod.vendor, al->prod.product, eq, 3);
    for (size_t i = 0; i < n && i < 3; i++)
        if (strcmp(eq[i]->vendor, pubv) == 0)
            return false;
    return true;
}

/* A Latin name that leaves out its vendor ("Endpoint Protection" published by Symantec,
 * "Apex One Security Agent" by Trend Micro): the Publisher's vendor in front, looked up
 * whole and prefix-wise, then with spaces ignored (the vendor id "trendmicro" meets the
 * alias "Trend Micro Apex One" that way). A name that starts with the vendor already
 * was looked up so. */
static const lf_alias *publisher_lead(lf_resolver *r, const lf_norm_result *nr, const char *pubv, bool year_ok)
{
    const lf_norm_tok *tk[LF_NORM_MAX_TOKENS];
    size_t nt = lf_norm_key_tokens(nr, LF_NORM_KEY_NO_EDITION, tk, LF_NORM_MAX_TOKENS);
    if (!nt || nr->has_cjk)
        return NULL;
    size_t vl = strlen(pubv);
    if (tk[0]->len <= vl && memcmp(nr->text + tk[0]->off, pubv, tk[0]->len) == 0)
        return NULL;
    bool prefix;
    const lf_alias *al = lookup_tokens(r->db, nr, tk, nt, pubv, year_ok, &prefix);
    if (!al) {
        char key[512];
        size_t kn = join_key(nr, tk, nt, pubv, key, sizeof key);
        al = kn ? lf_namedb_alias_squashed(r->db, key, kn) : NULL;
    }
    return al && !(al->flags & LF_ALIAS_NOCPE) && strcmp(al->prod.vendor, pubv) == 0 ? al : NULL;
}

static bool has_non_ascii(const char *s);

static void resolve_name(lf_resolver *r, const lf_inv_rec *rec, lf_resolution *o, lf_err *err)
{
    const lf_namedb *db = r->db;
    lf_norm_result nr;
    if (!rec->name || !*rec->name || lf_norm_name(r->norm, rec->name, strlen(rec->name), &nr, err)) {
        o->reason = "no software name";
        return;
    }
    lf_norm_key(&nr, LF_NORM_KEY_FULL, o->name_key, sizeof o->name_key);
    if (!o->name_key[0]) {
        o->reason = "the name holds no words once versions and noise are removed";
        return;
    }
    char colver[128];
    copy_trim(colver, sizeof colver, rec->version);
    const char *pub_vocab;
    const char *pubv = lf_namedb_publisher_vendors(db, r->norm, rec->vendor, &pub_vocab);
    int how;
    bool tail;
    /* package names are identifiers: a near miss is another package */
    bool fuzzy = !rec->ecosystem || !*rec->ecosystem;
    const lf_alias *al = alias_lookup(db, &nr, pubv, r, fuzzy, colver[0] != '\0', &how, &tail);
    if (al && how == HIT_FUZZY && contradicts(db, pubv, al)) {
        add_cand(o, &al->prod, 0.60, "alias-fuzzy");
        al = NULL;
    }
    /* the Latin words of a Chinese name from a Chinese-named Publisher publishers.tsv
     * does not know: a local product may well use an international one's word ("永中Office
     * 2019" is Yozo's, not Microsoft's), so the alias is a candidate only */
    if (al && how == HIT_LATIN && !pubv && rec->vendor && has_non_ascii(rec->vendor) && !(al->flags & LF_ALIAS_NOCPE)) {
        add_cand(o, &al->prod, 0.60, "alias-latin");
        al = NULL;
    }
    if (al) {
        static const double conf[] = {0.98, 0.92, 0.90, 0.94, 0.85};
        static const char *const meth[] = {"alias", "alias-prefix", "alias-latin", "alias-squashed", "alias-fuzzy"};
        apply_alias(r, al, &nr, colver, tail, conf[how], meth[how], o);
        return;
    }
    if (fuzzy) {
        lf_norm_result fixed;
        unsigned kind = 0;
        al = rewrite_lookup(r, &nr, pubv, colver[0] != '\0', &fixed, &how, &tail, &kind, err);
        if (!al && pubv && (al = publisher_lead(r, &nr, pubv, colver[0] != '\0')) != NULL) {
            apply_alias(r, al, &nr, colver, false, 0.88, "alias-publisher", o);
            return;
        }
        if (al && (kind & RW_TYPO) && contradicts(db, pubv, al)) {
            add_cand(o, &al->prod, 0.60, "alias-typo");
            al = NULL;
        }
        if (al) {
            /* a typing error is a guess about one word; a split or an expansion is not */
            bool typo = kind & RW_TYPO;
            apply_alias(r, al, &fixed, colver, tail, typo ? 0.85 : 0.90, typo ? "alias-typo" : "alias-rewrite",
                        o);
            return;
        }
    }
    /* no alias names it: a Publisher that publishers.tsv does not list may still spell a
     * vendor of the vocabulary, which the lookups below then need for a resolution */
    if (!pubv)
        pubv = pub_vocab;
    if (pubv)
        snprintf(o->vendor, sizeof o->vendor, "%s", pubv);
    /* CPE-dictionary titles */
    char key[512];
    size_t kn = lf_norm_key(&nr, LF_NORM_KEY_NO_EDITION | LF_NORM_KEY_NO_TAILNUM, key, sizeof key);
    unsigned np = 0;
    const lf_product *tp = kn ? lf_namedb_title(db, key, kn, &np) : NULL;
    if (tp) {
        double s = np == 1 ? 0.90 : 0.60;
        if (pubv)
            s = strcmp(pubv, tp->vendor) == 0 ? (np == 1 ? 0.95 : 0.85) : 0.60;
        add_cand(o, tp, s, "title");
    }
    vocabulary(r, &nr, pubv, o);
    if (!o->ncand || o->cand[0].score < LF_RESOLVE_THRESHOLD)
        word_match(r, &nr, pubv, o);
    if (o->ncand && o->cand[0].score >= LF_RESOLVE_THRESHOLD) {
        const lf_candidate *c = &o->cand[0];
        char part, v[256], p[256];
        /* the candidate text is quoted; take the product back from the vocabulary */
        lf_cpe cp;
        char full[LF_CPE_MAX];
        snprintf(full, sizeof full, "cpe:2.3:%s:*:*:*:*:*:*:*:*", c->cpe);
        if (lf_cpe_parse(&cp, full, strlen(full), NULL) == 0 && lf_cpe_plain(&cp, LF_CPE_VENDOR, v, sizeof v) >= 0 &&
            lf_cpe_plain(&cp, LF_CPE_PRODUCT, p, sizeof p) >= 0) {
            part = c->cpe[0];
            lf_product pr = {part, v, p};
            char ver[128];
            choose_version(&nr, colver, true, ver, sizeof ver);
            set_resolved(o, &pr, ver, NULL, c->score, c->method);
            return;
        }
    }
    o->reason = o->ncand ? "no confident match (see candidates)" : "no dictionary names this software";
}

/* ---- the operator's purl index (purlidx.h) ---- */

#define PURL_INDEX_CONF 0.90        /* one product, or one product under several NVD names */
#define PURL_INDEX_NAMED_CONF 0.85  /* one vendor's products, one spelled as the package */
#define PURL_INDEX_CAND 0.60        /* several products: candidates only */
#define PURL_INDEX_MAX 8

/* a and b are one product under two NVD names (equivalents.tsv) */
static bool equivalent(const lf_namedb *db, const lf_product *a, const lf_product *b)
{
    const lf_product *eq[8];
    size_t n = lf_namedb_equivalents(db, a->vendor, a->product, eq, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        if (strcmp(eq[i]->vendor, b->vendor) == 0 && strcmp(eq[i]->product, b->product) == 0)
            return true;
    return false;
}

/* lower case, '-', '.' and '_' all '_' (NVD spells one product's words either way) */
static void fold_name(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char ch = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
        out[o++] = ch == '-' || ch == '.' ? '_' : ch;
    }
    out[o] = '\0';
}

/* A package's own name as NVD would spell a product: the part after a scope or path
 * ("@fastify/reply-from", "github.com/foo/bar", "org.jenkins-ci.plugins:git"; a Go major
 * version suffix "/v2" is skipped), folded as fold_name does. */
static void own_name(const char *s, char *out, size_t cap)
{
    const char *b = s, *end = s + strlen(s);
    for (const char *c = s; c < end; c++)
        if (*c == '/' || *c == ':') {
            bool major = c[1] == 'v' && c[2] >= '0' && c[2] <= '9' && strspn(c + 2, "0123456789") == strlen(c + 2);
            if (major)
                break;
            b = c + 1;
        }
    const char *e = b;
    while (e < end && !(*e == '/' && e > b))
        e++;
    fold_name(b, (size_t)(e - b), out, cap);
}

/*
 * The package in the purl index: one vendor:product resolves (PURL_INDEX_CONF). Several do
 * only when one is clearly the package's: all of them are one product under several NVD
 * names (equivalents.tsv; the others are matched too, as `also`), at PURL_INDEX_CONF; or
 * they share one vendor and exactly one product is spelled as the package's own name
 * ("rails" among rubyonrails:rails and rubyonrails:ruby_on_rails), at
 * PURL_INDEX_NAMED_CONF. Otherwise they become candidates and *amb the reason.
 */
static bool purl_index(lf_resolver *r, const char *eco, const char *pname, const char *ver, lf_resolution *o,
                       const char **amb)
{
    const lf_purlidx *x = lf_namedb_purlidx(r->db);
    lf_product ps[PURL_INDEX_MAX];
    size_t n = x ? lf_purlidx_lookup(x, eco, pname, strlen(pname), ps, PURL_INDEX_MAX) : 0;
    if (!n)
        return false;
    const lf_product *pick = n == 1 ? &ps[0] : NULL;
    double conf = PURL_INDEX_CONF;
    if (!pick && n <= PURL_INDEX_MAX) {
        bool one = true;
        for (size_t i = 1; i < n && one; i++)
            one = equivalent(r->db, &ps[0], &ps[i]);
        if (one)
            pick = &ps[0];
    }
    if (!pick && n <= PURL_INDEX_MAX) {
        char own[256], pn[256];
        own_name(pname, own, sizeof own);
        bool vendor = true;
        size_t named = 0, at = 0;
        for (size_t i = 0; i < n; i++) {
            vendor = vendor && ps[i].part == ps[0].part && strcmp(ps[i].vendor, ps[0].vendor) == 0;
            fold_name(ps[i].product, strlen(ps[i].product), pn, sizeof pn);
            if (own[0] && strcmp(pn, own) == 0) {
                named++;
                at = i;
            }
        }
        if (vendor && named == 1) {
            pick = &ps[at];
            conf = PURL_INDEX_NAMED_CONF;
        }
    }
    if (pick) {
        set_resolved(o, pick, ver, NULL, conf, "purl-index");
        return o->bucket == LF_BUCKET_RESOLVED;
    }
    for (size_t i = 0; i < n && i < PURL_INDEX_MAX; i++)
        add_cand(o, &ps[i], PURL_INDEX_CAND, "purl-index");
    *amb = "the purl index names several products for this package (see candidates)";
    return false;
}

/* The resolved product (or one of its equivalents) is one the index lists for the package. */
static bool in_purl_index(const lf_namedb *db, const char *eco, const char *pname, const lf_resolution *o)
{
    lf_product ps[PURL_INDEX_MAX];
    size_t n = lf_purlidx_lookup(lf_namedb_purlidx(db), eco, pname, strlen(pname), ps, PURL_INDEX_MAX);
    lf_product got = {o->cpe[8], o->vendor, o->product};
    for (size_t i = 0; i < n && i < PURL_INDEX_MAX; i++)
        if ((strcmp(ps[i].vendor, got.vendor) == 0 && strcmp(ps[i].product, got.product) == 0) ||
            equivalent(db, &got, &ps[i]))
            return true;
    return false;
}

static void resolve_uncached(lf_resolver *r, const lf_inv_rec *rec, lf_resolution *o, lf_err *err)
{
    const lf_namedb *db = r->db;
    memset(o, 0, sizeof *o);
    o->bucket = LF_BUCKET_UNRESOLVED;
    const char *bad_cpe = NULL, *amb = NULL;
    if (rec->cpe && *rec->cpe) {
        lf_cpe c;
        char v[256], p[256], ver[128];
        if (lf_cpe_parse(&c, rec->cpe, strlen(rec->cpe), NULL) == 0 &&
            lf_cpe_kind(&c, LF_CPE_VENDOR) == LF_CPE_VALUE && lf_cpe_kind(&c, LF_CPE_PRODUCT) == LF_CPE_VALUE &&
            lf_cpe_format_fs(&c, o->cpe, sizeof o->cpe) >= 0) {
            lf_cpe_plain(&c, LF_CPE_VENDOR, v, sizeof v);
            lf_cpe_plain(&c, LF_CPE_PRODUCT, p, sizeof p);
            snprintf(o->vendor, sizeof o->vendor, "%s", v);
            snprintf(o->product, sizeof o->product, "%s", p);
            if (lf_cpe_kind(&c, LF_CPE_VERSION) == LF_CPE_VALUE && lf_cpe_plain(&c, LF_CPE_VERSION, ver, sizeof ver) >= 0)
                snprintf(o->version, sizeof o->version, "%s", ver);
            o->bucket = LF_BUCKET_RESOLVED;
            o->confidence = 1.0;
            o->method = "cpe";
            if (rec->name)
                snprintf(o->name_key, sizeof o->name_key, "%s", rec->name);
            return;
        }
        bad_cpe = "the CPE the file gives is malformed or names no product";
    }
    char eco[32] = "", pname[256] = "", pver[128] = "";
    if (rec->purl && *rec->purl) {
        purl pu;
        if (parse_purl(rec->purl, &pu)) {
            snprintf(eco, sizeof eco, "%s", pu.type);
            snprintf(pname, sizeof pname, "%s", pu.name);
            snprintf(pver, sizeof pver, "%s", pu.version);
        }
    }
    if (!eco[0] && rec->ecosystem && *rec->ecosystem)
        snprintf(eco, sizeof eco, "%s", rec->ecosystem);
    if (!pname[0] && rec->name && eco[0])
        snprintf(pname, sizeof pname, "%s", rec->name);
    if (!pver[0] && rec->version)
        copy_trim(pver, sizeof pver, rec->version);
    if (eco[0] && pname[0]) {
        unsigned pseg = 0;
        const lf_product *p = find_package(db, eco, pname, &pseg);
        char ver[128];
        if (is_distro_eco(eco)) {
            lf_resolve_pkg_version(pver, ver, sizeof ver);
        } else {
            snprintf(ver, sizeof ver, "%s", pver);
            /* Maven qualifiers that name no release: 5.4.3.Final, 5.3.1.RELEASE, 24.1.1-jre */
            static const char *const quals[] = {".Final", ".FINAL", ".RELEASE", ".GA", "-jre", "-android", NULL};
            size_t vl = strlen(ver);
            for (size_t q = 0; quals[q]; q++) {
                size_t ql = strlen(quals[q]);
                if (vl > ql && strcmp(ver + vl - ql, quals[q]) == 0) {
                    ver[vl - ql] = '\0';
                    break;
                }
            }
        }
        snprintf(o->name_key, sizeof o->name_key, "%s", pname);
        if (p == &lf_namedb_no_cpe) {
            o->reason = "known package without a CPE of its own";
            o->method = "package";
            return;
        }
        if (p) {
            char upd[64] = "";
            if (is_distro_eco(eco))
                pkg_prerelease(pver, upd, sizeof upd);
            cut_segments(ver, pseg);
            set_resolved(o, p, ver, upd, rec->purl && *rec->purl ? 0.97 : 0.95, rec->purl && *rec->purl ? "purl" : "package");
            return;
        }
        /* distributions package language libraries under their own prefixes:
         * python3-cryptography is PyPI's cryptography, ruby-rack is the rack gem */
        if (is_distro_eco(eco)) {
            static const struct {
                const char *prefix, *eco;
            } lang[] = {{"python3-", "pypi"}, {"python-", "pypi"}, {"py3-", "pypi"}, {"ruby-", "gem"},
                        {"rubygem-", "gem"}, {"node-", "npm"}, {"nodejs-", "npm"}, {"php-", "composer"}};
            for (size_t k = 0; k < sizeof lang / sizeof lang[0]; k++) {
                size_t pl = strlen(lang[k].prefix);
                if (strncmp(pname, lang[k].prefix, pl) != 0 || !pname[pl])
                    continue;
                const lf_product *lp = find_package(db, lang[k].eco, pname + pl, NULL);
                if (lp && lp != &lf_namedb_no_cpe) {
                    set_resolved(o, lp, ver, NULL, 0.92, "package");
                    return;
                }
            }
        }
        /* a language package packages.tsv does not name: the operator's purl index, if
         * imported (the shipped map above always comes first) */
        if (!is_distro_eco(eco) && purl_index(r, eco, pname, ver, o, &amb))
            return;
        /* a distribution package name is not a product title: only exact vocabulary
         * products become candidates */
        const lf_product *ps[3];
        size_t nv = lf_namedb_product_vendors(db, pname, ps, 3);
        for (size_t i = 0; i < nv && i < 3; i++)
            add_cand(o, ps[i], nv == 1 ? 0.55 : 0.40, "vocabulary");
        /* no name fallback for it either, unless the purl index lists products for the
         * package: then the name may choose among those (below) */
        if (is_distro_eco(eco) || (is_language_eco(eco) && !amb) || !rec->name || !*rec->name) {
            o->reason = bad_cpe ? bad_cpe : amb ? amb : "package not in the package map";
            return;
        }
    }
    if (!amb) {
        resolve_name(r, rec, o, err);
        if (o->bucket == LF_BUCKET_UNRESOLVED && bad_cpe)
            o->reason = bad_cpe;
        return;
    }
    /* The index lists this package under several products: the answer is one of them, so
     * the name may choose among them but not name another product (an SBOM's npm "mysql"
     * is not Oracle's database, which the alias "MySQL" means). */
    lf_resolution keep = *o;
    resolve_name(r, rec, o, err);
    if (o->bucket == LF_BUCKET_RESOLVED && in_purl_index(r->db, eco, pname, o))
        return;
    *o = keep;
    o->reason = bad_cpe ? bad_cpe : amb;
}

/* Products whose aliases say version=java write their releases 8u202 or 1.8.0_401 in the
 * version column and the name alike; NVD writes 1.8.0 + update202. Applied after any
 * evidence resolved the product (alias, vocabulary, package). */
static void java_style(const lf_namedb *db, lf_resolution *o)
{
    if (o->bucket != LF_BUCKET_RESOLVED || o->update[0] || !o->version[0] ||
        !lf_namedb_java_versions(db, o->vendor, o->product))
        return;
    char ver[128], upd[64] = "", cpe[LF_CPE_MAX];
    snprintf(ver, sizeof ver, "%s", o->version);
    java_version(ver, sizeof ver, upd, sizeof upd);
    if (!upd[0] || make_cpe(o->cpe[8], o->vendor, o->product, ver, upd, cpe, sizeof cpe) != 0)
        return;
    memcpy(o->cpe, cpe, sizeof cpe);
    snprintf(o->version, sizeof o->version, "%s", ver);
    snprintf(o->update, sizeof o->update, "%s", upd);
}

/* Adobe Acrobat and Reader ship two tracks under the same display names: the continuous
 * track (15.0xx.2xxxx, 2x.xxx.2xxxx), NVD's acrobat_dc / acrobat_reader_dc, and the classic
 * track (15.006.3xxxx, 17.011.3xxxx, 20.00x.3xxxx), NVD's acrobat / acrobat_reader. The
 * version says which; "Adobe Reader" alone does not. */
static void acrobat_track(lf_resolution *o)
{
    if (o->bucket != LF_BUCKET_RESOLVED || strcmp(o->vendor, "adobe") != 0 || !o->version[0])
        return;
    bool reader = strcmp(o->product, "acrobat_reader") == 0 || strcmp(o->product, "acrobat_reader_dc") == 0;
    if (!reader && strcmp(o->product, "acrobat") != 0 && strcmp(o->product, "acrobat_dc") != 0)
        return;
    const char *v = o->version;
    char *end;
    long major = strtol(v, &end, 10);
    if (end == v || *end != '.' || major < 15 || major > 99)
        return;
    const char *third = strchr(end + 1, '.');
    if (!third || third - end - 1 != 3 || strspn(third + 1, "0123456789") != 5)
        return;
    bool dc = third[1] == '2';
    if (!dc && third[1] != '3')
        return;
    const char *want = reader ? (dc ? "acrobat_reader_dc" : "acrobat_reader") : (dc ? "acrobat_dc" : "acrobat");
    char cpe[LF_CPE_MAX];
    if (strcmp(o->product, want) == 0 ||
        make_cpe(o->cpe[8], o->vendor, want, o->version, o->update, cpe, sizeof cpe) != 0)
        return;
    memcpy(o->cpe, cpe, sizeof cpe);
    snprintf(o->product, sizeof o->product, "%s", want);
}

/* The product's other NVD names, with the resolved version and update. */
static void add_equivalents(const lf_namedb *db, lf_resolution *o)
{
    o->nalso = 0;
    if (o->bucket != LF_BUCKET_RESOLVED || !o->vendor[0] || !o->product[0])
        return;
    const lf_product *eq[3];
    size_t n = lf_namedb_equivalents(db, o->vendor, o->product, eq, 3);
    for (size_t i = 0; i < n && i < 3; i++) {
        char cpe[LF_CPE_MAX];
        size_t cl;
        if (make_cpe(eq[i]->part, eq[i]->vendor, eq[i]->product, o->version[0] ? o->version : NULL, o->update, cpe,
                     sizeof cpe) == 0 && (cl = strlen(cpe)) < sizeof o->also[0])
            memcpy(o->also[o->nalso++], cpe, cl + 1);
    }
}

static bool has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

static void add_key(char *k, size_t *o, size_t cap, const char *s, bool *ok)
{
    size_t l = s ? strlen(s) : 0;
    if (*o + l + 2 > cap) {
        *ok = false;
        return;
    }
    if (l)
        memcpy(k + *o, s, l);
    *o += l;
    k[(*o)++] = '\x1f';
    k[*o] = '\0';
}

int lf_resolve(lf_resolver *r, const lf_inv_rec *rec, lf_resolution *out, lf_err *err)
{
    r->st.calls++;
    char key[480];
    size_t kn = 0;
    bool ok = true;
    add_key(key, &kn, sizeof key, rec->name, &ok);
    add_key(key, &kn, sizeof key, rec->version, &ok);
    add_key(key, &kn, sizeof key, rec->vendor, &ok);
    add_key(key, &kn, sizeof key, rec->ecosystem, &ok);
    add_key(key, &kn, sizeof key, rec->cpe, &ok);
    add_key(key, &kn, sizeof key, rec->purl, &ok);
    centry **slot = NULL;
    uint32_t h = 0;
    if (ok && !r->nocache) {
        h = 2166136261u;
        for (size_t i = 0; i < kn; i++) {
            h ^= (unsigned char)key[i];
            h *= 16777619u;
        }
        slot = &r->cache[h & (CACHE_SLOTS - 1)];
        for (const centry *ce = *slot; ce; ce = ce->next)
            if (ce->hash == h && strcmp(ce->key, key) == 0) {
                r->st.cache_hits++;
                *out = ce->res;
                return LF_OK;
            }
    }
    lf_err_clear(err);
    /* A version typed full-width ("１５．０．４５６９") folds as names do (NFKC), so the
     * version readers below, which look for ASCII digits, see it. */
    lf_inv_rec folded;
    if (rec->version && has_non_ascii(rec->version) &&
        lf_norm_fold(r->norm, rec->version, strlen(rec->version), &r->vfold, err) == LF_OK) {
        folded = *rec;
        folded.version = r->vfold.data;
        rec = &folded;
    }
    lf_err_clear(err);
    resolve_uncached(r, rec, out, err);
    java_style(r->db, out);
    acrobat_track(out);
    add_equivalents(r->db, out);
    if (err && err->code == LF_ENOMEM)
        return err->code;
    centry *ce = slot ? cache_entry_new(r) : NULL;
    if (ce) {
        ce->next = *slot;
        *slot = ce;
    } else if (slot) {
        ce = *slot;                  /* full: the chain's head makes room */
    }
    if (ce) {
        ce->hash = h;
        memcpy(ce->key, key, kn + 1);
        ce->res = *out;
    }
    return LF_OK;
}
