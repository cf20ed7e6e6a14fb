"""Child process entry: `python -m bench.child TASK SIZE PARAMS_JSON RESULT_PATH`.

Runs one task of bench.tasks and writes its figures as JSON; the parent reads this process's peak
memory from the kernel (wait4's ru_maxrss) when it ends.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

from bench.common import CODE_ENV


def main(argv: list[str]) -> int:
    name, size, params, result_path = argv[0], int(argv[1]), json.loads(argv[2]), Path(argv[3])
    from bench.tasks import TASKS

    code = os.environ.get(CODE_ENV)
    if code:  # sla_core from a checkout of the code before the fixes (bench itself from the project)
        sys.path.insert(0, code)
        os.chdir(code)
    try:
        result = TASKS[name](size=size, **params)
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    result_path.write_text(json.dumps(result, default=_default))
    return 0 if "error" not in result else 1


def _default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # type: ignore[attr-defined]
    return str(value)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
