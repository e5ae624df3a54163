#!/usr/bin/env python3
"""Validate lianfang's name-resolution data files under data/intake/.

Checks every file against the format in data/intake/README.md:
  aliases.tsv            category <TAB> cpe <TAB> names [<TAB> options]
  publishers.tsv         vendor <TAB> publisher names
  packages.tsv           ecosystem <TAB> package names <TAB> cpe
  policy/banned.tsv      match <TAB> value <TAB> reason
  policy/unofficial.tsv  category <TAB> match <TAB> value [<TAB> note]

Format errors (bad encoding, wrong column count, unknown category or option,
bad CPE syntax or escaping, version/arch/language tags inside names, one name
mapped to two different CPEs) make the script exit 1.

When the shared CPE vocabulary is present (env LF_SHARED_DATA, else
../shared/data next to the repository) every vendor:product is also looked up
in tiiuae-cpedict-cpes.csv, the official CPE dictionary slice and the NVD
records under nvd/; the ones found in none of them are printed as a warning
list for a human to look at. They do not change the exit status.

Usage: scripts/check_intake_data.py [--data DIR] [--shared DIR] [--quiet]
Standard library only.
"""
import argparse
import csv
import glob
import json
import os
import re
import sys
import unicodedata

ALIAS_CATEGORIES = {
    "browser", "office", "pdf", "archiver", "java", "runtime", "messaging", "remote",
    "av", "database", "webserver", "appserver", "devtool", "media", "utility",
    "network", "security", "driver", "system", "cloud", "gov", "os", "hardware",
    "other",
}
ECOSYSTEMS = {"deb", "rpm", "apk", "pypi", "npm", "maven", "composer", "gem",
              "nuget", "golang", "cargo"}
BANNED_MATCH = {"vendor", "product", "name"}
UNOFFICIAL_CATEGORIES = {"game", "p2p", "remote", "proxy", "crypto", "chat",
                         "media", "hacking"}

# One CPE 2.3 formatted-string component (vendor or product): lower-case
# letters, digits, '.', '_', '-' plain; any other printable ASCII punctuation
# backslash-escaped.  '*' and '?' (wildcards) are only legal escaped.
CPE_PUNCT = r"""!"#$%&'()*+,/:;<=>?@[\]^`{|}~"""
COMPONENT_RE = re.compile(
    r"^(?:[a-z0-9._-]|\\[" + re.escape(CPE_PUNCT) + r"])+$")
SPLIT_RE = re.compile(r"(?<!\\):")

# Things the normaliser strips from input names: they must not be in names.
ARCH_RE = re.compile(
    r"(?i)(?<![a-z0-9])(x64|x86|x86_64|amd64|arm64|win64|win32|ia64|i386|i686|"
    r"64[- ]?bit|32[- ]?bit|64 ?位元|32 ?位元|64 ?位|32 ?位)(?![a-z0-9])")
LANG_RE = re.compile(
    r"(?i)(?<![a-z0-9])(zh-tw|zh-cn|zh-hk|zh-hant|zh-hans|en-us|en-gb|ja-jp|ko-kr|"
    r"ru-ru|de-de|fr-fr)(?![a-z0-9])|繁體中文版|简体中文版|簡體中文版|中文版|英文版")
DOTTED_VERSION_RE = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+(?![\w.])")
NUMBER_RE = re.compile(r"\d")

# Minimal Simplified->Traditional table: enough for the characters used in these
# files, so that a 简体 name and its 繁體 twin are seen as one name (the loader
# uses OpenCC for the real conversion).
S2T_PAIRS = (
    "专專 业業 个個 为為 义義 乐樂 书書 云雲 亚亞 优優 会會 伟偉 体體 兴興 创創 办辦 务務 动動 势勢 华華 卫衛 压壓 发發 员員 哔嗶 图圖 国國 坚堅 执執 报報 壮壯 梦夢 奥奧 学學 实實 导導 对對 尔爾 库庫 应應 开開 态態 户戶 拟擬 据據 数數 术術 机機 杀殺 极極 标標 档檔 欧歐 汉漢 点點 爱愛 猎獵 盘盤 础礎 硕碩 码碼 矿礦 签簽 简簡 类類 红紅 级級 线線 终終 绒絨 络絡 统統 编編 缩縮 网網 罗羅 联聯 脑腦 腾騰 艺藝 节節 苹蘋 蓝藍 虚虛 处處 号號 见見 视視 览覽 觉覺 计計 认認 让讓 议議 讯訊 记記 设設 证證 识識 词詞 译譯 试試 语語 读讀 谷谷 贝貝 责責 赛賽 趋趨 软軟 载載 辑輯 输輸 达達 迈邁 远遠 连連 进進 选選 逊遜 邮郵 钉釘 铁鐵 银銀 锐銳 长長 门門 问問 阅閱 队隊 际際 陆陸 险險"
    " 电電 页頁 顶頂 频頻 风風 飞飛 马馬 驱驅 验驗 驴驢 鸟鳥 麦麥 浏瀏 览覽 晖暉 杰傑 鸿鴻 猫貓 龙龍 轮輪 键鍵 盖蓋 错錯 钱錢 币幣 游遊 戏戲 传傳 复復 刷刷 权權 护護 账賬 驾駕 汇匯 测測 运運 维維 监監 控控 摄攝 头頭 区區 块塊 链鏈")
