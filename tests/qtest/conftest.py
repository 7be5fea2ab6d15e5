# SPDX-License-Identifier: MIT
"""pytest qtests: the benchtop plugin from harness/python.

tests/conftest.py normally loads it first; pytest refuses pytest_plugins
in a conftest it meets only while collecting, hence the condition.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "harness", "python"))

if "benchtop.pytest_plugin" not in sys.modules:
    pytest_plugins = ["benchtop.pytest_plugin"]
