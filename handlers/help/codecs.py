"""The help guide's buttons, one codec each (handlers/common/codec.py)."""

from __future__ import annotations

from handlers.common.codec import Codec
from handlers.common.language import LANGUAGE_CODE

GUIDE_LANGUAGE = Codec("hlang", (LANGUAGE_CODE,))  # her language, chosen on her way to help
