"""PTB's RetryAfter warns on construction unless durations are timedeltas (pytest: an error)."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
