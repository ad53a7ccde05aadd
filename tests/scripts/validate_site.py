#!/usr/bin/env python3
"""Checks a site gongkai wrote the way an outside reader's tools would read it.

  validate_site.py SITE [--base-url URL]
      Validates a built site: every JSON file parses and the open data validates against the
      JSON Schemas published beside it (Draft 2020-12, formats checked); every XML and SVG file
      is well-formed; the Atom feeds are Atom; the sitemap uses the sitemap namespace and lists
      absolute URLs of pages that exist; every CSV file starts with a UTF-8 byte-order mark.

  validate_site.py --fixture --gongkai BIN --themes DIR
      Makes a content repository with several periods, an amendment and a reporting calendar,
      builds it twice (the two builds must be byte-identical), builds a shallow clone of it too,
      and validates each site.

  validate_site.py --repo REPO [--content-dir DIR] --gongkai BIN --themes DIR
      Builds a repository's HEAD (the demo content, say) and validates the site.

  validate_site.py --self-test --gongkai BIN --themes DIR
      Breaks copies of a valid site one way at a time and checks that each break is caught.

Exits 0 when everything holds, 1 with one line per problem ("path: what is wrong") otherwise.
"""

import argparse
import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SVG = "{http://www.w3.org/2000/svg}"
BOM = b"\xef\xbb\xbf"
SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # the test must fail, not skip, when it cannot validate
    jsonschema = None


class Problems:
    def __init__(self):
        self.items = []

    def add(self, path, message):
        self.items.append(f"{path}: {message}")

    def __bool__(self):
        return bool(self.items)


# --- formats -----------------------------------------------------------------------------------

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# RFC 3986 characters; anything else (a space, a quote, non-ASCII) must be percent-encoded.
URI_CHARS_RE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def is_date(value):
    if not isinstance(value, str):
        return True
    if not DATE_RE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_date_time(value):
    """A datetime for an RFC 3339 date-time, or None."""
    if not DATE_TIME_RE.match(value):
        return None
    # Python before 3.11 reads neither "Z" nor fractions of other than 3 or 6 digits.
    text = re.sub(r"\.\d+", "", value.upper().replace("Z", "+00:00"))
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def is_date_time(value):
    return not isinstance(value, str) or parse_date_time(value) is not None


def is_uri_reference(value):
    if not isinstance(value, str):
        return True
    if not URI_CHARS_RE.match(value) or re.search(r"%(?![0-9A-Fa-f]{2})", value):
        return False
    try:
        urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return True


FORMATS = {"date": is_date, "date-time": is_date_time, "uri-reference": is_uri_reference}


def format_checker():
    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


def formats_used(schema, found):
    if isinstance(schema, dict):
        if isinstance(schema.get("format"), str):
            found.add(schema["format"])
        for v in schema.values():
            formats_used(v, found)
    elif isinstance(schema, list):
        for v in schema:
            formats_used(v, found)
    return found


# --- the site ----------------------------------------------------------------------------------


def site_files(site):
    out = []
    for root, _dirs, files in os.walk(site):
        for name in files:
            out.append(os.path.relpath(os.path.join(root, name), site).replace(os.sep, "/"))
    return sorted(out)


def read_bytes(site, rel):
    with open(os.path.join(site, rel), "rb") as f:
        return f.read()


def page_for_url(url, base_url, files):
    """The file a URL under the base URL is served from, or None."""
    if not url.startswith(base_url):
        return None
    rel = urllib.parse.unquote(url[len(base_url) :].split("#", 1)[0].split("?", 1)[0])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return rel if rel in files else None


def is_absolute(url):
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def check_json(site, files, problems):
    documents = {}
    for rel in files:
        if not rel.endswith(".json"):
            continue
        try:
            text = read_bytes(site, rel).decode("utf-8")
            documents[rel] = json.loads(text, parse_constant=reject_constant)
        except (UnicodeDecodeError, ValueError) as e:
            problems.add(rel, f"does not parse as JSON: {e}")
    return documents


