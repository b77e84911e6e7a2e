"""OpenActive's data-model validator (npm ``@openactive/data-model-validator``) run from Python, offline.

``openactive_validate.js`` beside this file runs the validator in node over whole RPDE pages with
remote loading off; the OpenActive activity list it would fetch comes from the excerpt
``openactive_activity_list.jsonld``. What the validator says is sorted here into what it could not
check offline (a remote JSON-LD context it may not fetch: ``file_not_found``), what RPDE itself
requires of the last page (its empty ``items``, which the validator's empty-value rule flags), and the
failures that count.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VALIDATOR = ROOT / "node_modules" / "@openactive" / "data-model-validator"
SCRIPT = HERE / "openactive_validate.js"
ACTIVITY_LIST = HERE / "openactive_activity_list.jsonld"
FETCH_NOT_ALLOWED = "file_not_found"


def unavailable_reason() -> str | None:
    """Why the validator cannot run here, or None when it can."""
    if not VALIDATOR.is_dir():
        return f"OpenActive's validator is not installed ({VALIDATOR.relative_to(ROOT)} is missing; npm ci installs it)"
    if shutil.which("node") is None:
        return "node is not on PATH"
    return None


@dataclass
class Report:
    items: int = 0
    failures: list[str] = field(default_factory=list)
    fetch_notices: list[str] = field(default_factory=list)
    empty_last_page: int = 0

    def summary(self) -> str:
        return (
            f"{self.items} items, {len(self.failures)} failures, {len(self.fetch_notices)} context-fetch notices, "
            f"{self.empty_last_page} empty last page flag(s)"
        )


def validate_pages(pages: list[dict], *, timeout: int = 600) -> Report:
    """Validate RPDE pages (in feed order) and sort what the validator says; raises when node fails."""
    payload = json.dumps({"pages": pages, "activityList": str(ACTIVITY_LIST)})
    completed = subprocess.run(  # noqa: S603 (a fixed script, our own data)
        ["node", str(SCRIPT)],  # noqa: S607 (node from PATH, as npm puts it)
        input=payload,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the validator did not run: {completed.stderr.strip()}")
    report = Report(items=sum(len(page["items"]) for page in pages))
    for page, errors in zip(pages, json.loads(completed.stdout)["results"], strict=True):
        for error in errors:
            if error["severity"] != "failure":
                continue
            line = f"{error['path']}: {error['type']}: {error['message'].splitlines()[0]}"
            if error["type"] == FETCH_NOT_ALLOWED:
                report.fetch_notices.append(line)
            elif not page["items"] and error["type"] == "field_is_empty" and error["path"] == "$.items":
                report.empty_last_page += 1
            else:
                report.failures.append(line)
    return report
