"""The fake admin API: the organization's projects, users, invites, service accounts and
keys (state.py, records.py), the usage and costs of the calls the fake served (usage.py,
metered by meter.py), checks and routes."""

from aio_openai.testing._admin.meter import metering
from aio_openai.testing._admin.routes import add_admin_routes
from aio_openai.testing._admin.state import AdminState

__all__ = ["AdminState", "add_admin_routes", "metering"]
