/*
 * textenc: encoding detection and conversion to UTF-8 for inventory uploads (see
 * textenc.h for the decision rule and its limits). UTF-8 (RFC 3629) and UTF-16
 * (RFC 2781) are checked and decoded here byte by byte; CP950 and GB18030 go through
 * glibc iconv, whose failure position gives the offset of the first bad sequence.
 */
#include "intake/textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* Bytes of input scored to choose between CP950 and GB18030: plenty for statistics,
 * and it keeps a several-hundred-MB file at one full iconv pass instead of two. */
#define TE_PROBE_BYTES ((size_t)1 << 20)
/* Bytes examined to recognise UTF-16 without BOM. */
#define TE_UTF16_SAMPLE ((size_t)1 << 16)

/* The frequency tables cover CJK Unified Ideographs U+4E00..U+9FFF as bitmaps. */
#define TE_CJK_FIRST 0x4E00u
#define TE_CJK_LAST 0x9FFFu
#define TE_CJK_BYTES ((TE_CJK_LAST - TE_CJK_FIRST + 1 + 7) / 8)

/* Frequent characters of running text, Traditional forms (same order as te_simp_common). */
static const char te_trad_common[] =
    "的一是不了人我在有他這個們中來上大為和國"
    "地到以說時要就出會可也你對生能而子那得於"
    "著下自之年過發後作裡用道行所然家種事成方"
    "多經麼去法學如都同現當沒動面起看定天分還"
    "進好小部其些主樣理心她本前開但因只從想實"
    "日軍者意無力它與長把機十民第公此已工使情"
    "明性知全三又關點正業外將兩高間由問很最重"
    "並物手應戰向頭文體政美相見被利什二等產或"
    "新己制身果加西斯月話合回特代內信表化老給"
    "世位次度門任常先海通教兒原東聲提立及比員"
    "解水名真論處走義各入幾口認條平系氣題活爾"
    "更別打女變四神總何電數安少報才結反受目太"
    "量再感建務做接必場件計管期市直德資命山金"
    "指克許統區保至隊形社便空決治展馬科司五基"
    "眼書非則聽白卻界達光放強即像難且權思王象"
    "完設式色路記南品住告類求據程北邊死張該交"
    "規萬取拉格望覺術領共確傳師觀清今切院讓識"
    "候帶導爭運笑飛風步改收根造言聯持組每濟車"
    "親極林服快辦議往元英士證近失轉夫令準布始"
    "怎呢存未遠叫台單影具羅字愛擊流備兵連調深"
    "商算質團集百需價花黨華城石級整府離況亞請"
    "技際約示復病息究線似官火斷精滿支視消越器"
    "容照須九增研寫稱企八功嗎包片史委乎查輕易"
    "早曾除農找裝廣顯吧阿李標談吃圖念六引歷首"
    "醫局突專費號盡另周較注語僅考落青隨選列武"
    "紅響雖推勢參希古眾構房半節土投某案黑維革"
    "劃敵致陳律足態護七興派孩驗責營星夠章音跟"
    "志底站嚴巴例防族供效續施留講型料終答緊黃"
    "絕奇察母京段依批群項故按河米圍江織害雙境"
    "客紀採舉殺攻父蘇密低朝友訴止細願千值仍男"
    "錢破網熱助倒育屬坐帝限船臉職速刻樂否剛威"
    "毛狀率甚獨球般普怕彈校苦創假久錯承印晚蘭"
    "試股拿腦預誰益陽若哪微尼繼送急血驚傷素藥"
    "適波夜省初喜衛源食險待述陸習置居勞財環排"
    "福納歡雷警獲模充負雲停木遊龍樹疑層冷洲衝"
    "射略竟句室異激漢村哈策演簡卡罪判擔州靜退"
    "既衣您宗積餘痛檢差富靈協角佔配徵修皮揮勝"
    "降階審沉堅善媽劉讀啊超免壓銀買皇養伊懷執"
    "副亂抗犯追幫宣佛歲航優怪香田鐵控稅左右份"
    "穿藝背陣草腳概惡塊頓敢守酒島托央戶烈洋哥"
    "索胡款靠評版寶座釋景顧弟登貨互付伯慢歐換"
    "聞危忙核暗姐介壞討麗良序升監臨亮露永呼味"
    "野架域沙掉括艦魚雜誤湯潮"
    ;
