"""Extract the export column titles (and status / priority words) of the helpdesk presets from the tools'
own translation catalogues into `titles.csv` beside this script.

Run by hand when a catalogue changes; never imported by the product (the product reads `titles.csv`).
It reads bare git mirrors (a `git clone --mirror` of each repository below) at a fixed commit:

    python sla_core/data/catalogues/extract_titles.py MIRRORS_DIR

where MIRRORS_DIR holds `<owner>+<name>/repo` for each repository named in SOURCES. Every row of the
output says where its text came from: repository, path, commit, msgctxt and msgid.

What is read, per tool (the msgids are the ones the tool's export writes as column titles):

- GLPI: the ticket search options' names (inc/commonitilobject.class.php, inc/ticket.class.php: ID,
  Opening date, Resolution date, Closing date, Priority, Status, Category, Request source, Requester,
  Technician, Technician group …), their statuses (_x('status', …)) and priorities (_x('priority', …)),
  from locales/<lang>.po. The repository is a fork carrying glpi-project/glpi's history (GLPI 9.5.0-dev);
  glpi-project/glpi itself is too large to mirror here.
- OTRS: the agent ticket search's CSV export (Kernel/Modules/AgentTicketSearch.pm translates each header
  of Ticket::Frontend::AgentTicketSearch###SearchCSVData, and the State values) from
  Kernel/Language/<lang>.pm of an OTRS Community Edition fork (Znuny's own repository is too large to
  mirror here; its Kernel/Language files descend from the same ones).
- Zammad: lib/excel_sheet/ticket.rb's headers from i18n/zammad.<lang>.po (a fork carrying
  zammad/zammad's history). NB: Zammad's sheet writer puts the English msgids in the file untranslated;
  the translations matter for lists copied from its translated interface.
- BlueKing ITSM (bk-itsm): itsm/component/constants/ticket.py EXPORT_FIELDS and BUILTIN_TICKET_STATUS,
  itsm/component/constants/builtin.py PRIORITYS; the msgids are Chinese, the English from
  locale/en/LC_MESSAGES/django.po. There is no Traditional Chinese catalogue.

- osTicket: include/class.queue.php's standard export fields (the English msgids, from
  osTicket/osTicket itself) translated by the official language packs (Crowdin project
  osticket-official, 1.14.x: include/i18n/<lang>/LC_MESSAGES/messages.mo.php, a PHP array of
  msgid => msgstr), and the status and priority names an install in that language writes into its
  database (include/i18n/<lang>/1.14.x/ticket_status.yaml, priority.yaml), paired with en_US's by
  position (statuses) and key (priorities). The packs are not in the repository's own history: the
  files were read one by one at a commit stored under osTicket/osTicket (its fork network), so they
  are "loose": the lines this script reads are kept verbatim in loose/osTicket+osTicket@<commit>/
  beside it (whole files under MIRRORS_DIR/osTicket+osTicket@<commit>/ are read first when present).
  zh_CN and zh_TW only (each pack is ~100 kB read by hand here; pt_BR, es, fr, de were not cheap).
  zh_TW translates no "Closed Date": that column is written in English.

Not covered, for want of a public catalogue: Jira (Atlassian's language packs are not public).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "titles.csv"
LOOSE = Path(__file__).resolve().parent / "loose"  # files read one by one, not from a git mirror
FIELDS = ("tool", "kind", "meaning", "lang", "text", "msgctxt", "msgid", "repo", "path", "commit")

GLPI = {
    "repo": "ettalhi/glpi",
    "commit": "3844f39fda243bd49524dbc81158157408089c1d",
    "files": {
        "zh_CN": "locales/zh_CN.po",
        "zh_TW": "locales/zh_TW.po",
        "pt_BR": "locales/pt_BR.po",
        "es": "locales/es_ES.po",
        "fr": "locales/fr_FR.po",
        "de": "locales/de_DE.po",
    },
    "english": "locales/en_GB.po",
    "entries": [
        ("column", "ticket_id", "", "ID"),
        ("column", "created_at", "", "Opening date"),
        ("column", "resolved_at", "", "Resolution date"),
        ("column", "closed_at", "", "Closing date"),
        ("column", "priority", "", "Priority"),
        ("column", "status", "", "Status"),
        ("column", "category", "", "Category"),
        ("column", "channel", "", "Request source"),
        ("column", "customer", "", "Requester"),
        ("column", "assignee", "", "Technician"),
        ("column", "team", "", "Technician group"),
        ("column", "", "", "Title"),
        ("column", "", "", "Last update"),
        ("column", "", "", "Time to resolve"),
        ("column", "", "", "Urgency"),
        ("column", "", "", "Impact"),
        ("column", "", "", "Entity"),
        ("state", "new", "status", "New"),
        ("state", "active", "status", "Processing (assigned)"),
        ("state", "active", "status", "Processing (planned)"),
        ("state", "pause", "", "Pending"),
        ("state", "resolved", "status", "Solved"),
        ("state", "closed", "status", "Closed"),
        ("priority", "1", "priority", "Major"),
        ("priority", "1", "priority", "Very high"),
        ("priority", "2", "priority", "High"),
        ("priority", "3", "priority", "Medium"),
        ("priority", "4", "priority", "Low"),
        ("priority", "5", "priority", "Very low"),
    ],
}
OTRS = {
    "repo": "Centuran/OTRS-Community-Edition",
    "commit": "6357cdb89fe1dcc83a84fba14bd0f22898eea99a",
    "files": {
        "zh_CN": "Kernel/Language/zh_CN.pm",
        "zh_TW": "Kernel/Language/zh_TW.pm",
        "pt_BR": "Kernel/Language/pt_BR.pm",
        "es": "Kernel/Language/es.pm",
        "fr": "Kernel/Language/fr.pm",
        "de": "Kernel/Language/de.pm",
    },
    # where the English msgids are written: the CSV headers' list and the initial states
    "english": {
        "column": "Kernel/Config/Files/XML/Ticket.xml",
        "state": "scripts/database/otrs-initial_insert.xml",
    },
    "entries": [
        ("column", "ticket_id", "", "Ticket Number"),
        ("column", "created_at", "", "Created"),
        ("column", "closed_at", "", "Closed"),
        ("column", "first_response_at", "", "FirstResponse"),
        ("column", "status", "", "State"),
        ("column", "priority", "", "Priority"),
        ("column", "team", "", "Queue"),
        ("column", "assignee", "", "Owner"),
        ("column", "customer", "", "Customer Name"),
        ("column", "", "", "CustomerID"),
        ("column", "", "", "Age"),
        ("column", "", "", "FirstLock"),
        ("column", "", "", "Lock"),
        ("column", "", "", "UserFirstname"),
        ("column", "", "", "UserLastname"),
        ("column", "", "", "From"),
        ("column", "", "", "Subject"),
        ("column", "", "", "AccountedTime"),
        ("column", "", "", "ArticleTree"),
        ("column", "", "", "SolutionInMin"),
        ("column", "", "", "SolutionDiffInMin"),
        ("column", "", "", "FirstResponseInMin"),
        ("column", "", "", "FirstResponseDiffInMin"),
        ("state", "new", "", "new"),
        ("state", "active", "", "open"),
        ("state", "pause", "", "pending reminder"),
        ("state", "pause", "", "pending auto close+"),
        ("state", "pause", "", "pending auto close-"),
        ("state", "closed", "", "closed successful"),
        ("state", "closed", "", "closed unsuccessful"),
        ("state", "closed", "", "merged"),
        ("state", "cancelled", "", "removed"),
    ],
}
ZAMMAD = {
    "repo": "sufficit/sufficit-zammad",
    "commit": "e3e943df9b7b8b8b5fcaf4ebd221d756766a19c6",
    "files": {
        "zh_CN": "i18n/zammad.zh-cn.po",
        "zh_TW": "i18n/zammad.zh-tw.po",
        "pt_BR": "i18n/zammad.pt-br.po",
        "es": "i18n/zammad.es-es.po",
        "fr": "i18n/zammad.fr-fr.po",
        "de": "i18n/zammad.de-de.po",
    },
    "english": "i18n/zammad.pot",
    "entries": [
        ("column", "status", "", "State"),
        ("column", "priority", "", "Priority"),
        ("column", "team", "", "Group"),
        ("column", "assignee", "", "Owner"),
        ("column", "customer", "", "Customer"),
        ("column", "channel", "", "Create Channel"),
        ("column", "created_at", "", "Created At"),
        ("column", "closed_at", "", "Closed At"),
        ("column", "first_response_at", "", "First Response At"),
        ("column", "", "", "Title"),
        ("column", "", "", "Organization"),
        ("column", "", "", "Updated At"),
        ("column", "", "", "Time Units Total"),
    ],
}
BKITSM = {
    "repo": "TencentBlueKing/bk-itsm",
    "commit": "ce32d105d883603cb354b95a76091cf88926956e",
    "files": {"en": "locale/en/LC_MESSAGES/django.po"},
    "chinese": "itsm/component/constants/ticket.py",
    "entries": [
        ("column", "ticket_id", "", "工单编号"),
        ("column", "category", "", "工单类型"),
        ("column", "status", "", "状态"),
        ("column", "customer", "", "创建人"),
        ("column", "created_at", "", "创建时间"),
        ("column", "closed_at", "", "结束时间"),
        ("column", "priority", "", "优先级"),
        ("column", "", "", "序号"),
        ("column", "", "", "标题"),
        ("column", "", "", "关联业务"),
        ("column", "", "", "服务目录"),
        ("column", "", "", "当前步骤"),
        ("column", "", "", "服务"),
        ("column", "", "", "满意度评分"),
        ("column", "", "", "满意度评价"),
        ("state", "new", "", "新"),
        ("state", "active", "", "处理中"),
        ("state", "resolved", "", "已解决"),
        ("state", "resolved", "", "待确认"),
        ("state", "pause", "", "挂起"),
        ("state", "closed", "", "已完成"),
        ("state", "closed", "", "已终止"),
        ("state", "cancelled", "", "已撤销"),
        ("priority", "3", "", "低"),
        ("priority", "2", "", "中"),
        ("priority", "1", "", "高"),
    ],
}
OSTICKET = {
    "repo": "osTicket/osTicket",
    "commit": "b2850bacd717b20c3ceaadb768be14257c6808af",  # the language packs (loose files)
    "loose": True,
    "english_commit": "4689926b2d3d25754f0ddcf8d4e181a2817f6d56",  # osTicket/osTicket's own history
    "files": {
        "zh_CN": "include/i18n/zh_CN/LC_MESSAGES/messages.mo.php",
        "zh_TW": "include/i18n/zh_TW/LC_MESSAGES/messages.mo.php",
    },
    "english": "include/class.queue.php",
    "entries": [
        ("column", "ticket_id", "", "Ticket Number"),
        ("column", "created_at", "", "Date Created"),
        ("column", "priority", "", "Priority"),
        ("column", "team", "", "Department"),
        ("column", "category", "", "Help Topic"),
        ("column", "channel", "", "Source"),
        ("column", "status", "", "Current Status"),
        ("column", "closed_at", "", "Closed Date"),
        ("column", "assignee", "", "Agent Assigned"),
        ("column", "customer", "", "From"),
        ("column", "", "", "Subject"),
        ("column", "", "", "From Email"),
        ("column", "", "", "Last Updated"),
        ("column", "", "", "SLA Plan"),
        ("column", "", "", "Due Date"),
        ("column", "", "", "Overdue"),
        ("column", "", "", "Answered"),
        ("column", "", "", "Team Assigned"),
        ("column", "", "", "Thread Count"),
        ("column", "", "", "Attachment Count"),
    ],
    # the names an install writes into its database, in en_US's order (statuses) or by key (priorities)
    "lists": {
        "state": (
            "include/i18n/en_US/ticket_status.yaml",
            "include/i18n/{lang}/1.14.x/ticket_status.yaml",
            {"Open": "active", "Resolved": "resolved", "Closed": "closed", "Archived": "closed"}
            | {"Deleted": "cancelled"},
        ),
        "priority": (
            "include/i18n/en_US/priority.yaml",
            "include/i18n/{lang}/1.14.x/priority.yaml",
            {"Emergency": "1", "High": "2", "Normal": "3", "Low": "4"},
        ),
    },
}
SOURCES: dict[str, dict[str, Any]] = {
    "glpi": GLPI,
    "otrs": OTRS,
    "zammad": ZAMMAD,
    "bk-itsm": BKITSM,
    "osticket": OSTICKET,
}


def read_source(mirrors: Path, source: dict[str, Any], path: str, commit: str = "") -> str:
    """A file at the source's commit: from its git mirror, or from the loose files read one by one."""
    commit = commit or source["commit"]
    if source.get("loose") and commit == source["commit"]:
        name = f"{source['repo'].replace('/', '+')}@{commit}"
        whole, kept = mirrors / name / path, LOOSE / name / path
        return (whole if whole.exists() else kept).read_text(encoding="utf-8")
    return git_show(mirrors, source["repo"], commit, path)