S2T = str.maketrans({p[0]: p[1] for p in S2T_PAIRS.split()})


def normalise(name):
    """Approximation of the loader's normaliser (no version stripping)."""
    s = unicodedata.normalize("NFKC", name)
    s = s.replace("\u00ae", "").replace("\u2122", "").replace("\u00a9", "")
    s = s.casefold().translate(S2T)
    s = re.sub(r"[\s_]+", " ", s).strip()
    return s


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, path, line, msg):
        self.errors.append(f"{path}:{line}: error: {msg}")

    def warn(self, path, line, msg):
        self.warnings.append(f"{path}:{line}: warning: {msg}")


def read_rows(path, rep, min_fields, max_fields):
    """Yield (line_no, fields) for the data lines of a TSV file."""
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        rep.error(path, 0, f"cannot read: {e}")
        return
    if raw.startswith(b"\xef\xbb\xbf"):
        rep.error(path, 1, "file starts with a UTF-8 BOM")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        rep.error(path, 0, f"not valid UTF-8: {e}")
        return
    if text and not text.endswith("\n"):
        rep.warn(path, text.count("\n") + 1, "no newline at end of file")
    for no, line in enumerate(text.split("\n"), 1):
        if "\r" in line:
            rep.error(path, no, "carriage return (CRLF line end?)")
            line = line.replace("\r", "")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        # a trailing empty optional field is allowed ("a<TAB>b<TAB>c<TAB>")
        while len(fields) > min_fields and fields[-1] == "":
            fields.pop()
        if not (min_fields <= len(fields) <= max_fields):
            rep.error(path, no, f"expected {min_fields}"
                      + (f"-{max_fields}" if max_fields != min_fields else "")
                      + f" TAB-separated fields, found {len(fields)}")
            continue
        bad = False
        for i, f in enumerate(fields):
            if f != f.strip():
                rep.error(path, no, f"field {i + 1} has leading/trailing spaces: {f!r}")
                bad = True
            if f == "" and i < min_fields:
                rep.error(path, no, f"field {i + 1} is empty (two TABs in a row?)")
                bad = True
        if not bad:
            yield no, fields


def check_component(comp):
    return bool(COMPONENT_RE.match(comp)) and comp not in ("-", "*")


def parse_cpe(text):
    """'part:vendor:product' -> (part, vendor, product) or an error string."""
    parts = SPLIT_RE.split(text)
    if len(parts) != 3:
        return f"CPE must be part:vendor:product (3 components), got {len(parts)}: {text!r}"
    part, vendor, product = parts
    if part not in ("a", "o", "h"):
        return f"CPE part must be a, o or h: {text!r}"
    for what, comp in (("vendor", vendor), ("product", product)):
        if not check_component(comp):
            return (f"CPE {what} {comp!r} is not CPE 2.3 formatted-string syntax "
                    "(lower case [a-z0-9._-], other punctuation backslash-escaped)")
    return part, vendor, product


def split_names(field, path, no, rep):
    names = field.split("|")
    out = []
    for n in names:
        if n == "":
            rep.error(path, no, "empty name between '|' separators")
            continue
        if n != n.strip():
            rep.error(path, no, f"name has leading/trailing spaces: {n!r}")
            continue
        if "\t" in n:
            rep.error(path, no, f"TAB inside name: {n!r}")
            continue
        out.append(n)
    return out


