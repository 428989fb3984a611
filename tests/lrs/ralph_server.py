"""Run Ralph (a real LRS) on 127.0.0.1 with the file backend; run with .venv-ralph's Python.

    python ralph_server.py PORT DATA_DIR

Ralph 5.1.0's file backend fails every write after the first because its default
operation type creates one file; appending fixes it (see the project's LRS notes).
"""

import sys

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402
from ralph.api import app  # noqa: E402

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