def git_show(mirrors: Path, repo: str, commit: str, path: str) -> str:
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    done = subprocess.run(  # noqa: S603 - a developer tool reading local git mirrors
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],  # noqa: S607
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


_PO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def parse_po(text: str) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) → msgstr (the singular form), for the translated entries of a .po file."""
    out: dict[tuple[str, str], str] = {}
    entry: dict[str, str] = {}
    current = ""

    def flush() -> None:
        if entry.get("msgid"):
            value = entry.get("msgstr", entry.get("msgstr[0]", ""))
            if value and not entry.get("obsolete"):
                out.setdefault((entry.get("msgctxt", ""), entry["msgid"]), value)

    for line in text.splitlines():
        line = line.strip()
        if not line:
            flush()
            entry, current = {}, ""
            continue
        if line.startswith("#~"):
            entry["obsolete"] = "1"
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            entry[current] = entry.get(current, "") + "".join(_PO_STRING.findall(line))
            continue
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]"):
            current = keyword
            entry[current] = "".join(_PO_STRING.findall(rest))
    flush()
    return {(_unescape(c), _unescape(i)): _unescape(s) for (c, i), s in out.items()}


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


_PERL_PAIR = re.compile(r"'((?:[^'\\]|\\.)*)'\s*=>\s*'((?:[^'\\]|\\.)*)'", re.S)


def parse_perl(text: str) -> dict[tuple[str, str], str]:
    """OTRS Kernel/Language/<lang>.pm: 'msgid' => 'msgstr' pairs (the first non-empty one)."""
    out: dict[tuple[str, str], str] = {}
    for key, value in _PERL_PAIR.findall(text):
        key, value = key.replace("\\'", "'"), value.replace("\\'", "'")
        if value:
            out.setdefault(("", key), value)
    return out


_PHP_PAIR = re.compile(r"^\s*'((?:[^'\\]|\\.)*)'\s*=>\s*'((?:[^'\\]|\\.)*)',\s*$", re.M)


def parse_php(text: str) -> dict[tuple[str, str], str]:
    """osTicket's messages.mo.php: `'msgid' => 'msgstr',` lines; a later key wins, as in PHP."""
    out: dict[tuple[str, str], str] = {}
    for key, value in _PHP_PAIR.findall(text):
        if value:
            out[("", key.replace("\\'", "'"))] = value.replace("\\'", "'")
    return out


