# SPDX-License-Identifier: MIT
"""Self-tests of the Python harness (no emulator needed).  pytest.ini
loads the pytester plugin they use."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