def check_open_data(site, files, documents, base_url, problems):
    if jsonschema is None:
        problems.add("(python)", "the jsonschema module is missing: install python3-jsonschema (tools/install-deps)")
        return
    for name in ("projects", "reports"):
        data_path, schema_path = f"data/{name}.json", f"data/{name}.schema.json"
        if data_path not in files or schema_path not in files:
            problems.add(data_path, f"the site lacks {data_path} or {schema_path}")
            continue
        data, schema = documents.get(data_path), documents.get(schema_path)
        if data is None or schema is None:
            continue  # already reported as unparsable
        if schema.get("$schema") != SCHEMA_DRAFT:
            problems.add(schema_path, f"$schema is {schema.get('$schema')!r}, not Draft 2020-12")
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            problems.add(schema_path, f"is not a valid Draft 2020-12 schema: {e.message}")
            continue
        unknown = formats_used(schema, set()) - set(FORMATS)
        if unknown:
            problems.add(schema_path, f"uses formats this check cannot verify: {sorted(unknown)}")
        expected_url = base_url + schema_path
        if schema.get("$id") != expected_url:
            problems.add(schema_path, f"$id is {schema.get('$id')!r}, expected {expected_url!r}")
        if isinstance(data, dict) and data.get("$schema") != expected_url:
            problems.add(data_path, f"$schema is {data.get('$schema')!r}, expected {expected_url!r}")
        validator = Draft202012Validator(schema, format_checker=format_checker())
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            problems.add(data_path, f"at {where}: {error.message}")
    check_open_data_links(files, documents, base_url, problems)


def check_open_data_links(files, documents, base_url, problems):
    projects = documents.get("data/projects.json")
    reports = documents.get("data/reports.json")
    if not isinstance(projects, dict) or not isinstance(reports, dict):
        return
    if projects.get("site", {}).get("base_url") != base_url:
        problems.add("data/projects.json", f"site.base_url is not {base_url!r}")
    ids = set()
    for p in projects.get("projects", []):
        if not isinstance(p, dict):
            continue
        ids.add(p.get("id"))
        if page_for_url(str(p.get("url")), base_url, files) is None:
            problems.add("data/projects.json", f"project {p.get('id')}: url {p.get('url')!r} names no page of the site")
    counts = {}
    for r in reports.get("reports", []):
        if not isinstance(r, dict):
            continue
        counts[r.get("project")] = counts.get(r.get("project"), 0) + 1
        if r.get("project") not in ids:
            problems.add("data/reports.json", f"report {r.get('id')}: project {r.get('project')!r} is not in projects.json")
        if page_for_url(str(r.get("url")), base_url, files) is None:
            problems.add("data/reports.json", f"report {r.get('id')}: url {r.get('url')!r} names no page of the site")
    for p in projects.get("projects", []):
        if isinstance(p, dict) and p.get("report_count") != counts.get(p.get("id"), 0):
            problems.add("data/projects.json", f"project {p.get('id')}: report_count {p.get('report_count')} "
                         f"but reports.json has {counts.get(p.get('id'), 0)}")


def parse_xml(site, rel, problems):
    data = read_bytes(site, rel)
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        problems.add(rel, f"is not well-formed XML: {e}")
        return None


def check_xml(site, files, problems):
    trees = {}
    xml_files = [f for f in files if f.endswith(".xml") or f.endswith(".svg")]
    for rel in xml_files:
        tree = parse_xml(site, rel, problems)
        if tree is not None:
            trees[rel] = tree
    # A second, independent parser where there is one.
    xmllint = shutil.which("xmllint")
    if xmllint and xml_files:
        for rel in xml_files:
            r = subprocess.run([xmllint, "--noout", "--nonet", os.path.join(site, rel)], capture_output=True, text=True)
            if r.returncode != 0:
                problems.add(rel, f"xmllint rejects it: {r.stderr.strip()}")
    return trees


def check_svgs(files, trees, problems):
    for rel in files:
        if not rel.endswith(".svg") or rel not in trees:
            continue
        root = trees[rel]
        if root.tag != SVG + "svg":
            problems.add(rel, f"root element is {root.tag}, not an SVG svg element")
            continue
        if rel.startswith("assets/"):
            continue  # icons and the like: only well-formedness
        # A chart: an image with a title and a description, named by them.
        if root.get("role") != "img":
            problems.add(rel, 'the chart lacks role="img"')
        children = list(root)
        title = children[0] if children and children[0].tag == SVG + "title" else None
        desc = children[1] if len(children) > 1 and children[1].tag == SVG + "desc" else None
        if title is None or not (title.text or "").strip():
            problems.add(rel, "the chart's first child is not a <title> with text")
        if desc is None or not (desc.text or "").strip():
            problems.add(rel, "the chart's second child is not a <desc> with text")
        labelledby = (root.get("aria-labelledby") or "").split()
        for element, what in ((title, "title"), (desc, "desc")):
            if element is not None and element.get("id") not in labelledby:
                problems.add(rel, f"aria-labelledby does not name the <{what}>")
        if root.find(".//" + SVG + "script") is not None:
            problems.add(rel, "the chart holds a script")