/* The same characters in Simplified forms. */
static const char te_simp_common[] =
    "的一是不了人我在有他这个们中来上大为和国"
    "地到以说时要就出会可也你对生能而子那得于"
    "着下自之年过发后作里用道行所然家种事成方"
    "多经么去法学如都同现当没动面起看定天分还"
    "进好小部其些主样理心她本前开但因只从想实"
    "日军者意无力它与长把机十民第公此已工使情"
    "明性知全三又关点正业外将两高间由问很最重"
    "并物手应战向头文体政美相见被利什二等产或"
    "新己制身果加西斯月话合回特代内信表化老给"
    "世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔"
    "更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直德资命山金"
    "指克许统区保至队形社便空决治展马科司五基"
    "眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交"
    "规万取拉格望觉术领共确传师观清今切院让识"
    "候带导争运笑飞风步改收根造言联持组每济车"
    "亲极林服快办议往元英士证近失转夫令准布始"
    "怎呢存未远叫台单影具罗字爱击流备兵连调深"
    "商算质团集百需价花党华城石级整府离况亚请"
    "技际约示复病息究线似官火断精满支视消越器"
    "容照须九增研写称企八功吗包片史委乎查轻易"
    "早曾除农找装广显吧阿李标谈吃图念六引历首"
    "医局突专费号尽另周较注语仅考落青随选列武"
    "红响虽推势参希古众构房半节土投某案黑维革"
    "划敌致陈律足态护七兴派孩验责营星够章音跟"
    "志底站严巴例防族供效续施留讲型料终答紧黄"
    "绝奇察母京段依批群项故按河米围江织害双境"
    "客纪采举杀攻父苏密低朝友诉止细愿千值仍男"
    "钱破网热助倒育属坐帝限船脸职速刻乐否刚威"
    "毛状率甚独球般普怕弹校苦创假久错承印晚兰"
    "试股拿脑预谁益阳若哪微尼继送急血惊伤素药"
    "适波夜省初喜卫源食险待述陆习置居劳财环排"
    "福纳欢雷警获模充负云停木游龙树疑层冷洲冲"
    "射略竟句室异激汉村哈策演简卡罪判担州静退"
    "既衣您宗积余痛检差富灵协角占配征修皮挥胜"
    "降阶审沉坚善妈刘读啊超免压银买皇养伊怀执"
    "副乱抗犯追帮宣佛岁航优怪香田铁控税左右份"
    "穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥"
    "索胡款靠评版宝座释景顾弟登货互付伯慢欧换"
    "闻危忙核暗姐介坏讨丽良序升监临亮露永呼味"
    "野架域沙掉括舰鱼杂误汤潮"
    ;
/* Words of Taiwanese software names and publishers (軟體, 驅動程式, 憑證, 趨勢科技...). */
static const char te_trad_vocab[] =
    "軟體程式驅動伺服器資料庫網路瀏覽播放輸入"
    "法字型印表機套件元件憑證卡片讀管理工具防"
    "毒趨勢科技專業增強版中華電信自然人桌面雲"
    "端服務更新安裝移除視窗微軟蘋果甲骨文奧多"
    "比谷歌英特爾輝達聯想華碩宏碁技嘉微星戴爾"
    "惠普台達瑞昱威盛訊連友立騰訊搜狗迅雷線上"
    "文書處理試算表簡報郵件通訊錄影音壓縮翻譯"
    "字典螢幕截圖掃描列印驗證簽章加密健保報稅"
    "國稅局財政部內政部教育部公文電子工作站應"
    "用平臺開發執行階段語言包繁體正體灣港用戶"
    "端註冊碼授權防火牆病毒防護代理掃瞄修補程"
    "序檔案總管控制台裝置顯示卡音效"
    ;
/* Words of mainland software names and publishers (软件, 驱动, 卫士, 腾讯...). */
static const char te_simp_vocab[] =
    "软件程序驱动服务器数据库网络浏览器播放输"
    "入法字体打印机组件证书卡片读管理工具杀毒"
    "安全卫士腾讯金山毒霸搜狗迅雷百度阿里巴巴"
    "钉钉微信企业个人专业版办公文档表格演示邮"
    "件通讯录音视频压缩解压翻译词典屏幕截图扫"
    "描验证签名加密客户端运行库补丁更新安装卸"
    "载电脑管家手机助手云盘华为联想戴尔惠普英"
    "特尔英伟达微软苹果谷歌奥多比甲骨文简体中"
    "文版显卡声卡网卡芯片设备控制面板系统集成"
    "开发环境防火墙病毒防护代理注册授权"
    ;

/* Why one candidate encoding failed: the offset of its first bad sequence and a message
 * fragment that already says "at offset N". */
typedef struct te_fail {
    size_t off;
    int at_end;       /* the input ended inside a multi-byte sequence */
    char why[128];
} te_fail;

/* Plausibility of a decoded sample as Chinese text (see textenc.h). */
typedef struct te_score {
    long long n;      /* non-ASCII characters decoded */
    long long value;  /* in quarter points: +4 per frequent character of the script, -4 per
                       * implausible one, -1 per rarely used code of the encoding */
} te_score;

/* One bit per code point in U+4E00..U+9FFF. */
typedef struct te_freq {
    unsigned char bits[TE_CJK_BYTES];
} te_freq;