def check_display_name(n, path, no, rep, allow_number):
    if ARCH_RE.search(n):
        rep.error(path, no, f"architecture tag in name (the normaliser strips it): {n!r}")
    if LANG_RE.search(n):
        rep.error(path, no, f"language tag in name (the normaliser strips it): {n!r}")
    if DOTTED_VERSION_RE.search(n):
        rep.error(path, no, f"version number in name (the normaliser strips it): {n!r}")
    if normalise(n) == "":
        rep.error(path, no, f"name is empty after normalisation: {n!r}")


class Vocabulary:
    """vendor:product pairs known to NVD, from the shared data."""

    def __init__(self, shared):
        self.pairs = set()      # "a:vendor:product"
        self.vendors = set()    # "vendor"
        self.sources = []
        csv_path = os.path.join(shared, "cpe", "tiiuae-cpedict-cpes.csv")
        if not os.path.exists(csv_path):
            self.available = False
            return
        self.available = True
        with open(csv_path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                self.add("a", row["vendor"], row["product"])
        self.sources.append(csv_path)
        xml_path = os.path.join(shared, "cpe",
                                "official-cpe-dictionary_v2.3.slice-syft-testdata.xml")
        if os.path.exists(xml_path):
            text = open(xml_path, encoding="utf-8", errors="replace").read()
            for m in re.finditer(r'name="cpe:2\.3:([aoh]):((?:[^:\\"]|\\.)+):((?:[^:\\"]|\\.)+):',
                                 text):
                self.add(*m.groups())
            self.sources.append(xml_path)
        nvd = sorted(glob.glob(os.path.join(shared, "nvd", "*.json")))
        for p in nvd:
            try:
                doc = json.load(open(p, encoding="utf-8"))
            except (OSError, ValueError):
                continue
            self._walk(doc)
        if nvd:
            self.sources.append(os.path.join(shared, "nvd") + f"/ ({len(nvd)} records)")

    def _walk(self, node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "criteria" and isinstance(v, str) and v.startswith("cpe:2.3:"):
                    comps = SPLIT_RE.split(v[len("cpe:2.3:"):])
                    if len(comps) >= 3:
                        self.add(comps[0], comps[1], comps[2])
                else:
                    self._walk(v)
        elif isinstance(node, list):
            for v in node:
                self._walk(v)

    def add(self, part, vendor, product):
        self.pairs.add(f"{part}:{vendor}:{product}")
        self.vendors.add(vendor)

    def has(self, part, vendor, product):
        return f"{part}:{vendor}:{product}" in self.pairs

    def has_vendor(self, vendor):
        return vendor in self.vendors


def check_aliases(path, rep, vocab, missing):
    seen = {}   # normalised name -> (cpe, version option, line)
    count = 0
    cats = {}
    for no, f in read_rows(path, rep, 3, 4):
        count += 1
        cat, cpe, names_field = f[0], f[1], f[2]
        opts = f[3].split() if len(f) > 3 else []
        if cat not in ALIAS_CATEGORIES:
            rep.error(path, no, f"unknown category {cat!r}")
        cats[cat] = cats.get(cat, 0) + 1
        parsed = None
        if cpe != "-":
            parsed = parse_cpe(cpe)
            if isinstance(parsed, str):
                rep.error(path, no, parsed)
                parsed = None
        version_opt = None
        for o in opts:
            if o == "prefix":
                continue
            if o == "namever" or re.match(r"^segments=[1-9]$", o) or re.match(r"^vmap=[A-Za-z0-9._-]+>[A-Za-z0-9._-]+$", o):
                if cpe == "-":
                    rep.error(path, no, f"{o} on an entry without CPE")
                continue
            if o.startswith("version="):
                val = o[len("version="):]
                if not val:
                    rep.error(path, no, "empty version= option")
                elif val not in ("name", "java") and not re.match(r"^[A-Za-z0-9._-]+$", val):
                    rep.error(path, no, f"bad version value {val!r}")
                version_opt = val
                continue
            rep.error(path, no, f"unknown option {o!r} (allowed: prefix, version=name, version=java, version=VALUE, segments=N, vmap=FROM>TO, namever)")
        if cpe == "-" and version_opt:
            rep.error(path, no, "version= option on an entry without CPE")
        names = split_names(names_field, path, no, rep)
        if not names:
            rep.error(path, no, "no names")
        for n in names:
            check_display_name(n, path, no, rep, version_opt == "name")
            if version_opt == "name" and not NUMBER_RE.search(n):
                rep.error(path, no, f"version=name but the name has no number: {n!r}")
            key = normalise(n)
            if key in seen:
                pcpe, pver, pno = seen[key]
                if (pcpe, pver) != (cpe, version_opt):
                    rep.error(path, no, f"name {n!r} also on line {pno} with a different "
                              f"CPE/version ({pcpe} {pver or ''})")
                elif pno != no:
                    rep.warn(path, no, f"name {n!r} repeated (also line {pno})")
            else:
                seen[key] = (cpe, version_opt, no)
        if parsed and vocab.available and not vocab.has(*parsed):
            missing.append((path, no, cpe, vocab.has_vendor(parsed[1]), names[:1]))
    return count, cats


def check_publishers(path, rep, vocab, missing):
    seen = {}
    count = 0
    vendors = set()
    for no, f in read_rows(path, rep, 2, 2):
        count += 1
        vendor = f[0]
        if not check_component(vendor):
            rep.error(path, no, f"vendor {vendor!r} is not a CPE 2.3 vendor component")
            continue
        if vendor in vendors:
            rep.error(path, no, f"vendor {vendor!r} has more than one line")
        vendors.add(vendor)
        names = split_names(f[1], path, no, rep)
        for n in names:
            key = normalise(n)
            if key in seen and seen[key][0] != vendor:
                rep.error(path, no, f"publisher {n!r} also maps to {seen[key][0]} "
                          f"(line {seen[key][1]})")
            elif key in seen and seen[key][1] != no:
                rep.warn(path, no, f"publisher {n!r} repeated (also line {seen[key][1]})")
            else:
                seen[key] = (vendor, no)
        if vocab.available and not vocab.has_vendor(vendor):
            missing.append((path, no, vendor, False, names[:1]))
    return count


def check_packages(path, rep, vocab, missing):
    seen = {}
    count = 0
    per_eco = {}
    for no, f in read_rows(path, rep, 3, 4):
        count += 1
        eco, names_field, cpe = f[:3]
        for o in (f[3].split() if len(f) > 3 else []):
            if not re.match(r"^segments=[1-9]$", o):
                rep.error(path, no, f"unknown option {o!r} (allowed: segments=N)")
            elif cpe == "-":
                rep.error(path, no, f"{o} on a line without CPE")
        if eco not in ECOSYSTEMS:
            rep.error(path, no, f"unknown ecosystem {eco!r}")
        per_eco[eco] = per_eco.get(eco, 0) + 1
        parsed = None
        if cpe != "-":
            parsed = parse_cpe(cpe)
            if isinstance(parsed, str):
                rep.error(path, no, parsed)
                parsed = None
        for n in split_names(names_field, path, no, rep):
            if " " in n:
                rep.error(path, no, f"space in package name {n!r}")
            if eco == "maven" and n.count(":") != 1:
                rep.error(path, no, f"maven name must be group:artifact: {n!r}")
            if eco in ("deb", "rpm", "apk", "pypi", "npm") and n != n.strip():
                rep.error(path, no, f"bad package name {n!r}")
            key = (eco, n if eco == "maven" else n.lower())
            if key in seen and seen[key][0] != cpe:
                rep.error(path, no, f"{eco} package {n!r} also maps to {seen[key][0]} "
                          f"(line {seen[key][1]})")
            elif key in seen:
                rep.warn(path, no, f"{eco} package {n!r} repeated")
            else:
                seen[key] = (cpe, no)
        if parsed and vocab.available and not vocab.has(*parsed):
            missing.append((path, no, cpe, vocab.has_vendor(parsed[1]), [names_field.split("|")[0]]))
    return count, per_eco


def check_match_value(path, no, rep, vocab, missing, match, value):
    if match not in BANNED_MATCH:
        rep.error(path, no, f"match must be vendor, product or name, not {match!r}")
        return
    if match == "vendor":
        if not check_component(value):
            rep.error(path, no, f"vendor {value!r} is not a CPE 2.3 vendor component")
        elif vocab.available and not vocab.has_vendor(value):
            missing.append((path, no, value, False, [value]))
    elif match == "product":
        comps = SPLIT_RE.split(value)
        if len(comps) != 2 or not all(check_component(c) for c in comps):
            rep.error(path, no, f"product must be vendor:product in CPE 2.3 syntax: {value!r}")
        elif vocab.available and not any(vocab.has(p, comps[0], comps[1]) for p in "aoh"):
            missing.append((path, no, value, vocab.has_vendor(comps[0]), [value]))
    else:
        check_display_name(value, path, no, rep, False)


def check_banned(path, rep, vocab, missing):
    count = 0
    seen = set()
    for no, f in read_rows(path, rep, 3, 3):
        count += 1
        match, value, reason = f
        check_match_value(path, no, rep, vocab, missing, match, value)
        key = (match, normalise(value))
        if key in seen:
            rep.warn(path, no, f"{match} {value!r} repeated")
        seen.add(key)
    return count


def check_unofficial(path, rep, vocab, missing):
    count = 0
    per_cat = {}
    seen = {}
    for no, f in read_rows(path, rep, 3, 4):
        count += 1
        cat, match, value = f[0], f[1], f[2]
        if cat not in UNOFFICIAL_CATEGORIES:
            rep.error(path, no, f"unknown category {cat!r}")
        per_cat[cat] = per_cat.get(cat, 0) + 1
        check_match_value(path, no, rep, vocab, missing, match, value)
        key = (match, normalise(value))
        if key in seen and seen[key] != cat:
            rep.error(path, no, f"{value!r} is already in category {seen[key]}")
        elif key in seen:
            rep.warn(path, no, f"{match} {value!r} repeated")
        seen[key] = cat
    return count, per_cat


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(repo, "data", "intake"))
    ap.add_argument("--shared", default=os.environ.get("LF_SHARED_DATA")
                    or os.path.join(os.path.dirname(repo), "shared", "data"))
    ap.add_argument("--quiet", action="store_true", help="do not print warnings")
    args = ap.parse_args()

    rep = Report()
    vocab = Vocabulary(args.shared)
    missing = []
    d = args.data
    summary = []

    files = {
        "aliases": os.path.join(d, "aliases.tsv"),
        "publishers": os.path.join(d, "publishers.tsv"),
        "packages": os.path.join(d, "packages.tsv"),
        "banned": os.path.join(d, "policy", "banned.tsv"),
        "unofficial": os.path.join(d, "policy", "unofficial.tsv"),
    }
    for key, p in files.items():
        if not os.path.exists(p):
            rep.error(p, 0, "file missing")

    if os.path.exists(files["aliases"]):
        n, cats = check_aliases(files["aliases"], rep, vocab, missing)
        summary.append(f"aliases.tsv: {n} entries ("
                       + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())) + ")")
    if os.path.exists(files["publishers"]):
        n = check_publishers(files["publishers"], rep, vocab, missing)
        summary.append(f"publishers.tsv: {n} vendors")
    if os.path.exists(files["packages"]):
        n, eco = check_packages(files["packages"], rep, vocab, missing)
        summary.append(f"packages.tsv: {n} lines ("
                       + ", ".join(f"{k} {v}" for k, v in sorted(eco.items())) + ")")
    if os.path.exists(files["banned"]):
        n = check_banned(files["banned"], rep, vocab, missing)
        summary.append(f"policy/banned.tsv: {n} entries")
    if os.path.exists(files["unofficial"]):
        n, cats = check_unofficial(files["unofficial"], rep, vocab, missing)
        summary.append(f"policy/unofficial.tsv: {n} entries ("
                       + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())) + ")")

    for line in summary:
        print(line)
    if not args.quiet:
        for w in rep.warnings:
            print(w)
    if vocab.available:
        print(f"dictionary check against: {'; '.join(vocab.sources)}")
        if missing:
            print(f"{len(missing)} vendor:product (or vendor) not found in the dictionary "
                  "or NVD records (warning, review by hand; see README):")
            for path, no, cpe, vendor_known, names in missing:
                hint = "vendor known" if vendor_known else "vendor unknown"
                print(f"  {os.path.relpath(path, d)}:{no}: {cpe} ({hint}) {names[0] if names else ''}")
        else:
            print("all vendor:product names found in the dictionary or NVD records")
    else:
        print(f"dictionary check skipped: no {os.path.join(args.shared, 'cpe', 'tiiuae-cpedict-cpes.csv')}")
    for e in rep.errors:
        print(e)
    print(f"format errors: {len(rep.errors)}, warnings: {len(rep.warnings)}, "
          f"not in dictionary: {len(missing)}")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
