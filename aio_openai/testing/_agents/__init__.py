"""The fake Agents API (beta): agents, automations and their invocations, vaults and their
credentials, environments with their files, environment templates."""

from aio_openai.testing._agents.routes import add_agents_routes
from aio_openai.testing._agents.state import AgentsState

__all__ = ["AgentsState", "add_agents_routes"]