enum { TE_FAILED = 0, TE_PREFIX_OK, TE_VALID };

/* A legacy double-byte candidate. */
typedef struct te_cand {
    lf_textenc enc;
    const char *iconv_name;
    const char *label;        /* for messages: "Big5/CP950" */
    const te_freq *freq;
    iconv_t cd;
    size_t limit;             /* decode data[0..limit): the rest starts with a byte no
                               * candidate may contain (NUL; 0x80 for CP950) */
    int state;                /* TE_FAILED, TE_PREFIX_OK (probe stopped early), TE_VALID */
    te_score score;
    te_fail fail;
} te_cand;

/* Everything one conversion call reports into. */
typedef struct te_job {
    const char *src;
    const unsigned char *data;
    size_t len;
    char **out;
    size_t *outlen;
    lf_textenc *detected;
    lf_err *err;
} te_job;

const char *lf_textenc_name(lf_textenc e)
{
    switch (e) {
    case LF_ENC_UTF8:
        return "UTF-8";
    case LF_ENC_UTF8_BOM:
        return "UTF-8 (BOM)";
    case LF_ENC_UTF16LE:
        return "UTF-16LE";
    case LF_ENC_UTF16BE:
        return "UTF-16BE";
    case LF_ENC_BIG5:
        return "Big5 (CP950)";
    case LF_ENC_GB18030:
        return "GB18030";
    }
    return "unknown";
}

static const struct te_alias {
    const char *name;   /* lower case, without '-', '_' and spaces */
    lf_textenc enc;
} te_aliases[] = {
    {"utf8", LF_ENC_UTF8},           {"utf8bom", LF_ENC_UTF8_BOM},
    {"utf8sig", LF_ENC_UTF8_BOM},    {"utf16le", LF_ENC_UTF16LE},
    {"utf16", LF_ENC_UTF16LE},       {"unicode", LF_ENC_UTF16LE},
    {"utf16be", LF_ENC_UTF16BE},     {"big5", LF_ENC_BIG5},
    {"cp950", LF_ENC_BIG5},          {"ms950", LF_ENC_BIG5},
    {"windows950", LF_ENC_BIG5},     {"gb18030", LF_ENC_GB18030},
    {"gbk", LF_ENC_GB18030},         {"gb2312", LF_ENC_GB18030},
    {"cp936", LF_ENC_GB18030},       {"ms936", LF_ENC_GB18030},
    {"windows936", LF_ENC_GB18030},  {"euccn", LF_ENC_GB18030},
};

int lf_textenc_parse(const char *name)
{
    char key[24];
    size_t k = 0;
    if (!name)
        return -1;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '-' || c == '_' || c == ' ')
            continue;
        if (k + 1 >= sizeof(key))
            return -1;
        key[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    key[k] = '\0';
    for (size_t i = 0; i < sizeof(te_aliases) / sizeof(te_aliases[0]); i++)
        if (strcmp(key, te_aliases[i].name) == 0)
            return (int)te_aliases[i].enc;
    return -1;
}

/* "0xe8 0xb6" for up to max bytes of p[0..n). */
static const char *te_hex(const unsigned char *p, size_t n, size_t max, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < max && off + 6 < cap; i++) {
        int r = snprintf(buf + off, cap - off, "%s0x%02x", i ? " " : "", p[i]);
        if (r < 0)
            break;
        off += (size_t)r;
    }
    return buf;
}

static size_t te_put_utf8(unsigned char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Strict UTF-8 (RFC 3629 section 4) over p[start..n), offsets relative to p. Returns 1
 * when valid; else 0 with f filled. *multibyte (may be NULL) tells whether a non-ASCII
 * character was decoded before the failure: legacy double-byte text rarely manages one,
 * so it makes UTF-8 the plausible reading of a damaged file. */
static int te_utf8_check(const unsigned char *p, size_t n, size_t start, te_fail *f,
                         int *multibyte)
{
    const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
    char hx[32];
    size_t i = start;
    int mb = 0;
    f->at_end = 0;
    while (i < n) {
        /* Fast path: 8 bytes at a time while none has the high bit set or is zero. */
        while (n - i >= 8) {
            uint64_t v;
            memcpy(&v, p + i, 8);
            if ((v & high) || ((v - ones) & ~v & high))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0) {
                snprintf(f->why, sizeof(f->why), "NUL byte at offset %zu", i);
                goto bad;
            }
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;   /* below: overlong */
            else if (c == 0xED)
                hi = 0x9F;   /* above: UTF-16 surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;   /* below: overlong */
            else if (c == 0xF4)
                hi = 0x8F;   /* above: beyond U+10FFFF */
        } else {
            snprintf(f->why, sizeof(f->why), "%s 0x%02x at offset %zu",
                     c < 0xC0 ? "unexpected continuation byte"
                     : c < 0xC2 ? "overlong lead byte" : "invalid byte",
                     c, i);
            goto bad;
        }
        for (size_t k = 1; k <= need; k++) {
            if (k >= n - i) {
                snprintf(f->why, sizeof(f->why), "truncated sequence %s at end of input (offset %zu)",
                         te_hex(p + i, n - i, 4, hx, sizeof(hx)), i);
                f->at_end = 1;
                goto bad;
            }
            unsigned char d = p[i + k];
            unsigned char klo = k == 1 ? lo : 0x80, khi = k == 1 ? hi : 0xBF;
            if (d >= klo && d <= khi)
                continue;
            te_hex(p + i, k + 1, 4, hx, sizeof(hx));
            if (k == 1 && d >= 0x80 && d <= 0xBF)
                snprintf(f->why, sizeof(f->why), "%s (%s) at offset %zu",
                         c == 0xED ? "encoded UTF-16 surrogate"
                         : c == 0xF4 ? "code point above U+10FFFF" : "overlong sequence",
                         hx, i);
            else
                snprintf(f->why, sizeof(f->why), "invalid sequence %s at offset %zu", hx, i);
            goto bad;
        }
        mb = 1;
        i += need + 1;
    }
    if (multibyte)
        *multibyte = mb;
    return 1;
bad:
    f->off = i;
    if (multibyte)
        *multibyte = mb;
    return 0;
}

