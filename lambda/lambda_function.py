"""AWS Lambda entry: ``lambda_handler`` is the skill on the DynamoDB store named by TABLE_NAME.

Built once per container; the store creates its boto3 client on first use, not at import.
"""

from __future__ import annotations

import logging
import os

from skill.config import Config
from skill.entry import make_handler

logging.getLogger().setLevel(os.environ.get("LOG_LEVEL", "INFO"))

lambda_handler = make_handler(Config.from_env())
