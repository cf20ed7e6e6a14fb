"""Reading a contract: TOML → raw tables, versions deep-merged onto the terms before them (tables by
key, priorities by id, other arrays replaced) and validated as a whole; every problem returned together as
an issue naming the key as people count (`priorities[2].response`), in the version that introduced it."""

from __future__ import annotations

import copy
import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sla_core.contract_terms import Contract, Terms
from sla_core.problems import Issue, error, warning

_SECTIONS = {
    "contract",
    "calendar",
    "priorities",
    "pause",
    "statuses",
    "categories",
    "surveys",
    "feedback",
    "availability",
    "kpis",
    "penalties",
    "obligations",
    "targets",
    "custom_kpis",
}


def deep_merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """Tables merge by key, priorities by id, other arrays are replaced."""
    out = copy.deepcopy(base)
    for key, value in change.items():
        if key == "priorities" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = _merge_priorities(out[key], value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _merge_priorities(base: list[Any], change: list[Any]) -> list[Any]:
    merged = copy.deepcopy(base)
    index = {p.get("id"): i for i, p in enumerate(merged) if isinstance(p, dict)}
    for p in change:
        if isinstance(p, dict) and p.get("id") in index:
            merged[index[p["id"]]] = deep_merge(merged[index[p["id"]]], p)
        else:
            merged.append(copy.deepcopy(p))
    return merged


def key_path(loc: tuple[int | str, ...]) -> str:
    """('priorities', 1, 'response') → 'priorities[2].response' (1-based, as people count)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif part in ("function-after[_intervals(), tuple[Interval, ...]]",) or part.startswith(
            ("function-", "lax-", "json-or-python")
        ):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


_BUILTIN_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "is required"),
    "extra_forbidden": ("不是可识别的键（拼写错误？）", "is not a known key (a typo?)"),
    "literal_error": ("取值不在允许范围内", "is not one of the allowed values"),
    "date_from_datetime_parsing": ("不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"),
    "date_parsing": ("不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"),
    "date_type": ("不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"),
}


def _issue_from_error(err: Any, file: str | None, prefix: str = "") -> Issue:
    ctx = err.get("ctx") or {}
    path = key_path(tuple(err["loc"])) or str(ctx.get("key") or "")
    if prefix:
        path = f"{prefix}.{path}" if path else prefix
    value = err.get("input")
    value_text = None if isinstance(value, dict | list) else str(value)
    if "zh" in ctx and "en" in ctx:
        zh, en = ctx["zh"], ctx["en"]
    elif err["type"] in _BUILTIN_MESSAGES:
        zh, en = _BUILTIN_MESSAGES[err["type"]]
        if err["type"] == "literal_error" and "expected" in ctx:
            zh, en = f"{zh}：{ctx['expected']}", f"{en}: {ctx['expected']}"
    else:
        zh, en = f"无效：{err['msg']}", f"is invalid: {err['msg']}"
    return error(
        "contract.invalid", f"{path}：{zh}", f"{path}: {en}", file=file, column=path, value=value_text
    )


class ContractError(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(i.en for i in issues if i.level == "error"))


def _validate(raw: dict[str, Any], file: str | None, prefix: str = "") -> tuple[Terms | None, list[Issue]]:
    try:
        return Terms.model_validate(raw), []
    except ValidationError as exc:
        return None, [_issue_from_error(e, file, prefix) for e in exc.errors()]


def parse_contract(text: str, file: str | None = None) -> tuple[Contract | None, list[Issue]]:
    """Parse and validate a contract; all problems are returned together."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [error("contract.toml", f"TOML 语法错误：{exc}", f"TOML syntax error: {exc}", file=file)]
    return contract_from_raw(raw, file=file, text=text)


def contract_to_toml(raw: dict[str, Any]) -> str:
    """The TOML text of a raw contract table (as edited on the Contract page)."""
    import tomli_w

    return tomli_w.dumps(raw)


def contract_from_raw(
    raw: dict[str, Any], *, file: str | None = None, text: str | None = None
) -> tuple[Contract | None, list[Issue]]:
    """Validate a contract given as the table TOML would parse to."""
    raw = copy.deepcopy(raw)
    if text is None:
        text = contract_to_toml(raw)
    issues: list[Issue] = []
    schema = raw.pop("schema", 1)
    if schema != 1:
        issues.append(
            error(
                "contract.invalid",
                f"schema：不支持版本 {schema}",
                f"schema: version {schema} is not supported",
                file=file,
                column="schema",
            )
        )
    raw_versions = raw.pop("versions", [])
    if not isinstance(raw_versions, list):
        issues.append(
            error(
                "contract.invalid",
                "versions：应为 [[versions]] 表数组",
                "versions: expected an array of [[versions]] tables",
                file=file,
                column="versions",
            )
        )
        raw_versions = []
    base_raw = dict(raw)
    contract_table = base_raw.get("contract")
    base_raw["effective_from"] = (
        contract_table.get("effective_from") if isinstance(contract_table, dict) else None
    )
    base, problems = _validate(base_raw, file)
    issues += problems
    if base is None:
        return None, issues

    ordered = sorted(
        enumerate(raw_versions, start=1),
        key=lambda iv: str(iv[1].get("effective_from", "")) if isinstance(iv[1], dict) else "",
    )
    terms: list[Terms] = [base]
    merged = base_raw
    for number, version in ordered:
        where = f"versions[{number}]"
        if not isinstance(version, dict):
            issues.append(
                error(
                    "contract.invalid",
                    f"{where}：应为表",
                    f"{where}: expected a table",
                    file=file,
                    column=where,
                )
            )
            continue
        unknown = sorted(set(version) - _SECTIONS - {"effective_from", "note"})
        for key in unknown:
            issues.append(
                error(
                    "contract.invalid",
                    f"{where}.{key}：不是可识别的键",
                    f"{where}.{key}: is not a known key",
                    file=file,
                    column=f"{where}.{key}",
                )
            )
        if "effective_from" not in version:
            issues.append(
                error(
                    "contract.invalid",
                    f"{where}.effective_from：缺少必填项",
                    f"{where}.effective_from: is required",
                    file=file,
                    column=f"{where}.effective_from",
                )
            )
            continue
        fixed = version.get("contract", {})
        for key in ("id", "timezone"):
            if isinstance(fixed, dict) and key in fixed and fixed[key] != base_raw["contract"].get(key):
                issues.append(
                    error(
                        "contract.invalid",
                        f"{where}.contract.{key}：版本中不能更改",
                        f"{where}.contract.{key}: cannot change in a version",
                        file=file,
                        column=f"{where}.contract.{key}",
                    )
                )
        change = {k: v for k, v in version.items() if k in _SECTIONS}
        merged = deep_merge(merged, change)
        merged["effective_from"] = version["effective_from"]
        merged["note"] = str(version.get("note", ""))
        version_terms, problems = _validate(merged, file, prefix="")
        if problems:
            issues += [_relocate(p, where, version, merged.get("priorities") or []) for p in problems]
            continue
        if version_terms is None:  # an invariant, checked even under python -O
            raise RuntimeError("version_terms is missing")
        if version_terms.effective_from.day != 1:
            issues.append(
                warning(
                    "contract.version_mid_month",
                    f"{where}.effective_from：{version_terms.effective_from} 不是月初；"
                    "每个月按其第一天有效的条款评判",
                    f"{where}.effective_from: {version_terms.effective_from} is not the 1st of a month; "
                    "months are judged by the terms in force on their first day",
                    file=file,
                    column=f"{where}.effective_from",
                )
            )
        if version_terms.effective_from <= base.effective_from:
            issues.append(
                warning(
                    "contract.version_before_start",
                    f"{where}.effective_from：早于或等于合同生效日",
                    f"{where}.effective_from: not after the contract's effective_from",
                    file=file,
                    column=f"{where}.effective_from",
                )
            )
        terms.append(version_terms)
    if any(i.level == "error" for i in issues):
        return None, issues
    return Contract(versions=tuple(terms), source_text=text), issues


def _relocate(issue: Issue, where: str, version: dict[str, Any], merged_priorities: list[Any]) -> Issue:
    """Errors found in merged terms point at the version that introduced the value."""
    path = issue.column or ""
    m = re.match(r"priorities\[(\d+)\]", path)
    if m and isinstance(version.get("priorities"), list):
        # the merged list keeps the base order; point at the version's own entry for that id
        merged_id = merged_priorities[int(m.group(1)) - 1].get("id") if merged_priorities else None
        own = [
            i
            for i, p in enumerate(version["priorities"], start=1)
            if isinstance(p, dict) and p.get("id") == merged_id
        ]
        if own:
            path = f"priorities[{own[0]}]{path[m.end() :]}"
            issue = Issue(
                issue.level,
                issue.code,
                issue.zh.replace(issue.column or "", path, 1),
                issue.en.replace(issue.column or "", path, 1),
                issue.file,
                issue.sheet,
                issue.row,
                path,
                issue.value,
            )
    head = path.split(".")[0].split("[")[0]
    if head in version or path.startswith("effective_from"):
        new = f"{where}.{path}"
        return Issue(
            issue.level,
            issue.code,
            issue.zh.replace(path, new, 1),
            issue.en.replace(path, new, 1),
            issue.file,
            issue.sheet,
            issue.row,
            new,
            issue.value,
        )
    return issue


def load_contract(path: str | Path) -> Contract:
    """Read a contract file; raise ContractError with every problem if it is invalid."""
    p = Path(path)
    contract, issues = parse_contract(p.read_text(encoding="utf-8"), file=p.name)
    if contract is None:
        raise ContractError(issues)
    return contract


def contract_warnings(text: str) -> list[Issue]:
    return [i for i in parse_contract(text)[1] if i.level == "warning"]


def decimal_or_none(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