def yaml_names(text: str, field: str) -> list[tuple[str, str]]:
    """(top-level key or position, value of `field`) for each entry of osTicket's flat data YAML."""
    out: list[tuple[str, str]] = []
    key = ""
    for line in text.splitlines():
        top = re.match(r"^(\w+):\s*$", line)
        if top:
            key = top.group(1)
        found = re.match(rf"^\s+{field}:\s*(.+?)\s*$", line)
        if found:
            out.append((key or str(len(out)), found.group(1)))
    return out


def list_rows(tool: str, source: dict[str, Any], mirrors: Path) -> list[dict[str, str]]:
    """osTicket's status and priority names per language, paired with en_US's."""
    rows: list[dict[str, str]] = []
    field = {"state": "name", "priority": "priority_desc"}
    for kind, (english_path, lang_path, meanings) in source.get("lists", {}).items():
        commit = source["english_commit"]
        english = yaml_names(read_source(mirrors, source, english_path, commit), field[kind])
        for _key, text in english:
            rows.append(_row(tool, kind, meanings[text], "en", text, text, source, english_path, commit))
        for lang in source["files"]:
            path = lang_path.format(lang=lang)
            local = yaml_names(read_source(mirrors, source, path), field[kind])
            by_key = dict(local) if kind == "priority" else {str(i): t for i, (_, t) in enumerate(local)}
            for i, (key, msgid) in enumerate(english):
                translated = by_key.get(key if kind == "priority" else str(i))
                if translated:
                    rows.append(_row(tool, kind, meanings[msgid], lang, translated, msgid, source, path))
    return rows


