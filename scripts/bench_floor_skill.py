"""The cold-start floor: a minimal skill in the style of the ASK SDK samples.

``ask-sdk-core`` + ``ask_sdk_dynamodb``'s ``DynamoDbAdapter`` (which builds a boto3 *resource*
at import and on construction) + one LaunchRequest handler that reads the user's persistent
attributes, as the samples do. Used only by ``scripts/bench.py``.
"""

import os

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        attributes = handler_input.attributes_manager.persistent_attributes
        count = attributes.get("launches", 0)
        return (
            handler_input.response_builder.speak(f"Welcome back, visit {count}.")
            .ask("What next?")
            .response
        )


adapter = DynamoDbAdapter(
    table_name=os.environ["FLOOR_TABLE_NAME"], partition_key_name="id", create_table=False
)
builder = CustomSkillBuilder(persistence_adapter=adapter)
builder.add_request_handler(LaunchRequestHandler())
lambda_handler = builder.lambda_handler()
