"""Validate xAPI statements (a JSON array on stdin) with Ralph's models; run with .venv-ralph."""

import json
import sys

from ralph.models.xapi.base.statements import BaseXapiStatement

statements = json.load(sys.stdin)
for statement in statements:
    BaseXapiStatement.model_validate(statement)
print(f"{len(statements)} valid")