def text_of(element, tag):
    child = element.find(tag)
    return None if child is None else (child.text or "").strip()


def check_feed(rel, root, base_url, files, problems):
    if root.tag != ATOM + "feed":
        problems.add(rel, f"root element is {root.tag}, not {ATOM}feed")
        return
    for tag in ("id", "title", "updated"):
        if not text_of(root, ATOM + tag):
            problems.add(rel, f"the feed has no <{tag}>")
    updated = text_of(root, ATOM + "updated")
    if updated and parse_date_time(updated) is None:
        problems.add(rel, f"the feed's <updated> {updated!r} is not an RFC 3339 date-time")
    if text_of(root, ATOM + "id") != base_url + rel:
        problems.add(rel, f"the feed's <id> is {text_of(root, ATOM + 'id')!r}, expected {base_url + rel!r}")
    self_links = [l.get("href") for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
    if self_links != [base_url + rel]:
        problems.add(rel, f"the feed's rel=self link is {self_links}, expected [{base_url + rel!r}]")
    has_author = root.find(ATOM + "author/" + ATOM + "name") is not None
    seen = set()
    for i, entry in enumerate(root.findall(ATOM + "entry"), 1):
        where = f"entry {i}"
        for tag in ("id", "title", "updated"):
            if not text_of(entry, ATOM + tag):
                problems.add(rel, f"{where} has no <{tag}>")
        entry_id = text_of(entry, ATOM + "id")
        if entry_id in seen:
            problems.add(rel, f"{where} repeats the id {entry_id!r}")
        seen.add(entry_id)
        times = {}
        for tag in ("updated", "published"):
            value = text_of(entry, ATOM + tag)
            if value is not None:
                times[tag] = parse_date_time(value)
                if times[tag] is None:
                    problems.add(rel, f"{where}: <{tag}> {value!r} is not an RFC 3339 date-time")
        if times.get("published") and times.get("updated") and times["published"] > times["updated"]:
            problems.add(rel, f"{where} was updated before it was published")
        if not has_author and entry.find(ATOM + "author/" + ATOM + "name") is None:
            problems.add(rel, f"{where} has no author, and neither has the feed")
        links = [l for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        if not links:
            problems.add(rel, f"{where} has no alternate link")
        for link in links:
            href = link.get("href") or ""
            if not is_absolute(href) or page_for_url(href, base_url, files) is None:
                problems.add(rel, f"{where} links {href!r}, which is not an absolute URL of a page of the site")


def check_feeds(files, trees, base_url, problems):
    feeds = [f for f in files if f == "atom.xml" or re.fullmatch(r"departments/[^/]+/atom\.xml", f)]
    if "atom.xml" not in files:
        problems.add("atom.xml", "the site has no feed")
    for rel in files:
        if re.fullmatch(r"departments/[^/]+/index\.html", rel) and rel.replace("index.html", "atom.xml") not in files:
            problems.add(rel, "the department has no feed beside its page")
    for rel in feeds:
        if rel in trees:
            check_feed(rel, trees[rel], base_url, files, problems)


def check_sitemap(site, files, trees, base_url, problems):
    rel = "sitemap.xml"
    if rel not in files:
        problems.add(rel, "the site has no sitemap")
        return
    root = trees.get(rel)
    if root is None:
        return
    if root.tag != SITEMAP + "urlset":
        problems.add(rel, f"root element is {root.tag}, not {SITEMAP}urlset")
        return
    listed = set()
    for url in root:
        if url.tag != SITEMAP + "url":
            problems.add(rel, f"unexpected element {url.tag}")
            continue
        loc = text_of(url, SITEMAP + "loc")
        if not loc:
            problems.add(rel, "a <url> without <loc>")
            continue
        if not is_absolute(loc):
            problems.add(rel, f"{loc!r} is not an absolute URL")
            continue
        page = page_for_url(loc, base_url, files)
        if page is None:
            problems.add(rel, f"{loc!r} names no page of the site")
        if loc in listed:
            problems.add(rel, f"{loc!r} is listed twice")
        listed.add(loc)
        if page is not None:
            listed.add(page)
        lastmod = text_of(url, SITEMAP + "lastmod")
        if lastmod is not None and not (DATE_RE.match(lastmod) and is_date(lastmod)) and parse_date_time(lastmod) is None:
            problems.add(rel, f"{loc!r}: lastmod {lastmod!r} is not a W3C date")
    for page in files:
        if page.endswith(".html") and page != "404.html" and page not in listed:
            problems.add(rel, f"does not list the page {page}")
    robots = "robots.txt"
    if robots not in files:
        problems.add(robots, "the site has no robots.txt")
    elif f"Sitemap: {base_url}sitemap.xml" not in read_bytes(site, robots).decode("utf-8"):
        problems.add(robots, f"does not point at {base_url}sitemap.xml")


def check_csvs(site, files, problems):
    for rel in files:
        if not rel.endswith(".csv"):
            continue
        data = read_bytes(site, rel)
        if not data.startswith(BOM):
            problems.add(rel, "does not start with a UTF-8 byte-order mark")
            continue
        try:
            text = data[len(BOM) :].decode("utf-8")
        except UnicodeDecodeError as e:
            problems.add(rel, f"is not UTF-8: {e}")
            continue
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            problems.add(rel, "has no header row")
            continue
        for i, row in enumerate(rows[1:], 2):
            if len(row) != len(rows[0]):
                problems.add(rel, f"row {i} has {len(row)} cells, the header {len(rows[0])}")


def base_url_of(site, documents):
    data = documents.get("data/projects.json")
    if isinstance(data, dict):
        url = data.get("site", {}).get("base_url")
        if isinstance(url, str):
            return url
    return None


def validate(site, base_url=None):
    """Every problem of the site at site, as lines."""
    problems = Problems()
    files = site_files(site)
    documents = check_json(site, files, problems)
    if base_url is None:
        base_url = base_url_of(site, documents)
    if not base_url:
        problems.add("data/projects.json", "cannot tell the site's base URL")
        return problems.items
    if not is_absolute(base_url) or not base_url.endswith("/"):
        problems.add("data/projects.json", f"the base URL {base_url!r} is not an absolute URL ending in /")
    check_open_data(site, files, documents, base_url, problems)
    trees = check_xml(site, files, problems)
    check_svgs(files, trees, problems)
    check_feeds(files, trees, base_url, problems)
    check_sitemap(site, files, trees, base_url, problems)
    check_csvs(site, files, problems)
    return problems.items


# --- building sites ----------------------------------------------------------------------------

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_AUTHOR_NAME": "Gongkai Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Gongkai Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}

FIXTURE = {
    "gongkai.toml": """title = "示例区重点工作推进情况（测试）"
language = "zh-CN"
base_url = "https://example.org/progress/"
publisher = "示例区人民政府"
programme = "区政府重点工作"
sample_data = true

[calendar]
frequency = "monthly"
due_day = 25
""",
    "departments/transport.toml": 'name = "示例区交通委员会"\nshort_name = "区交通委"\n',
    "departments/education.toml": 'name = "示例区教育局"\n\n[[contacts]]\nname = "王老师"\nphone = "12345678"\n',
    "departments/culture.toml": 'name = "示例区文化旅游局"\n',
    "projects/2020-007.md": """+++
title = "完善慢行交通网络 & <步道>"
year = 2020
number = "007"
department = "transport"
co_departments = ["education"]

[[goals]]
id = "1"
title = "步道"

  [[goals.goals]]
  id = "1.1"
  title = "滨江步道"

  [[goals.goals]]
  id = "1.2"
  title = "社区步道"
+++
建设慢行步道，"连通" 各街道。
""",
    "projects/2020-012.md": """+++
title = "建设智慧校园"
year = 2020
number = "012"
department = "education"

[[milestones]]
date = 2020-03-31
expected = 10

[[milestones]]
date = 2020-06-30
expected = 40
+++
推进校园信息化。
""",
    "projects/2020-020.md": """+++
title = "举办社区文化节"
year = 2020
number = "020"
department = "culture"
+++
尚未开始。
""",
}

REPORTS = {
    "reports/2020-007/2020-03.md": ("2020-01-01", "2020-03-31", "2020-03-20", "completion = 20"),
    "reports/2020-007/2020-06.md": ("2020-01-01", "2020-06-30", "2020-06-20", "completion = 45"),
    "reports/2020-007/2020-09.md": ("2020-01-01", "2020-09-30", "2020-09-20", "completion = 70"),
    "reports/2020-012/2020-06.md": ("2020-01-01", "2020-06-30", "2020-06-22", "on_schedule = true"),
}


def report_text(start, end, date, figure, extra=""):
    return (f"+++\nperiod_start = {start}\nperiod_end = {end}\ndate = {date}\n{figure}\n{extra}+++\n"
            "## （一）目前进展情况\n\n按计划推进，=SUM(A1) 不应被当作公式。\n")


def run(command, cwd=None, env=None, check=True):
    full_env = dict(os.environ)
    full_env.update(GIT_ENV)
    if env:
        full_env.update(env)
    r = subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def commit(repo, message, when):
    run(["git", "add", "-A"], cwd=repo)
    run(["git", "commit", "-q", "-m", message], cwd=repo, env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def make_fixture_repo(repo):
    run(["git", "init", "-q", "-b", "main", repo])
    for rel, text in FIXTURE.items():
        write(repo, rel, text)
    for rel, (start, end, date, figure) in REPORTS.items():
        write(repo, rel, report_text(start, end, date, figure))
    commit(repo, "发布 1–9 月报告", "2020-10-21T12:00:00+08:00")
    # The October report, then an amendment of it, then a report that fills in nothing new.
    october = ("2020-01-01", "2020-10-31", "2020-11-02")
    goals = '\n[goal_completion]\n"1" = 80\n"1.1" = 70\n"1.2" = 90\n'
    write(repo, "reports/2020-007/2020-10.md", report_text(*october, "completion = 80", goals))
    commit(repo, "发布 10 月报告", "2020-11-03T09:30:00+08:00")
    write(repo, "reports/2020-007/2020-10.md", report_text(*october, "completion = 85", goals))
    commit(repo, "更正 10 月完成率", "2020-11-05T16:45:00+08:00")
    write(repo, "reports/2020-012/2020-10.md", report_text("2020-01-01", "2020-10-31", "2020-11-04", "completion = 75"))
    commit(repo, "Education: October", "2020-11-27T08:00:00-05:00")


def build(gongkai, themes, repo, out, content_dir=None, env=None):
    command = [gongkai, "build", "--repo", repo, "--out", out, "--theme-dir", themes]
    if content_dir:
        command += ["--content-dir", content_dir]
    r = run(command, env=env, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"gongkai build failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r.stdout + r.stderr


def differences(a, b):
    fa, fb = site_files(a), site_files(b)
    out = [f"only in the first build: {f}" for f in sorted(set(fa) - set(fb))]
    out += [f"only in the second build: {f}" for f in sorted(set(fb) - set(fa))]
    out += [f"differs between two builds: {f}" for f in sorted(set(fa) & set(fb)) if read_bytes(a, f) != read_bytes(b, f)]
    return out


def fixture_sites(args, tmp):
    """Builds the fixture: a full build, a second one for comparison, and a shallow clone's."""
    repo = os.path.join(tmp, "content")
    make_fixture_repo(repo)
    first, second = os.path.join(tmp, "site"), os.path.join(tmp, "again")
    build(args.gongkai, args.themes, repo, first, env={"TZ": "Asia/Shanghai"})
    build(args.gongkai, args.themes, repo, second, env={"TZ": "America/New_York"})
    shallow_repo = os.path.join(tmp, "shallow")
    run(["git", "clone", "-q", "--depth", "1", "file://" + repo, shallow_repo])
    shallow_site = os.path.join(tmp, "shallow-site")
    output = build(args.gongkai, args.themes, shallow_repo, shallow_site)
    problems = differences(first, second)
    if "shallow" not in output:
        problems.append(f"{shallow_repo}: building a shallow clone did not say 'shallow':\n{output}")
    return first, shallow_site, problems


# --- self-test ---------------------------------------------------------------------------------


def edit_json(rel, change):
    def mutate(site):
        path = os.path.join(site, rel)
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        change(data)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
    return mutate


def edit_text(rel, old, new):
    def mutate(site):
        path = os.path.join(site, rel)
        with open(path, "rb") as f:
            data = f.read()
        if old.encode() not in data:
            raise RuntimeError(f"self-test: {rel} does not contain {old!r}")
        with open(path, "wb") as f:
            f.write(data.replace(old.encode(), new.encode(), 1))
    return mutate


def remove(rel):
    return lambda site: os.remove(os.path.join(site, rel))


def first_project(data):
    return data["projects"][0]


# Each way of breaking a site, and words the complaint about it must contain.
MUTATIONS = [
    ("projects.json is not JSON", edit_text("data/projects.json", "{", "{,"), "does not parse as JSON"),
    ("reports.json has a trailing comma", edit_text("data/reports.json", "\n  ]", ",\n  ]"), "does not parse as JSON"),
    ("a completion over 100", edit_json("data/projects.json", lambda d: first_project(d).update(completion=120)),
     "data/projects.json: at projects/0/completion"),
    ("a required key missing", edit_json("data/projects.json", lambda d: first_project(d).pop("behind_schedule")),
     "'behind_schedule' is a required property"),
    ("an unknown key", edit_json("data/reports.json", lambda d: d["reports"][0].update(extra=1)),
     "data/reports.json: at reports/0"),
    ("an impossible date", edit_json("data/projects.json", lambda d: d.update(as_of="2020-13-45")),
     "at as_of"),
    ("a date-time without a zone", edit_json("data/reports.json",
                                             lambda d: d["reports"][-1]["first_published"].update(time="2020-10-21 12:00")),
     "data/reports.json: at reports"),
    ("a URL with a space", edit_json("data/projects.json", lambda d: first_project(d).update(url="https://example.org/a b/")),
     "data/projects.json"),
    ("the schema itself broken", edit_json("data/reports.schema.json", lambda d: d.update(type="objekt")),
     "is not a valid Draft 2020-12 schema"),
    ("a schema of another draft", edit_json("data/projects.schema.json",
                                            lambda d: d.update({"$schema": "http://json-schema.org/draft-07/schema#"})),
     "not Draft 2020-12"),
    ("the schema removed", remove("data/reports.schema.json"), "data/reports.json: the site lacks"),
    ("atom.xml cut short", edit_text("atom.xml", "</feed>", ""), "atom.xml: is not well-formed XML"),
    ("atom.xml in no namespace", edit_text("atom.xml", ' xmlns="http://www.w3.org/2005/Atom"', ""),
     "atom.xml: root element is feed"),
    ("atom.xml without updated", lambda site: _drop_feed_updated(site), "atom.xml: the feed has no <updated>"),
    ("an entry linking a missing page", edit_text("atom.xml", 'href="https://example.org/progress/projects/2020-007/reports/2020-09/"',
                                                          'href="https://example.org/progress/projects/2020-007/reports/2020-99/"'),
     "atom.xml: entry"),
    ("a department feed cut short", edit_text("departments/transport/atom.xml", "</feed>", "</fed>"),
     "departments/transport/atom.xml: is not well-formed XML"),
    ("sitemap in the wrong namespace", edit_text("sitemap.xml", "http://www.sitemaps.org/schemas/sitemap/0.9",
                                                 "http://www.google.com/schemas/sitemap/0.84"),
     "sitemap.xml: root element"),
    ("sitemap listing a missing page", edit_text("sitemap.xml", "projects/2020-007/</loc>", "projects/2020-008/</loc>"),
     "names no page of the site"),
    ("sitemap with a relative URL", edit_text("sitemap.xml", "<loc>https://example.org/progress/departments/</loc>",
                                              "<loc>/progress/departments/</loc>"), "is not an absolute URL"),
    ("sitemap leaving a page out", lambda site: _drop_sitemap_entry(site, "departments/culture/"),
     "does not list the page departments/culture/index.html"),
    ("a chart that is not XML", edit_text("projects/2020-007/progress.svg", "</svg>", "</svg"),
     "progress.svg: is not well-formed XML"),
    ("a chart without its description", lambda site: _drop_svg_desc(site, "charts/status.svg"),
     "charts/status.svg: the chart's second child is not a <desc>"),
    ("a chart without role=img", edit_text("departments/education/completion.svg", 'role="img"', 'role="presentation"'),
     'lacks role="img"'),
    ("a CSV without its BOM", lambda site: _strip_bom(site, "data/reports.csv"),
     "data/reports.csv: does not start with a UTF-8 byte-order mark"),
    ("a CSV row with a cell too many", lambda site: _append(site, "data/projects.csv", "a,b\r\n"),
     "data/projects.csv: row"),
    ("robots.txt without the sitemap", edit_text("robots.txt", "Sitemap:", "Site-map:"), "robots.txt: does not point"),
]


def _drop_feed_updated(site):
    path = os.path.join(site, "atom.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\n  <updated>[^<]*</updated>", "", text, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _drop_sitemap_entry(site, suffix):
    path = os.path.join(site, "sitemap.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = re.sub(r"  <url>\n    <loc>[^<]*" + re.escape(suffix) + r"</loc>\n(    <lastmod>[^<]*</lastmod>\n)?  </url>\n",
                 "", text)
    if new == text:
        raise RuntimeError(f"self-test: the sitemap does not list {suffix}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def _drop_svg_desc(site, rel):
    path = os.path.join(site, rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = re.sub(r"<desc[^>]*>.*?</desc>", "", text, count=1, flags=re.S)
    if new == text:
        raise RuntimeError(f"self-test: {rel} has no <desc>")
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def _strip_bom(site, rel):
    path = os.path.join(site, rel)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[len(BOM) :])


def _append(site, rel, text):
    with open(os.path.join(site, rel), "ab") as f:
        f.write(text.encode("utf-8"))


def self_test(site, tmp):
    failures = []
    clean = validate(site)
    if clean:
        return ["the unbroken site already fails:"] + clean
    for i, (name, mutate, expected) in enumerate(MUTATIONS):
        broken = os.path.join(tmp, f"broken-{i}")
        shutil.copytree(site, broken)
        mutate(broken)
        problems = validate(broken)
        if not problems:
            failures.append(f"not caught: {name}")
        elif not any(expected in p for p in problems):
            failures.append(f"caught, but not as expected ({expected!r}): {name}:\n  " + "\n  ".join(problems))
        else:
            print(f"caught: {name}")
        shutil.rmtree(broken)
    print(f"{len(MUTATIONS) - len(failures)} passed, {len(failures)} failed")
    return failures


# --- main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", help="a built site to validate")
    parser.add_argument("--base-url", help="the site's base URL; default: from data/projects.json")
    parser.add_argument("--fixture", action="store_true", help="build and validate the fixture repository")
    parser.add_argument("--self-test", action="store_true", help="check that broken sites are caught")
    parser.add_argument("--repo", help="build and validate this repository's HEAD")
    parser.add_argument("--content-dir", help="the content's folder within --repo")
    parser.add_argument("--gongkai", help="the gongkai binary")
    parser.add_argument("--themes", help="the themes folder")
    args = parser.parse_args()

    if jsonschema is None:
        print("validate_site: the jsonschema module is missing: install python3-jsonschema (tools/install-deps)",
              file=sys.stderr)
        return 1
    building = args.fixture or args.self_test or args.repo
    if building and not (args.gongkai and args.themes):
        parser.error("--fixture, --self-test and --repo need --gongkai and --themes")
    if not building and not args.site:
        parser.error("name a site, or use --fixture, --self-test or --repo")

    problems = []
    with tempfile.TemporaryDirectory(prefix="gongkai-validate-") as tmp:
        if args.site:
            problems += validate(args.site, args.base_url)
        if args.repo:
            site = os.path.join(tmp, "repo-site")
            build(args.gongkai, args.themes, args.repo, site, args.content_dir)
            problems += validate(site, args.base_url)
            print(f"validated {len(site_files(site))} files built from {args.repo}")
        if args.fixture or args.self_test:
            site, shallow_site, build_problems = fixture_sites(args, tmp)
            if args.fixture:
                problems += build_problems
                problems += validate(site)
                problems += [f"(shallow clone) {p}" for p in validate(shallow_site)]
                print(f"validated {len(site_files(site))} files of the fixture site, twice built, and its shallow clone's")
            if args.self_test:
                problems += self_test(site, tmp)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"validate_site: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("validate_site: no problems found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
