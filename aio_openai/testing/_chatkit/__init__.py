"""The fake ChatKit API (beta): sessions, and the threads of its users with their items."""

from aio_openai.testing._chatkit.routes import add_chatkit_routes
from aio_openai.testing._chatkit.state import ChatKitState

__all__ = ["ChatKitState", "add_chatkit_routes"]
