# SPDX-License-Identifier: MIT
"""Loads the benchtop pytest plugin for everything under tests/.

pytest loads this file before collecting (it sits in a top-level "test*"
directory), which is where pytest_plugins must be declared.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "harness", "python"))

pytest_plugins = ["benchtop.pytest_plugin"]