/* UTF-16 without BOM: 1 = little-endian, 2 = big-endian, 0 = not recognisable. A quarter
 * of the units with exactly one zero byte, almost all on the same side, is ASCII-heavy
 * UTF-16; CJK text in UTF-16 has few zero bytes and is not claimed. */
static int te_utf16_guess(const unsigned char *p, size_t n)
{
    size_t pairs = (n < TE_UTF16_SAMPLE ? n : TE_UTF16_SAMPLE) / 2;
    size_t le = 0, be = 0;
    for (size_t i = 0; i < pairs; i++) {
        unsigned char a = p[2 * i], b = p[2 * i + 1];
        if (a && !b)
            le++;
        else if (!a && b)
            be++;
    }
    /* A handful of units is too few to tell "a\0b\0" from a double-byte character
     * followed by a NUL, unless every unit fits the pattern. */
    if (pairs == 0)
        return 0;
    if (le * 4 >= pairs && be * 16 <= le && (le >= 4 || le == pairs))
        return 1;
    if (be * 4 >= pairs && le * 16 <= be && (be >= 4 || be == pairs))
        return 2;
    return 0;
}

/* Decode UTF-16 (RFC 2781) p[start..n) into a fresh buffer. Returns LF_OK, LF_EPARSE
 * with f filled (unpaired surrogate, U+0000, odd length) or LF_ENOMEM. */
static int te_utf16_decode(const unsigned char *p, size_t n, size_t start, int be, char **out,
                           size_t *outlen, te_fail *f)
{
    /* At most 3 bytes of UTF-8 per unit (a surrogate pair: 4 for 2 units). n <= 1 GiB,
     * so this is at most 1.5 GiB + 1 and cannot overflow even a 32-bit size_t. */
    size_t cap = (n - start) / 2 * 3 + 1;
    unsigned char *o = malloc(cap);
    size_t k = 0, i = start;
    if (!o)
        return LF_ENOMEM;
    while (n - i >= 2) {
        uint32_t u = be ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];
        uint32_t cp = u;
        if (u == 0) {
            snprintf(f->why, sizeof(f->why), "NUL character U+0000 at offset %zu", i);
            goto bad;
        }
        if (u >= 0xDC00 && u <= 0xDFFF) {
            snprintf(f->why, sizeof(f->why), "unpaired low surrogate 0x%04x at offset %zu",
                     (unsigned)u, i);
            goto bad;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (n - i < 4) {
                snprintf(f->why, sizeof(f->why),
                         "truncated surrogate pair 0x%04x at end of input (offset %zu)", (unsigned)u, i);
                goto bad;
            }
            uint32_t v = be ? (uint32_t)p[i + 2] << 8 | p[i + 3] : (uint32_t)p[i + 3] << 8 | p[i + 2];
            if (v < 0xDC00 || v > 0xDFFF) {
                snprintf(f->why, sizeof(f->why), "unpaired high surrogate 0x%04x at offset %zu",
                         (unsigned)u, i);
                goto bad;
            }
            cp = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
            i += 2;
        }
        i += 2;
        k += te_put_utf8(o + k, cp);
    }
    if (i < n) {
        snprintf(f->why, sizeof(f->why), "odd length: lone byte 0x%02x at offset %zu", p[i], i);
        goto bad;
    }
    o[k] = '\0';
    *out = (char *)o;
    *outlen = k;
    return LF_OK;
bad:
    f->off = i;
    free(o);
    return LF_EPARSE;
}