def _row(
    tool: str,
    kind: str,
    meaning: str,
    lang: str,
    text: str,
    msgid: str,
    source: dict[str, Any],
    path: str,
    commit: str = "",
) -> dict[str, str]:
    return {
        "tool": tool,
        "kind": kind,
        "meaning": meaning,
        "lang": lang,
        "text": " ".join(text.split()),
        "msgctxt": "",
        "msgid": msgid,
        "repo": source["repo"],
        "path": path,
        "commit": commit or source["commit"],
    }


def rows_for(tool: str, source: dict[str, Any], mirrors: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    repo, commit = source["repo"], source["commit"]

    def add(kind: str, meaning: str, lang: str, text: str, ctx: str, msgid: str, path: str) -> None:
        at = source.get("english_commit", commit) if lang == "en" and not source.get("chinese") else commit
        rows.append(
            {
                "tool": tool,
                "kind": kind,
                "meaning": meaning,
                "lang": lang,
                "text": " ".join(text.split()),
                "msgctxt": ctx,
                "msgid": msgid,
                "repo": repo,
                "path": path,
                "commit": at,
            }
        )

    catalogues = {}
    for lang, path in source["files"].items():
        text = read_source(mirrors, source, path)
        parse = parse_perl if path.endswith(".pm") else parse_php if path.endswith(".php") else parse_po
        catalogues[lang] = (path, parse(text))
    english = source.get("english")
    chinese = source.get("chinese")
    for kind, meaning, ctx, msgid in source["entries"]:
        if chinese:  # bk-itsm: the msgids are Simplified Chinese, as the source code writes them
            add(kind, meaning, "zh_CN", msgid, ctx, msgid, chinese)
        else:  # the msgid is the English text the tool writes
            where = english.get(kind, "") if isinstance(english, dict) else english
            add(kind, meaning, "en", msgid, ctx, msgid, where or "")
        for lang, (path, catalogue) in catalogues.items():
            translated = catalogue.get((ctx, msgid))
            if translated:
                add(kind, meaning, lang, translated, ctx, msgid, path)
    return rows + list_rows(tool, source, mirrors)


def without_ambiguities(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
    """Drop a text that means two different things in one tool's columns (or states): it cannot say."""
    meanings: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        meanings[(r["tool"], r["kind"], r["text"].casefold())].add(r["meaning"])
    dropped = sorted({" / ".join(k) for k, v in meanings.items() if len(v) > 1})
    kept = [r for r in rows if len(meanings[(r["tool"], r["kind"], r["text"].casefold())]) == 1]
    unique: dict[tuple[str, ...], dict[str, str]] = {}
    for r in kept:  # the same text in several languages: the first one (English) says where it is from
        unique.setdefault(tuple(r[f] for f in ("tool", "kind", "meaning", "text")), r)
    return list(unique.values()), dropped


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    mirrors = Path(argv[1])
    rows: list[dict[str, str]] = []
    for tool, source in SOURCES.items():
        rows += rows_for(tool, source, mirrors)
    rows, dropped = without_ambiguities(rows)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} titles written to {OUT}")
    for text in dropped:
        print(f"dropped (means two things): {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
