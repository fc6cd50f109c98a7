"""`--format sarif`, checked against the official SARIF 2.1.0 schema (tests/data/sarif-schema-2.1.0.json,
see its .PROVENANCE) and against `--format json` of the same run.

jsonschema checks the `uri` / `uri-reference` formats only when rfc3987 or rfc3986-validator is
installed; neither is a dependency, so the format checker here gets its own RFC 3986 checks
(`_is_uri`, `_is_uri_reference`) and every validation below checks URIs too."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import pytest
from jsonschema import Draft4Validator, FormatChecker

from hvlint import __version__
from hvlint.cli import main
from hvlint.facts import Span
from hvlint.findings import Finding, Fix, Severity, TraceStep
from hvlint.registry import all_rules, rule_page
from hvlint.report import DEFAULT_DOCS_URL, ReportInput, sarif

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).parent.parent / "corpus"
SCHEMA = DATA / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"

# RFC 3986, section 3 and appendix A.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_AUTHORITY = (
    rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?:\[[0-9A-Fa-f:.{_UNRESERVED}{_SUB_DELIMS}]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)(?::[0-9]*)?"
)
_QUERY_FRAGMENT = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_ABSOLUTE = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.\-]*:(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?){_QUERY_FRAGMENT}"
)
_SEGMENT_NC = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}@]|{_PCT})+"  # a first segment without ':'
_RELATIVE = re.compile(
    rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/(?:{_PCHAR}+(?:/{_PCHAR}*)*)?|{_SEGMENT_NC}(?:/{_PCHAR}*)*|){_QUERY_FRAGMENT}"
)


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _ABSOLUTE.fullmatch(value) is not None


def _is_uri_reference(value: object) -> bool:
    return (
        not isinstance(value, str) or _ABSOLUTE.fullmatch(value) is not None or _RELATIVE.fullmatch(value) is not None
    )


@cache
def _validator() -> Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("uri-reference")(_is_uri_reference)
    return Draft4Validator(schema, format_checker=checker)


def errors(doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(doc)]


def assert_valid(doc: Any) -> None:
    problems = errors(doc)
    assert not problems, "\n".join(problems[:20])


def lint(capsys: pytest.CaptureFixture[str], fmt: str, *args: str) -> dict[str, Any]:
    code = main(["check", "--format", fmt, "--jobs", "1", *args])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    doc: dict[str, Any] = json.loads(out)
    return doc


# --- the schema and the validator ---------------------------------------------------------------


def test_the_schema_is_the_official_file() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema"
    assert SCHEMA_SHA256 in (DATA / "sarif-schema-2.1.0.PROVENANCE").read_text(encoding="utf-8")


def test_the_uri_checks() -> None:
    for good in ("https://example.org/a%20b/HV201.md?x=1#y", "file:///tmp/tree%20copy/", "urn:x", "mailto:a@b.c"):
        assert _is_uri(good) and _is_uri_reference(good), good
    for good in ("arch/x86/kernel/head64.c", "odd%20name%23.c", "a%3Ab.c", "../x", "", "/abs/path", "x?q"):
        assert _is_uri_reference(good), good
    for bad in ("arch/x86/kernel/head64.c", "https://exa mple.org/", "http://x/%zz", "file:///a b"):
        assert not _is_uri(bad), bad
    for bad in ("odd name.c", "é.c", "50%.c", "a#b#c", "x\\y.c", "a[1].c"):
        assert not _is_uri_reference(bad), bad


def _minimal() -> dict[str, Any]:
    return {
        "version": "2.1.0",
        "$schema": sarif.SCHEMA,
        "runs": [
            {
                "tool": {"driver": {"name": "hvlint", "informationUri": "https://example.org/", "rules": []}},
                "results": [
                    {
                        "ruleId": "HV201",
                        "level": "warning",
                        "message": {"text": "m"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "a.c", "uriBaseId": "SRCROOT"},
                                    "region": {"startLine": 1, "startColumn": 1, "endColumn": 2},
                                }
                            }
                        ],
                    }
                ],
            }
        ],
    }


def _broken(change: str) -> dict[str, Any]:
    doc = _minimal()
    run = doc["runs"][0]
    result = run["results"][0]
    phys = result["locations"][0]["physicalLocation"]
    if change == "no version":
        del doc["version"]
    elif change == "version 2.0.0":
        doc["version"] = "2.0.0"
    elif change == "no driver name":
        del run["tool"]["driver"]["name"]
    elif change == "level info":
        result["level"] = "info"
    elif change == "no message text":
        result["message"] = {}
    elif change == "line 0":
        phys["region"]["startLine"] = 0
    elif change == "unknown result property":
        result["severity"] = "warning"
    elif change == "space in uri":
        phys["artifactLocation"]["uri"] = "odd name.c"
    elif change == "relative informationUri":
        run["tool"]["driver"]["informationUri"] = "docs/rules/"
    elif change == "contextRegion inside region":
        phys["region"]["contextRegion"] = {"startLine": 1}
    return doc


BROKEN = [
    "no version",
    "version 2.0.0",
    "no driver name",
    "level info",
    "no message text",
    "line 0",
    "unknown result property",
    "space in uri",
    "relative informationUri",
    "contextRegion inside region",
]


def test_the_validator_accepts_a_minimal_document() -> None:
    assert_valid(_minimal())


@pytest.mark.parametrize("change", BROKEN)
def test_the_validator_rejects_a_broken_document(change: str) -> None:
    assert errors(_broken(change)), f"the schema accepted a document with {change}"


# --- hvlint's SARIF against the schema and against --format json ---------------------------------

TREES = [
    # (corpus folder, what it must exercise)
    ("trees/init-lifetime", "trace"),
    ("trees/pvh-mini", "fix"),
    ("sections", "fix"),
]


def check_against_json(sarif_doc: dict[str, Any], json_doc: dict[str, Any]) -> None:
    """Everything `--format json` says about the run, SARIF says too, in the same order."""
    assert_valid(sarif_doc)
    assert sarif_doc["version"] == "2.1.0" and sarif_doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = sarif_doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("hvlint", __version__)
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["columnKind"] == "unicodeCodePoints"
    stats = json_doc["stats"]
    assert (run["properties"]["files"], run["properties"]["parse_errors"]) == (stats["files"], stats["parse_errors"])
    root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
    assert root == Path(json_doc["root"]).absolute().as_uri().rstrip("/") + "/"
    rules = driver["rules"]
    results = run["results"]
    findings = json_doc["findings"]
    assert len(results) == len(findings)
    level = {"error": "error", "warning": "warning", "info": "note"}
    prints = set()
    for r, f in zip(results, findings):
        assert r["ruleId"] == f["rule"] and rules[r["ruleIndex"]]["id"] == f["rule"]
        assert r["level"] == level[f["severity"]]
        assert r["message"]["text"] == f["message"]
        (loc,) = r["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "SRCROOT" and unquote(art["uri"]) == f["path"] and not urlsplit(art["uri"]).scheme
        file = Path(url2pathname(urlsplit(urljoin(root, art["uri"])).path))
        assert file == Path(json_doc["root"]).absolute() / f["path"] and file.is_file()
        region = loc["physicalLocation"]["region"]
        # hvlint's end column is inclusive, SARIF's exclusive (all corpus lines are ASCII)
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            f["line"],
            f["column"],
            f["end_line"],
            f["end_column"] + 1,
        )
        lines = file.read_text(encoding="utf-8").splitlines()
        if f["line"] == f["end_line"]:
            assert region["snippet"]["text"] == lines[f["line"] - 1][f["column"] - 1 : f["end_column"]]
        assert loc["physicalLocation"]["contextRegion"]["snippet"]["text"] == "\n".join(
            lines[f["line"] - 1 : f["end_line"]]
        )
        (fp,) = r["partialFingerprints"].values()
        prints.add(fp)
        # codeFlows exactly for the findings with a trace, the steps in the same order (root first)
        if f["trace"]:
            (flow,) = r["codeFlows"]
            (thread,) = flow["threadFlows"]
            steps = [s["location"] for s in thread["locations"]]
            assert len(steps) == len(f["trace"])
            for step, t in zip(steps, f["trace"]):
                assert t["symbol"] in step["message"]["text"]
                assert unquote(step["physicalLocation"]["artifactLocation"]["uri"]) == t["path"]
                assert step["physicalLocation"]["region"]["startLine"] == t["line"]
            related = r["relatedLocations"]
            assert [x["physicalLocation"] for x in related] == [s["physicalLocation"] for s in steps]
            assert len({x["id"] for x in related}) == len(related)
        else:
            assert "codeFlows" not in r and "relatedLocations" not in r
        if f["fix"]:
            (fix,) = r["fixes"]
            (change,) = fix["artifactChanges"]
            assert unquote(change["artifactLocation"]["uri"]) == f["path"]
            (rep,) = change["replacements"]
            x = f["fix"]
            assert rep["deletedRegion"] == {
                "startLine": x["line"],
                "startColumn": x["column"],
                "endLine": x["end_line"],
                "endColumn": x["end_column"] + 1,
            }
            assert rep["insertedContent"]["text"] == x["replacement"]
            assert fix["properties"]["safe"] == x["safe"]
        else:
            assert "fixes" not in r
    assert len(prints) == len(results), "partialFingerprints must be unique within the run"


@pytest.mark.parametrize(("tree", "needs"), TREES)
def test_corpus_tree(capsys: pytest.CaptureFixture[str], tree: str, needs: str) -> None:
    args = ["--select", "ALL", str(CORPUS / tree)]
    sarif_doc = lint(capsys, "sarif", *args)
    json_doc = lint(capsys, "json", *args)
    assert json_doc["findings"], f"{tree} gives no findings: the test would prove nothing"
    assert any(f[needs] for f in json_doc["findings"]), f"{tree} gives no finding with a {needs}"
    check_against_json(sarif_doc, json_doc)


def test_rules_carry_their_docs(capsys: pytest.CaptureFixture[str]) -> None:
    doc = lint(capsys, "sarif", "--select", "ALL", str(CORPUS / "trees/init-lifetime"))
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == DEFAULT_DOCS_URL.split("/blob/")[0]
    assert [d["id"] for d in driver["rules"]] == [r.id for r in all_rules()]
    level = {"error": "error", "warning": "warning", "info": "note"}
    for d, r in zip(driver["rules"], all_rules()):
        assert d["name"] == r.name and d["shortDescription"]["text"] == r.summary
        assert d["fullDescription"]["text"] and "## " not in d["fullDescription"]["text"]
        assert d["help"] == {"text": rule_page(r), "markdown": rule_page(r)}
        assert d["helpUri"] == DEFAULT_DOCS_URL + f"{r.id}.md"
        assert d["defaultConfiguration"] == {"level": level[r.severity.value], "enabled": r.default}
        props = d["properties"]
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert props["problem.severity"] in ("error", "warning", "recommendation")
        assert "kernel" in props["tags"] and len(props["tags"]) <= 10


@pytest.mark.parametrize(
    ("docs_url", "help_uri", "information_uri"),
    [
        (
            "https://docs.example.org/hv lint",
            "https://docs.example.org/hv%20lint/HV301.md",
            "https://docs.example.org/hv%20lint",
        ),
        (
            "https://github.com/fork/hvlint/blob/v1/docs/rules/",
            "https://github.com/fork/hvlint/blob/v1/docs/rules/HV301.md",
            "https://github.com/fork/hvlint",
        ),
        ("file:///srv/hvlint docs/", "file:///srv/hvlint%20docs/HV301.md", "file:///srv/hvlint%20docs/"),
        ("docs/rules", None, DEFAULT_DOCS_URL.split("/blob/")[0]),  # relative: no helpUri rather than an invalid one
    ],
)
def test_docs_url(
    capsys: pytest.CaptureFixture[str], docs_url: str, help_uri: str | None, information_uri: str
) -> None:
    doc = lint(capsys, "sarif", "--select", "ALL", "--docs-url", docs_url, str(CORPUS / "trees/init-lifetime"))
    assert_valid(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    (hv301,) = [d for d in driver["rules"] if d["id"] == "HV301"]
    assert hv301.get("helpUri") == help_uri
    assert driver["informationUri"] == information_uri


def test_odd_file_names_are_percent_encoded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tree = tmp_path / "tree copy é"
    shutil.copytree(CORPUS / "trees/pvh-mini", tree)
    odd = "arch/x86/kernel/odd name é 100%#1?.c"
    (tree / odd).write_text('int odd_var __attribute__((section(".data")));\n', encoding="utf-8")
    sarif_doc = lint(capsys, "sarif", "--select", "ALL", str(tree))
    json_doc = lint(capsys, "json", "--select", "ALL", str(tree))
    assert odd in [f["path"] for f in json_doc["findings"]]
    check_against_json(sarif_doc, json_doc)
    run = sarif_doc["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/tree%20copy%20%C3%A9/")
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert "arch/x86/kernel/odd%20name%20%C3%A9%20100%25%231%3F.c" in uris


def test_columns_count_code_points_on_non_ascii_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    p = tmp_path / "x.c"
    p.write_text('/* é */ int a __attribute__((section(".data")));\n', encoding="utf-8")
    (f,) = lint(capsys, "json", str(p))["findings"]
    doc = lint(capsys, "sarif", str(p))
    assert_valid(doc)
    (r,) = doc["runs"][0]["results"]
    region = r["locations"][0]["physicalLocation"]["region"]
    assert (f["column"], f["end_column"]) == (16, 48)  # bytes, end inclusive
    assert (region["startColumn"], region["endColumn"]) == (15, 48)  # code points, end exclusive
    assert region["snippet"]["text"] == '__attribute__((section(".data")))'
    deleted = r["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert (deleted["startColumn"], deleted["endColumn"]) == (15, 48)


def test_an_empty_run_is_valid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    p = tmp_path / "clean.c"
    p.write_text("int a;\n")
    out = tmp_path / "hvlint.sarif"
    assert main(["check", "--format", "sarif", "-q", "-o", str(out), str(p)]) == 0
    assert capsys.readouterr().out == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(doc)
    run = doc["runs"][0]
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is True
    assert len(run["tool"]["driver"]["rules"]) == len(all_rules())


def test_render_directly_is_deterministic_and_valid(tmp_path: Path) -> None:
    """Trace steps without a file or line (symbols defined nowhere in the scope), a rule the
    registry does not know, two identical findings (distinct fingerprints), an unsafe fix."""
    span = Span(2, 3, 2, 5, 0, 0)
    trace = (TraceStep("start_kernel", "init/main.c", 900), TraceStep("undefined_fn", "", 0))
    same = Finding("HV301", "init-reference-from-runtime", Severity.ERROR, "a.c", span, "m", "s", None, trace)
    unsafe = Fix("__initconst", span, "__initdata", safe=False)
    findings = [
        same,
        same,
        Finding("HV203", "init-annotation-misplaced", Severity.INFO, "a.c", span, "n", None, unsafe),
        Finding("HV999", "from-a-rule-pack", Severity.WARNING, "b.c", span, "o"),
    ]
    inp = ReportInput(root=str(tmp_path), findings=findings, files=2, seconds=1.23456)
    text = sarif.render(inp)
    assert text == sarif.render(copy.deepcopy(inp)) and text.endswith("}\n")
    doc = json.loads(text)
    assert_valid(doc)
    run = doc["runs"][0]
    r0, r1, r2, r3 = run["results"]
    assert r0["partialFingerprints"] != r1["partialFingerprints"]
    assert [r["level"] for r in run["results"]] == ["error", "error", "note", "warning"]
    step = r0["codeFlows"][0]["threadFlows"][0]["locations"][1]["location"]
    assert step == {"message": {"text": "undefined_fn"}}
    assert "snippet" not in r0["locations"][0]["physicalLocation"]["region"]  # a.c cannot be read
    assert r2["fixes"][0]["properties"] == {"safe": False} and "--unsafe-fixes" in r2["fixes"][0]["description"]["text"]
    assert run["tool"]["driver"]["rules"][r3["ruleIndex"]]["id"] == "HV999"
    assert run["properties"] == {"files": 2, "parse_errors": 0, "seconds": 1.235}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.as_uri() + "/"


TREE = os.environ.get("HVLINT_LINUX_TREE", "")


@pytest.mark.skipif(
    not TREE or not os.path.isdir(TREE),
    reason="HVLINT_LINUX_TREE is not set: no real kernel tree (run .ci/run, or point it at ../shared/get-linux.sh's tree)",
)
def test_real_tree(capsys: pytest.CaptureFixture[str]) -> None:
    # read-only: hvlint writes nothing without --fix (and its cache goes to its own folder)
    args = ["--select", "HV2", f"{TREE}/arch/x86/xen", f"{TREE}/arch/x86/include/asm/vvar.h"]
    sarif_doc = lint(capsys, "sarif", *args)
    json_doc = lint(capsys, "json", *args)
    assert any(f["fix"] for f in json_doc["findings"])  # DEFINE_VVAR's raw section attribute
    check_against_json(sarif_doc, json_doc)