/* Characters that do not occur in Chinese inventory text but do come out of decoding one
 * double-byte encoding as the other (kana, Greek and PUA from Big5 read as GB18030...). */
static int te_implausible(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F)          /* C1 controls */
        || (cp >= 0x100 && cp <= 0x24F)        /* Latin extended: GB18030 pinyin letters */
        || (cp >= 0x370 && cp <= 0x52F)        /* Greek, Cyrillic */
        || (cp >= 0x2500 && cp <= 0x257F)      /* box drawing */
        || (cp >= 0x2E80 && cp <= 0x2FDF)      /* CJK radicals */
        || (cp >= 0x3040 && cp <= 0x312F)      /* kana, bopomofo */
        || (cp >= 0x3400 && cp <= 0x4DBF)      /* CJK extension A */
        || (cp >= 0xE000 && cp <= 0xF8FF)      /* private use area */
        || (cp >= 0xFE10 && cp <= 0xFE1F)      /* vertical forms */
        || (cp >= 0xFE30 && cp <= 0xFE4F)      /* CJK compatibility forms */
        || (cp >= 0xFF61 && cp <= 0xFF9F)      /* half-width katakana */
        || cp >= 0x10000;
}

/* Score the UTF-8 that iconv produced (whole characters, valid by construction). */
static void te_score_utf8(te_score *s, const te_freq *fq, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0xC0) {   /* ASCII (or, defensively, a stray continuation byte) */
            i++;
            continue;
        }
        size_t l = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        uint32_t cp = c & (c < 0xE0 ? 0x1F : c < 0xF0 ? 0x0F : 0x07);
        if (l > n - i)
            break;
        for (size_t k = 1; k < l; k++)
            cp = cp << 6 | (p[i + k] & 0x3F);
        i += l;
        s->n++;
        if (cp >= TE_CJK_FIRST && cp <= TE_CJK_LAST) {
            uint32_t b = cp - TE_CJK_FIRST;
            if (fq->bits[b / 8] & (1u << (b % 8)))
                s->value += 4;
        } else if (te_implausible(cp)) {
            s->value -= 4;
        }
    }
}

/* Count the characters of p[0..n) (whole characters, just decoded without error) that
 * sit in the rarely used part of the encoding: Big5 level 2 (leads C9-F9), and for
 * GB18030 everything outside GB2312 (GBK extensions, four-byte codes). Text read in the
 * wrong one of the two lands there far more often than real text does. */
static long long te_rare(lf_textenc enc, const unsigned char *p, size_t n)
{
    long long r = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (i + 1 >= n)
            break;
        unsigned char t = p[i + 1];
        if (enc == LF_ENC_BIG5) {
            r += c >= 0xC9;
            i += 2;
        } else if (t >= '0' && t <= '9') {
            r++;
            i += 4;
        } else {
            r += c < 0xA1 || t < 0xA1 || c > 0xF7;
            i += 2;
        }
    }
    return r;
}

static double te_ratio(const te_score *s)
{
    return s->n ? (double)s->value / (double)s->n : 0.0;
}

/* Set the bits of every CJK character of a UTF-8 list (the lists are only CJK). Built per
 * call into caller storage: a few microseconds, and no mutable global state. */
static void te_freq_add(te_freq *fq, const char *list)
{
    const unsigned char *p = (const unsigned char *)list;
    while (p[0] && p[1] && p[2]) {
        if ((p[0] & 0xF0) != 0xE0) {
            p++;
            continue;
        }
        uint32_t cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        if (cp >= TE_CJK_FIRST && cp <= TE_CJK_LAST) {
            uint32_t b = cp - TE_CJK_FIRST;
            fq->bits[b / 8] |= (unsigned char)(1u << (b % 8));
        }
        p += 3;
    }
}

static void te_fail_legacy(te_cand *c, const unsigned char *data, size_t len, size_t pos,
                           int incomplete)
{
    char hx[32];
    c->state = TE_FAILED;
    c->fail.off = pos;
    if (pos >= len)   /* cannot happen: iconv stops inside the input; be safe anyway */
        snprintf(c->fail.why, sizeof(c->fail.why), "invalid input at offset %zu", pos);
    else if (incomplete && c->limit == len)
        snprintf(c->fail.why, sizeof(c->fail.why), "truncated sequence %s at end of input (offset %zu)",
                 te_hex(data + pos, len - pos, 4, hx, sizeof(hx)), pos);
    else if (data[pos] == 0x80 || data[pos] == 0xFF)
        snprintf(c->fail.why, sizeof(c->fail.why), "invalid byte 0x%02x at offset %zu", data[pos], pos);
    else
        /* GB18030 four-byte sequences have a digit as second byte: show all four. */
        snprintf(c->fail.why, sizeof(c->fail.why), "invalid sequence %s at offset %zu",
                 te_hex(data + pos, len - pos,
                        pos + 1 < len && data[pos + 1] >= '0' && data[pos + 1] <= '9' ? 4 : 2,
                        hx, sizeof(hx)),
                 pos);
}

