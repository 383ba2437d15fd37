"""AWS Lambda entry: ``lambda_handler`` is the skill on the DynamoDB store named by TABLE_NAME.

Built once per container. The store creates its DynamoDB client on first use, not at import:
its own small client (``skill/store/dynamodb_http.py``, JSON over HTTPS signed with SigV4), not
boto3's. boto3 is never imported here, and botocore only to find credentials when the environment
holds none (SnapStart).
"""

from __future__ import annotations

import logging
import os

from skill.config import Config
from skill.entry import make_handler

logging.getLogger().setLevel(os.environ.get("LOG_LEVEL", "INFO"))

lambda_handler = make_handler(Config.from_env())
