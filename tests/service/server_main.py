"""Run ``trivselscore serve`` in a test's subprocess, recording coverage when the test run does.

``python tests/service/server_main.py [serve options]``. When the parent test run
measures coverage, it passes the data file and the configuration in
``TRIVSELSCORE_TEST_COVERAGE`` and ``TRIVSELSCORE_TEST_COVERAGE_RC``; this
process then saves its own data file beside the parent's (pytest-cov combines
them). The server stops on SIGINT, as on Ctrl-C.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    data_file = os.environ.get("TRIVSELSCORE_TEST_COVERAGE")
    cov = None
    if data_file:
        import coverage  # noqa: PLC0415 - only when the parent measures coverage

        cov = coverage.Coverage(
            data_file=data_file, data_suffix=True, config_file=os.environ["TRIVSELSCORE_TEST_COVERAGE_RC"]
        )
        cov.start()
    try:
        from trivselscore.service import serve_command  # noqa: PLC0415 - after coverage has started

        return serve_command(sys.argv[1:])
    finally:
        if cov is not None:
            cov.stop()
            cov.save()


if __name__ == "__main__":
    sys.exit(main())