/* Decode data[0..c->limit) with c->cd. out == NULL probes: the output goes to a scratch
 * buffer and is scored, and decoding stops once TE_PROBE_BYTES of input are consumed
 * (state TE_PREFIX_OK). Otherwise everything is converted into out. The state ends as
 * TE_VALID, TE_PREFIX_OK or TE_FAILED (with c->fail). Returns LF_OK or LF_ENOMEM. */
static int te_iconv_run(te_cand *c, const unsigned char *data, size_t len, lf_buf *out)
{
    char scratch[16384];
    /* iconv's prototype lacks const, but it only reads the input. */
    char *in = (char *)(uintptr_t)data;
    size_t left = c->limit;
    iconv(c->cd, NULL, NULL, NULL, NULL);
    /* Both encodings give at most 3 UTF-8 bytes per 2 input bytes; reserve that once. */
    if (out && lf_buf_reserve(out, left + left / 2 + 16) != LF_OK)
        return LF_ENOMEM;
    for (;;) {
        char *o0 = out ? out->data + out->len : scratch;
        char *o = o0;
        size_t room = out ? out->cap - out->len - 1 : sizeof(scratch);
        size_t prev = c->limit - left;
        size_t r = iconv(c->cd, &in, &left, &o, &room);
        int e = errno;
        size_t made = (size_t)(o - o0);
        size_t pos = c->limit - left;
        if (out) {
            out->len += made;
            out->data[out->len] = '\0';
        } else {
            te_score_utf8(&c->score, c->freq, (const unsigned char *)o0, made);
            c->score.value -= te_rare(c->enc, data + prev, pos - prev);
        }
        if (r != (size_t)-1)
            break;
        if (e == E2BIG) {
            if (!out && pos >= TE_PROBE_BYTES) {
                c->state = TE_PREFIX_OK;
                return LF_OK;
            }
            /* left <= 1 GiB: no overflow; lf_buf doubles and checks its own limit. */
            if (out && lf_buf_reserve(out, left * 2 + 64) != LF_OK)
                return LF_ENOMEM;
            continue;
        }
        /* EILSEQ; or EINVAL, a sequence cut off by the end of data[0..limit). */
        te_fail_legacy(c, data, len, pos, e == EINVAL);
        return LF_OK;
    }
    if (c->limit < len) {
        c->state = TE_FAILED;
        c->fail.off = c->limit;
        snprintf(c->fail.why, sizeof(c->fail.why), "%s at offset %zu",
                 data[c->limit] ? "invalid byte 0x80" : "NUL byte", c->limit);
        return LF_OK;
    }
    c->state = TE_VALID;
    return LF_OK;
}

static int te_cand_open(te_job *j, te_cand *c, lf_textenc enc, const te_freq *fq, size_t first_nul)
{
    memset(c, 0, sizeof(*c));
    c->enc = enc;
    c->freq = fq;
    c->iconv_name = enc == LF_ENC_BIG5 ? "CP950" : "GB18030";
    c->label = enc == LF_ENC_BIG5 ? "Big5/CP950" : "GB18030";
    c->limit = first_nul;
    if (enc == LF_ENC_BIG5) {
        /* glibc maps a lone 0x80 to U+0080; in Big5 text it is damage. 0x80 is never a
         * CP950 trail byte, so the first one is exactly where decoding must stop. */
        const unsigned char *x = memchr(j->data, 0x80, first_nul);
        if (x)
            c->limit = (size_t)(x - j->data);
    }
    c->cd = iconv_open("UTF-8", c->iconv_name);
    if (c->cd == (iconv_t)-1) {
        lf_err_set(j->err, LF_EFORMAT, "this system's iconv cannot decode %s", c->iconv_name);
        lf_err_at(j->err, j->src, 0, 0, NULL);
        return LF_EFORMAT;
    }
    return LF_OK;
}

static void te_cand_close(te_cand *c)
{
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    c->cd = (iconv_t)-1;
}

static int te_done(te_job *j, char *text, size_t n, lf_textenc enc)
{
    *j->out = text;
    *j->outlen = n;
    if (j->detected)
        *j->detected = enc;
    return LF_OK;
}

static int te_nomem(te_job *j)
{
    lf_err_set(j->err, LF_ENOMEM, "out of memory converting %zu bytes to UTF-8", j->len);
    lf_err_at(j->err, j->src, 0, 0, NULL);
    return LF_ENOMEM;
}

static int te_reject(te_job *j, size_t off, const char *msg)
{
    lf_err_set(j->err, LF_EPARSE, "%s", msg);
    lf_err_at(j->err, j->src, 0, (long)off + 1, NULL);
    return LF_EPARSE;
}

/* Valid UTF-8 is copied as it is, without its BOM. */
static int te_copy(te_job *j, size_t start, lf_textenc enc)
{
    size_t n = j->len - start;
    char *t = malloc(n + 1);
    if (!t)
        return te_nomem(j);
    if (n)
        memcpy(t, j->data + start, n);
    t[n] = '\0';
    return te_done(j, t, n, enc);
}

/* UTF-8 from data[start..): start = 3 skips a BOM. */
static int te_as_utf8(te_job *j, size_t start, lf_textenc enc)
{
    te_fail f;
    char msg[256];
    if (!te_utf8_check(j->data, j->len, start, &f, NULL)) {
        snprintf(msg, sizeof(msg), "not UTF-8 (%s)%s", f.why,
                 start ? " although the file starts with a UTF-8 BOM" : "");
        return te_reject(j, f.off, msg);
    }
    return te_copy(j, start, enc);
}

static int te_as_utf16(te_job *j, size_t start, int be, const char *how)
{
    te_fail f;
    char msg[256];
    char *t = NULL;
    size_t n = 0;
    int rc = te_utf16_decode(j->data, j->len, start, be, &t, &n, &f);
    if (rc == LF_ENOMEM)
        return te_nomem(j);
    if (rc != LF_OK) {
        snprintf(msg, sizeof(msg), "not UTF-16%s (%s; %s)", be ? "BE" : "LE", how, f.why);
        return te_reject(j, f.off, msg);
    }
    return te_done(j, t, n, be ? LF_ENC_UTF16BE : LF_ENC_UTF16LE);
}

/* Convert all of the input with c into a fresh buffer; on success hand it to the job. */
static int te_convert(te_job *j, te_cand *c, int *converted)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    *converted = 0;
    int rc = te_iconv_run(c, j->data, j->len, &b);
    if (rc != LF_OK)
        goto fail;
    if (c->state != TE_VALID) {
        lf_buf_clear(&b);
        return LF_OK;
    }
    if (lf_buf_reserve(&b, 0) != LF_OK) {   /* an empty input still gets its "" */
        rc = LF_ENOMEM;
        goto fail;
    }
    b.data[b.len] = '\0';
    size_t n = 0;
    char *t = lf_buf_detach(&b, &n);
    *converted = 1;
    return te_done(j, t, n, c->enc);
fail:
    lf_buf_clear(&b);
    return te_nomem(j);
}

/* Is a the more plausible reading of the file than b? Validity first, then score (when
 * both decoded some non-ASCII: no characters is no evidence), then the later failure,
 * then CP950 (a is CP950 when ties are asked this way). */
static int te_better(const te_cand *a, const te_cand *b)
{
    int va = a->state != TE_FAILED, vb = b->state != TE_FAILED;
    if (va != vb)
        return va;
    double ra = te_ratio(&a->score), rb = te_ratio(&b->score);
    if (a->score.n && b->score.n && ra != rb)
        return ra > rb;
    if (!va && a->fail.off != b->fail.off)
        return a->fail.off > b->fail.off;
    return 1;
}

/* Not UTF-8, not UTF-16: CP950 or GB18030, or a rejection naming all four. */
static int te_legacy(te_job *j, size_t first_nul, const te_fail *u8, int u8_multibyte)
{
    te_freq trad, simp;
    te_cand c[2];
    int rc, converted = 0;
    char msg[sizeof(((lf_err *)0)->msg)];
    c[0].cd = c[1].cd = (iconv_t)-1;

    memset(&trad, 0, sizeof(trad));
    memset(&simp, 0, sizeof(simp));
    te_freq_add(&trad, te_trad_common);
    te_freq_add(&trad, te_trad_vocab);
    te_freq_add(&simp, te_simp_common);
    te_freq_add(&simp, te_simp_vocab);
    if ((rc = te_cand_open(j, &c[0], LF_ENC_BIG5, &trad, first_nul)) != LF_OK)
        goto fail;
    if ((rc = te_cand_open(j, &c[1], LF_ENC_GB18030, &simp, first_nul)) != LF_OK)
        goto fail;
    for (int k = 0; k < 2; k++)
        if ((rc = te_iconv_run(&c[k], j->data, j->len, NULL)) != LF_OK) {
            rc = te_nomem(j);
            goto fail;
        }
    int first = te_better(&c[0], &c[1]) ? 0 : 1;
    for (int k = first, step = 0; step < 2; step++, k = 1 - k) {
        if (c[k].state == TE_FAILED)
            continue;
        if ((rc = te_convert(j, &c[k], &converted)) != LF_OK)
            goto fail;
        if (converted)
            goto done;
    }

    /* Both failed: point at the most plausible reading (see textenc.h). */
    const te_cand *best = &c[te_better(&c[0], &c[1]) ? 0 : 1];
    size_t off = u8_multibyte && u8->off >= best->fail.off ? u8->off : best->fail.off;
    snprintf(msg, sizeof(msg), "not UTF-8 (%s), not UTF-16 (%s), not %s (%s), not %s (%s)",
             u8->why, first_nul < j->len ? "no BOM, and its NUL bytes are not UTF-16's" : "no BOM",
             c[0].label, c[0].fail.why, c[1].label, c[1].fail.why);
    rc = te_reject(j, off, msg);
    goto fail;
done:
    te_cand_close(&c[0]);
    te_cand_close(&c[1]);
    return LF_OK;
fail:
    te_cand_close(&c[0]);
    te_cand_close(&c[1]);
    return rc;
}

/* A forced CP950 or GB18030: no scoring, one conversion. */
static int te_forced_legacy(te_job *j, lf_textenc enc)
{
    te_cand c;
    char msg[256];
    int rc, converted = 0;
    const unsigned char *nul = memchr(j->data, 0, j->len);
    c.cd = (iconv_t)-1;
    if ((rc = te_cand_open(j, &c, enc, NULL, nul ? (size_t)(nul - j->data) : j->len)) != LF_OK)
        goto fail;
    if ((rc = te_convert(j, &c, &converted)) != LF_OK)
        goto fail;
    if (!converted) {
        snprintf(msg, sizeof(msg), "not %s (%s)", c.label, c.fail.why);
        rc = te_reject(j, c.fail.off, msg);
        goto fail;
    }
    te_cand_close(&c);
    return LF_OK;
fail:
    te_cand_close(&c);
    return rc;
}

int lf_textenc_to_utf8(const char *src, const unsigned char *data, size_t len, int forced,
                       char **out, size_t *outlen, lf_textenc *detected, lf_err *err)
{
    te_job j = {src, data, len, out, outlen, detected, err};
    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!out || !outlen || (!data && len)) {
        lf_err_set(err, LF_EINVAL, "lf_textenc_to_utf8: NULL output or data");
        return LF_EINVAL;
    }
    if (!data)
        j.data = (const unsigned char *)"";
    if (len > LF_TEXTENC_MAX_INPUT) {
        lf_err_set(err, LF_ELIMIT, "input of %zu bytes exceeds the %zu-byte limit for text files",
                   len, (size_t)LF_TEXTENC_MAX_INPUT);
        lf_err_at(err, src, 0, 0, NULL);
        return LF_ELIMIT;
    }
    const unsigned char *d = j.data;
    int bom8 = len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF;
    int bomle = len >= 2 && d[0] == 0xFF && d[1] == 0xFE;
    int bombe = len >= 2 && d[0] == 0xFE && d[1] == 0xFF;

    if (forced >= 0) {
        switch (forced) {
        case LF_ENC_UTF8:
        case LF_ENC_UTF8_BOM:
            return te_as_utf8(&j, bom8 ? 3 : 0, bom8 ? LF_ENC_UTF8_BOM : LF_ENC_UTF8);
        case LF_ENC_UTF16LE:
        case LF_ENC_UTF16BE:
            if (bomle || bombe)
                return te_as_utf16(&j, 2, bombe, "BOM");
            return te_as_utf16(&j, 0, forced == LF_ENC_UTF16BE, "no BOM, as requested");
        case LF_ENC_BIG5:
        case LF_ENC_GB18030:
            return te_forced_legacy(&j, (lf_textenc)forced);
        default:
            lf_err_set(err, LF_EINVAL, "unknown encoding number %d", forced);
            return LF_EINVAL;
        }
    }

    if (bom8)
        return te_as_utf8(&j, 3, LF_ENC_UTF8_BOM);
    if (bomle || bombe)
        return te_as_utf16(&j, 2, bombe, "BOM");
    const unsigned char *nul = memchr(d, 0, len);
    if (nul) {
        int g = te_utf16_guess(d, len);
        if (g)
            return te_as_utf16(&j, 0, g == 2, "no BOM, recognised by its NUL bytes");
    }
    te_fail u8;
    int mb = 0;
    if (te_utf8_check(d, len, 0, &u8, &mb))
        return te_copy(&j, 0, LF_ENC_UTF8);
    if (u8.at_end && mb) {
        /* UTF-8 up to a character cut off at the end: a truncated UTF-8 file, not a Big5
         * or GB18030 one (their text is almost never valid UTF-8 for a whole character,
         * let alone all of them). Reject rather than decode the damage as CJK. */
        char msg[256];
        snprintf(msg, sizeof(msg), "not UTF-8 (%s): the file is UTF-8 cut short, so "
                 "Big5/CP950 and GB18030 were not tried", u8.why);
        return te_reject(&j, u8.off, msg);
    }
    return te_legacy(&j, nul ? (size_t)(nul - d) : len, &u8, mb);
}
